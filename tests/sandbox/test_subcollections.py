"""Per-object sub-collections: history, lab results, harvest plants/packages, transfer details."""

from __future__ import annotations

from growtui.sandbox.t3 import schema
from tests.sandbox_fixtures import MAIN_LICENSE


async def fetch(client, headers, path, **params):
    r = await client.get(path, params={"licenseNumber": MAIN_LICENSE, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _lic(world):
    return world.licenses[MAIN_LICENSE]


async def test_package_history_merges_writes_with_seeded_story(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    pkg = next(p for p in lic.packages.values() if p["finishedDate"])
    body = await fetch(asgi_client, auth_headers, "/v2/packages/history", packageId=pkg["id"])
    rows = body["data"]
    assert rows and all(set(r) - {"hostname", "dataModel", "retrievedAt", "licenseNumber", "index"} == set(schema.HISTORY) for r in rows)
    assert rows[0]["index"] == "PACKAGE_HISTORY"
    assert any("finished" in " ".join(r["descriptions"]).lower() for r in rows)
    stamps = [r["recordedDateTime"] for r in rows]
    assert stamps == sorted(stamps, reverse=True)
    lic.add_history("packages", pkg["id"], ["Note changed"], "grower.ca")
    again = await fetch(asgi_client, auth_headers, "/v2/packages/history", packageId=pkg["id"])
    assert again["total"] == body["total"] + 1 and again["data"][0]["descriptions"] == ["Note changed"]


async def test_history_routes_for_each_family(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    cases = [
        ("/v2/plants/history", "plantId", next(iter(lic.plants))),
        ("/v2/plantbatches/history", "plantBatchId", next(iter(lic.plant_batches))),
        ("/v2/harvests/history", "plantId", next(iter(lic.harvests))),
        ("/v2/items/history", "itemId", next(iter(lic.items))),
        ("/v2/transfers/history", "manifestNumber", next(iter(lic.outgoing.values()))["manifestNumber"]),
    ]
    for path, param, key in cases:
        body = await fetch(asgi_client, auth_headers, path, **{param: key})
        assert body["total"] >= 1, path
        assert body["data"][0]["index"].endswith("HISTORY")


async def test_missing_or_unknown_parent(asgi_client, auth_headers):
    r = await asgi_client.get("/v2/packages/history", params={"licenseNumber": MAIN_LICENSE}, headers=auth_headers)
    assert r.status_code == 400
    r = await asgi_client.get("/v2/packages/history", params={"licenseNumber": MAIN_LICENSE, "packageId": 1}, headers=auth_headers)
    assert r.status_code == 404 and r.json()["error"]["status_code"] == 404
    r = await asgi_client.get("/v2/transfers/deliveries", params={"licenseNumber": MAIN_LICENSE, "manifestNumber": "9"}, headers=auth_headers)
    assert r.status_code == 404


async def test_lab_results_are_stable_and_filterable(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    pkg = next(p for p in lic.packages.values() if p["labTestingStateName"] == "TestPassed")
    first = await fetch(asgi_client, auth_headers, "/v2/packages/labresults", packageId=pkg["id"])
    assert first["total"] == 5 and all(r["packageId"] == pkg["id"] and r["overallPassed"] for r in first["data"])
    assert set(first["data"][0]) - {"hostname", "dataModel", "retrievedAt", "licenseNumber", "index"} == set(schema.LAB_RESULT)
    second = await fetch(asgi_client, auth_headers, "/v2/packages/labresults", packageId=pkg["id"], filter="testTypeName__contains:thc")
    assert second["total"] == 1 and second["data"][0]["labTestResultId"] == first["data"][0]["labTestResultId"]
    untested = next(p for p in lic.packages.values() if p["labTestingStateName"] == "NotSubmitted")
    assert (await fetch(asgi_client, auth_headers, "/v2/packages/labresults", packageId=untested["id"]))["total"] == 0


async def test_harvest_plants_and_packages_use_harvest_id(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    hid = next(h for h, plants in lic.harvest_plants.items() if plants)
    plants = await fetch(asgi_client, auth_headers, "/v2/harvests/plants", plantId=hid, pageSize=500)
    assert {r["plantId"] for r in plants["data"]} == set(lic.harvest_plants[hid])
    assert all(r["harvestId"] == hid and set(schema.HARVEST_PLANT) <= set(r) for r in plants["data"])
    pkgs = await fetch(asgi_client, auth_headers, "/v2/harvests/packages", packageId=hid, pageSize=500)
    assert {r["packageId"] for r in pkgs["data"]} == set(lic.harvest_packages[hid])
    assert all(set(schema.HARVEST_PACKAGE) <= set(r) for r in pkgs["data"])
    pid = lic.harvest_packages[hid][0]
    sources = await fetch(asgi_client, auth_headers, "/v2/packages/source-harvests", packageId=pid)
    assert [r["name"] for r in sources["data"]] == [lic.harvests[hid]["name"]]


async def test_transfer_sub_collections_are_linked(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    active = next(t for t in lic.outgoing.values() if not t["receivedDateTime"] and not t["approvalRejectDateTime"])
    deliveries = await fetch(asgi_client, auth_headers, "/v2/transfers/deliveries", manifestNumber=active["manifestNumber"])
    assert [d["id"] for d in deliveries["data"]] == [active["deliveryId"]]
    assert set(deliveries["data"][0]) >= set(schema.TRANSFER_DELIVERY)
    pkgs = await fetch(asgi_client, auth_headers, "/v2/transfers/packages", deliveryId=active["deliveryId"])
    assert pkgs["total"] == active["packageCount"] and pkgs["data"][0]["index"] == "TRANSFERRED_PACKAGE"
    for row in pkgs["data"]:  # packages on an active outgoing manifest are in transit here
        assert lic.packages[row["packageId"]]["isInTransit"] is True
        assert set(row) >= set(schema.DELIVERY_PACKAGE)
    carriers = await fetch(asgi_client, auth_headers, "/v2/transfers/transporters", deliveryId=active["deliveryId"])
    assert carriers["data"][0]["transporterFacilityName"] == active["transporterFacilityName"]
    details = await fetch(asgi_client, auth_headers, "/v2/transfers/transporter-details", manifestNumber=active["manifestNumber"])
    assert details["data"][0]["shipmentDeliveryId"] == active["deliveryId"]
    incoming = next(iter(lic.incoming.values()))
    assert (await fetch(asgi_client, auth_headers, "/v2/transfers/packages", deliveryId=incoming["deliveryId"]))["total"] >= 1


async def test_lab_result_batches_and_transferred_packages(asgi_client, auth_headers, sandbox_world):
    lic = _lic(sandbox_world)
    pkg = next(p for p in lic.packages.values() if p["labTestingStateName"] == "TestFailed")
    batches = (await fetch(asgi_client, auth_headers, "/v2/packages/labresult-batches", packageId=pkg["id"]))["data"]
    assert len(batches) == 1 and batches[0]["testsFailed"] >= 1 and len(batches[0]["tests"]) == batches[0]["testTypesPerformed"]
    transferred = await fetch(asgi_client, auth_headers, "/v2/packages/transferred", pageSize=500)
    shipped = sum(t["packageCount"] for t in lic.outgoing.values())
    assert transferred["total"] == shipped and transferred["data"][0]["index"] == "TRANSFERRED_PACKAGE"
