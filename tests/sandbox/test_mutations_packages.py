"""packages/create, packages/notes, packages/unfinish through the sandbox's HTTP routes."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from growtui.sandbox.t3.route_table import Family
from growtui.sandbox.t3 import schema
from tests.sandbox.test_mutations_helpers import sandbox_config  # noqa: F401 (fixture: a smaller world)
from tests.sandbox.test_mutations_helpers import (
    active_packages,
    assert_400,
    assert_model,
    free_tags,
    get_rows,
    labels_in,
    license_of,
    members,
    package_location,
    post,
    set_quantity,
    snapshot,
    unit_id,
    weight_item,
)
from tests.sandbox_fixtures import bearer


@pytest.fixture
def lic(sandbox_world):
    return license_of(sandbox_world)


def create_body(lic, source, *, quantity=10, use=10, unit="g", tag=None, **extra):
    entry = {
        "actualDate": lic.world.now().date().isoformat(),
        "itemId": weight_item(lic)["id"],
        "locationId": package_location(lic)["id"],
        "tagId": (tag or free_tags(lic)[0])["id"],
        "quantity": quantity,
        "unitOfMeasureId": unit_id(lic, "g"),
        "ingredients": [{"packageId": source["id"], "quantity": use, "unitOfMeasureId": unit_id(lic, unit)}],
    }
    entry.update(extra)
    return [entry]


# --- packages/create ---------------------------------------------------------------------------


async def test_create_applies_new_package_tag_and_deduction(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 12.5)
    tag = free_tags(lic)[0]
    body = create_body(lic, source, tag=tag, note="split for pre-rolls", productionBatchNumber="PB-7", expirationDate="2027-01-31")

    r = await post(asgi_client, auth_headers, "/v2/packages/create", body)
    assert r.status_code == 200 and r.json() == {"message": "Success"}

    new = await get_rows(asgi_client, auth_headers, "/v2/packages/active", filter=f"label__eq:{tag['label']}")
    assert len(new) == 1
    row = new[0]
    assert_model(row, schema.PACKAGE)
    assert row["index"] == "ACTIVE_PACKAGE"
    assert (row["quantity"], row["unitOfMeasureAbbreviation"]) == (10, "g")
    assert row["item"]["id"] == body[0]["itemId"]
    assert row["locationName"] == package_location(lic)["name"]
    assert row["sourcePackageLabels"] == source["label"]
    assert row["note"] == "split for pre-rolls" and row["productionBatchNumber"] == "PB-7"
    assert row["lastModified"].endswith("Z")
    assert row["expirationDate"] == "2027-01-31T00:00:00.000Z" and row["useByDate"] is None

    src = await get_rows(asgi_client, auth_headers, "/v2/packages/active", filter=f"label__eq:{source['label']}")
    assert src[0]["quantity"] == 2.5

    tags = await get_rows(asgi_client, auth_headers, "/v2/packages/create/source-tags", filter=f"label__eq:{tag['label']}")
    assert tags == []  # the tag was consumed

    history = await get_rows(asgi_client, auth_headers, "/v2/packages/history", packageId=source["id"])
    assert any("Used 10 g to create package " + tag["label"] in line for e in history for line in e["descriptions"])


@pytest.mark.parametrize("submit", [None, "false", "True", "yes"])
async def test_create_dry_run_validates_but_changes_nothing(asgi_client, auth_headers, lic, submit):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 12.5)
    before = snapshot(lic)
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source), submit=submit)
    assert r.status_code == 200 and r.json() == {"message": "Dry run"}
    assert snapshot(lic) == before


async def test_dry_run_gets_the_same_validation(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 12.5)
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, use=20), submit="false")
    assert_400(r)


async def test_create_overdraw_names_the_package_and_amounts(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 12.5)
    before = snapshot(lic)
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, use=20))
    assert assert_400(r) == f"Package {source['label']} has 12.5 g; 20 g requested"
    assert snapshot(lic) == before


async def test_create_converts_units_with_exact_decimals(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 1000)
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, quantity=453.59237, use=1, unit="lb"))
    assert r.status_code == 200, r.text
    assert source["quantity"] == 546.4076  # 1 lb = 453.59237 g, kept to 4 places

    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, use=2, unit="lb"))
    assert_400(r, f"Package {source['label']} has 546.4076 g; 907.1847 g requested")


async def test_create_rejects_cross_type_units(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, use=1, unit="ml"))
    assert_400(r, "ingredient 1", "cannot convert ml (volume) to g (weight)")


async def test_create_sums_draws_across_entries(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 15)
    tags = free_tags(lic, 2)
    body = create_body(lic, source, use=8, quantity=8, tag=tags[0]) + create_body(lic, source, use=8, quantity=8, tag=tags[1])
    r = await post(asgi_client, auth_headers, "/v2/packages/create", body)
    assert_400(r, f"Package {source['label']} has 15 g; 16 g requested (entries 1, 2)")


async def test_create_finish_date_moves_used_up_ingredient_to_inactive(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 7)
    body = create_body(lic, source, quantity=7, use=7)
    body[0]["ingredients"][0]["finishDate"] = body[0]["actualDate"]
    r = await post(asgi_client, auth_headers, "/v2/packages/create", body)
    assert r.status_code == 200, r.text
    assert await labels_in(asgi_client, auth_headers, "packages/active", source["label"]) == 0
    inactive = await get_rows(asgi_client, auth_headers, "/v2/packages/inactive", filter=f"label__eq:{source['label']}")
    assert inactive[0]["quantity"] == 0 and inactive[0]["isFinished"] is True
    assert inactive[0]["finishedDate"].startswith(body[0]["actualDate"])


async def test_create_refuses_to_finish_a_package_with_stock_left(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 9)
    body = create_body(lic, source, quantity=7, use=7)
    body[0]["ingredients"][0]["finishDate"] = body[0]["actualDate"]
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), "would still hold 2 g")


async def test_create_ingredient_must_be_active(asgi_client, auth_headers, lic):
    finished = members(lic, Family.PACKAGES, "inactive")[0]
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, finished))
    assert_400(r, f"Package {finished['label']} is inactive; only active packages can be ingredients")


async def test_create_ingredient_of_another_license(asgi_client, auth_headers, lic, sandbox_world):
    other = next(o for o in sandbox_world.licenses.values() if o is not lic and o.packages)
    foreign = next(iter(other.packages.values()))
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, foreign))
    assert_400(r, f"package {foreign['id']} belongs to another license")


def _mutate(field, value):
    def change(entry):
        if value is _DROP:
            del entry[field]
        else:
            entry[field] = value

    return change


_DROP = object()


@pytest.mark.parametrize(
    "change, fragments",
    [
        (_mutate("itemId", 1), ("item 1 does not exist",)),
        (_mutate("itemId", _DROP), ("Package entry 1: itemId is required",)),
        (_mutate("locationId", 2), ("location 2 does not exist",)),
        (_mutate("tagId", 3), ("tag 3 does not exist",)),
        (_mutate("quantity", 0), ("quantity must be greater than 0",)),
        (_mutate("quantity", "ten"), ("quantity must be a number",)),
        (_mutate("actualDate", "31/12/2024"), ("actualDate '31/12/2024' is not a date",)),
        (_mutate("actualDate", "2999-01-01"), ("actualDate 2999-01-01 is in the future",)),
        (_mutate("unitOfMeasureId", 999), ("unit of measure 999 does not exist",)),
        (_mutate("ingredients", []), ("ingredients must not be empty",)),
        (_mutate("ingredients", {"packageId": 1}), ("ingredients must be an array",)),
        (_mutate("note", 5), ("note must be a string",)),
    ],
)
async def test_create_field_validation(asgi_client, auth_headers, lic, change, fragments):
    body = create_body(lic, active_packages(lic, "g")[0])
    change(body[0])
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), *fragments)


async def test_create_use_same_item_takes_the_ingredients_item(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 50)
    tag = free_tags(lic)[0]
    body = create_body(lic, source, tag=tag, quantity=20, use=20, useSameItem=True)
    del body[0]["itemId"]
    assert (await post(asgi_client, auth_headers, "/v2/packages/create", body)).status_code == 200
    new = await get_rows(asgi_client, auth_headers, "/v2/packages/active", filter=f"label__eq:{tag['label']}")
    assert new[0]["item"]["id"] == source["item"]["id"]
    body[0]["useSameItem"] = "yes"
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), "useSameItem must be true or false")


async def test_create_item_and_unit_quantity_types_must_match(asgi_client, auth_headers, lic):
    body = create_body(lic, active_packages(lic, "g")[0])
    body[0]["unitOfMeasureId"] = unit_id(lic, "ea")
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), "is measured WeightBased")


async def test_count_based_quantities_are_whole(asgi_client, auth_headers, lic):
    source = active_packages(lic, "ea")[0]
    set_quantity(lic, source, 10)
    item = next(i for i in lic.items.values() if i["quantityTypeName"] == "CountBased")
    ea = unit_id(lic, "ea")
    body = create_body(lic, source, quantity=2.5, use=2, unit="ea", itemId=item["id"], unitOfMeasureId=ea)
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), "quantity 2.5 ea must be a whole number")
    body[0]["quantity"], body[0]["ingredients"][0]["quantity"] = 2, 1.5
    r = await post(asgi_client, auth_headers, "/v2/packages/create", body)
    assert_400(r, "ingredient 1: quantity 1.5 ea must be a whole number")
    body[0]["ingredients"][0]["quantity"] = 2
    assert (await post(asgi_client, auth_headers, "/v2/packages/create", body)).status_code == 200
    assert source["quantity"] == 8


async def test_create_used_tag_and_duplicate_tag(asgi_client, auth_headers, lic):
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 100)
    used = next(t for t in lic.tags.values() if t["tagTypeName"] == "CannabisPackage")
    used["isUsed"] = True
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, tag=used)), "is not available")
    tag = free_tags(lic)[0]
    body = create_body(lic, source, tag=tag, use=1) + create_body(lic, source, tag=tag, use=1)
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), "Package entry 2", "already used by package entry 1")
    plant_tag = next(t for t in lic.tags.values() if t["tagTypeName"] == "CannabisPlant")
    r = await post(asgi_client, auth_headers, "/v2/packages/create", create_body(lic, source, tag=plant_tag))
    assert_400(r, "not a package tag")


@pytest.mark.parametrize("body, fragment", [({"itemId": 1}, "expects a JSON array"), ([], "array is empty"), ([3], "must be a JSON object")])
async def test_create_body_shape(asgi_client, auth_headers, body, fragment):
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/create", body), fragment)


async def test_missing_body_and_license(asgi_client, auth_headers):
    r = await asgi_client.post("/v2/packages/create", params={"licenseNumber": "CCL21-0000123"}, headers=auth_headers)
    assert_400(r, "body is empty")
    r = await asgi_client.post("/v2/packages/create", params={"submit": "true"}, json=[], headers=auth_headers)
    assert_400(r, "licenseNumber")


# --- packages/notes ----------------------------------------------------------------------------


async def test_notes_apply_and_dry_run(asgi_client, auth_headers, lic):
    pkg = active_packages(lic)[0]
    before = snapshot(lic)
    r = await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": pkg["id"], "note": "moved to vault"}], submit=None)
    assert r.json() == {"message": "Dry run"} and snapshot(lic) == before

    r = await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": pkg["id"], "note": "moved to vault"}])
    assert r.json() == {"message": "Success"}
    rows = await get_rows(asgi_client, auth_headers, "/v2/packages/active", filter=f"label__eq:{pkg['label']}")
    assert rows[0]["note"] == "moved to vault"
    history = await get_rows(asgi_client, auth_headers, "/v2/packages/history", packageId=pkg["id"])
    assert "Note changed to 'moved to vault'" in history[0]["descriptions"]


@pytest.mark.parametrize(
    "make_body, fragments",
    [
        (lambda p: [{"id": 42, "note": "x"}], ("Entry 1: package 42 does not exist",)),
        (lambda p: [{"id": p["id"]}], ("Entry 1: note is required",)),
        (lambda p: [{"note": "x"}], ("Entry 1: id is required",)),
        (lambda p: [{"id": p["id"], "note": "a"}, {"id": p["id"], "note": "b"}], ("Package {id} appears more than once",)),
        (lambda p: {"id": p["id"], "note": "x"}, ("expects a JSON array",)),
    ],
)
async def test_notes_validation(asgi_client, auth_headers, lic, make_body, fragments):
    pkg = active_packages(lic)[0]
    r = await post(asgi_client, auth_headers, "/v2/packages/notes", make_body(pkg))
    assert_400(r, *(f.replace("{id}", str(pkg["id"])) for f in fragments))


async def test_non_finite_numbers_in_the_body_are_a_400(asgi_client, auth_headers, lic):
    params = {"licenseNumber": "CCL21-0000123", "submit": "true"}
    headers = {**auth_headers, "Content-Type": "application/json"}
    r = await asgi_client.post("/v2/packages/notes", params=params, content='[{"id": NaN, "note": "x"}]', headers=headers)
    assert_400(r, "id must be a whole number id")
    r = await asgi_client.post("/v2/packages/unfinish", params=params, content='[{"id": Infinity}]', headers=headers)
    assert_400(r, "id must be a whole number id")


async def test_notes_refused_on_finished_package(asgi_client, auth_headers, lic):
    finished = members(lic, Family.PACKAGES, "inactive")[0]
    r = await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": finished["id"], "note": "x"}])
    assert_400(r, f"Package {finished['label']} is inactive")


# --- packages/unfinish -------------------------------------------------------------------------


async def test_unfinish_moves_inactive_to_active(asgi_client, auth_headers, lic):
    finished = members(lic, Family.PACKAGES, "inactive")[0]
    label = finished["label"]
    r = await post(asgi_client, auth_headers, "/v2/packages/unfinish", [{"id": finished["id"]}], submit="false")
    assert r.json() == {"message": "Dry run"}
    assert await labels_in(asgi_client, auth_headers, "packages/inactive", label) == 1

    r = await post(asgi_client, auth_headers, "/v2/packages/unfinish", [{"id": finished["id"]}])
    assert r.json() == {"message": "Success"}
    assert await labels_in(asgi_client, auth_headers, "packages/inactive", label) == 0
    rows = await get_rows(asgi_client, auth_headers, "/v2/packages/active", filter=f"label__eq:{label}")
    assert rows[0]["isFinished"] is False and rows[0]["finishedDate"] is None


async def test_unfinish_refuses_a_package_that_is_not_finished(asgi_client, auth_headers, lic):
    pkg = active_packages(lic)[0]
    r = await post(asgi_client, auth_headers, "/v2/packages/unfinish", [{"id": pkg["id"]}])
    assert assert_400(r) == f"Entry 1: Package {pkg['label']} is not finished, so it cannot be unfinished"


async def test_concurrent_creates_with_one_tag_apply_exactly_once(sandbox_server):
    """Validation and apply happen under the world lock, so racing clients cannot double-spend a tag."""
    lic = license_of(sandbox_server.world)
    source = active_packages(lic, "g")[0]
    set_quantity(lic, source, 100)
    body = create_body(lic, source, quantity=1, use=1)
    params = {"licenseNumber": lic.license_number, "submit": "true"}
    async with httpx.AsyncClient(base_url=sandbox_server.base_url, headers=bearer(sandbox_server.world), timeout=10) as c:
        answers = await asyncio.gather(*(c.post("/v2/packages/create", params=params, json=body) for _ in range(6)))
    assert sorted(r.status_code for r in answers) == [200] + [400] * 5
    assert all("is not available" in r.json()["error"]["message"] for r in answers if r.status_code == 400)
    assert source["quantity"] == 99
