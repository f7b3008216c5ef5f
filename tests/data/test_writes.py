"""Writes through the store: journaled before sending, each outcome, reconciliation by re-reading."""

from __future__ import annotations

from growtui.data.types import WriteStatus
from growtui.domain.actions import AddNote

from .conftest import ACTIVE, LICENSE, world_keys


def note_of(server, pkg_id):
    with server.world.lock:
        return server.world.licenses[LICENSE].packages[pkg_id].get("note")


def pick(server, n, offset=0):
    ids = sorted(world_keys(server, ACTIVE))[offset : offset + n]
    return tuple(ids)


async def test_sent_write_is_journaled_discovered_and_refreshes_the_list(server, make_store):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    ids = pick(server, 2)
    outcome = await store.submit(LICENSE, AddNote(ids, (), "journal test: sent"))
    assert outcome.status is WriteStatus.SENT and outcome.ok
    assert [note_of(server, i) for i in ids] == ["journal test: sent"] * 2
    entry = store.journal.get(outcome.entry_id)
    assert entry.kind == "AddNote" and entry.payload["note"] == "journal test: sent"
    assert entry.summary and entry.username == "grower.ca" and entry.hostname == "ca.metrc.com"
    assert outcome.changed == (entry.summary,)
    # The affected list was refreshed incrementally: the cached row has the note.
    assert store.open_list(LICENSE, ACTIVE).raw(ids[0])["note"] == "journal test: sent"
    await store.aclose()


async def test_rejected_write_keeps_upstream_message(server, make_store):
    store = await make_store()
    outcome = await store.submit(LICENSE, AddNote((987654321,), (), "nope"))
    assert outcome.status is WriteStatus.REJECTED and not outcome.ok
    assert outcome.message  # what T3 said, for the user
    assert store.journal.get(outcome.entry_id).status is WriteStatus.REJECTED
    assert store.journal.unresolved() == []
    await store.aclose()


async def test_in_doubt_write_that_applied_reconciles_as_applied(server, make_store):
    store = await make_store()
    ids = pick(server, 3, offset=5)
    server.world.ops.add_fault("504", next=1, method="POST")  # applied, then an HTML 504
    outcome = await store.submit(LICENSE, AddNote(ids, (), "journal test: 504"))
    assert outcome.status is WriteStatus.IN_DOUBT
    assert [e.id for e in store.journal.unresolved()] == [outcome.entry_id]
    settled = await store.reconcile(outcome.entry_id)
    assert settled.status is WriteStatus.APPLIED
    assert store.journal.get(outcome.entry_id).status is WriteStatus.APPLIED
    assert store.journal.unresolved() == []
    assert len(store.journal.entries()) == 1  # reconciling records nothing new and sends nothing
    await store.aclose()


async def test_in_doubt_write_that_did_not_apply_reconciles_as_not_applied(server, make_store):
    store = await make_store()
    ids = pick(server, 2, offset=9)
    before = [note_of(server, i) for i in ids]
    server.world.ops.add_fault("reset", next=1, method="POST")  # dropped before the handler ran
    outcome = await store.submit(LICENSE, AddNote(ids, (), "journal test: reset"))
    assert outcome.status is WriteStatus.IN_DOUBT
    settled = await store.reconcile(outcome.entry_id)
    assert settled.status is WriteStatus.NOT_APPLIED
    assert "0 of 2" in settled.message
    assert [note_of(server, i) for i in ids] == before  # never resent
    await store.aclose()


async def test_dry_run_is_not_journaled(server, make_store):
    store = await make_store()
    ids = pick(server, 1)
    result = await store.dry_run(LICENSE, AddNote(ids, (), "dry"))
    assert result.dry_run
    assert store.journal.entries() == []
    assert note_of(server, ids[0]) != "dry"
    await store.aclose()


