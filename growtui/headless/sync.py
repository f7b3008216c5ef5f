"""``growtui sync``: sign in and load lists into the app's cache with the app's own sync engine.

For cron (warm the cache at 5 a.m.) and for tests and benchmarks. A list loaded before is refreshed
incrementally, as the app does on F5; ``--full`` reloads it. Exit 0 only when every list loaded
completely; ``--json`` prints per-list counts for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from growtui.backends.base import BackendError
from growtui.data.types import SyncProgress, SyncResult
from growtui.domain.collections import Collection
from growtui.headless.common import (
    CommandError,
    Target,
    add_account_options,
    credentials,
    open_target,
    parse_collection,
    resolve_account,
    run_command,
    settings_for,
)

DEFAULT_COLLECTIONS = "packages:active"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="growtui sync",
        description="Sign in and load lists into growtui's cache (the app's own sync), e.g. from cron. "
        "Secrets come from the environment or a prompt on a terminal, never from an argument: "
        "GROWTUI_PASSWORD (and GROWTUI_OTP) for T3; GROWTUI_VENDOR_KEY and GROWTUI_USER_KEY for "
        "--backend metrc; GROWTUI_X_API_KEY and GROWTUI_TOKEN for --backend trace (which also takes "
        "--license); GROWTUI_SERVICE_KEY and GROWTUI_LICENSE_KEY for --backend openthc (--username is the "
        "company id, --license the one license id). Exit status 0 only when every list loaded completely.",
    )
    add_account_options(parser)
    parser.add_argument("--email", metavar="E", help="the account's email, for hosts that ask for it (co.metrc.com)")
    parser.add_argument("--license", metavar="L", action="append", dest="licenses",
                        help="a license to load (repeat for more; default: every license of the account)")
    parser.add_argument("--collections", metavar="LIST",
                        help="comma-separated lists, family:state, e.g. packages:active,plants:flowering,items "
                             f"(default {DEFAULT_COLLECTIONS}, or every list of a backend without it; "
                             "'all' for every list)")
    parser.add_argument("--full", action="store_true", help="reload every list in full instead of refreshing")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    return parser


def spec_of(collection: Collection) -> str:
    """The command-line spelling: packages:active, items."""
    return f"{collection.family.value}:{collection.state}" if collection.state else collection.family.value


def _collections(text: str | None, offered: tuple[Collection, ...]) -> list[Collection]:
    if text is None:  # Trace offers strains only: its default is what it has
        text = DEFAULT_COLLECTIONS if parse_collection(DEFAULT_COLLECTIONS) in offered else "all"
    if text.strip().lower() == "all":
        return list(offered)
    chosen = [parse_collection(part) for part in text.split(",") if part.strip()]
    missing = [spec_of(c) for c in chosen if c not in offered]
    if missing:
        raise CommandError(f"this backend does not offer {', '.join(missing)}")
    return list(dict.fromkeys(chosen))


class ProgressLine:
    """One self-overwriting line on a terminal's stderr; silent when stderr is not a terminal."""

    def __init__(self, stream: Any = sys.stderr) -> None:
        self.stream = stream
        self.on = bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, label: str) -> Callable[[SyncProgress], None]:
        def show(p: SyncProgress) -> None:
            if not self.on:
                return
            width = 24
            filled = int(width * p.pages_done / p.pages_total) if p.pages_total else 0
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{label} [{bar}] {p.pages_done}/{p.pages_total} pages, "
                              f"{p.rows_done:,} rows\x1b[K")
            self.stream.flush()
        return show

    def done(self) -> None:
        if self.on:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _counters(target: Target) -> dict[str, float]:
    # HTTP-level counts (every attempt, every 429), when the backend keeps them (T3 does).
    diagnostics = getattr(target.backend, "diagnostics", None)
    return dict(diagnostics()) if callable(diagnostics) else {}


def complete(result: SyncResult) -> bool:
    """A full load is complete when the cache holds every row upstream reported."""
    return result.incremental or result.cached >= result.total


async def _sync_one(target: Target, license: str, collection: Collection, full: bool,
                    progress: ProgressLine) -> dict[str, Any]:
    before = _counters(target)
    started = time.perf_counter()
    entry: dict[str, Any] = {"name": spec_of(collection), "license": license}
    try:
        result = await target.store.refresh(
            license, collection, full=full, progress=progress(f"{license} {spec_of(collection)}")
        )
    except BackendError as exc:
        ok, rows, requests, error = False, target.store.cache.count(license, collection), 0, exc.message
    else:
        ok, rows, requests, error = complete(result), result.cached, result.requests, None
        if not ok:
            error = f"{result.cached} of {result.total} rows cached"
    finally:
        progress.done()
    after = _counters(target)
    entry.update(
        rows=rows,
        requests=int(after.get("requests", 0) - before.get("requests", 0)) if after else requests,
        http_429=int(after.get("rate_limited", 0) - before.get("rate_limited", 0)),
        seconds=round(time.perf_counter() - started, 3),
        complete=ok,
    )
    if error:
        entry["error"] = error
    return entry


async def run(args: argparse.Namespace, out: Any = sys.stdout) -> int:
    settings = settings_for(args)
    target = open_target(settings, fresh_training_cache=True, system=args.backend)
    started = time.perf_counter()
    try:
        hostname, username = resolve_account(target, args.username, args.hostname)
        wanted = _collections(args.collections, tuple(target.backend.collections))
        creds = credentials(target, hostname, username, args.email, licenses=args.licenses)
        try:
            await target.store.login(creds)
            offered = [lic.number for lic in await target.store.licenses()]  # cached for export too
        except BackendError as exc:
            raise CommandError(exc.message, code=1) from None
        unknown = [lic for lic in args.licenses or () if lic not in offered]
        if unknown:
            raise CommandError(f"{username} has no license {', '.join(unknown)} (has: {', '.join(offered)})")
        licenses = args.licenses or offered
        progress = ProgressLine()
        entries = [
            await _sync_one(target, lic, coll, args.full, progress) for lic in licenses for coll in wanted
        ]
    finally:
        await target.store.aclose()
    summary = {
        "collections": entries,
        "requests": sum(e["requests"] for e in entries),
        "http_429": sum(e["http_429"] for e in entries),
        "seconds": round(time.perf_counter() - started, 3),
        "complete": all(e["complete"] for e in entries),
    }
    if args.json:
        out.write(json.dumps(summary, indent=1) + "\n")
    else:
        for e in entries:
            state = "ok" if e["complete"] else f"INCOMPLETE: {e.get('error', '')}"
            out.write(f"{e['license']}  {e['name']:<28} {e['rows']:>8,} rows  {e['requests']:>5} requests  "
                      f"{e['http_429']:>3} x 429  {e['seconds']:>7.2f} s  {state}\n")
    return 0 if summary["complete"] else 1


def main(argv: list[str]) -> int:
    return run_command(build_parser(), run, argv)
