"""``growtui export``: a cached list as CSV or JSON, offline (reads the cache only, never upstream).

The columns are the list's CSV export's: the columns chosen in the app for that list (``c``), or
all of them, in the same order, with the same formula-defused cells in CSV.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from growtui.config import UiState
from growtui.headless.common import (
    CommandError,
    add_account_options,
    open_target,
    parse_collection,
    path_or_stdout,
    resolve_account,
    run_command,
    settings_for,
)
from growtui.ui.export import write_csv, write_csv_to
from growtui.ui.row_source import IndexRowSource


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="growtui export",
        description="Write a cached list as CSV or JSON without going online (run growtui sync first). "
        "Same columns as the list's CSV export in the app. Files are created 0600.",
    )
    parser.add_argument("collection", metavar="COLLECTION",
                        help="the list, e.g. packages, plants, items, or packages:active")
    parser.add_argument("--state", metavar="S", help="the list's state, e.g. active, onhold, flowering")
    parser.add_argument("--license", metavar="L", help="license number (default: the only one cached)")
    parser.add_argument("--format", choices=("csv", "json"), required=True)
    parser.add_argument("--output", metavar="F", help="file to write (default: stdout)")
    add_account_options(parser)
    return parser


def _collection(args: argparse.Namespace) -> Any:
    spec = args.collection if not args.state else f"{args.collection}:{args.state}"
    return parse_collection(spec)


def _write(args: argparse.Namespace, headers: list[str], rows: list[list[object]]) -> int:
    path = path_or_stdout(args.output)
    if args.format == "csv":
        if path is None:
            return write_csv_to(sys.stdout, headers, rows)
        return write_csv(path, headers, rows, own_dir=False)
    body = json.dumps([dict(zip(headers, row, strict=True)) for row in rows], indent=1, ensure_ascii=False,
                      default=str)
    if path is None:
        sys.stdout.write(body + "\n")
    else:
        from growtui.files import private_writer

        with private_writer(path, own_dir=False) as handle:
            handle.write(body + "\n")
    return len(rows)


async def run(args: argparse.Namespace) -> int:
    collection = _collection(args)
    target = open_target(settings_for(args), fresh_training_cache=False, system=args.backend)
    try:
        hostname, username = resolve_account(target, args.username, args.hostname, offline=True)
        account = await target.store.open_offline(hostname, username)
        cached = [lic.number for lic in target.store.cached_licenses()]
        # As the app would open it: the license last opened for this account, or the only one.
        license = args.license or UiState().last_license(account) or (cached[0] if len(cached) == 1 else None)
        if license is None:
            listed = ", ".join(cached) if cached else "none cached yet: run growtui sync first"
            raise CommandError(f"--license is required ({listed})")
        if target.store.cache_age(license, collection) is None:
            raise CommandError(f"{collection.key} of {license} is not in the cache of {account.id}: "
                               "run growtui sync first", code=1)
        source = IndexRowSource(target.store.open_list(license, collection), UiState().columns(collection.key))
        count = _write(args, list(source.columns), source.view_rows())
    finally:
        await target.store.aclose()
    if args.output not in (None, "-"):
        print(f"Exported {count:,} rows to {args.output}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    return run_command(build_parser(), run, argv)
