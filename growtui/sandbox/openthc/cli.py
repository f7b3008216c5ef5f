"""The OpenTHC entry of ``growtui sandbox`` (see growtui.sandbox.cli for the shared options)."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any, TextIO

from growtui.sandbox.openthc.seed import users_public
from growtui.sandbox.serving import serve_foreground

TITLE = "OpenTHC"
__all__ = ["TITLE", "add_serve_arguments", "print_users", "serve", "users_public"]


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--lots", type=int, default=40, help="inventory lots on the main Grower license")
    serve.add_argument("--plants", type=int, default=60, help="plants on the main Grower license")
    serve.add_argument("--empty-meta", choices=("array", "object"), default="array", help="empty meta as [] (like the reference server) or {}")
    serve.add_argument("--qty-as-string", action="store_true", help='quantities as "25.0000" strings, like the reference server')
    serve.add_argument("--session-ttl", type=float, default=21600.0, help="seconds")


def print_users(out: TextIO, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        out.write(f"{row['account']:<8} {row['company_name']}  cre={row['cre']}  service-key={row['service-key']}  company={row['company']}\n")
        for lic in row["licenses"]:
            out.write(f"    license={lic['id']}  license-key={lic['license-key']}  {lic['type']:<10} {lic['name']}\n")


def serve(args: argparse.Namespace) -> int:
    from growtui.sandbox.openthc.runner import OpenTHCConfig, SandboxServer, build_app

    try:
        config = OpenTHCConfig(
            seed=args.seed, lots=args.lots, plants=args.plants, empty_meta=args.empty_meta,
            qty_as_string=args.qty_as_string, session_ttl_s=args.session_ttl,
            latency_ms=args.latency_ms, jitter_ms=args.jitter_ms, faults=args.faults,
        )
        server = SandboxServer(build_app(config), host=args.host, port=args.port, log_level="warning")
    except ValueError as exc:
        print(f"growtui sandbox: bad --faults {args.faults!r}: {exc}", file=sys.stderr)
        return 2
    users = io.StringIO()
    print_users(users, users_public())
    return serve_foreground(server, f"OpenTHC sandbox on {server.base_url}  (POST /auth/open with the form fields below)" + "\nDemo accounts (sandbox only):\n" + users.getvalue(), "openthc")

