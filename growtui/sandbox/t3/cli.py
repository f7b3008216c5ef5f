"""The T3 entry of ``growtui sandbox`` (see growtui.sandbox.cli for the shared options)."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any, TextIO

from growtui.sandbox.t3.seed import users_public

TITLE = "T3"
__all__ = ["TITLE", "add_serve_arguments", "print_users", "serve", "users_public"]


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--rate-limit", type=int, default=600, help="requests per user per window (refused ones count too; 429s carry Retry-After); 0 = off")
    serve.add_argument("--rate-window", type=float, default=60.0, help="seconds")
    serve.add_argument("--max-concurrent", type=int, default=0, help="per user; 0 = unlimited")
    serve.add_argument("--token-ttl", type=float, default=24 * 3600.0, help="seconds")
    serve.add_argument("--extra-fields", action="store_true", help="unknown extra fields on objects")
    serve.add_argument("--visibility-delay", type=float, default=0.0, help="seconds before created objects show up")


def print_users(out: TextIO, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        extra = "".join(f"  {k}={row[k]}" for k in ("otpSecret", "email") if k in row)
        plan = "" if row["hasT3plus"] else "  (no T3+)"
        out.write(f"{row['hostname']:<14} {row['username']:<10} {row['password']}{extra}{plan}\n")
        for lic in row["licenses"]:
            out.write(f"    {lic['licenseNumber']:<16} {lic['licenseName']}\n")


def serve(args: argparse.Namespace) -> int:
    from growtui.sandbox.serving import serve_foreground
    from growtui.sandbox.t3.ops import parse_faults
    from growtui.sandbox.t3.runner import SandboxConfig, SandboxServer, build_app

    try:
        parse_faults(args.faults)
    except ValueError as exc:
        print(f"growtui sandbox: bad --faults {args.faults!r}: {exc}", file=sys.stderr)
        return 2
    config = SandboxConfig(
        seed=args.seed,
        packages=args.packages,
        extra_fields=args.extra_fields,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        rate_limit=args.rate_limit or None,
        rate_window_s=args.rate_window,
        max_concurrent=args.max_concurrent or None,
        token_ttl_s=args.token_ttl,
        faults=args.faults,
        visibility_delay_s=args.visibility_delay,
    )
    server = SandboxServer(build_app(config), host=args.host, port=args.port, log_level="warning", date_header=False)
    users = io.StringIO()
    print_users(users, users_public())
    banner = f"T3 sandbox on {server.base_url}  (the official t3api client: T3_API_HOST={server.base_url})\nDemo accounts (sandbox only):\n"
    return serve_foreground(server, banner + users.getvalue(), "t3")
