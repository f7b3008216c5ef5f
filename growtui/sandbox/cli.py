"""``growtui sandbox …``: run the T3 sandbox or list its demo accounts.

    growtui sandbox serve [--host 127.0.0.1] [--port 8765] [--seed 7] [--packages 2000]
                          [--latency-ms 0] [--jitter-ms 0] [--rate-limit 600] [--rate-window 60]
                          [--faults SPEC] [--token-ttl 86400] [--max-concurrent N] [--extra-fields]
                          [--visibility-delay S]
    growtui sandbox users [--json]

Fault SPEC: comma-separated ``kind:RATE`` or ``kind:xN`` with optional ``@METHOD`` and ``~/path``,
e.g. ``503:0.02,504:x1@POST,reset:0.05~/v2/packages`` (see growtui.sandbox.t3.ops).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from growtui.sandbox.t3.seed import users_public


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growtui sandbox", description="Local T3 API sandbox")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the T3 sandbox over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--packages", type=int, default=2000, help="packages in the main license")
    serve.add_argument("--latency-ms", type=float, default=0.0)
    serve.add_argument("--jitter-ms", type=float, default=0.0)
    serve.add_argument("--rate-limit", type=int, default=600, help="requests per user per window; 0 = off")
    serve.add_argument("--rate-window", type=float, default=60.0, help="seconds")
    serve.add_argument("--max-concurrent", type=int, default=0, help="per user; 0 = unlimited")
    serve.add_argument("--faults", default="", help="fault spec, e.g. 503:0.02,504:x1@POST")
    serve.add_argument("--token-ttl", type=float, default=24 * 3600.0, help="seconds")
    serve.add_argument("--extra-fields", action="store_true", help="unknown extra fields on objects")
    serve.add_argument("--visibility-delay", type=float, default=0.0, help="seconds before created objects show up")
    users = sub.add_parser("users", help="print the demo sign-ins")
    users.add_argument("--json", action="store_true")
    return parser


def print_users(out: TextIO, as_json: bool) -> None:
    rows = users_public()
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    for row in rows:
        extra = "".join(f"  {k}={row[k]}" for k in ("otpSecret", "email") if k in row)
        plan = "" if row["hasT3plus"] else "  (no T3+)"
        out.write(f"{row['hostname']:<14} {row['username']:<10} {row['password']}{extra}{plan}\n")
        for lic in row["licenses"]:
            out.write(f"    {lic['licenseNumber']:<16} {lic['licenseName']}\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "users":
        print_users(sys.stdout, args.json)
        return 0
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
    server = SandboxServer(build_app(config), host=args.host, port=args.port, log_level="warning")
    print(f"T3 sandbox on {server.base_url}  (set T3_API_HOST={server.base_url})")
    print("Demo accounts (sandbox only):")
    print_users(sys.stdout, as_json=False)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
