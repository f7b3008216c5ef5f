"""Plant and plant-batch writes (§9.1, §9.2) and the state changes that follow, read back over HTTP."""

from __future__ import annotations

import pytest
from metrc_helpers import check_schema, free_tags, ids_in, one, today, write

from growtui.sandbox.metrc.wire import parse_when


@pytest.fixture
async def veg(metrc):
    """A vegetative plant to act on."""
    return (await metrc.get("/plants/v2/vegetative", params={"licenseNumber": "SF-SBX-CO-21-8002", "lastModifiedStart": "2000-01-01T00:00:00Z", "pageSize": 1})).json()["Data"][0]


@pytest.fixture
async def flowering(metrc):
    rows = (await metrc.get("/plants/v2/flowering", params={"licenseNumber": "SF-SBX-CO-21-8002", "lastModifiedStart": "2000-01-01T00:00:00Z"})).json()["Data"]
    return rows[:3]


async def test_move_plants_by_label_or_id_bumps_last_modified(metrc, metrc_world, veg):
    r = await write(metrc, "PUT", "/plants/v2/location", [{"Id": veg["Id"], "Label": None, "Location": "Flower Room 2", "Sublocation": "Bench B", "ActualDate": today(metrc_world)}])
    assert r.status_code == 200 and r.content == b""  # documented empty body
    moved = await one(metrc, "plants", veg["Label"])
    assert (moved["LocationName"], moved["SublocationName"]) == ("Flower Room 2", "Bench B")
    assert parse_when(moved["LastModified"]) > parse_when(veg["LastModified"])
    # a drying room cannot hold plants
    r = await write(metrc, "PUT", "/plants/v2/location", [{"Label": veg["Label"], "Location": "Dry Room", "ActualDate": today(metrc_world)}])
    assert r.status_code == 400 and "cannot hold plants" in r.json()[0]["message"]


async def test_growth_phase_moves_plant_from_vegetative_to_flowering_and_can_retag(metrc, metrc_world, veg):
    tag = (await free_tags(metrc, "plant"))[0]
    rows = [{"Id": None, "Label": veg["Label"], "NewTag": tag, "GrowthPhase": "Flowering", "NewLocation": "Flower Room 1", "NewSublocation": None, "GrowthDate": today(metrc_world)}]
    assert (await write(metrc, "PUT", "/plants/v2/growthphase", rows)).status_code == 200
    assert veg["Id"] not in await ids_in(metrc, "/plants/v2/vegetative")
    assert veg["Id"] in await ids_in(metrc, "/plants/v2/flowering")
    plant = await one(metrc, "plants", veg["Id"])
    assert plant["Label"] == tag and plant["FloweringDate"] == today(metrc_world)
    assert tag not in await free_tags(metrc, "plant")  # the tag is used now
    back = await write(metrc, "PUT", "/plants/v2/growthphase", [{**rows[0], "Label": tag, "NewTag": None, "GrowthPhase": "Vegetative"}])
    assert back.status_code == 400 and back.json()[0]["row"] == 0


async def test_destroy_is_delete_with_a_body_and_plants_go_inactive(metrc, metrc_world, veg):
    row = {"Id": None, "Label": veg["Label"], "WasteMethodName": "Compost", "WasteMaterialMixed": "Soil", "WasteWeight": 40.0,
           "WasteUnitOfMeasureName": "Grams", "WasteReasonName": "Male Plants", "ReasonNote": None, "ActualDate": today(metrc_world)}  # fmt: skip
    r = await write(metrc, "DELETE", "/plants/v2", [row])
    assert r.status_code == 200 and r.json() == {"Ids": [veg["Id"]], "Warnings": None}
    check_schema("_common/WriteResponse", r.json())
    gone = await one(metrc, "plants", veg["Id"])
    assert gone["State"] == "Destroyed" and gone["DestroyedDate"] == today(metrc_world)
    assert veg["Id"] in await ids_in(metrc, "/plants/v2/inactive")
    again = await write(metrc, "DELETE", "/plants/v2", [row])
    assert again.status_code == 400 and "not an active plant" in again.json()[0]["message"]
    # a reason that requires a note refuses a row without one
    other = {**row, "Label": (await metrc.get("/plants/v2/vegetative", params={"licenseNumber": "SF-SBX-CO-21-8002", "lastModifiedStart": "2000-01-01T00:00:00Z"})).json()["Data"][0]["Label"], "WasteReasonName": "Other"}
    r = await write(metrc, "DELETE", "/plants/v2", [other])
    assert r.status_code == 400 and r.json() == [{"row": 0, "message": "ReasonNote was not specified."}]


