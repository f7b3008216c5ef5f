"""The ``{data, meta}`` envelope switches (meta ``[]`` or ``{}``, quantities as strings), injected
faults, and ``growtui sandbox users|serve --system openthc``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from growtui.sandbox.cli import main
from tests.sandbox.openthc.othc_helpers import MAIN, data

ROOT = Path(__file__).resolve().parents[3]


def test_empty_meta_is_an_array_like_the_reference_server_or_an_object(othc_server, othc):
    assert othc.get("/section").json()["meta"] == []
    othc_server.world.empty_meta = "object"
    assert othc.get("/section").json()["meta"] == {}
    assert othc.post("/section", data={"name": "Meta Room"}).json()["meta"] == {"note": "Section Created"}


def test_quantities_as_strings_like_the_reference_server(othc_server, othc):
    othc_server.world.qty_as_string = True
    lot = data(othc.get("/inventory"))[0]
    assert isinstance(lot["qty"], str) and lot["qty"].count(".") == 1 and len(lot["qty"].split(".")[1]) == 4


def test_injected_503_keeps_the_envelope(othc_server, othc):
    othc_server.world.ops.add_fault("503", next=1)
    r = othc.get("/inventory")
    assert r.status_code == 503 and r.json()["data"] is None and r.json()["meta"]["note"]
    assert othc.get("/inventory").status_code == 200


def test_a_504_after_a_write_keeps_the_write(othc_server, othc):
    othc_server.world.ops.add_fault("504", next=1, method="POST")
    r = othc.post("/section", data={"name": "In Doubt Room"})
    assert r.status_code == 504
    assert "In Doubt Room" in {s["name"] for s in data(othc.get("/section"))}


def test_users_json_names_the_sign_in_fields_as_the_api_does(capsys):
    assert main(["users", "--system", "openthc", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    grower = next(r for r in rows if r["account"] == "grower")
    assert {"cre", "service-key", "company", "license", "license-key"} <= set(grower)
    assert grower["license"] == MAIN.id and {lic["type"] for lic in grower["licenses"]} == {"Grower", "Processor"}


def test_serve_signs_in_with_the_printed_fields():
    cmd = [sys.executable, "-m", "growtui", "sandbox", "serve", "--system", "openthc", "--port", "0", "--lots", "8", "--plants", "4", "--empty-meta", "object"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().split(" on ", 1)[1].split()[0]
        assert proc.stdout.readline().startswith("Demo accounts")
        company = dict(p.split("=", 1) for p in proc.stdout.readline().split() if "=" in p)
        lic = dict(p.split("=", 1) for p in proc.stdout.readline().split() if "=" in p)
        form = {**company, **lic}
        with httpx.Client(base_url=base_url, timeout=10) as client:
            token = data(client.post("/auth/open", data=form))
            rows = client.get("/plant", headers={"Authorization": f"Bearer {token}"}).json()
            assert len(rows["data"]) == 4 and rows["meta"] == {}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
