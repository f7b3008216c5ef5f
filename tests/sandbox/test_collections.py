"""Every top-level collection, account routes, object fidelity and membership moves."""

from __future__ import annotations

import pytest

from growtui.sandbox.t3.route_table import ALL_COLLECTIONS, Collection
from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.runner import SandboxConfig
from tests.sandbox_fixtures import MAIN_LICENSE, bearer

ENVELOPE = ("hostname", "dataModel", "retrievedAt", "licenseNumber", "index")
INDEX = {
    "plants/vegetative": "VEGETATIVE_PLANT", "plants/flowering": "FLOWERING_PLANT", "plants/onhold": "ONHOLD_PLANT",
    "plants/inactive": "INACTIVE_PLANT", "plantbatches/active": "ACTIVE_PLANTBATCH",
    "plantbatches/onhold": "ONHOLD_PLANTBATCH", "plantbatches/inactive": "INACTIVE_PLANTBATCH",
    "harvests/active": "ACTIVE_HARVEST", "harvests/onhold": "ONHOLD_HARVEST", "harvests/inactive": "INACTIVE_HARVEST",
    "packages/active": "ACTIVE_PACKAGE", "packages/onhold": "ONHOLD_PACKAGE", "packages/inactive": "INACTIVE_PACKAGE",
    "packages/intransit": "INTRANSIT_PACKAGE", "items": "ACTIVE_ITEM", "strains": "ACTIVE_STRAIN",
    "transfers/incoming/active": "ACTIVE_INCOMING_TRANSFER", "transfers/incoming/inactive": "INACTIVE_INCOMING_TRANSFER",
    "transfers/outgoing/active": "ACTIVE_OUTGOING_TRANSFER", "transfers/outgoing/inactive": "INACTIVE_OUTGOING_TRANSFER",
    "transfers/rejected": "REJECTED_TRANSFER",
}  # fmt: skip
MODEL = {"plants": schema.PLANT, "plantbatches": schema.PLANT_BATCH, "harvests": schema.HARVEST, "packages": schema.PACKAGE,
         "items": schema.ITEM, "strains": schema.STRAIN, "transfers": schema.TRANSFER}  # fmt: skip
ENUMS = {
    "stateName": {"Tracked", "Untracked", "Destroyed"},
    "growthPhaseName": {"Germination", "Vegetative", "Flowering", "Harvest"},
    "plantBatchTypeName": {"Clone", "Seed"},
    "locationTypeName": {"Default Location Type", "Greenhouse", "Outdoor", None},
    "harvestType": {"WholePlant", "PartialPlant", "Other"},
    "packageType": {"ImmaturePlant", "Product"},
    "unitOfMeasureAbbreviation": {"g", "mg", "kg", "oz", "lb", "ml", "l", "ea"},
    "unitOfMeasureQuantityType": {"WeightBased", "CountBased", "VolumeBased"},
    "quantityTypeName": {"WeightBased", "CountBased", "VolumeBased"},
    "approvalStatusName": {"Approved", "Revoked"},
    "expirationConfigurationState": {"Off"},
}
PACKAGE_LAB = {"NotSubmitted", "SubmittedForTesting", "TestFailed", "TestPassed", "TestingInProgress", "AwaitingConfirmation",
               "RetestFailed", "RetestPassed", "Remediated", "SelectedForRandomTesting", "NotRequired", "ProcessValidated"}  # fmt: skip
HARVEST_LAB = {"NotSubmitted", "Submitted", "InTesting", "Passed", "Failed"}


def _check_row(key: str, row: dict) -> None:
    assert list(row)[:5] == list(ENVELOPE)
    assert row["index"] == row["dataModel"] == INDEX[key]
    assert row["licenseNumber"] == MAIN_LICENSE and row["hostname"] == "ca.metrc.com"
    assert row["retrievedAt"].endswith("Z") and "T" in row["retrievedAt"]
    assert set(row) - set(ENVELOPE) == set(MODEL[key.split("/")[0]]), key
    for name, allowed in ENUMS.items():
        if name in row:
            assert row[name] in allowed, (key, name, row[name])
    if key.startswith("packages"):
        assert row["labTestingStateName"] in PACKAGE_LAB
        assert len(row["label"]) == 24 and row["label"].startswith("1A4")
        assert set(row["item"]) == set(schema.ITEM)
    if key.startswith("harvests"):
        assert row["labTestingStateName"] in HARVEST_LAB


@pytest.mark.parametrize("key", [c.key for c in ALL_COLLECTIONS])
async def test_every_collection_serves_faithful_rows(asgi_client, auth_headers, key):
    r = await asgi_client.get(f"/v2/{key}", params={"licenseNumber": MAIN_LICENSE, "pageSize": 500}, headers=auth_headers)
    assert r.status_code == 200, r.text
    body = r.json()
    if key == "plants/vegetative":  # CA-style license: batches go straight to flowering
        assert body["total"] == 0
        return
    assert body["total"] > 0, key
    for row in body["data"]:
        _check_row(key, row)


