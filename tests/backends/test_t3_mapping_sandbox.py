"""The mapping against what the sandbox really serves: every list and sub-list, one page each.

Checks that the fields a grower looks at come through (not merely that nothing raises), so a
drift between the sandbox's rows and the mapping's field tables shows up here.
"""

from __future__ import annotations

import pytest
from t3_sandbox_helpers import CA_MAIN, fresh_app, signed_in

from growtui.backends.t3.mapping import create_inputs_to_domain, license_to_domain, picker_to_domain, to_domain
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import Delivery, DeliveryPackage, HistoryEvent, Package, Transporter
from growtui.domain.tags import is_valid_tag
from growtui.domain.units import Quantity


@pytest.fixture(scope="module")
def app():
    return fresh_app(packages=60)


async def _first_page(backend, collection):
    return (await backend.fetch_page(CA_MAIN, collection, 1, 50)).rows


async def test_every_collection_maps_with_its_key_fields(app):
    async with signed_in(app) as backend:
        assert [lic.number for lic in map(license_to_domain, await backend.licenses())]
        seen = set()
        for collection in backend.collections:
            for raw in await _first_page(backend, collection):
                model = to_domain(collection, raw)
                assert model.raw is raw
                assert model.index, (collection, raw)
                seen.add(collection.family)
                _check(collection.family, model)
        assert {Family.PLANTS, Family.PACKAGES, Family.HARVESTS, Family.ITEMS, Family.STRAINS} <= seen


def _check(family: Family, m) -> None:
    if family is Family.PACKAGES:
        assert is_valid_tag(m.label) and m.id is not None
        assert isinstance(m.quantity, Quantity), m.raw
        assert m.item_name and m.item_id is not None and m.last_modified is not None
        assert m.packaged_date is not None
    elif family is Family.PLANTS:
        assert is_valid_tag(m.label) and m.strain_name and m.planted_date is not None and m.growth_phase
    elif family is Family.PLANT_BATCHES:
        assert m.name and m.strain_name and m.planted_date is not None
    elif family is Family.HARVESTS:
        assert m.name and isinstance(m.current_weight, Quantity) and m.harvest_start_date is not None
    elif family is Family.ITEMS:
        assert m.name and m.id is not None and m.unit is not None, m.raw
    elif family is Family.STRAINS:
        assert m.name and m.indica_percentage + m.sativa_percentage == 100
    else:  # transfers
        assert m.manifest_number and m.id is not None and m.estimated_departure is not None


async def test_sub_collections_map(app):
    async with signed_in(app) as backend:
        pkg = (await _first_page(backend, Collection(Family.PACKAGES, "active")))[0]
        history = (await backend.fetch_sub(CA_MAIN, SubCollection.PACKAGE_HISTORY, pkg["id"])).rows
        events = [to_domain(SubCollection.PACKAGE_HISTORY, r) for r in history]
        assert events and all(isinstance(e, HistoryEvent) and e.descriptions for e in events)
        assert all(e.recorded_at is not None for e in events)

        transfers = await _first_page(backend, Collection(Family.TRANSFERS_OUTGOING, "active"))
        transfers += await _first_page(backend, Collection(Family.TRANSFERS_INCOMING, "active"))
        if not transfers:
            pytest.skip("the seed has no active transfers")
        manifest = transfers[0]["manifestNumber"]
        deliveries = (await backend.fetch_sub(CA_MAIN, SubCollection.TRANSFER_DELIVERIES, manifest)).rows
        mapped = [to_domain(SubCollection.TRANSFER_DELIVERIES, r) for r in deliveries]
        assert mapped and all(isinstance(d, Delivery) and d.id is not None for d in mapped)
        assert mapped[0].manifest_number == str(manifest)

        rows = (await backend.fetch_sub(CA_MAIN, SubCollection.DELIVERY_PACKAGES, mapped[0].id)).rows
        packages = [to_domain(SubCollection.DELIVERY_PACKAGES, r) for r in rows]
        assert packages and all(isinstance(p, DeliveryPackage) and is_valid_tag(p.label) for p in packages)
        assert all(isinstance(p.shipped, Quantity) for p in packages)

        rows = (await backend.fetch_sub(CA_MAIN, SubCollection.DELIVERY_TRANSPORTERS, mapped[0].id)).rows
        assert all(isinstance(to_domain(SubCollection.DELIVERY_TRANSPORTERS, r), Transporter) for r in rows)


async def test_create_inputs_and_pickers_map(app):
    async with signed_in(app) as backend:
        pkg_inputs = create_inputs_to_domain("package", await backend.create_inputs(CA_MAIN, "package"))
        assert any(loc.for_packages and loc.id is not None for loc in pkg_inputs.locations)
        assert any(u.unit is not None and u.id is not None for u in pkg_inputs.units)
        xfer_inputs = create_inputs_to_domain("transfer", await backend.create_inputs(CA_MAIN, "transfer"))
        assert xfer_inputs.transfer_types and all(t.id is not None and t.name for t in xfer_inputs.transfer_types)

        tags = (await backend.picker_page(CA_MAIN, "source-tags", 1, 5)).rows
        assert tags and all(is_valid_tag(picker_to_domain("source-tags", t).label) for t in tags)
        for picker in ("destinations", "transporters"):
            rows = (await backend.picker_page(CA_MAIN, picker, 1, 5)).rows
            facilities = [picker_to_domain(picker, r) for r in rows]
            assert facilities and all(f.license_number and f.name and f.id is not None for f in facilities)
        sources = (await backend.picker_page(CA_MAIN, "source-packages", 1, 5)).rows
        assert all(isinstance(picker_to_domain("source-packages", r), Package) for r in sources)
