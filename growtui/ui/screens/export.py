"""CSV export of what a list shows (Textual-free, so it can run in a thread worker)."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from growtui.config import data_dir

# Spreadsheet apps run cells that start with these as formulas; API text is data, so defuse them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def export_path(license_number: str, collection_key: str, now: float, root: Path | None = None) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{license_number}_{collection_key}_{stamp}")
    return (root or data_dir() / "exports") / f"{name}.csv"


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write the rows; returns how many. The file appears complete or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.part")
    count = 0
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_safe(v) for v in row])
            count += 1
    tmp.replace(path)
    return count
