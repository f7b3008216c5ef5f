"""Metrc's GET limits (429 + Retry-After), latency and injected faults, in-process and over loopback."""

from __future__ import annotations

import json

import httpx
import pytest
from metrc_helpers import LICENSE, lic, wide

from growtui.sandbox.metrc.limits import UNKNOWN_ENUM_VALUE, Limits, MetrcFault, MetrcOps, parse_faults
from growtui.sandbox.metrc.seed import GROWER_KEY, NURSERY, OTHER_VENDOR_KEY, VENDOR_KEY


@pytest.fixture
def tick(metrc_world):
    """A hand-driven clock for the token buckets: ``tick[0] += 1.0`` is one second later."""
    now = [1000.0]
    metrc_world.ops.clock = lambda: now[0]
    return now


async def test_per_facility_get_rate_answers_429_with_retry_after(metrc, metrc_world, tick):
    metrc_world.ops.set_limits(per_facility=3)
    codes = [(await metrc.get("/strains/v2/active", params=lic())).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = await metrc.get("/strains/v2/active", params=lic())
    assert r.status_code == 429 and r.headers["Retry-After"] == "1" and "per second" in r.json()["Message"]
    # another facility has its own budget; a second later the first has refilled
    assert (await metrc.get("/strains/v2/active", params={"licenseNumber": NURSERY.number})).status_code == 200
    tick[0] += 1.0
    assert (await metrc.get("/strains/v2/active", params=lic())).status_code == 200
    assert metrc_world.ops.stats()["rate_limited"] == 2


async def test_per_vendor_get_rate_spans_facilities_but_not_other_vendors(metrc, metrc_world, tick):
    metrc_world.ops.set_limits(per_vendor=4)
    params = [lic(), {"licenseNumber": NURSERY.number}] * 2
    assert [(await metrc.get("/items/v2/active", params=p)).status_code for p in params] == [200] * 4
    assert (await metrc.get("/items/v2/active", params=lic())).status_code == 429
    metrc.auth = (OTHER_VENDOR_KEY, GROWER_KEY)
    assert (await metrc.get("/items/v2/active", params=lic())).status_code == 200


async def test_concurrent_gets_per_facility(metrc, metrc_world):
    ops = metrc_world.ops
    ops.set_limits(concurrent_facility=2)
    for _ in range(2):  # two GETs of this vendor key and facility still in flight
        assert ops.admit_get(VENDOR_KEY, LICENSE) is None
    r = await metrc.get("/strains/v2/active", params=lic())
    assert r.status_code == 429 and "concurrent" in r.json()["Message"]
    assert (await metrc.get("/strains/v2/active", params={"licenseNumber": NURSERY.number})).status_code == 200
    ops.release(VENDOR_KEY, LICENSE)
    assert (await metrc.get("/strains/v2/active", params=lic())).status_code == 200
    assert ops.stats()["max_in_flight_facility"] == 2


async def test_writes_are_not_counted_against_get_limits(metrc, metrc_world, tick):
    metrc_world.ops.set_limits(per_facility=1)
    assert (await metrc.get("/strains/v2/active", params=lic())).status_code == 200
    r = await metrc.put("/packages/v2/note", params=lic(), json=[{"PackageLabel": "nope", "Note": "x"}])
    assert r.status_code != 429
    assert (await metrc.get("/strains/v2/active", params=lic())).status_code == 429


@pytest.mark.parametrize("kind", ["400", "500", "503"])
async def test_json_faults_for_the_next_n_requests(metrc, metrc_world, kind):
    metrc_world.ops.add_fault(kind, next=2)
    answers = [await metrc.get("/items/v2/active", params=wide()) for _ in range(3)]
    assert [r.status_code for r in answers] == [int(kind), int(kind), 200]
    assert set(answers[0].json()) == {"Message"}
    assert metrc_world.ops.stats()["faults_served"] == {kind: 2}


async def test_gateway_timeout_is_html_and_reset_drops_the_connection(metrc, metrc_world):
    metrc_world.ops.add_fault("504", next=1, path="/packages")
    assert (await metrc.get("/items/v2/active", params=wide())).status_code == 200  # path narrows
    r = await metrc.get("/packages/v2/active", params=wide())
    assert r.status_code == 504 and r.headers["content-type"].startswith("text/html")
    metrc_world.ops.add_fault("reset", next=1)
    with pytest.raises(httpx.TransportError):
        await metrc.get("/items/v2/active", params=wide())
    assert (await metrc.get("/items/v2/active", params=wide())).status_code == 200


async def test_schema_drift_faults_on_list_pages(metrc, metrc_world):
    metrc_world.ops.add_fault("unknown_enum", next=1, path="/plants")
    rows = (await metrc.get("/plants/v2/vegetative", params=wide())).json()["Data"]
    assert rows and all(row["GrowthPhase"] == UNKNOWN_ENUM_VALUE for row in rows)
    metrc_world.ops.add_fault("extra_fields", next=1)
    rows = (await metrc.get("/packages/v2/active", params=wide())).json()["Data"]
    assert all(row["SandboxAddedField"] and row["SandboxAddedFlags"] == {"IsBeta": True} for row in rows)
    rows = (await metrc.get("/packages/v2/active", params=wide())).json()["Data"]
    assert not any("SandboxAddedField" in row for row in rows)  # fired once


def test_concurrent_gets_per_vendor_key_span_facilities():
    ops = MetrcOps(limits=Limits(None, None, None, 2))
    assert ops.admit_get("v", "A") is None and ops.admit_get("v", "B") is None
    assert "concurrent" in (ops.admit_get("v", "C") or "")
    assert ops.admit_get("other", "A") is None
    ops.release("v", "A")
    assert ops.admit_get("v", "C") is None


def test_fault_spec_uses_metrc_kinds():
    assert parse_faults("400:x1@PUT, 503:0.5~/plants") == [MetrcFault("400", next=1, method="PUT"), MetrcFault("503", rate=0.5, path="/plants")]
    with pytest.raises(ValueError):
        parse_faults("expire_tokens:1")  # a T3 kind: Metrc has no tokens


def test_real_http_limits_faults_and_auth(metrc_server):
    world = metrc_server.world
    world.ops.clock = lambda: 1000.0  # no refill while the test runs, however slow the machine
    world.ops.set_limits(per_facility=2)
    with httpx.Client(base_url=metrc_server.base_url, auth=(VENDOR_KEY, GROWER_KEY), timeout=5) as client:
        assert client.get("/facilities/v2").status_code == 200
        world.ops.add_fault("503", next=1)
        assert client.get("/strains/v2/active", params=lic()).status_code == 503
        assert client.get("/strains/v2/active", params=lic()).status_code == 200
        r = client.get("/strains/v2/active", params=lic())
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        assert client.get("/facilities/v2", auth=(VENDOR_KEY, "nope")).status_code == 401


def test_users_json_lists_keys_and_facilities(capsys):
    from growtui.sandbox.cli import main

    assert main(["users", "--system", "metrc", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    grower = next(r for r in rows if r["userKey"] == GROWER_KEY)
    assert grower["vendorKey"] == VENDOR_KEY
    assert [f["License"]["Number"] for f in grower["facilities"]] == [lic()["licenseNumber"], NURSERY.number]
    assert all(f["Name"] for r in rows for f in r["facilities"])
    assert main(["users", "--system", "metrc"]) == 0 and GROWER_KEY in capsys.readouterr().out
    assert main(["serve", "--system", "metrc", "--faults", "expire_tokens:1"]) == 2
