"""``growtui sandbox …``: run one system's sandbox or list its demo accounts.

    growtui sandbox serve [--system t3] [--host 127.0.0.1] [--port 8765] [--seed 7] [--packages 2000]
                          [--latency-ms 0] [--jitter-ms 0] [--faults SPEC] [system options]
    growtui sandbox users [--system t3] [--json]

``growtui sandbox serve --system NAME --help`` lists that system's own options. Fault SPEC:
comma-separated ``kind:RATE`` or ``kind:xN`` with optional ``@METHOD`` and ``~/path``, e.g.
``503:0.02,504:x1@POST,reset:0.05~/v2/packages`` (kinds per system; see growtui.sandbox.faults).

Each system's module (``SYSTEMS``) provides ``TITLE``, ``add_serve_arguments(parser)``,
``serve(args) -> int``, ``users_public() -> list[dict]`` and ``print_users(out, rows)``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from types import ModuleType
from typing import TextIO

DEFAULT_SYSTEM = "t3"
# system name -> the module that serves it (imported only when chosen)
SYSTEMS: dict[str, str] = {
    "t3": "growtui.sandbox.t3.cli",
    "metrc": "growtui.sandbox.metrc.cli",
    "openthc": "growtui.sandbox.openthc.cli",
    "trace": "growtui.sandbox.trace.cli",
}


def system_module(name: str) -> ModuleType:
    return importlib.import_module(SYSTEMS[name])


def _system_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--system", choices=sorted(SYSTEMS), default=DEFAULT_SYSTEM, help=f"which API to emulate (default {DEFAULT_SYSTEM})")


def _parser(system: ModuleType | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="growtui sandbox", description="Local track-and-trace API sandboxes")
    sub = parser.add_subparsers(dest="command", required=True)
    title = getattr(system, "TITLE", "a")
    serve = sub.add_parser("serve", help=f"run the {title} sandbox over HTTP")
    _system_arg(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--packages", type=int, default=2000, help="packages in the main license")
    serve.add_argument("--latency-ms", type=float, default=0.0)
    serve.add_argument("--jitter-ms", type=float, default=0.0)
    serve.add_argument("--faults", default="", help="fault spec, e.g. 503:0.02,504:x1@POST")
    if system is not None:
        system.add_serve_arguments(serve)
    users = sub.add_parser("users", help="print the demo sign-ins")
    _system_arg(users)
    users.add_argument("--json", action="store_true")
    return parser


def print_users(out: TextIO, as_json: bool, system: str = DEFAULT_SYSTEM) -> None:
    module = system_module(system)
    rows = module.users_public()
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    module.print_users(out, rows)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # the chosen system adds its own serve options, so find it before the full parse
    chooser = argparse.ArgumentParser(add_help=False)
    _system_arg(chooser)
    known, _ = chooser.parse_known_args(argv)
    system = system_module(known.system)
    args = _parser(system).parse_args(argv)
    if args.command == "users":
        print_users(sys.stdout, args.json, args.system)
        return 0
    return int(system.serve(args))
