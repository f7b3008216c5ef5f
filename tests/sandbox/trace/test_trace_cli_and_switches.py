"""``growtui sandbox users|serve --system trace`` and the shared latency/fault switches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from growtui.sandbox.cli import main
from tests.sandbox.trace.trace_helpers import MAIN, STRAINS, new_strain

ROOT = Path(__file__).resolve().parents[3]


def test_users_json_names_fields_as_the_api_does(capsys):
    assert main(["users", "--system", "trace", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    grower = next(r for r in rows if r["username"] == "grower.co")
    assert {"x-api-key", "token", "vendor_key", "user_key"} <= set(grower)
    assert {"license_number": MAIN, "state": "co", "name": "Front Range Cultivation"} in grower["licenses"]


def test_serve_answers_with_the_printed_credentials():
    cmd = [sys.executable, "-m", "growtui", "sandbox", "serve", "--system", "trace", "--port", "0", "--faults", "503:x1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().split(" on ", 1)[1].split()[0]
        assert proc.stdout.readline().startswith("Demo accounts")
        name, *fields_ = proc.stdout.readline().split()
        fields = dict(part.split("=", 1) for part in fields_)
        assert name == "grower.co"
        headers = {"x-api-key": fields["x-api-key"], "Authorization": f"KMP-JSON token={fields['token']}"}
        url = f"{base_url}{STRAINS}"
        assert httpx.get(url, params={"license_number": MAIN}, headers=headers, timeout=10).status_code == 503
        assert httpx.get(url, params={"license_number": MAIN}, headers=headers, timeout=10).json()["total"] > 100
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_injected_503_uses_the_envelope(trace_server, trace):
    trace_server.world.ops.add_fault("503", next=1)
    r = trace.get(STRAINS, params={"license_number": MAIN})
    assert r.status_code == 503 and r.json()["results"] is None
    assert trace.get(STRAINS, params={"license_number": MAIN}).status_code == 200


def test_a_504_after_a_write_keeps_the_write(trace_server, trace):
    trace_server.world.ops.add_fault("504", next=1, method="POST")
    r = trace.post(STRAINS, json=new_strain(name="In Doubt"))
    assert r.status_code == 504 and r.headers["content-type"].startswith("text/html")
    names = {s["name"] for s in trace.get(STRAINS, params={"license_number": MAIN, "limit": 1000}).json()["results"]}
    assert "In Doubt" in names
