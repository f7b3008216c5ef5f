"""The Metrc entry of ``growtui sandbox`` (see growtui.sandbox.cli for the shared options)."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any, TextIO

from growtui.sandbox.metrc.seed import users_public

TITLE = "Metrc API v2"
__all__ = ["TITLE", "add_serve_arguments", "print_users", "serve", "users_public"]


def _off(value: float) -> float | None:
    return value or None


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    g = serve.add_argument_group("Metrc")
    g.add_argument("--facility-rate", type=float, default=50.0, help="GETs per second per facility; 0 = off")
    g.add_argument("--vendor-rate", type=float, default=150.0, help="GETs per second per vendor key; 0 = off")
    g.add_argument("--facility-concurrency", type=int, default=10, help="concurrent GETs per facility; 0 = off")
    g.add_argument("--vendor-concurrency", type=int, default=30, help="concurrent GETs per vendor key; 0 = off")
    g.add_argument("--max-window-hours", type=float, default=0.0, help="refuse longer lastModified spans (e.g. 24); 0 = any span")
    g.add_argument("--no-window", choices=("recent", "all"), default="recent", help="lists without a lastModified window: the last 24 h (as v2 does) or everything")
    g.add_argument("--max-objects", type=int, default=10, help="rows per write; more answers 413")
    g.add_argument("--ids-on-every-write", action="store_true", help='answer {"Ids":…} even where the docs show an empty body')


def print_users(out: TextIO, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        view = "  (view only)" if row["readOnly"] else ""
        out.write(f"{row['name']:<18} vendorKey={row['vendorKey']}  userKey={row['userKey']}{view}\n")
        for fac in row["facilities"]:
            out.write(f"    {fac['License']['Number']:<20} {fac['Name']}\n")


def serve(args: argparse.Namespace) -> int:
    from growtui.sandbox.metrc.limits import Limits, parse_faults
    from growtui.sandbox.metrc.runner import MetrcSandboxConfig, build_app
    from growtui.sandbox.metrc.world import Settings
    from growtui.sandbox.serving import SandboxServer, serve_foreground

    try:
        faults = parse_faults(args.faults)
    except ValueError as exc:
        print(f"growtui sandbox: bad --faults {args.faults!r}: {exc}", file=sys.stderr)
        return 2
    config = MetrcSandboxConfig(
        seed=args.seed,
        packages=args.packages,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        faults=faults,
        limits=Limits(_off(args.facility_rate), _off(args.vendor_rate), args.facility_concurrency or None, args.vendor_concurrency or None),
        settings=Settings(max_objects=args.max_objects, no_window=args.no_window, max_window_hours=_off(args.max_window_hours), ids_on_every_write=args.ids_on_every_write),
    )
    server = SandboxServer(build_app(config), host=args.host, port=args.port, log_level="warning")
    users = io.StringIO()
    print_users(users, users_public())
    banner = f"Metrc sandbox on {server.base_url}  (Basic auth: vendorKey:userKey)\nDemo keys (sandbox only):\n"
    return serve_foreground(server, banner + users.getvalue(), "metrc")
