"""Create-form inputs and pickers: /v2/packages/create/* and /v2/transfers/create/*."""

from __future__ import annotations

import pytest

from growtui.sandbox.t3 import schema
from tests.sandbox.test_mutations_helpers import sandbox_config  # noqa: F401 (fixture: a smaller world)
from tests.sandbox.test_mutations_helpers import LIC, assert_400, assert_model, get_rows, license_of

PACKAGE_INPUT_KEYS = {
    "allowedProductionLabTestingStates", "allowedProductionProductCategoryIds", "details", "harvestBatches",
    "growthPhase", "isProductDestruction", "itemCategoryIds", "items", "labTestBatches", "locations", "sublocations",
    "packages", "patientAffiliations", "plantBatches", "plants", "remediationMethods", "submitForTesting", "tags",
    "unitsOfMeasure",
}  # fmt: skip
TRANSFER_INPUT_KEYS = {
    "adding", "daysWholesalePriceCanEdit", "defaultPhoneNumberForQuestions", "destinationFacilities", "details",
    "drivers", "editDeliveryDetailsOnly", "editWholesalePriceOnly", "facilities", "isOutgoingInactive", "items",
    "packages", "selectedDeliveryIds", "selectedTransferIds", "selectedTransferTemplateIds", "transferTypes",
    "transporterFacilities", "unitsOfMeasure", "vehicles",
}  # fmt: skip
UNIT_KEYS = {"abbreviation", "fromBaseFactor", "id", "isArchived", "isBaseUnit", "name", "quantityType", "toBaseFactor"}


@pytest.fixture
def lic(sandbox_world):
    return license_of(sandbox_world)