async def test_harvest_with_per_plant_weights_in_mixed_units(metrc, metrc_world, flowering):
    day = today(metrc_world)
    rows = [
        {"Plant": flowering[0]["Label"], "Weight": 500.0, "UnitOfWeight": "Grams", "DryingLocation": "Dry Room", "DryingSublocation": None, "HarvestName": "Test Harvest", "PatientLicenseNumber": None, "ActualDate": day},
        {"Plant": flowering[1]["Label"], "Weight": 1.0, "UnitOfWeight": "Pounds", "DryingLocation": "Dry Room", "DryingSublocation": None, "HarvestName": "Test Harvest", "PatientLicenseNumber": None, "ActualDate": day},
    ]
    r = await write(metrc, "PUT", "/plants/v2/harvest", rows)
    assert r.status_code == 200 and r.content == b""
    flowering_now = await ids_in(metrc, "/plants/v2/flowering")
    inactive = await ids_in(metrc, "/plants/v2/inactive")
    for p in flowering[:2]:
        assert p["Id"] not in flowering_now and p["Id"] in inactive
    harvest = next(h for h in (await metrc.get("/harvests/v2/active", params={"licenseNumber": "SF-SBX-CO-21-8002", "lastModifiedStart": "2000-01-01T00:00:00Z"})).json()["Data"] if h["Name"] == "Test Harvest")
    assert harvest["PlantCount"] == 2 and harvest["HarvestType"] == "WholePlant" and harvest["UnitOfWeightName"] == "Grams"
    assert harvest["TotalWetWeight"] == pytest.approx(500 + 453.59237)
    assert harvest["CurrentWeight"] == pytest.approx(harvest["TotalWetWeight"])
    plant = await one(metrc, "plants", flowering[1]["Id"])
    assert (plant["State"], plant["HarvestId"], plant["HarvestedWetWeight"], plant["HarvestedUnitOfWeightName"]) == ("Harvested", harvest["Id"], 1.0, "Pounds")


async def test_harvest_without_name_is_auto_named_and_vegetative_plants_cannot_be_harvested(metrc, metrc_world, flowering, veg):
    day = today(metrc_world)
    row = {"Plant": flowering[2]["Label"], "Weight": 300, "UnitOfWeight": "Grams", "DryingLocation": "Dry Room", "DryingSublocation": None, "HarvestName": None, "PatientLicenseNumber": None, "ActualDate": day}
    assert (await write(metrc, "PUT", "/plants/v2/harvest", [row])).status_code == 200
    plant = await one(metrc, "plants", flowering[2]["Id"])
    assert (await one(metrc, "harvests", plant["HarvestId"]))["Name"] == f"{day}-Dry Room-H"
    r = await write(metrc, "PUT", "/plants/v2/harvest", [{**row, "Plant": veg["Label"]}])
    assert r.status_code == 400 and "not flowering" in r.json()[0]["message"]


async def test_manicure_keeps_the_plant_and_answers_ids(metrc, metrc_world, flowering):
    row = {"Plant": flowering[0]["Label"], "Weight": 25, "UnitOfWeight": "Grams", "DryingLocation": "Dry Room", "DryingSublocation": None, "HarvestName": None, "PatientLicenseNumber": None, "ActualDate": today(metrc_world), "PlantCount": 1}
    r = await write(metrc, "POST", "/plants/v2/manicure", [row])
    assert r.status_code == 200
    harvest = await one(metrc, "harvests", r.json()["Ids"][0])
    assert harvest["HarvestType"] == "Product" and harvest["Name"].endswith("-M") and harvest["TotalWetWeight"] == 25
    assert flowering[0]["Id"] in await ids_in(metrc, "/plants/v2/flowering")


async def test_plant_waste_and_replace_tag(metrc, metrc_world, veg):
    day = today(metrc_world)
    waste = {"WasteMethodName": "Grinder", "MixedMaterial": "Soil", "WasteWeight": 3.5, "UnitOfMeasureName": "Grams", "ReasonName": "Contamination",
             "Note": None, "LocationName": veg["LocationName"], "SublocationName": None, "WasteDate": day, "PlantLabels": [veg["Label"]]}  # fmt: skip
    r = await write(metrc, "POST", "/plants/v2/waste", [waste])
    assert r.status_code == 200 and len(r.json()["Ids"]) == 1
    assert (await one(metrc, "plants", veg["Id"]))["State"] == "Tracked"
    tag = (await free_tags(metrc, "plant"))[0]
    r = await write(metrc, "PUT", "/plants/v2/tag", [{"Id": veg["Id"], "Label": None, "TagId": None, "NewTag": tag, "ReplaceDate": day}])
    assert r.status_code == 200
    assert (await one(metrc, "plants", tag))["Id"] == veg["Id"]
    assert (await metrc.get(f"/plants/v2/{veg['Label']}", params={"licenseNumber": "SF-SBX-CO-21-8002"})).status_code == 404


# --- plant batches -------------------------------------------------------------------------------


async def _planting(metrc, world, name="Test Batch", count=10):
    row = {"Name": name, "Type": "Clone", "Count": count, "Strain": "blue dream", "Location": "Veg Room 1", "Sublocation": None, "PatientLicenseNumber": None, "ActualDate": today(world), "SourcePlantBatches": None}
    r = await write(metrc, "POST", "/plantbatches/v2/plantings", [row])
    assert r.status_code == 200, r.text
    return await one(metrc, "plantbatches", r.json()["Ids"][0])


