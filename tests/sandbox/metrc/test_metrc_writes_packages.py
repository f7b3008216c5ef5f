"""Harvest and package writes (§9.3, §9.4), transfer templates (§9.5): weight off the harvest,
package lists membership, units converted by the sandbox's own table."""

from __future__ import annotations

import pytest
from metrc_helpers import check_schema, free_tags, ids_in, one, today, wide, write


async def _first(metrc, path):
    return (await metrc.get(path, params=wide())).json()["Data"][0]


async def test_packages_from_a_harvest_take_the_weight_off_it(metrc, metrc_world):
    harvest = await _first(metrc, "/harvests/v2/active")
    tags = await free_tags(metrc, "package")
    day = today(metrc_world)
    row = {"Tag": tags[0], "Location": "Vault", "Sublocation": None, "Item": "Blue Dream Buds", "UnitOfWeight": "Grams", "PatientLicenseNumber": None,
           "Note": None, "IsProductionBatch": False, "ProductionBatchNumber": None, "IsTradeSample": False, "IsDonation": False,
           "ProductRequiresRemediation": False, "RemediateProduct": False, "ActualDate": day, "ExpirationDate": None, "SellByDate": None, "UseByDate": None,
           "Ingredients": [{"HarvestId": harvest["Id"], "HarvestName": None, "Weight": 0.25, "UnitOfWeight": "Kilograms"}]}  # fmt: skip
    r = await write(metrc, "POST", "/harvests/v2/packages", [row])
    assert r.status_code == 200
    pkg = await one(metrc, "packages", r.json()["Ids"][0])
    assert (pkg["Label"], pkg["Quantity"], pkg["UnitOfMeasureName"], pkg["SourceHarvestNames"]) == (tags[0], 250.0, "Grams", harvest["Name"])
    assert pkg["Id"] in await ids_in(metrc, "/packages/v2/active")
    check_schema("Packages/InTransit", pkg)
    after = await one(metrc, "harvests", harvest["Id"])
    assert after["CurrentWeight"] == pytest.approx(harvest["CurrentWeight"] - 250)
    assert after["TotalPackagedWeight"] == pytest.approx(harvest["TotalPackagedWeight"] + 250)
    assert after["PackageCount"] == harvest["PackageCount"] + 1
    # two rows together may not take more than the harvest holds
    rest = after["CurrentWeight"]
    greedy = [{**row, "Tag": tags[1], "Ingredients": [{"HarvestId": harvest["Id"], "Weight": rest, "UnitOfWeight": "Grams"}]},
              {**row, "Tag": tags[2], "Ingredients": [{"HarvestId": harvest["Id"], "Weight": 1, "UnitOfWeight": "Grams"}]}]  # fmt: skip
    r = await write(metrc, "POST", "/harvests/v2/packages", greedy)
    assert r.status_code == 400 and [e["row"] for e in r.json()] == [1]
    assert (await one(metrc, "harvests", harvest["Id"]))["CurrentWeight"] == pytest.approx(rest)  # nothing applied


async def test_harvest_waste_finish_unfinish_move_rename(metrc, metrc_world):
    harvest = await _first(metrc, "/harvests/v2/active")
    day = today(metrc_world)
    r = await write(metrc, "POST", "/harvests/v2/waste", [{"Id": harvest["Id"], "WasteType": "Fibrous", "UnitOfWeight": "Ounces", "WasteWeight": 2.0, "ActualDate": day}])
    assert r.status_code == 200
    after = await one(metrc, "harvests", harvest["Id"])
    assert after["TotalWasteWeight"] == pytest.approx(harvest["TotalWasteWeight"] + 2 * 28.349523125)
    waste = (await metrc.get("/harvests/v2/waste", params={"licenseNumber": "SF-SBX-CO-21-8002", "harvestId": harvest["Id"]})).json()["Data"]
    assert r.json()["Ids"][0] in {w["Id"] for w in waste}
    for path, rows in (
        ("/harvests/v2/location", [{"Id": harvest["Id"], "HarvestName": None, "DryingLocation": "Quarantine", "DryingSublocation": "Shelf 1", "ActualDate": day}]),
        ("/harvests/v2/rename", [{"Id": harvest["Id"], "OldName": None, "NewName": "Renamed Harvest"}]),
        ("/harvests/v2/finish", [{"Id": harvest["Id"], "ActualDate": day}]),
    ):
        r = await write(metrc, "PUT", path, rows)
        assert r.status_code == 200 and r.json()["Ids"] == [harvest["Id"]], path
    done = await one(metrc, "harvests", harvest["Id"])
    assert (done["Name"], done["DryingLocationName"], done["DryingSublocationName"], done["FinishedDate"]) == ("Renamed Harvest", "Quarantine", "Shelf 1", day)
    assert harvest["Id"] in await ids_in(metrc, "/harvests/v2/inactive")
    assert harvest["Id"] not in await ids_in(metrc, "/harvests/v2/active")
    assert (await write(metrc, "POST", "/harvests/v2/waste", [{"Id": harvest["Id"], "WasteType": "Fibrous", "UnitOfWeight": "Grams", "WasteWeight": 1, "ActualDate": day}])).status_code == 400
    assert (await write(metrc, "PUT", "/harvests/v2/unfinish", [{"Id": harvest["Id"]}])).status_code == 200
    assert harvest["Id"] in await ids_in(metrc, "/harvests/v2/active")


