"""``growtui sandbox serve --system metrc`` end to end: a real process on an ephemeral loopback port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from growtui.sandbox.metrc.seed import GROWER_KEY, MAIN, VENDOR_KEY

ROOT = Path(__file__).resolve().parents[3]


def test_serve_metrc_prints_keys_and_answers_http():
    cmd = [sys.executable, "-m", "growtui", "sandbox", "serve", "--system", "metrc", "--port", "0", "--packages", "30", "--faults", "503:x1~/facilities", "--no-window", "all"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(3)]
        base_url = banner[0].split(" on ", 1)[1].split()[0]
        assert base_url.startswith("http://127.0.0.1:") and GROWER_KEY in banner[2]
        with httpx.Client(base_url=base_url, auth=(VENDOR_KEY, GROWER_KEY), timeout=10) as client:
            assert client.get("/facilities/v2").status_code == 503  # the --faults spec applies
            assert client.get("/facilities/v2").status_code == 200
            params = {"licenseNumber": MAIN.number}
            unwindowed = client.get("/packages/v2/active", params=params).json()
            wide = client.get("/packages/v2/active", params={**params, "lastModifiedStart": "2000-01-01T00:00:00Z"}).json()
            assert unwindowed["Total"] == wide["Total"] > 0  # --no-window all: every active package
    finally:
        proc.terminate()
        proc.wait(timeout=10)
