"""strains/create, strains/discontinue, items/discontinue through the sandbox's HTTP routes."""

from __future__ import annotations

import pytest

from growtui.sandbox.t3 import schema
from tests.sandbox.test_mutations_helpers import sandbox_config  # noqa: F401 (fixture: a smaller world)
from tests.sandbox_fixtures import bearer
from tests.sandbox.test_mutations_helpers import assert_400, assert_model, get_rows, license_of, post, snapshot


@pytest.fixture
def lic(sandbox_world):
    return license_of(sandbox_world)


def strain(name="Sandbox Haze", **over):
    body = {"name": name, "cbdLevel": 0.5, "thcLevel": 22.5, "indicaPercentage": 30, "sativaPercentage": 70, "testingStatus": "InHouse"}
    body.update(over)
    return body


async def test_strain_create_applies_and_lists(asgi_client, auth_headers, lic):
    r = await post(asgi_client, auth_headers, "/v2/strains/create", [strain(), strain("Second Light", indicaPercentage=50, sativaPercentage=50)])
    assert r.status_code == 200 and r.json() == {"message": "Success"}
    rows = await get_rows(asgi_client, auth_headers, "/v2/strains", filter="name__startswith:Sandbox Haze")
    assert len(rows) == 1
    assert_model(rows[0], schema.STRAIN)
    assert (rows[0]["thcLevel"], rows[0]["sativaPercentage"], rows[0]["testingStatus"]) == (22.5, 70, "InHouse")
    assert rows[0]["index"] == "ACTIVE_STRAIN" and isinstance(rows[0]["id"], int)
    assert len(await get_rows(asgi_client, auth_headers, "/v2/strains", filter="name__eq:second light")) == 1


async def test_strain_create_dry_run_changes_nothing(asgi_client, auth_headers, lic):
    before = snapshot(lic)
    r = await post(asgi_client, auth_headers, "/v2/strains/create", [strain()], submit="TRUE")
    assert r.json() == {"message": "Dry run"} and snapshot(lic) == before


@pytest.mark.parametrize(
    "body, fragments",
    [
        ([strain(indicaPercentage=40)], ("Strain entry 1", "must add up to 100, not 110")),
        ([strain(testingStatus="Lab")], ("testingStatus must be one of None, InHouse, ThirdParty, not 'Lab'",)),
        ([strain(thcLevel=-1)], ("thcLevel must be between 0 and 100, not -1",)),
        ([strain(cbdLevel=101)], ("cbdLevel must be between 0 and 100",)),
        ([strain(name=" ")], ("name is required",)),
        ([strain(), strain("SANDBOX HAZE")], ("Strain entry 2", "also used by strain entry 1")),
        ([{k: v for k, v in strain().items() if k != "sativaPercentage"}], ("sativaPercentage is required",)),
        (strain(), ("expects a JSON array",)),
    ],
)
async def test_strain_create_validation(asgi_client, auth_headers, body, fragments):
    assert_400(await post(asgi_client, auth_headers, "/v2/strains/create", body), *fragments)


async def test_strain_name_must_be_unique_among_active_strains(asgi_client, auth_headers, lic):
    existing = next(s for s in lic.strains.values() if not s["isArchived"])
    r = await post(asgi_client, auth_headers, "/v2/strains/create", [strain(existing["name"].upper())])
    assert_400(r, f"a strain named {existing['name']!r} already exists")
    # once discontinued, the name is free again
    assert (await post(asgi_client, auth_headers, "/v2/strains/discontinue", {"id": existing["id"]})).status_code == 200
    assert (await post(asgi_client, auth_headers, "/v2/strains/create", [strain(existing["name"])])).status_code == 200


async def test_strain_discontinue_removes_it_from_the_list(asgi_client, auth_headers, lic):
    target = next(s for s in lic.strains.values() if not s["isArchived"])
    flt = f"name__eq:{target['name']}"
    r = await post(asgi_client, auth_headers, "/v2/strains/discontinue", {"id": target["id"]}, submit="false")
    assert r.json() == {"message": "Dry run"}
    assert len(await get_rows(asgi_client, auth_headers, "/v2/strains", filter=flt)) == 1
    r = await post(asgi_client, auth_headers, "/v2/strains/discontinue", {"id": target["id"]})
    assert r.json() == {"message": "Success"}
    assert await get_rows(asgi_client, auth_headers, "/v2/strains", filter=flt) == []
    again = await post(asgi_client, auth_headers, "/v2/strains/discontinue", {"id": target["id"]})
    assert_400(again, "already discontinued")


@pytest.mark.parametrize("path", ["/v2/strains/discontinue", "/v2/items/discontinue"])
async def test_discontinue_body_is_a_single_object(asgi_client, auth_headers, path):
    assert_400(await post(asgi_client, auth_headers, path, [{"id": 1}]), "expects a single JSON object")
    assert_400(await post(asgi_client, auth_headers, path, {"id": 7}), "7 does not exist")
    assert_400(await post(asgi_client, auth_headers, path, {"id": "7"}), "id must be a whole number")


async def test_item_discontinue_removes_it_from_items_and_source_items(asgi_client, auth_headers, lic):
    item = next(i for i in lic.items.values() if not i["isArchived"])
    flt = f"name__eq:{item['name']}"
    before = snapshot(lic)
    assert (await post(asgi_client, auth_headers, "/v2/items/discontinue", {"id": item["id"]}, submit=None)).json() == {"message": "Dry run"}
    assert snapshot(lic) == before
    assert (await post(asgi_client, auth_headers, "/v2/items/discontinue", {"id": item["id"]})).json() == {"message": "Success"}
    assert await get_rows(asgi_client, auth_headers, "/v2/items", filter=flt) == []
    assert await get_rows(asgi_client, auth_headers, "/v2/packages/create/source-items", filter=flt) == []
    history = await get_rows(asgi_client, auth_headers, "/v2/items/history", itemId=item["id"])
    assert "Item discontinued" in history[0]["descriptions"]


async def test_writes_need_t3plus_and_an_accessible_license(asgi_client, sandbox_world):
    free = await asgi_client.post(
        "/v2/strains/create",
        params={"licenseNumber": "CCL21-0000999", "submit": "true"},
        json=[strain()],
        headers=bearer(sandbox_world, "free.ca"),
    )
    assert free.status_code == 403 and free.json()["error"]["status_code"] == 403
    foreign = await asgi_client.post(
        "/v2/strains/create",
        params={"licenseNumber": "CCL21-0000777", "submit": "true"},
        json=[strain()],
        headers=bearer(sandbox_world),
    )
    assert foreign.status_code == 403
    for number in ("CCL21-0000999", "CCL21-0000777"):
        assert all(s["name"] != "Sandbox Haze" for s in sandbox_world.licenses[number].strains.values())