async def test_plantings_create_an_active_batch_with_names_matched_case_insensitively(metrc, metrc_world):
    batch = await _planting(metrc, metrc_world)
    assert (batch["Name"], batch["StrainName"], batch["UntrackedCount"], batch["PlantBatchTypeName"]) == ("Test Batch", "Blue Dream", 10, "Clone")
    assert batch["Id"] in await ids_in(metrc, "/plantbatches/v2/active")
    dup = await write(metrc, "POST", "/plantbatches/v2/plantings", [{"Name": "test batch", "Type": "Seed", "Count": 1, "Strain": "Gelato", "Location": "Veg Room 1", "ActualDate": today(metrc_world)}])
    assert dup.status_code == 400 and "already exists" in dup.json()[0]["message"]


async def test_batch_growth_phase_consumes_tags_in_sequence(metrc, metrc_world):
    batch = await _planting(metrc, metrc_world)
    tags = await free_tags(metrc, "plant")
    row = {"Name": batch["Name"], "Count": 4, "StartingTag": tags[0], "GrowthPhase": "Vegetative", "NewLocation": "Veg Room 1", "NewSublocation": None, "GrowthDate": today(metrc_world), "PatientLicenseNumber": None}
    r = await write(metrc, "POST", "/plantbatches/v2/growthphase", [row])
    assert r.status_code == 200 and len(r.json()["Ids"]) == 4
    labels = [(await one(metrc, "plants", i))["Label"] for i in r.json()["Ids"]]
    assert labels == tags[:4]
    assert set(labels).isdisjoint(await free_tags(metrc, "plant"))
    after = await one(metrc, "plantbatches", batch["Id"])
    assert (after["UntrackedCount"], after["TrackedCount"]) == (6, 4)
    too_many = await write(metrc, "POST", "/plantbatches/v2/growthphase", [{**row, "StartingTag": tags[4], "Count": 7}])
    assert too_many.status_code == 400 and "only 6 untracked" in too_many.json()[0]["message"]
    used = await write(metrc, "POST", "/plantbatches/v2/growthphase", [{**row, "StartingTag": tags[3], "Count": 1}])
    assert used.status_code == 400 and "already been used" in used.json()[0]["message"]


async def test_batch_move_destroy_adjust_split_and_package(metrc, metrc_world):
    day = today(metrc_world)
    batch = await _planting(metrc, metrc_world, count=20)
    assert (await write(metrc, "PUT", "/plantbatches/v2/location", [{"Name": batch["Name"], "Location": "Mother Room", "Sublocation": "Rack 1", "MoveDate": day}])).status_code == 200
    destroy = {"PlantBatch": batch["Name"], "Count": 2, "WasteMethodName": "Compost", "WasteMaterialMixed": "Soil", "WasteReasonName": "Pest Infestation",
               "ReasonNote": None, "WasteWeight": 1.0, "WasteUnitOfMeasure": "Grams", "ActualDate": day}  # fmt: skip
    assert (await write(metrc, "DELETE", "/plantbatches/v2", [destroy])).status_code == 200
    adjust = {"PlantBatchName": batch["Name"], "Quantity": -3, "AdjustmentReason": "Entry Error", "AdjustmentDate": day, "ReasonNote": "miscounted"}
    assert (await write(metrc, "POST", "/plantbatches/v2/adjust", [adjust])).status_code == 200
    split = {"PlantBatch": batch["Name"], "GroupName": "Split Batch", "Count": 5, "Location": "Veg Room 1", "Sublocation": None, "Strain": "Blue Dream", "PatientLicenseNumber": None, "ActualDate": day}
    new_id = (await write(metrc, "POST", "/plantbatches/v2/split", [split])).json()["Ids"][0]
    tag = (await free_tags(metrc, "package"))[0]
    pkg = {"Id": None, "PlantBatch": batch["Name"], "Count": 4, "Location": "Vault", "Sublocation": None, "Item": "Blue Dream Clones", "Tag": tag,
           "PatientLicenseNumber": None, "Note": "clones", "IsTradeSample": False, "IsDonation": False, "ActualDate": day}  # fmt: skip
    pkg_id = (await write(metrc, "POST", "/plantbatches/v2/packages", [pkg])).json()["Ids"][0]
    after = await one(metrc, "plantbatches", batch["Id"])
    assert (after["LocationName"], after["SublocationName"]) == ("Mother Room", "Rack 1")
    assert (after["UntrackedCount"], after["DestroyedCount"], after["PackagedCount"]) == (20 - 2 - 3 - 5 - 4, 2, 4)
    assert (await one(metrc, "plantbatches", new_id))["UntrackedCount"] == 5
    package = await one(metrc, "packages", pkg_id)
    assert (package["Label"], package["PackageType"], package["Quantity"], package["UnitOfMeasureName"]) == (tag, "ImmaturePlant", 4.0, "Each")
    # emptying a batch moves it to the inactive list
    rest = {**destroy, "Count": after["UntrackedCount"]}
    assert (await write(metrc, "DELETE", "/plantbatches/v2", [rest])).status_code == 200
    assert batch["Id"] in await ids_in(metrc, "/plantbatches/v2/inactive")