async def test_package_create_from_packages_and_adjustments(metrc, metrc_world):
    source = await _first(metrc, "/packages/v2/active")
    unit = source["UnitOfMeasureName"]
    tag = (await free_tags(metrc, "package"))[0]
    day = today(metrc_world)
    create = {"Tag": tag, "Location": "Vault", "Sublocation": None, "Item": source["Item"]["Name"], "Quantity": 2.0, "UnitOfMeasure": unit,
              "PatientLicenseNumber": None, "Note": "repack", "IsProductionBatch": False, "ProductionBatchNumber": None, "IsDonation": False,
              "IsTradeSample": False, "ProductRequiresRemediation": False, "UseSameItem": False, "ActualDate": day, "ExpirationDate": None,
              "SellByDate": None, "UseByDate": None, "Ingredients": [{"Package": source["Label"], "Quantity": 2.0, "UnitOfMeasure": unit}]}  # fmt: skip
    r = await write(metrc, "POST", "/packages/v2", [create])
    assert r.status_code == 200
    new = await one(metrc, "packages", r.json()["Ids"][0])
    assert (new["Quantity"], new["SourcePackageLabels"], new["Note"]) == (2.0, source["Label"], "repack")
    assert (await one(metrc, "packages", source["Id"]))["Quantity"] == pytest.approx(source["Quantity"] - 2)
    adjust = {"Label": tag, "Quantity": -500.0, "UnitOfMeasure": "Milligrams", "AdjustmentReason": "Scale Variance", "AdjustmentDate": day, "ReasonNote": None}
    r = await write(metrc, "POST", "/packages/v2/adjust", [adjust])
    assert r.status_code == 200 and r.json()["Ids"] == [new["Id"]]
    assert (await one(metrc, "packages", tag))["Quantity"] == pytest.approx(1.5)
    r = await write(metrc, "PUT", "/packages/v2/adjust", [{**adjust, "Quantity": 0.25, "UnitOfMeasure": "Grams"}])
    assert r.status_code == 200 and r.content == b""  # set final quantity: documented empty body
    assert (await one(metrc, "packages", tag))["Quantity"] == pytest.approx(0.25)
    negative = await write(metrc, "POST", "/packages/v2/adjust", [{**adjust, "Quantity": -1.0, "UnitOfMeasure": "Grams"}])
    assert negative.status_code == 400 and "negative" in negative.json()[0]["message"]
    wrong_unit = await write(metrc, "POST", "/packages/v2/adjust", [{**adjust, "UnitOfMeasure": "Each"}])
    assert wrong_unit.status_code == 400 and "not WeightBased" in wrong_unit.json()[0]["message"]
    needs_note = await write(metrc, "POST", "/packages/v2/adjust", [{**adjust, "Quantity": 1.0, "AdjustmentReason": "Entry Error"}])
    assert needs_note.json() == [{"row": 0, "message": "ReasonNote was not specified."}]


async def test_package_location_note_item_dates_finish_unfinish(metrc, metrc_world):
    pkg = await _first(metrc, "/packages/v2/active")
    label, day = pkg["Label"], today(metrc_world)
    other_item = next(i["Name"] for i in (await metrc.get("/items/v2/active", params=wide())).json()["Data"] if i["QuantityType"] == "WeightBased" and i["Name"] != pkg["Item"]["Name"])
    for path, row in (
        ("/packages/v2/location", {"Label": label, "Location": "Dry Room", "Sublocation": "Shelf 1", "MoveDate": day}),
        ("/packages/v2/note", {"PackageLabel": label, "Note": "checked by QA"}),
        ("/packages/v2/item", {"Label": label, "Item": other_item}),
        ("/packages/v2/usebydate", {"Label": label, "ExpirationDate": "2030-01-31", "SellByDate": None, "UseByDate": "2029-12-31"}),
    ):
        r = await write(metrc, "PUT", path, [row])
        assert r.status_code == 200 and r.content == b"", (path, r.text)
    after = await one(metrc, "packages", label)
    assert (after["LocationName"], after["SublocationName"], after["Note"], after["Item"]["Name"]) == ("Dry Room", "Shelf 1", "checked by QA", other_item)
    assert (after["ExpirationDate"], after["UseByDate"]) == ("2030-01-31", "2029-12-31")
    # the note route wants PackageLabel, not Label (a naming trap of §9.4)
    trap = await write(metrc, "PUT", "/packages/v2/note", [{"Label": label, "Note": "x"}])
    assert trap.json() == [{"row": 0, "message": "PackageLabel was not specified."}]
    assert (await write(metrc, "PUT", "/packages/v2/location", [{"Label": label, "Location": "Veg Room 1", "MoveDate": day}])).status_code == 400
    assert (await write(metrc, "PUT", "/packages/v2/finish", [{"Label": label, "ActualDate": day}])).status_code == 200
    assert pkg["Id"] in await ids_in(metrc, "/packages/v2/inactive") and pkg["Id"] not in await ids_in(metrc, "/packages/v2/active")
    finished = await one(metrc, "packages", label)
    assert finished["IsFinished"] and finished["FinishedDate"] == day
    assert (await write(metrc, "PUT", "/packages/v2/unfinish", [{"Label": label}])).status_code == 200
    assert pkg["Id"] in await ids_in(metrc, "/packages/v2/active")
    assert (await write(metrc, "PUT", "/packages/v2/unfinish", [{"Label": label}])).status_code == 400


