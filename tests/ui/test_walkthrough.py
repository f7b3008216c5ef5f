"""The walk-through script (scripts/walkthrough.py) at 60×20 in a real pty: every screen a new user
meets shows its main keys, no cut status message and no number cut without a mark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_walkthrough_at_60x20_finds_no_problem(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "walkthrough.py"), "--size", "60x20", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=280, cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 with problems" in done.stdout
    packages = (tmp_path / "60x20-04-packages.txt").read_text()
    assert "Qty" in packages and "Unit" in packages
