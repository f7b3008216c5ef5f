"""CSV export of what a list shows, JSON export of its raw rows (Textual-free: run in a thread worker)."""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from growtui.config import data_dir
from growtui.files import private_writer

# Spreadsheet apps run cells that start with these as formulas; API text is data, so defuse them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def export_path(license_number: str, collection_key: str, now: float, root: Path | None = None,
                *, suffix: str = ".csv") -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{license_number}_{collection_key}_{stamp}")
    return (root or data_dir() / "exports") / f"{name}{suffix}"


def write_csv_to(handle: TextIO, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write the header line and the rows; returns how many rows."""
    writer = csv.writer(handle)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([_safe(v) for v in row])
        count += 1
    return count


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], *, own_dir: bool = True) -> int:
    """Write the rows; returns how many. The file appears complete or not at all, 0600 (it lists a
    license's inventory); ``own_dir=False`` when the user chose where it goes."""
    with private_writer(path, newline="", own_dir=own_dir) as handle:
        return write_csv_to(handle, headers, rows)


def write_json(path: Path, raws: Iterable[Mapping[str, Any]]) -> int:
    """The rows as upstream sent them (nested objects included), one JSON array; returns how many.
    Written as it goes, so 100k rows never sit in memory as one string."""
    count = 0
    with private_writer(path) as handle:
        handle.write("[")
        for raw in raws:
            handle.write(",\n" if count else "\n")
            handle.write(json.dumps(raw, ensure_ascii=False, default=str))
            count += 1
        handle.write("\n]\n")
    return count
