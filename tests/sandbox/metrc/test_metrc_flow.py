"""Metrc's API proficiency evaluation flow against the sandbox over real HTTP (loopback), then the
seed's sizing and determinism. The backend's own end-to-end test drives the same flow through
growtui.backends.metrc; this one pins down what the emulator answers at each step."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from metrc_helpers import LICENSE, lic

from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.runner import MetrcSandboxConfig, build_world_from
from growtui.sandbox.metrc.seed import GROWER_KEY, VENDOR_KEY
from growtui.sandbox.metrc.wire import stamp


def test_proficiency_flow_over_loopback(metrc_server):
    world = metrc_server.world
    day = world.now().date().isoformat()
    start = stamp(world.now() - timedelta(milliseconds=1))
    with httpx.Client(base_url=metrc_server.base_url, auth=(VENDOR_KEY, GROWER_KEY), params=lic(), timeout=10) as c:

        def ok(method: str, path: str, rows: list[dict]) -> httpx.Response:
            r = c.request(method, path, json=rows)
            assert r.status_code == 200, (path, r.text)
            return r

        plant_tags = [t["Label"] for t in c.get("/tags/v2/plant/available").json()]
        package_tags = [t["Label"] for t in c.get("/tags/v2/package/available").json()]
        batch_id = ok("POST", "/plantbatches/v2/plantings", [{"Name": "Eval Batch", "Type": "Seed", "Count": 6, "Strain": "Gelato", "Location": "Veg Room 1", "ActualDate": day}]).json()["Ids"][0]
        plant_ids = ok("POST", "/plantbatches/v2/growthphase", [{"Name": "Eval Batch", "Count": 5, "StartingTag": plant_tags[0], "GrowthPhase": "Flowering", "NewLocation": "Flower Room 1", "GrowthDate": day}]).json()["Ids"]
        labels = plant_tags[:5]
        ok("PUT", "/plants/v2/location", [{"Label": label, "Location": "Flower Room 2", "ActualDate": day} for label in labels])
        destroyed = ok("DELETE", "/plants/v2", [{"Label": labels[0], "WasteMethodName": "Compost", "WasteMaterialMixed": "Soil", "WasteWeight": 10, "WasteUnitOfMeasureName": "Grams", "WasteReasonName": "Male Plants", "ActualDate": day}])
        assert destroyed.json()["Ids"] == [plant_ids[0]]
        ok("PUT", "/plants/v2/harvest", [{"Plant": label, "Weight": 400, "UnitOfWeight": "Grams", "DryingLocation": "Dry Room", "HarvestName": "Eval Harvest", "ActualDate": day} for label in labels[1:]])
        harvest = c.get(f"/plants/v2/{labels[1]}").json()["HarvestId"]
        ok("POST", "/harvests/v2/waste", [{"Id": harvest, "WasteType": "Plant Material", "UnitOfWeight": "Grams", "WasteWeight": 100, "ActualDate": day}])
        ingredient = [{"HarvestId": harvest, "Weight": 500, "UnitOfWeight": "Grams"}]
        pkg_id = ok("POST", "/harvests/v2/packages", [{"Tag": package_tags[0], "Location": "Vault", "Item": "Gelato Buds", "UnitOfWeight": "Grams", "ActualDate": day, "Ingredients": ingredient}]).json()["Ids"][0]
        ok("POST", "/packages/v2/adjust", [{"Label": package_tags[0], "Quantity": -2.5, "UnitOfMeasure": "Grams", "AdjustmentReason": "Drying", "AdjustmentDate": day}])
        ok("PUT", "/packages/v2/finish", [{"Label": package_tags[0], "ActualDate": day}])
        ok("PUT", "/packages/v2/unfinish", [{"Label": package_tags[0]}])

        window = {"lastModifiedStart": start, "lastModifiedEnd": stamp(world.now())}

        def ids(path: str) -> set[int]:
            return {row["Id"] for row in c.get(path, params={**lic(), **window}).json()["Data"]}

        assert ids("/plantbatches/v2/active") == {batch_id}
        assert ids("/plants/v2/inactive") == set(plant_ids)  # one destroyed, four harvested
        assert ids("/plants/v2/flowering") == set()
        assert ids("/harvests/v2/active") == {harvest}
        assert ids("/packages/v2/active") == {pkg_id}
        h = c.get(f"/harvests/v2/{harvest}").json()
        assert (h["PlantCount"], h["TotalWetWeight"], h["TotalWasteWeight"], h["TotalPackagedWeight"], h["CurrentWeight"]) == (4, 1600, 100, 500, 1000)
        assert c.get(f"/packages/v2/{pkg_id}").json()["Quantity"] == 497.5


def test_packages_sizes_the_main_facility_and_the_seed_is_deterministic():
    a = build_world_from(MetrcSandboxConfig(seed=3, packages=120))
    b = build_world_from(MetrcSandboxConfig(seed=3, packages=120))
    fac = a.facilities[LICENSE]
    assert len(members(fac, "packages", "active")) + len(members(fac, "packages", "intransit")) == 120
    for kind in ("plants", "packages", "harvests", "plant_batches", "transfers"):
        assert [(o["Id"], o.get("Label") or o.get("Name")) for o in getattr(fac, kind).values()] == [
            (o["Id"], o.get("Label") or o.get("Name")) for o in getattr(b.facilities[LICENSE], kind).values()
        ], kind
    for state in ("vegetative", "flowering", "onhold", "inactive"):
        assert members(fac, "plants", state), state
    assert {p["State"] for p in members(fac, "plants", "inactive")} == {"Harvested", "Destroyed"}


@pytest.mark.parametrize("packages", [0, 1])
def test_tiny_worlds_still_have_every_list(packages):
    fac = build_world_from(MetrcSandboxConfig(packages=packages)).facilities[LICENSE]
    assert members(fac, "harvests", "active") and members(fac, "plantbatches", "active")
