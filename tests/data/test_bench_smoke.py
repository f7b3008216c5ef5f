"""bench/sync.py --quick runs end to end and its summary line holds the zero-429 / budget claims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_bench_summary():
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sync.py"), "--quick"],
        capture_output=True, text=True, timeout=110, check=True, cwd=ROOT,
    ).stdout
    summary = dict(pair.split("=", 1) for pair in out.strip().splitlines()[-1].split())
    for key in ("speedup_vs_sequential", "ratio_vs_fastest_peer", "http_429", "max_requests_in_window",
                "budget", "ratio_to_budget_floor"):
        assert key in summary, key
    assert int(summary["active_packages"]) > 1000
    assert int(summary["http_429"]) == 0
    limit = int(summary["budget"].split("/")[0])
    assert int(summary["max_requests_in_window"]) <= limit
    assert float(summary["incremental_requests_per_collection"]) <= 2