async def test_created_package_is_found_by_its_tag(server, make_store):
    """T3 answers a create with just "Success": the store finds the new package by tag label."""
    from datetime import date
    from decimal import Decimal

    from growtui.domain.actions import CreatePackage, Ingredient
    from growtui.domain.units import Quantity, Unit

    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    inputs = await store.backend.create_inputs(LICENSE, "package")
    tag, location = inputs["tags"][0], inputs["locations"][0]
    source = next(
        r for r in (await store.backend.picker_page(LICENSE, "source-packages", 1, 50)).rows
        if (r.get("quantity") or 0) >= 2 and Unit.lookup(r.get("unitOfMeasureAbbreviation"))
    )
    unit = Unit.lookup(source["unitOfMeasureAbbreviation"])
    one = Quantity(Decimal("1"), unit)
    action = CreatePackage(
        tag=tag["label"], tag_id=tag["id"], item_id=source["item"]["id"],
        item_name=source["item"]["name"], location_id=location["id"], location_name=location["name"],
        quantity=one, unit_of_measure_id=source["unitOfMeasureId"],
        ingredients=(Ingredient(source["id"], source["label"], one, source["unitOfMeasureId"]),),
        actual_date=date.today(),
    )
    outcome = await store.submit(LICENSE, action)
    assert outcome.status is WriteStatus.SENT, outcome.message
    new_id = outcome.details["package_id"]
    assert outcome.details["label"] == tag["label"] and new_id not in (None, source["id"])
    assert any(tag["label"] in c for c in outcome.changed)
    # It is in the cached list already (incremental refresh after the write).
    idx = store.open_list(LICENSE, ACTIVE)
    assert idx.find_label(tag["label"]) == idx.position(new_id)
    await store.aclose()


async def test_strain_create_then_discontinue_in_doubt_reconciles(server, make_store):
    from decimal import Decimal

    from growtui.domain.actions import CreateStrain, DiscontinueStrain
    from growtui.domain.collections import Collection

    strains = Collection.parse("strains")
    store = await make_store()
    await store.refresh(LICENSE, strains)
    created = await store.submit(
        LICENSE, CreateStrain("Journal Test Haze", Decimal("21.5"), Decimal("0.4"), Decimal("30"), Decimal("70"))
    )
    assert created.status is WriteStatus.SENT, created.message
    strain_id = created.details["strain_id"]
    assert store.open_list(LICENSE, strains).find_label("journal test haze") is not None

    server.world.ops.add_fault("504", next=1, method="POST")
    gone = await store.submit(LICENSE, DiscontinueStrain(strain_id, "Journal Test Haze"))
    assert gone.status is WriteStatus.IN_DOUBT
    settled = await store.reconcile(gone.entry_id)
    assert settled.status is WriteStatus.APPLIED, settled.message
    # Applied writes refresh the affected list: the strain is gone from the cache too.
    assert store.open_list(LICENSE, strains).position(strain_id) is None
    await store.aclose()


async def test_created_transfer_is_found_by_invoice_number(server, make_store):
    from datetime import UTC, datetime, timedelta

    from growtui.domain.actions import (
        CreateTransfer,
        TransferDestination,
        TransferPackage,
        TransferTransporter,
        TransporterDetail,
    )
    from growtui.domain.collections import Collection
    from growtui.domain.models import TransferType

    outgoing = Collection.parse("transfers/outgoing/active")
    store = await make_store()
    await store.refresh(LICENSE, outgoing)
    backend = store.backend
    inputs = await backend.create_inputs(LICENSE, "transfer")
    kind = next(t for t in inputs["transferTypes"] if t["transactionType"] != "Wholesale"
                and not t["requiresDestinationGrossWeight"] and not t["requiresPackagesGrossWeight"])
    dest = (await backend.picker_page(LICENSE, "destinations", 1, 1)).rows[0]
    carrier = (await backend.picker_page(LICENSE, "transporters", 1, 1)).rows[0]
    pkg = (await backend.picker_page(LICENSE, "transfer-packages", 1, 1)).rows[0]
    driver, vehicle = inputs["drivers"][0], inputs["vehicles"][0]
    leave = datetime.now(UTC) + timedelta(hours=1)
    action = CreateTransfer((
        TransferDestination(
            recipient_id=dest["id"], recipient_name=dest["facilityName"],
            transfer_type=TransferType(kind["id"], kind["name"]), planned_route="I-5 N to exit 12",
            estimated_departure=leave, estimated_arrival=leave + timedelta(hours=2),
            packages=(TransferPackage(pkg["id"], pkg["label"]),),
            transporters=(TransferTransporter(
                carrier["id"], carrier["facilityName"], "555-0100",
                (TransporterDetail(driver["name"], driver["employeeId"], driver["driversLicenseNumber"],
                                   vehicle["make"], vehicle["model"], vehicle["licensePlateNumber"]),),
            ),),
            invoice_number="INV-H5-0001",
        ),
    ))
    outcome = await store.submit(LICENSE, action)
    assert outcome.status is WriteStatus.SENT, outcome.message
    (manifest,) = outcome.details["manifest_numbers"]
    assert manifest and outcome.changed == (f"transfer {manifest} created",)
    # The outgoing list was refreshed: the new manifest is there.
    assert store.open_list(LICENSE, outgoing).find_label(manifest) is not None
    await store.aclose()
