"""The Trace entry of ``growtui sandbox`` (see growtui.sandbox.cli for the shared options)."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any, TextIO

from growtui.sandbox.serving import serve_foreground
from growtui.sandbox.trace.seed import users_public

TITLE = "Trace"
__all__ = ["TITLE", "add_serve_arguments", "print_users", "serve", "users_public"]


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    """Trace has no options of its own beyond the shared ones."""


def print_users(out: TextIO, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        flag = "  (suspended: every call answers 403)" if row["suspended"] else ""
        out.write(f"{row['username']:<13} x-api-key={row['x-api-key']}  token={row['token']}{flag}\n")
        for lic in row["licenses"]:
            out.write(f"    {lic['state']}  {lic['license_number']:<16} {lic['name']}\n")


def serve(args: argparse.Namespace) -> int:
    from growtui.sandbox.trace.runner import SandboxServer, TraceConfig, build_app

    try:
        config = TraceConfig(seed=args.seed, latency_ms=args.latency_ms, jitter_ms=args.jitter_ms, faults=args.faults)
        server = SandboxServer(build_app(config), host=args.host, port=args.port, log_level="warning")
    except ValueError as exc:
        print(f"growtui sandbox: bad --faults {args.faults!r}: {exc}", file=sys.stderr)
        return 2
    users = io.StringIO()
    print_users(users, users_public())
    return serve_foreground(server, f"Trace sandbox on {server.base_url}  (paths /{{state}}/v1/config/strains)" + "\nDemo accounts (sandbox only):\n" + users.getvalue(), "trace")