async def get_json(client, headers, path, **params):
    r = await client.get(path, params={"licenseNumber": LIC, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_package_inputs(asgi_client, auth_headers, lic):
    body = await get_json(asgi_client, auth_headers, "/v2/packages/create/inputs")
    assert set(body) == PACKAGE_INPUT_KEYS
    assert body["locations"] and all(loc["forPackages"] and set(loc) == set(schema.LOCATION) for loc in body["locations"])
    assert len(body["locations"]) < len(lic.locations)  # veg/mother rooms are not offered
    assert {t["index"] for t in body["tags"]} == {"AVAILABLE_TAG"}
    assert {t["tagTypeName"] for t in body["tags"]} == {"CannabisPackage"}
    assert len(body["tags"]) == len(lic.available_tags("CannabisPackage"))
    assert {u["abbreviation"] for u in body["unitsOfMeasure"]} >= {"g", "kg", "lb", "oz", "ml", "ea"}
    assert all(set(u) == UNIT_KEYS for u in body["unitsOfMeasure"])
    assert body["remediationMethods"] and set(body["remediationMethods"][0]) == {"id", "name"}


async def test_source_packages_are_the_active_packages_with_query_grammar(asgi_client, auth_headers):
    active = await get_json(asgi_client, auth_headers, "/v2/packages/active", pageSize=5)
    source = await get_json(asgi_client, auth_headers, "/v2/packages/create/source-packages", pageSize=5)
    assert source["total"] == active["total"] and set(source) == {"page", "totalPages", "pageSize", "total", "data"}
    assert {r["index"] for r in source["data"]} == {"ACTIVE_PACKAGE"}
    assert_model(source["data"][0], schema.PACKAGE)
    ordered = await get_json(asgi_client, auth_headers, "/v2/packages/create/source-packages", sort="label:desc", pageSize=20)
    labels = [r["label"] for r in ordered["data"]]
    assert labels == sorted(labels, reverse=True)
    bad = await asgi_client.get(
        "/v2/packages/create/source-packages", params={"licenseNumber": LIC, "filter": "label__near:1A4"}, headers=auth_headers
    )
    assert_400(bad)


async def test_source_items_and_tags(asgi_client, auth_headers, lic):
    items = await get_json(asgi_client, auth_headers, "/v2/items", pageSize=1)
    source = await get_json(asgi_client, auth_headers, "/v2/packages/create/source-items", pageSize=1)
    assert source["total"] == items["total"] and source["data"][0]["index"] == "ACTIVE_ITEM"
    tags = await get_rows(asgi_client, auth_headers, "/v2/packages/create/source-tags")
    assert len(tags) == len(lic.available_tags("CannabisPackage"))
    assert all(t["index"] == "AVAILABLE_TAG" and not t["isUsed"] for t in tags)
    one = tags[3]["label"]
    assert [t["label"] for t in await get_rows(asgi_client, auth_headers, "/v2/packages/create/source-tags", filter=f"label__eq:{one}")] == [one]


async def test_transfer_inputs(asgi_client, auth_headers, lic):
    body = await get_json(asgi_client, auth_headers, "/v2/transfers/create/inputs")
    assert set(body) == TRANSFER_INPUT_KEYS
    types = body["transferTypes"]
    assert {t["transactionType"] for t in types} >= {"Wholesale", "Standard"}
    assert any(t["requiresDestinationGrossWeight"] for t in types) and any(t["requiresPackagesGrossWeight"] for t in types)
    assert body["drivers"] and {"driversLicenseNumber", "name", "employeeId"} <= set(body["drivers"][0])
    assert body["vehicles"] and {"licensePlateNumber", "make", "model"} <= set(body["vehicles"][0])
    assert {f["id"] for f in body["destinationFacilities"]} == set(lic.destinations)
    assert {f["index"] for f in body["transporterFacilities"]} == {"TRANSPORTER"}


@pytest.mark.parametrize("kind, index", [("destinations", "DESTINATION"), ("transporters", "TRANSPORTER")])
async def test_facility_pickers_are_paged_facilities(asgi_client, auth_headers, lic, kind, index):
    page = await get_json(asgi_client, auth_headers, f"/v2/transfers/create/{kind}", pageSize=2, page=2)
    store = lic.destinations if kind == "destinations" else lic.transporter_facilities
    assert page["total"] == len(store) and page["page"] == 2 and len(page["data"]) == min(2, len(store) - 2)
    for row in page["data"]:
        assert row["index"] == row["dataModel"] == index
        assert_model(row, schema.FACILITY)
        assert row["licenseNumber"] != LIC  # the facility's own license, not the querying one
    name = page["data"][0]["facilityName"]
    found = await get_rows(asgi_client, auth_headers, f"/v2/transfers/create/{kind}", filter=f"facilityName__contains:{name[2:8]}")
    assert name in {r["facilityName"] for r in found}


async def test_transfer_package_picker_only_offers_eligible_packages(asgi_client, auth_headers, lic):
    picks = await get_rows(asgi_client, auth_headers, "/v2/transfers/create/packages")
    active = await get_rows(asgi_client, auth_headers, "/v2/packages/active")
    assert picks and len(picks) < len(active) + 1
    assert all(p["index"] == "ACTIVE_PACKAGE" for p in picks)
    assert all(not p["isOnHold"] and not p["isInTransit"] and not p["isFinished"] for p in picks)
    assert not {p["labTestingStateName"] for p in picks} & {"TestFailed", "RetestFailed"}
    active_ids = {p["id"] for p in active}
    assert {p["id"] for p in picks} <= active_ids
    failed = [p for p in active if p["labTestingStateName"] == "TestFailed"]
    assert failed, "the seed should hold some failed packages"
    assert len(picks) == len(active) - len(failed) - sum(p["labTestingStateName"] == "RetestFailed" for p in active)


async def test_pickers_require_auth_and_license(asgi_client, auth_headers):
    r = await asgi_client.get("/v2/transfers/create/inputs", params={"licenseNumber": LIC})
    assert r.status_code == 401 and r.json()["error"]["status_code"] == 401
    assert_400(await asgi_client.get("/v2/packages/create/inputs", headers=auth_headers), "licenseNumber")
