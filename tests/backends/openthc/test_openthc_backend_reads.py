"""``OpenTHCBackend`` against the OpenTHC sandbox over HTTP: sign-in (and every way it is refused),
whole lists cut into pages, lots and plants with their section, product and variety names, and the
``meta`` of either shape (``[]`` or ``{}``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.backends import registry
from growtui.backends.base import BackendError, ErrorKind, FieldKind, ReauthRequired
from growtui.backends.openthc.backend import PACKAGES, PACKAGES_MARKED, PLANTS, STRAINS, OpenTHCBackend
from growtui.domain.query import Condition, Field, Op, Query
from growtui.domain.units import Unit
from tests.backends.openthc.conftest import CODE, GROWER, creds


def lots(server, lic=GROWER):
    return server.world.licenses[lic].inventory


def test_registry_and_sign_in_form_are_openthcs_own():
    assert "openthc" in registry.names()
    backend = registry.create("openthc", base_url="http://x.invalid")
    assert isinstance(backend, OpenTHCBackend)
    fields = {f.name: f for f in backend.sign_in}
    assert list(fields) == ["cre", "company", "license", "service-key", "license-key"]
    assert fields["cre"].kind is FieldKind.HOST and fields["service-key"].secret and fields["license-key"].secret
    assert [h["hostname"] for h in backend.known_hosts()] == ["openthc"]
    assert not backend.paging.modified_filter and PACKAGES.family in backend.paging.full_only


async def test_sign_in_opens_a_session_for_the_license(backend, server):
    session = await backend.login(creds())
    assert session.hostname == "openthc" and session.username == "010PENTHC0SANDB0XC0MPANY0A"
    token = backend.client.token
    assert server.world.sessions[token].license_id == GROWER and token not in repr(session) and session.token != token
    [lic] = await backend.licenses()
    shown = backend.license_to_domain(lic)
    assert shown.number == GROWER and shown.name == f"Sandbox Grow Co Cultivation ({CODE})"


@pytest.mark.parametrize(
    ("over", "kind", "status", "words"),
    [
        ({"service-key": "not-our-service"}, ErrorKind.AUTH, 403, "Invalid Service"),
        ({"company": "010PENTHC0SANDB0XC0MPANY0B"}, ErrorKind.AUTH, 403, "Invalid License"),
        ({"company": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, ErrorKind.AUTH, 403, "Invalid Company"),
        ({"license": "01ZZZZZZZZZZZZZZZZZZZZZZZZ"}, ErrorKind.AUTH, 403, "Invalid License"),
        ({"license-key": "wrong-license-key"}, ErrorKind.AUTH, 403, "Invalid License Key"),
        ({"cre": "another-cre"}, ErrorKind.VALIDATION, 400, "Invalid CRE"),
    ],
    ids=["service-key", "license-of-another-company", "unknown-company", "unknown-license", "license-key", "cre"],
)
async def test_each_refused_credential_is_said_plainly(backend, over, kind, status, words):
    with pytest.raises(BackendError) as err:
        await backend.login(creds(**over))
    assert err.value.kind is kind and err.value.status == status and words in err.value.message
    assert backend.session is None and backend.client.token == ""


@pytest.mark.parametrize("over", [{"company": "short"}, {"license": "not a ulid at all, has spaces"},
                                  {"license-key": ""}, {"service-key": "sp ace"}])
async def test_malformed_fields_are_refused_before_sending(backend, server, over):
    sent = backend.stats.requests if hasattr(backend.stats, "requests") else None
    with pytest.raises(BackendError) as err:
        await backend.login(creds(**over))
    assert err.value.kind is ErrorKind.VALIDATION and err.value.status is None
    assert not server.world.sessions
    assert sent is None or backend.stats.requests == sent


async def test_a_shut_or_expired_session_asks_to_sign_in_again(signed_in, server):
    server.world.sessions[signed_in.client.token].open = False
    with pytest.raises(ReauthRequired):
        await signed_in.fetch_page(CODE, PACKAGES, 1, 100)
    assert signed_in.session is None


async def test_logout_shuts_the_session_upstream(signed_in, server):
    token = signed_in.client.token
    await signed_in.logout()
    assert not server.world.sessions[token].open and signed_in.client.token == ""


async def test_whole_lists_are_cut_into_pages_that_cover_every_live_lot(signed_in, server):
    live = {i for i, lot in lots(server).items() if lot["stat"] == 200 and not lot.get("destroyed_at")}
    first = await signed_in.fetch_page(CODE, PACKAGES, 1, 15)
    assert first.total == len(live) and first.total_pages == -(-len(live) // 15) and len(first.rows) == 15
    seen = [r["id"] for p in range(1, first.total_pages + 1) for r in (await signed_in.fetch_page(CODE, PACKAGES, p, 15)).rows]
    assert len(seen) == len(set(seen)) and set(seen) == live


async def test_lots_map_with_names_and_keep_the_raw_row(signed_in, server):
    lic = server.world.licenses[GROWER]
    page = await signed_in.fetch_page(CODE, PACKAGES, 1, 500)
    raw = page.rows[0]
    stored = lots(server)[raw["id"]]
    pkg = signed_in.to_domain(PACKAGES, raw)
    assert pkg.id == pkg.label == stored["id"] and pkg.raw is raw
    assert pkg.location_name == lic.sections[stored["section"]["id"]]["name"]
    assert pkg.item_name == lic.products[stored["product"]["id"]]["name"]
    assert pkg.quantity is not None and pkg.quantity.value == Decimal(str(stored["qty"])) and pkg.unit_label == stored["uom"]
    assert pkg.quantity.unit in (Unit.lookup(stored["uom"]),) and not pkg.is_archived


async def test_quantities_as_strings_and_meta_as_object_read_the_same(signed_in, server):
    before = [signed_in.to_domain(PACKAGES, r).quantity for r in (await signed_in.fetch_page(CODE, PACKAGES, 1, 500)).rows]
    server.world.qty_as_string, server.world.empty_meta = True, "object"
    after = await signed_in.fetch_page(CODE, PACKAGES, 1, 500)
    assert isinstance(after.rows[0]["qty"], str) and [signed_in.to_domain(PACKAGES, r).quantity for r in after.rows] == before


async def test_plants_and_varieties_map(signed_in, server):
    lic = server.world.licenses[GROWER]
    plants = (await signed_in.fetch_page(CODE, PLANTS, 1, 500)).rows
    assert len(plants) == len(lic.plants)
    p = signed_in.to_domain(PLANTS, plants[0])
    stored = lic.plants[p.id]
    assert p.label == stored["name"] and p.strain_name == stored["variety"]["name"]
    assert p.location_name == lic.sections[stored["section"]["id"]]["name"]
    strains = (await signed_in.fetch_page(CODE, STRAINS, 1, 500)).rows
    assert {signed_in.to_domain(STRAINS, r).name for r in strains} == {v["name"] for v in lic.varieties.values()}


async def test_marked_for_deletion_rows_move_to_the_inactive_list(signed_in, server):
    lot_id = next(iter(lots(server)))
    lots(server)[lot_id]["stat"] = 410
    active = {r["id"] for r in (await signed_in.fetch_page(CODE, PACKAGES, 1, 500)).rows}
    marked = (await signed_in.fetch_page(CODE, PACKAGES_MARKED, 1, 500)).rows
    assert lot_id not in active and [r["id"] for r in marked] == [lot_id]
    assert signed_in.to_domain(PACKAGES_MARKED, marked[0]).index == "marked for deletion"


async def test_lookups_by_id_filter_the_list(signed_in, server):
    lot_id = next(iter(lots(server)))
    page = await signed_in.fetch_page(CODE, PACKAGES, 1, 10, Query((Condition(Field.LABEL, Op.EQ, lot_id),)))
    assert [r["id"] for r in page.rows] == [lot_id]


async def test_another_license_number_is_not_this_session(signed_in):
    with pytest.raises(BackendError) as err:
        await signed_in.fetch_page("P-10002", PACKAGES, 1, 10)
    assert err.value.kind is ErrorKind.FORBIDDEN and "sign in again" in err.value.message


async def test_gets_retry_a_503_and_a_500_is_unavailable(signed_in, server):
    server.world.ops.add_fault("503", next=1)
    assert (await signed_in.fetch_page(CODE, STRAINS, 1, 10)).rows  # retried once, transparently
    server.world.ops.add_fault("500", next=10)
    with pytest.raises(BackendError) as err:
        await signed_in.fetch_page(CODE, STRAINS, 1, 10)
    assert err.value.kind is ErrorKind.UNAVAILABLE


async def test_products_are_the_items_list(signed_in, server):
    from growtui.backends.openthc.backend import ITEMS

    products = server.world.licenses[GROWER].products
    page = await signed_in.fetch_page(CODE, ITEMS, 1, 500)
    items = {i.id: i for i in (signed_in.to_domain(ITEMS, raw) for raw in page.rows)}
    assert set(items) == set(products)
    flower = next(i for i in items.values() if i.name == "Bulk Flower")
    assert (flower.unit, flower.quantity_type, flower.category) == (Unit.G, "WeightBased", "Flower")
    clone = next(i for i in items.values() if i.name == "Clone")
    assert (clone.unit, clone.quantity_type) == (Unit.EA, "CountBased")