async def test_michigan_license_has_vegetative_plants(asgi_client, sandbox_world):
    r = await asgi_client.get("/v2/plants/vegetative", params={"licenseNumber": "PC-000321"}, headers=bearer(sandbox_world, "grower.mi"))
    assert r.json()["total"] > 0
    assert {row["growthPhaseName"] for row in r.json()["data"]} == {"Vegetative"}


async def test_state_change_moves_object_between_siblings(asgi_client, auth_headers, sandbox_world):
    lic = sandbox_world.licenses[MAIN_LICENSE]
    active = Collection.parse("packages/active")
    pkg = lic.members(active)[0]

    async def where(pid):
        found = []
        for coll in (c for c in ALL_COLLECTIONS if c.family is active.family):
            r = await asgi_client.get(f"/v2/{coll.key}", params={"licenseNumber": MAIN_LICENSE, "filter": f"id__eq:{pid}"}, headers=auth_headers)
            found += [(coll.key, row["index"]) for row in r.json()["data"]]
        return found

    assert await where(pkg["id"]) == [("packages/active", "ACTIVE_PACKAGE")]
    before = pkg["lastModified"]
    pkg["isFinished"], pkg["finishedDate"] = True, "2026-11-01T00:00:00.000Z"
    lic.touch(pkg)
    assert await where(pkg["id"]) == [("packages/inactive", "INACTIVE_PACKAGE")]
    assert pkg["lastModified"] >= before
    pkg["isInTransit"] = True
    lic.touch(pkg)
    assert await where(pkg["id"]) == [("packages/intransit", "INTRANSIT_PACKAGE")]


async def test_extra_fields_option_adds_unknown_fields():
    from growtui.sandbox.t3.runner import build_world_from

    world = build_world_from(SandboxConfig(packages=50, extra_fields=True))
    pkg = next(iter(world.licenses[MAIN_LICENSE].packages.values()))
    assert "unknownFutureField" in pkg and "metrcSyncRevision" in pkg


async def test_superpackages_with_includes(asgi_client, auth_headers):
    params = {"licenseNumber": MAIN_LICENSE, "pageSize": 50, "include": ["labResults", "sourceHarvests", "history"],
              "filter": "labTestingStateName__eq:TestPassed"}  # fmt: skip
    r = await asgi_client.get("/v2/packages/active/super", params=params, headers=auth_headers)
    rows = r.json()["data"]
    assert rows and all(row["index"] == "ACTIVE_PACKAGE" for row in rows)
    assert all(row["labResults"] and row["metadata"]["extractedLabResults"] for row in rows)
    assert all(row["history"] for row in rows)
    assert any(row["sourceHarvests"] for row in rows)
    plain = await asgi_client.get("/v2/packages/intransit/super", params={"licenseNumber": MAIN_LICENSE}, headers=auth_headers)
    assert all(row["labResults"] == [] and row["index"] == "INTRANSIT_PACKAGE" for row in plain.json()["data"])


async def test_states_permissions_and_search(asgi_client, auth_headers, sandbox_world):
    states = (await asgi_client.get("/v2/states", headers=auth_headers)).json()
    assert {"abbreviation": "MI", "name": "Michigan", "hostname": "mi.metrc.com"} in states
    params = {"licenseNumber": MAIN_LICENSE}
    views = (await asgi_client.get("/v2/permissions/views", params=params, headers=auth_headers)).json()
    assert isinstance(views, list) and "Packages" in views
    perms = await asgi_client.get("/v2/permissions", params={**params, "view": "Packages"}, headers=auth_headers)
    assert all(isinstance(p, str) for p in perms.json()) and perms.json()
    assert (await asgi_client.get("/v2/permissions", params=params, headers=auth_headers)).status_code == 400

    lic = sandbox_world.licenses[MAIN_LICENSE]
    pkg = lic.members(Collection.parse("packages/active"))[5]
    hit = (await asgi_client.get("/v2/search", params={**params, "query": pkg["label"].lower()}, headers=auth_headers)).json()
    assert set(hit) == {"data", "queriedMetrcEndpointIds", "failedMetrcEndpointIds"}
    assert hit["data"][0]["score"] == 1.0 and hit["data"][0]["matchedEntry"]["id"] == pkg["id"]
    only = await asgi_client.get("/v2/search", params={**params, "query": "Blue Dream", "endpointIds": "ACTIVE_STRAINS"}, headers=auth_headers)
    assert [d["endpointId"] for d in only.json()["data"]] == ["ACTIVE_STRAINS"]
    bad = await asgi_client.get("/v2/search", params={**params, "query": "x", "endpointIds": "NOPE"}, headers=auth_headers)
    assert bad.status_code == 400


async def test_unknown_route_is_404_envelope(asgi_client, auth_headers):
    r = await asgi_client.get("/v2/plants/sideways", headers=auth_headers)
    assert r.status_code == 404 and r.json()["error"]["status_code"] == 404
