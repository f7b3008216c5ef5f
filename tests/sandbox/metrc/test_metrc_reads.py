"""GET collections: the 8-key envelope, paging, bare arrays, single objects by id and label, the
lastModified window (incl. %2B, the 24-hour switch and the no-window default), upstream schemas."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from metrc_helpers import LICENSE, WIDE, check_schema, lic, wide

from growtui.sandbox.metrc.wire import parse_when, stamp

ENVELOPE_KEYS = {"Data", "Total", "TotalRecords", "PageSize", "RecordsOnPage", "Page", "CurrentPage", "TotalPages"}
LAST_MODIFIED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")

# list -> upstream schema of its rows
LISTS = {
    "/plants/v2/vegetative": "_common/Plant",
    "/plants/v2/flowering": "_common/Plant",
    "/plants/v2/onhold": "_common/Plant",
    "/plants/v2/inactive": "_common/Plant",
    "/plantbatches/v2/active": "_common/PlantBatch",
    "/plantbatches/v2/inactive": "_common/PlantBatch",
    "/harvests/v2/active": "_common/Harvest",
    "/harvests/v2/onhold": "_common/Harvest",
    "/harvests/v2/inactive": "_common/Harvest",
    "/packages/v2/active": "Packages/InTransit",
    "/packages/v2/onhold": "Packages/InTransit",
    "/packages/v2/inactive": "Packages/InTransit",
    "/packages/v2/intransit": "Packages/InTransit",
    "/items/v2/active": "_common/Item",
    "/strains/v2/active": "_common/Strain",
    "/locations/v2/active": "Locations/LocationsLocation",
    "/sublocations/v2/active": "_common/Sublocation",
    "/transfers/v2/incoming": "_common/Transfer",
    "/transfers/v2/outgoing": "_common/Transfer",
}
LOOKUP_PAGES = {
    "/plants/v2/waste/reasons": "Plants/WasteReason",
    "/plants/v2/waste/methods/all": "_common/WasteMethod",
    "/packages/v2/adjust/reasons": "Packages/AdjustReason",
    "/plantbatches/v2/types": "PlantBatches/PlantBatchesType",
    "/harvests/v2/waste/types": "Harvests/WasteType",
    "/locations/v2/types": "Locations/LocationsType",
    "/items/v2/categories": "Items/Category",
    "/transfers/v2/types": "Transfers/TransfersType",
}
BARE_ARRAYS = {
    "/facilities/v2": "Facilities/Facility",
    "/unitsofmeasure/v2/active": "_common/UnitOfMeasure",
    "/unitsofmeasure/v2/inactive": "_common/UnitOfMeasure",
    "/wastemethods/v2": "_common/WasteMethod",
    "/tags/v2/plant/available": "_common/Tag",
    "/tags/v2/package/available": "_common/Tag",
    "/plants/v2/growthphases": None,
    "/packages/v2/types": None,
    "/transfers/v2/deliveries/packages/states": None,
}


@pytest.mark.parametrize("path", sorted(LISTS))
async def test_every_list_is_the_8_key_envelope_of_schema_valid_rows(metrc, path):
    r = await metrc.get(path, params=wide())
    assert r.status_code == 200
    body = r.json()
    assert set(body) == ENVELOPE_KEYS
    check_schema("_common/PaginatedResponse", body)
    assert body["Data"], f"the seeded world has rows for {path}"
    assert body["Total"] == body["TotalRecords"] == body["RecordsOnPage"] == body["PageSize"] == len(body["Data"])
    assert body["Page"] == body["CurrentPage"] == 1 and body["TotalPages"] == 1
    for row in body["Data"]:
        assert LAST_MODIFIED.match(row["LastModified"]), row["LastModified"]
        assert all(key[0].isupper() for key in row), "PascalCase keys only"
    check_schema(LISTS[path], body["Data"])


@pytest.mark.parametrize("path", sorted(LOOKUP_PAGES))
async def test_lookup_lists_with_paging_are_envelopes(metrc, path):
    r = await metrc.get(path, params=lic())
    assert r.status_code == 200 and set(r.json()) == ENVELOPE_KEYS
    check_schema(LOOKUP_PAGES[path], r.json()["Data"])


@pytest.mark.parametrize("path", sorted(BARE_ARRAYS))
async def test_lookups_are_bare_arrays(metrc, path):
    r = await metrc.get(path, params=lic())
    assert r.status_code == 200
    body = r.json()
    assert isinstance(body, list) and body
    if BARE_ARRAYS[path]:
        check_schema(BARE_ARRAYS[path], body)
    else:
        assert all(isinstance(v, str) for v in body)


async def test_paging_walks_every_row_once(metrc):
    everything = (await metrc.get("/packages/v2/active", params=wide())).json()
    total = everything["Total"]
    seen, page = [], 1
    while True:
        body = (await metrc.get("/packages/v2/active", params=wide(pageSize=20, pageNumber=page))).json()
        assert body["PageSize"] == 20 and body["Page"] == body["CurrentPage"] == page
        assert body["TotalPages"] == -(-total // 20) and body["RecordsOnPage"] == len(body["Data"])
        seen += [row["Id"] for row in body["Data"]]
        if page >= body["TotalPages"]:
            break
        page += 1
    assert seen == [row["Id"] for row in everything["Data"]] and len(set(seen)) == total
    past = (await metrc.get("/packages/v2/active", params=wide(pageSize=20, pageNumber=page + 1))).json()
    assert past["Data"] == [] and past["Total"] == total and past["RecordsOnPage"] == 0


async def test_page_size_over_20_is_400_or_clamped(metrc, metrc_world):
    r = await metrc.get("/packages/v2/active", params=wide(pageSize=21))
    assert r.status_code == 400 and "pageSize" in r.json()["Message"]
    for bad in ({"pageSize": 0}, {"pageNumber": 0, "pageSize": 5}, {"pageSize": "x"}):
        assert (await metrc.get("/packages/v2/active", params=wide(**bad))).status_code == 400
    metrc_world.settings.oversize_page = "clamp"
    body = (await metrc.get("/packages/v2/active", params=wide(pageSize=500))).json()
    assert body["PageSize"] == 20 and len(body["Data"]) == 20


async def test_single_objects_by_id_and_by_label(metrc):
    for path, labelled in (("plants", True), ("packages", True), ("harvests", False), ("plantbatches", False), ("strains", False), ("items", False), ("locations", False)):
        first = (await metrc.get(f"/{path}/v2/{'vegetative' if path == 'plants' else 'active'}", params=wide(pageSize=1))).json()["Data"][0]
        by_id = await metrc.get(f"/{path}/v2/{first['Id']}", params=lic())
        assert by_id.status_code == 200 and by_id.json() == first, path
        if labelled:
            assert (await metrc.get(f"/{path}/v2/{first['Label']}", params=lic())).json() == first
    missing = await metrc.get("/packages/v2/1A4FFF2000000000000999999", params=lic())
    assert missing.status_code == 404 and "Message" in missing.json()


async def test_trailing_slash_is_the_same_route(metrc):
    a = (await metrc.get("/strains/v2/active", params=wide())).json()
    b = (await metrc.get("/strains/v2/active/", params=wide())).json()
    assert a == b


async def test_unknown_route_is_404_message(metrc):
    r = await metrc.get("/transfers/v2/external/outgoing", params=lic())
    assert r.status_code == 404 and "Message" in r.json()


# --- lastModified windows ------------------------------------------------------------------------


def _stamps(body):
    return [parse_when(row["LastModified"]) for row in body["Data"]]


async def test_window_is_inclusive_and_filters(metrc, metrc_world):
    rows = (await metrc.get("/packages/v2/active", params=wide())).json()["Data"]
    pivot = sorted(parse_when(r["LastModified"]) for r in rows)[len(rows) // 2]
    body = (await metrc.get("/packages/v2/active", params=lic(lastModifiedStart=stamp(pivot), lastModifiedEnd=stamp(metrc_world.now())))).json()
    assert body["Data"] and min(_stamps(body)) == pivot  # the bound itself is inside
    assert body["Total"] == sum(1 for r in rows if parse_when(r["LastModified"]) >= pivot)


async def test_no_window_means_the_last_24_hours_unless_switched(metrc, metrc_world):
    everything = (await metrc.get("/packages/v2/active", params=wide())).json()["Total"]
    recent = (await metrc.get("/packages/v2/active", params=lic())).json()
    cutoff = metrc_world.now() - timedelta(hours=24)
    assert 0 < recent["Total"] < everything
    assert all(when >= cutoff for when in _stamps(recent))
    metrc_world.settings.no_window = "all"
    assert (await metrc.get("/packages/v2/active", params=lic())).json()["Total"] == everything


async def test_plus_offset_must_be_sent_as_2B(metrc, metrc_world):
    """httpx encodes + as %2B (correct); a raw + arrives as a space and the offset is lost, as on Metrc."""
    now = metrc_world.now()
    pkg = next(iter(metrc_world.facilities[LICENSE].packages.values()))
    pkg["LastModified"] = stamp(now - timedelta(hours=22))
    wall = (now - timedelta(hours=20)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    text = wall + "+05:00"  # the instant now - 25 h
    encoded = (await metrc.get("/packages/v2/active", params=lic(lastModifiedStart=text))).json()
    assert pkg["Id"] in {row["Id"] for row in encoded["Data"]}
    raw = (await metrc.get(f"/packages/v2/active?licenseNumber={LICENSE}&lastModifiedStart={text}")).json()
    assert raw["Data"] is not None and pkg["Id"] not in {row["Id"] for row in raw["Data"]}  # read as now - 20 h


async def test_24_hour_maximum_span_switch(metrc, metrc_world):
    assert (await metrc.get("/packages/v2/active", params=wide())).status_code == 200
    metrc_world.settings.max_window_hours = 24
    r = await metrc.get("/packages/v2/active", params=wide())
    assert r.status_code == 400 and "24 hours" in r.json()["Message"]
    now = metrc_world.now()
    day = lic(lastModifiedStart=stamp(now - timedelta(hours=24)), lastModifiedEnd=stamp(now))
    assert (await metrc.get("/packages/v2/active", params=day)).status_code == 200
    # lists without windows ignore the switch
    assert (await metrc.get("/strains/v2/inactive", params=wide())).status_code == 200


async def test_bad_window_values_are_400(metrc):
    for params in (lic(lastModifiedStart="yesterday"), lic(lastModifiedStart=WIDE["lastModifiedEnd"], lastModifiedEnd=WIDE["lastModifiedStart"])):
        r = await metrc.get("/plants/v2/vegetative", params=params)
        assert r.status_code == 400 and "Message" in r.json()


async def test_transfer_deliveries_and_their_packages(metrc):
    transfer = (await metrc.get("/transfers/v2/outgoing", params=wide())).json()["Data"][0]
    deliveries = (await metrc.get(f"/transfers/v2/{transfer['Id']}/deliveries")).json()
    assert deliveries["Data"][0]["Id"] == transfer["DeliveryId"]
    check_schema("Transfers/TransfersDelivery", deliveries["Data"])
    packages = (await metrc.get(f"/transfers/v2/deliveries/{transfer['DeliveryId']}/packages")).json()
    assert packages["Total"] == transfer["DeliveryPackageCount"]
    check_schema("Transfers/DeliveryPackage", packages["Data"])
    assert all("Id" not in p and "PackageId" in p for p in packages["Data"])  # known by PackageId (§8.10)
    in_transit = {p["Label"] for p in (await metrc.get("/packages/v2/intransit", params=wide())).json()["Data"]}
    assert {p["PackageLabel"] for p in packages["Data"]} <= in_transit
    assert (await metrc.get("/transfers/v2/deliveries/999999/packages")).status_code == 404


async def test_harvest_waste_rows(metrc):
    harvest = (await metrc.get("/harvests/v2/active", params=wide())).json()["Data"][0]
    waste = (await metrc.get("/harvests/v2/waste", params=lic(harvestId=harvest["Id"]))).json()
    assert sum(w["WasteWeight"] for w in waste["Data"]) == pytest.approx(harvest["TotalWasteWeight"])
    check_schema("Harvests/HarvestsWaste", waste["Data"])
    assert (await metrc.get("/harvests/v2/waste", params=lic())).status_code == 400
