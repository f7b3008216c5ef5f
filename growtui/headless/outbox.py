"""``growtui outbox``: the write journal of an account, each write with its outcome, offline.

Outcomes: sent (upstream said Success), rejected (upstream refused it, and said why), in doubt
(it may or may not have applied: look in the app's outbox, never resend blindly), pending (the
process died while sending: in doubt too), applied / not applied (a re-check upstream decided).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from growtui.data.journal import JournalEntry
from growtui.headless.common import (
    add_account_options,
    open_target,
    resolve_account,
    run_command,
    settings_for,
)
from growtui.text import clean_text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="growtui outbox",
        description="Print the write journal (every write growtui sent, newest first) with its outcome: "
        "sent, rejected, in doubt, pending, applied, not applied. Reads local files only.",
    )
    add_account_options(parser)
    parser.add_argument("--license", metavar="L", help="only this license's writes")
    parser.add_argument("--limit", metavar="N", type=int, default=1000, help="at most N writes (default 1000)")
    parser.add_argument("--json", action="store_true", help="print JSON (one object per write)")
    return parser


def entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "created": entry.created,
        "updated": entry.updated,
        "license": entry.license,
        "kind": entry.kind,
        "summary": entry.summary,
        "status": entry.status.value,
        "message": entry.message,
        "changed": list(entry.changed),
        "payload": entry.payload,
        "details": entry.details,
    }


def entry_line(entry: JournalEntry) -> str:
    when = datetime.fromtimestamp(entry.created).strftime("%Y-%m-%d %H:%M")
    status = entry.status.value.replace("_", " ").upper()
    # Upstream text is data: no terminal escapes reach the operator's terminal.
    return clean_text(f"#{entry.id:<5} {when}  {entry.license}  {status:<11}  {entry.summary}  {entry.message}")


async def run(args: argparse.Namespace) -> int:
    target = open_target(settings_for(args), fresh_training_cache=False, system=args.backend)
    try:
        hostname, username = resolve_account(target, args.username, args.hostname, offline=True)
        await target.store.open_offline(hostname, username)
        entries = target.store.journal.entries(limit=max(1, args.limit), license=args.license)
    finally:
        await target.store.aclose()
    if args.json:
        sys.stdout.write(json.dumps([entry_json(e) for e in entries], indent=1, default=str) + "\n")
    else:
        for entry in entries:
            sys.stdout.write(entry_line(entry) + "\n")
        if not entries:
            print("The outbox is empty.", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    return run_command(build_parser(), run, argv)
