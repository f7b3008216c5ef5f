"""``growtui`` command line: parse options, merge settings, build the app, run it."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from growtui import __version__
from growtui.backends import registry
from growtui.config import ENV_VARS, Settings, SettingsError, config_file, load_settings

def _description() -> str:
    systems = "\n".join(f"  {e.name:<8} {e.title}" for e in registry.BACKENDS.values())
    return f"""\
Keyboard-first terminal app for cannabis grow floors, on these track-and-trace systems (--system):
{systems}

Without a host (no --host, no GROWTUI_HOST, no `host` in the config file) growtui runs a
TRAINING session: the chosen system's built-in sandbox runs inside the app with demo users and
seeded data, and nothing is sent upstream."""


def _epilog() -> str:
    lines = ["environment variables:"]
    lines += [f"  {name:<28} {text}" for name, text in ENV_VARS.items()]
    lines += [
        "",
        f"config file: {config_file()}",
        "  TOML with the same names as the options, e.g.  host = \"https://api.trackandtrace.tools\"",
        "  Precedence: command line > environment > config file. Passwords are never stored.",
        "",
        "Headless commands for scripts and cron (each has --help; no terminal UI):",
        "  growtui sync     sign in and load lists into the app's cache (password from GROWTUI_PASSWORD",
        "                   or a prompt, never an argument); --json summary; exit 0 only if complete",
        "  growtui export   a cached list as CSV or JSON, offline, with the list's export columns",
        "  growtui outbox   the write journal with each write's outcome (sent, rejected, in doubt, ...)",
        "",
        "Run `growtui sandbox --help` for the standalone sandbox servers.",
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="growtui",
        description=_description(),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"growtui {__version__}")
    parser.add_argument("--host", metavar="URL", help="the system's API base URL (env GROWTUI_HOST); omit for training")
    parser.add_argument(
        "--system",
        "--backend",
        dest="system",
        metavar="NAME",
        help=f"track-and-trace system to speak: {', '.join(registry.names())} (env GROWTUI_SYSTEM; default {registry.DEFAULT})",
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        default=None,
        help="floor kiosk: idle lock (Ctrl+L locks now), quit only with the supervisor PIN (required), "
        "no mouse, no file export",
    )
    parser.add_argument(
        "--idle-lock",
        metavar="MINUTES",
        type=float,
        dest="idle_lock_minutes",
        help="kiosk: lock after this many idle minutes (default 5; 0 = never)",
    )
    parser.add_argument(
        "--stay-signed-in",
        action="store_true",
        default=None,
        help="keep the API token (never the password) in a 0600 file between runs",
    )
    parser.add_argument(
        "--sandbox-packages",
        metavar="N",
        type=int,
        help="training: active packages seeded per license (default 2000)",
    )
    parser.add_argument(
        "--sandbox-latency-ms",
        metavar="MS",
        type=int,
        help="training: artificial sandbox latency per request (default 0)",
    )
    return parser


def parse_settings(argv: list[str], environ: dict[str, str] | None = None) -> Settings:
    args = build_parser().parse_args(argv)
    cli: dict[str, Any] = {k: v for k, v in vars(args).items() if v is not None}
    settings = load_settings(cli, environ=environ)
    if settings.system not in registry.names():
        raise SettingsError(f"unknown system {settings.system!r}; known: {', '.join(registry.names())}")
    return settings


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = parse_settings(argv)
    except SettingsError as exc:
        print(f"growtui: {exc}", file=sys.stderr)
        return 2
    if settings.kiosk and not settings.supervisor_pin:
        from growtui.ui.kiosk import NO_PIN_MESSAGE

        print(f"growtui: {NO_PIN_MESSAGE}", file=sys.stderr)
        return 2
    if settings.kiosk:
        # Before Textual reads its constants: no animations on floor terminals / slow links.
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from growtui.ui.app import create_app

    app = create_app(settings)
    result = app.run(mouse=not settings.kiosk)
    return int(result or app.return_code or 0)
