"""``growtui sandbox serve`` end to end: a real process on an ephemeral loopback port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from growtui.ui.launch import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_accounts_and_answers_http():
    cmd = [sys.executable, "-m", "growtui", "sandbox", "serve", "--port", "0", "--packages", "60", "--faults", "503:x1~/v2/states"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline()]
        while not banner[-1].startswith("Point growtui at it"):
            banner.append(proc.stdout.readline())
        env = proc.stdout.readline()
        base_url = banner[0].split(" on ", 1)[1].split()[0]
        assert base_url.startswith("http://127.0.0.1:") and "grower.ca" in banner[2]
        # How to point growtui at it, in growtui's own options (not another client's variable):
        command = banner[-1].split(": ", 1)[1].split()
        options = build_parser().parse_args(command[1:])
        assert command[0] == "growtui" and (options.system, options.host) == ("t3", base_url)
        assert f"GROWTUI_HOST={base_url}" in env
        with httpx.Client(base_url=base_url, timeout=10) as client:
            login = {"hostname": "ca.metrc.com", "username": "grower.ca", "password": "sandbox-ca-pass"}
            token = client.post("/v2/auth/credentials", json=login).json()["accessToken"]
            headers = {"Authorization": f"Bearer {token}"}
            assert client.get("/v2/states", headers=headers).status_code == 503  # the --faults spec applies
            assert client.get("/v2/states", headers=headers).status_code == 200
            body = client.get("/v2/packages/active", params={"licenseNumber": "CCL21-0000123"}, headers=headers).json()
            assert 0 < body["total"] < 60
    finally:
        proc.terminate()
        proc.wait(timeout=10)
