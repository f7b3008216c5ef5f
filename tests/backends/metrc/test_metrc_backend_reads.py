"""The Metrc backend against the real Metrc sandbox: sign-in, every collection, paging, windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import httpx
from conftest import BASE, HOST, keys

from growtui.backends.base import BackendError, ErrorKind, ReauthRequired
from growtui.backends.http import UnlimitedBudget
from growtui.backends.metrc.backend import MetrcBackend
from growtui.backends.registry import create, entry
from growtui.domain import models
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.query import Field, Op, Query, modified_since
from growtui.sandbox.metrc.seed import MAIN, VENDOR_KEY

LIC = MAIN.number
EXPECTED = {
    Family.PLANTS: models.Plant, Family.PLANT_BATCHES: models.PlantBatch, Family.HARVESTS: models.Harvest,
    Family.PACKAGES: models.Package, Family.ITEMS: models.Item, Family.STRAINS: models.Strain,
    Family.TRANSFERS_INCOMING: models.Transfer, Family.TRANSFERS_OUTGOING: models.Transfer,
}


async def all_rows(backend: MetrcBackend, coll: Collection, query: Query = Query()) -> list[dict]:
    first = await backend.fetch_page(LIC, coll, 1, 20, query)
    rows = list(first.rows)
    for n in range(2, first.total_pages + 1):
        rows += (await backend.fetch_page(LIC, coll, n, 20, query)).rows
    assert len(rows) == first.total
    return rows


def upstream_members(world, resource: str, state: str) -> set[int]:
    from growtui.sandbox.metrc.lists import members

    return {o["Id"] for o in members(world.facilities[LIC], resource, state)}


def test_registry_names_the_metrc_backend_and_its_sandbox():
    e = entry("metrc")
    assert e.sandbox_config.endswith("MetrcSandboxConfig") and e.demo_users.endswith("users_public")
    assert isinstance(create("metrc", base_url="http://x"), MetrcBackend)


async def test_sign_in_lists_facilities_as_licenses(backend):
    session = await backend.login(keys())
    assert session.hostname == HOST and VENDOR_KEY not in repr(session) and VENDOR_KEY not in session.token
    licenses = [backend.license_to_domain(r) for r in await backend.licenses()]
    assert {(l.number, l.name) for l in licenses} >= {(MAIN.number, MAIN.name)}


async def test_bad_keys_are_refused_with_a_sign_in_message(backend):
    with pytest.raises(BackendError) as info:
        await backend.login(keys(user="sbx-user-nobody-9999"))
    assert info.value.kind is ErrorKind.AUTH and "refused the keys" in info.value.message
    assert "sbx-user-nobody" not in info.value.message


async def test_a_license_the_key_lacks_is_forbidden(signed_in):
    with pytest.raises(BackendError) as info:
        await signed_in.fetch_page("SF-SBX-NOT-MINE", Collection(Family.PACKAGES, "active"), 1, 20)
    assert info.value.kind is ErrorKind.FORBIDDEN and info.value.status == 403


async def test_resume_with_a_handle_from_another_process_asks_for_the_keys(backend):
    session = await backend.login(keys())
    other = MetrcBackend("http://x")
    with pytest.raises(ReauthRequired):
        await other.resume(session)
    await other.aclose()


@pytest.mark.parametrize("coll", MetrcBackend.collections, ids=str)
async def test_every_collection_maps_completely_to_domain_models(signed_in, world, coll):
    rows = await all_rows(signed_in, coll)
    resource, _, state = signed_in_path(coll)
    assert {r["Id"] for r in rows} == upstream_members(world, resource, state)
    for raw in rows:
        model = signed_in.to_domain(coll, raw)
        assert isinstance(model, EXPECTED[coll.family]) and model.id == raw["Id"] and model.raw is raw


def signed_in_path(coll: Collection) -> tuple[str, str, str]:
    from growtui.backends.metrc.routes import COLLECTION_ROUTES

    resource, _, state = COLLECTION_ROUTES[coll].strip("/").split("/")
    return resource, "v2", state


async def test_package_fields_map_from_pascal_case(signed_in):
    raw = (await signed_in.fetch_page(LIC, Collection(Family.PACKAGES, "active"), 1, 5)).rows[0]
    pkg = signed_in.to_domain(Collection(Family.PACKAGES, "active"), raw)
    assert pkg.label == raw["Label"] and pkg.item_name == raw["Item"]["Name"]
    assert pkg.quantity is not None and float(pkg.quantity.value) == pytest.approx(raw["Quantity"])
    assert pkg.last_modified is not None and pkg.last_modified.tzinfo is not None


def test_odd_rows_never_crash_mapping():
    b = MetrcBackend("http://x")
    for family in EXPECTED:
        coll = Collection(family, Collection.parse(next(c.key for c in MetrcBackend.collections if c.family is family)).state)
        b.to_domain(coll, {"Id": "x", "State": "SomethingNew", "Quantity": "lots", "Item": 7, "Unknown": [1]})
        b.to_domain(coll, {})


async def test_pages_hold_at_most_20_rows_and_send_an_explicit_window(signed_in, metrc_app):
    seen = []
    signed_in.client.http.event_hooks["request"].append(lambda r: _record(seen, r))
    page = await signed_in.fetch_page(LIC, Collection(Family.PACKAGES, "active"), 1, 500)
    assert len(page.rows) == 20 and page.page_size == 20 and page.total > 20
    params = seen[-1].url.params
    assert params["pageSize"] == "20" and params["pageNumber"] == "1"
    assert params["lastModifiedStart"] < "2026" and params["lastModifiedEnd"].endswith("Z")


async def _record(seen, request):
    seen.append(request)


async def test_incremental_window_sees_only_changed_rows(signed_in, world):
    coll = Collection(Family.PACKAGES, "active")
    fac = world.facilities[LIC]
    target = next(iter(upstream_members(world, "packages", "active")))
    since = world.now() - timedelta(seconds=1)
    with world.lock:
        fac.touch(fac.packages[target])
    rows = await all_rows(signed_in, coll, modified_since(since))
    assert [r["Id"] for r in rows] == [target]


async def test_long_window_refused_falls_back_to_24_hour_windows(metrc_app, world):
    # Hundreds of one-day windows since the license began: the sandbox's limits are off here, so
    # the budget is too (the budget itself is tested in test_metrc_backend_writes).
    signed_in = MetrcBackend(BASE, transport=httpx.ASGITransport(app=metrc_app), budget=UnlimitedBudget())
    await signed_in.login(keys())
    coll = Collection(Family.PACKAGES, "active")
    whole = await all_rows(signed_in, coll)
    world.settings.max_window_hours = 24
    windowed = await all_rows(signed_in, coll)
    assert sorted(r["Id"] for r in windowed) == sorted(r["Id"] for r in whole)  # none twice, none lost
    assert signed_in.paging.window_span_s == 86_400.0  # refreshes are now planned in windows
    await signed_in.aclose()


async def test_query_on_other_fields_is_refused_as_inexpressible(signed_in):
    with pytest.raises(ValueError):
        await signed_in.fetch_page(LIC, Collection(Family.PACKAGES, "active"), 1, 20,
                                   Query.where(Field.LABEL, Op.CONTAINS, "1A4"))


async def test_lists_metrc_lacks_are_empty(signed_in):
    page = await signed_in.fetch_page(LIC, Collection(Family.TRANSFERS_REJECTED), 1, 20)
    assert page.rows == [] and page.total == 0


async def test_transfer_deliveries_and_their_packages(signed_in):
    transfer = (await signed_in.fetch_page(LIC, Collection(Family.TRANSFERS_OUTGOING, "active"), 1, 20)).rows[0]
    deliveries = await signed_in.fetch_sub(LIC, SubCollection.TRANSFER_DELIVERIES, transfer["Id"])
    delivery = signed_in.to_domain(SubCollection.TRANSFER_DELIVERIES, deliveries.rows[0])
    assert isinstance(delivery, models.Delivery) and delivery.id == transfer["DeliveryId"]
    packages = await signed_in.fetch_sub(LIC, SubCollection.DELIVERY_PACKAGES, delivery.id)
    assert packages.rows and all(
        signed_in.to_domain(SubCollection.DELIVERY_PACKAGES, r).label for r in packages.rows
    )