async def test_outgoing_transfer_template(metrc, metrc_world):
    pkg = await _first(metrc, "/packages/v2/active")
    day = today(metrc_world)
    body = {"Name": "Weekly run", "TransporterFacilityLicenseNumber": None, "DriverOccupationalLicenseNumber": "OCC-1", "DriverName": "Dee Driver",
            "DriverLicenseNumber": "DL-9", "PhoneNumberForQuestions": "555-0100", "VehicleMake": "Ford", "VehicleModel": "Transit", "VehicleLicensePlateNumber": "SBX-1",
            "Destinations": [{"RecipientLicenseNumber": "SF-SBX-CO-3-5501", "TransferTypeName": "Wholesale", "PlannedRoute": "I-25 S", "EstimatedDepartureDateTime": f"{day}T08:00:00",
                              "EstimatedArrivalDateTime": f"{day}T10:00:00", "Transporters": [], "Packages": [{"PackageLabel": pkg["Label"], "WholesalePrice": 100.0, "GrossWeight": 1.2, "GrossUnitOfWeightName": "Pounds"}]}]}  # fmt: skip
    r = await write(metrc, "POST", "/transfers/v2/templates/outgoing", [body])
    assert r.status_code == 200
    templates = (await metrc.get("/transfers/v2/templates/outgoing", params=wide())).json()
    assert [t["Id"] for t in templates["Data"]] == r.json()["Ids"]
    check_schema("Transfers/Template", templates["Data"])
    deliveries = (await metrc.get(f"/transfers/v2/templates/outgoing/{r.json()['Ids'][0]}/deliveries", params=wide())).json()["Data"]
    check_schema("Transfers/TemplateDelivery", deliveries)
    assert deliveries[0]["RecipientFacilityName"] == "Sandbox Dispensary" and deliveries[0]["ShipmentTypeName"] == "Wholesale"
    packages = (await metrc.get(f"/transfers/v2/templates/outgoing/deliveries/{deliveries[0]['Id']}/packages", params=wide())).json()["Data"]
    assert [p["PackageLabel"] for p in packages] == [pkg["Label"]] and packages[0]["GrossUnitOfWeightName"] == "Pounds"
    assert pkg["Id"] in await ids_in(metrc, "/packages/v2/active")  # a template moves nothing
    bad = await write(metrc, "POST", "/transfers/v2/templates/outgoing", [{**body, "Destinations": [{**body["Destinations"][0], "RecipientLicenseNumber": "SF-SBX-CO-21-8002"}]}])
    assert bad.status_code == 400 and "itself" in bad.json()[0]["message"]
    assert (await write(metrc, "POST", "/transfers/v2/external/outgoing", [body])).status_code == 404
    # PUT replaces a template's content, DELETE …/{id} removes it
    template_id = r.json()["Ids"][0]
    r = await write(metrc, "PUT", "/transfers/v2/templates/outgoing", [{**body, "TransferTemplateId": template_id, "Name": "Renamed run"}])
    assert r.status_code == 200 and r.content == b""
    templates = (await metrc.get("/transfers/v2/templates/outgoing", params=wide())).json()["Data"]
    assert [(t["Id"], t["Name"]) for t in templates] == [(template_id, "Renamed run")]
    assert (await write(metrc, "PUT", "/transfers/v2/templates/outgoing", [{**body, "TransferTemplateId": 1}])).status_code == 400
    gone = await metrc.delete(f"/transfers/v2/templates/outgoing/{template_id}", params=wide())
    assert gone.status_code == 200 and gone.content == b""
    assert (await metrc.get("/transfers/v2/templates/outgoing", params=wide())).json()["Total"] == 0
    assert (await metrc.delete(f"/transfers/v2/templates/outgoing/{template_id}", params=wide())).status_code == 404
