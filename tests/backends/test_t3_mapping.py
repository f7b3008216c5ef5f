"""T3 rows -> domain models, from realistic wire rows (tests/backends/t3_rows.json)."""

from __future__ import annotations

import json
import time
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from growtui.backends.t3.mapping import (
    create_inputs_to_domain,
    facility_to_domain,
    license_to_domain,
    map_rows,
    mapper_for,
    picker_to_domain,
    to_domain,
)
from growtui.domain.collections import ALL_COLLECTIONS, Collection, Family, SubCollection
from growtui.domain.models import (
    Delivery,
    DeliveryPackage,
    Facility,
    Harvest,
    HistoryEvent,
    Item,
    LabResult,
    Package,
    PackageCreateInputs,
    Plant,
    PlantBatch,
    Strain,
    Tag,
    Transfer,
    TransferCreateInputs,
    Transporter,
)
from growtui.domain.units import Quantity, Unit

ROWS = json.loads((Path(__file__).parent / "t3_rows.json").read_text())
C = Collection.parse

EXPECTED_TYPE = {
    Family.PLANTS: Plant,
    Family.PLANT_BATCHES: PlantBatch,
    Family.HARVESTS: Harvest,
    Family.PACKAGES: Package,
    Family.ITEMS: Item,
    Family.STRAINS: Strain,
    Family.TRANSFERS_INCOMING: Transfer,
    Family.TRANSFERS_OUTGOING: Transfer,
    Family.TRANSFERS_REJECTED: Transfer,
}
SUB_TYPE = {
    SubCollection.PLANT_HISTORY: HistoryEvent,
    SubCollection.PLANT_BATCH_HISTORY: HistoryEvent,
    SubCollection.HARVEST_HISTORY: HistoryEvent,
    SubCollection.HARVEST_PLANTS: Plant,
    SubCollection.HARVEST_PACKAGES: Package,
    SubCollection.PACKAGE_HISTORY: HistoryEvent,
    SubCollection.PACKAGE_LAB_RESULTS: LabResult,
    SubCollection.ITEM_HISTORY: HistoryEvent,
    SubCollection.TRANSFER_HISTORY: HistoryEvent,
    SubCollection.TRANSFER_DELIVERIES: Delivery,
    SubCollection.TRANSFER_TRANSPORTER_DETAILS: Transporter,
    SubCollection.DELIVERY_PACKAGES: DeliveryPackage,
    SubCollection.DELIVERY_TRANSPORTERS: Transporter,
}
FIXTURE_FOR_FAMILY = {
    Family.PLANTS: "plant", Family.PLANT_BATCHES: "plant_batch", Family.HARVESTS: "harvest",
    Family.PACKAGES: "package", Family.ITEMS: "item", Family.STRAINS: "strain",
    Family.TRANSFERS_INCOMING: "transfer", Family.TRANSFERS_OUTGOING: "transfer",
    Family.TRANSFERS_REJECTED: "transfer",
}


@pytest.mark.parametrize("collection", ALL_COLLECTIONS, ids=str)
def test_every_collection_maps_to_its_model(collection):
    raw = ROWS[FIXTURE_FOR_FAMILY[collection.family]]
    model = to_domain(collection, raw)
    assert type(model) is EXPECTED_TYPE[collection.family]
    assert model.raw is raw  # verbatim, for the detail view


# Every per-object list T3 has: all but Trace's strain state history.
T3_SUBS = [s for s in SubCollection if s is not SubCollection.STRAIN_HISTORY]


@pytest.mark.parametrize("sub", T3_SUBS, ids=str)
def test_every_sub_collection_maps_to_its_model(sub):
    model = to_domain(sub, {})
    assert type(model) is SUB_TYPE[sub]


def test_every_model_field_is_set_even_for_an_empty_row():
    for coll in [*ALL_COLLECTIONS, *T3_SUBS]:
        model = to_domain(coll, {})
        for f in fields(model):
            getattr(model, f.name)  # an unset slot would raise AttributeError


def test_plant():
    p = to_domain(C("plants/flowering"), ROWS["plant"])
    assert (p.id, p.label, p.index) == (4410021, "1A4FF0100000022000004410", "FLOWERING_PLANT")
    assert (p.state, p.growth_phase, p.plant_count) == ("Tracked", "Flowering", 1)
    assert (p.strain_id, p.strain_name, p.plant_batch_name) == (12, "Blue Dream", "BD-2025-07-01")
    assert (p.location_name, p.sublocation_name) == ("Flower Room 2", "")
    assert p.planted_date == date(2025, 7, 1) and p.flowering_date == date(2025, 8, 20)
    assert p.destroyed_date is None and p.destroyed_note == "" and p.harvest_id is None
    assert p.last_modified == datetime(2025, 9, 20, 18, 4, 11, tzinfo=UTC)


def test_plant_batch_with_float_ids():
    b = to_domain(C("plantbatches/active"), ROWS["plant_batch"])
    assert (b.id, b.name, b.strain_id) == (880, "BD-2025-07-01", 12)  # strainId came as 12.0
    assert (b.tracked_count, b.untracked_count, b.destroyed_count) == (60, 40, 2)
    assert b.source_plant_label == "1A4FF0100000022000000007" and b.sublocation_name == "Rack A"


def test_harvest_weights_are_quantities_in_the_harvest_unit():
    h = to_domain(C("harvests/active"), ROWS["harvest"])
    assert (h.id, h.name, h.harvest_type) == (301, "BD-H-2025-09-01", "WholePlant")
    assert h.current_weight == Quantity(Decimal("10432.5"), Unit.G)
    assert h.waste_weight == Quantity(Decimal("812.25"), Unit.G)
    assert h.wet_weight == Quantity(Decimal("11244.75"), Unit.G)
    assert h.packaged_weight == Quantity(Decimal(1500), Unit.G)
    assert h.restored_weight == Quantity(Decimal(0), Unit.G)
    assert h.lab_testing_state == "NotSubmitted" and h.lab_testing_state_date is None
    assert h.harvest_start_date == date(2025, 9, 1) and not h.is_finished
    assert h.last_modified == datetime(2025, 9, 3, 11, 12, 13, 500000, tzinfo=UTC)


def test_package():
    raw = ROWS["package"]
    p = to_domain(C("packages/active"), raw)
    assert (p.id, p.label, p.index, p.package_type) == (
        5077333, "1A4FF0100000022000012345", "ACTIVE_PACKAGE", "Product"
    )
    assert (p.item_id, p.item_name, p.item_category, p.strain_name) == (
        1160223, "Blue Dream - Flower", "Buds", "Blue Dream"
    )
    assert p.quantity == Quantity(Decimal("453.5924"), Unit.G) and p.unit_label == "g"
    assert (p.location_name, p.sublocation_name) == ("Vault", "Shelf 3")
    assert p.lab_testing_state == "TestPassed"
    assert p.lab_testing_state_date == datetime(2025, 9, 10, tzinfo=UTC)  # naive -> UTC
    assert p.packaged_date == date(2025, 9, 5)
    assert p.expiration_date == date(2026, 9, 5)  # a date-time, read as its day
    assert p.use_by_date is None  # 0001-01-01 sentinel
    assert p.production_batch_number == "PB-0917" and p.source_harvest_names == "BD-H-2025-09-01"
    assert p.note == "Trim <b>not</b> [bold]removed[/bold]"  # data, kept verbatim
    assert not (p.is_on_hold or p.is_finished or p.is_in_transit or p.is_archived)
    assert p.last_modified == datetime(2025, 9, 21, 8, 15, 0, 123456, tzinfo=UTC)
    assert p.raw["someFieldAddedLater"] == {"nested": [1, 2, 3]}


def test_package_states_and_unknown_enums_are_kept():
    raw = dict(ROWS["package"], index="QUARANTINED_PACKAGE", labTestingStateName="SomethingNew",
               isOnHold=True, isFinished="true", isInTransit=1, unitOfMeasureAbbreviation="Grams")
    p = to_domain(C("packages/onhold"), raw)
    assert p.index == "QUARANTINED_PACKAGE" and p.lab_testing_state == "SomethingNew"
    assert p.is_on_hold and p.is_finished and p.is_in_transit
    assert p.quantity == Quantity(Decimal("453.5924"), Unit.G)


def test_package_with_unknown_unit_keeps_the_label_but_no_quantity():
    p = to_domain(C("packages/active"), dict(ROWS["package"], unitOfMeasureAbbreviation="t"))
    assert p.quantity is None and p.unit_label == "t"
    p = to_domain(C("packages/active"), dict(ROWS["package"], unitOfMeasureAbbreviation="fl oz"))
    assert p.quantity is not None and p.quantity.unit is Unit.FL_OZ and p.unit_label == "fl oz"


def test_item_and_strain():
    i = to_domain(C("items"), ROWS["item"])
    assert (i.id, i.name, i.category, i.quantity_type) == (1160223, "Blue Dream - Flower", "Buds", "WeightBased")
    assert (i.unit_name, i.unit, i.strain_id, i.approval_status) == ("Grams", Unit.G, 12, "Approved")
    assert i.brand_name == "" and i.is_used
    s = to_domain(C("strains"), ROWS["strain"])
    assert (s.id, s.name, s.testing_status) == (12, "Blue Dream", "ThirdParty")
    assert (s.thc_level, s.cbd_level) == (Decimal("21.3"), Decimal("0.1"))
    assert s.indica_percentage + s.sativa_percentage == 100


def test_transfer_row_is_one_delivery():
    t = to_domain(C("transfers/outgoing/active"), ROWS["transfer"])
    assert (t.id, t.manifest_number, t.delivery_id) == (99001, "0004512345", 77001)  # leading zeros kept
    assert (t.recipient_license_number, t.recipient_name, t.recipient_facility_id) == (
        "RET00077", "Main St Dispensary", 5005
    )
    assert t.vehicle == "Ford Transit (8ABC123)" and t.driver_name == "Sam Driver"
    assert t.estimated_departure == datetime(2025, 9, 23, 8, 0, tzinfo=timezone(timedelta(hours=-7)))
    assert t.actual_departure is not None and t.actual_arrival is None and t.in_transit
    assert (t.package_count, t.invoice_number, t.transaction_type) == (4, "INV-1001", "Wholesale")


def test_delivery_manifest_number_typed_int_is_padded_like_the_transfer_list():
    d = to_domain(SubCollection.TRANSFER_DELIVERIES, ROWS["delivery"])
    assert (d.id, d.manifest_number, d.delivery_number) == (77001, "0004512345", 1)
    assert d.manifest_number == to_domain(C("transfers/outgoing/active"), ROWS["transfer"]).manifest_number
    as_text = to_domain(SubCollection.TRANSFER_DELIVERIES, dict(ROWS["delivery"], manifestNumber="0004512345"))
    assert as_text.manifest_number == "0004512345"
    assert d.gross_weight == Quantity(Decimal("12.5"), Unit.LB)
    assert d.planned_route.startswith("I-5 S") and d.package_count == 4


def test_delivery_package():
    p = to_domain(SubCollection.DELIVERY_PACKAGES, ROWS["delivery_package"])
    assert (p.package_id, p.id, p.label) == (5077333, 5077333, "1A4FF0100000022000012345")
    assert p.shipped == Quantity(Decimal("453.5924"), Unit.G)
    assert p.received == Quantity(Decimal(0), Unit.G)
    assert p.gross_weight == Quantity(Decimal("1.1"), Unit.LB)
    assert p.shipper_wholesale_price == Decimal(1200) and p.receiver_wholesale_price is None
    assert p.shipment_package_state == "Shipped" and p.is_in_transit


def test_transporters_of_both_shapes():
    t = to_domain(SubCollection.DELIVERY_TRANSPORTERS, ROWS["transporter"])
    assert (t.license_number, t.name, t.direction) == ("DIS00009", "Fast Freight", "Outbound")
    assert (t.driver_name, t.driver_license_number, t.vehicle_license_plate_number) == (
        "Sam Driver", "D1234567", "8ABC123"
    )
    d = to_domain(SubCollection.TRANSFER_TRANSPORTER_DETAILS, ROWS["transporter_details"])
    assert (d.facility_id, d.delivery_id, d.line_number, d.direction) == (6006, 77001, 1, "Outbound")
    assert d.actual_departure == datetime(2025, 9, 23, 15, 12, tzinfo=UTC)


def test_history_and_lab_results():
    h = to_domain(SubCollection.PACKAGE_HISTORY, ROWS["history"])
    assert h.descriptions == ("Packaged 453.5924 g of Blue Dream - Flower", "Location: Vault")
    assert h.text.count("\n") == 1 and h.user_name == "alex" and h.actual_date == date(2025, 9, 5)
    lab = to_domain(SubCollection.PACKAGE_LAB_RESULTS, ROWS["lab_result"])
    assert (lab.package_id, lab.lab_test_result_id, lab.lab_name) == (5077333, 4001, "Sure Labs")
    assert (lab.test_type, lab.test_passed, lab.overall_passed) == ("THC (%) Raw Plant Material", True, True)
    assert lab.result_level == Decimal("22.41") and lab.document_file_id == 889 and not lab.is_revoked
    unknown = to_domain(SubCollection.PACKAGE_LAB_RESULTS, dict(ROWS["lab_result"], testPassed=None))
    assert unknown.test_passed is None  # not reported is not failed


def test_harvest_sub_lists():
    plant = to_domain(SubCollection.HARVEST_PLANTS, ROWS["harvest_plant"])
    assert (plant.id, plant.harvest_id, plant.label, plant.plant_count) == (
        4410021, 301, "1A4FF0100000022000004410", 1
    )
    pkg = to_domain(SubCollection.HARVEST_PACKAGES, ROWS["harvest_package"])
    assert (pkg.id, pkg.label, pkg.item_name, pkg.item_category) == (
        5077333, "1A4FF0100000022000012345", "Blue Dream - Flower", "Buds"
    )
    assert pkg.quantity == Quantity(Decimal(500), Unit.G) and pkg.packaged_date == date(2025, 9, 5)


def test_license_and_facility():
    lic = license_to_domain(ROWS["license"])
    assert (lic.number, lic.name) == ("CUL00001", "Green Acres Cultivation")
    f = facility_to_domain(ROWS["facility"])
    assert isinstance(f, Facility)
    assert (f.id, f.license_number, f.name, f.facility_type) == (5005, "RET00077", "Main St Dispensary", "Retailer")
    assert f.address == "12 Main St, Unit 4, Sacramento, CA 95814"
    assert f.main_phone == "916-555-0100" and f.mobile_phone == ""


def test_package_create_inputs():
    inputs = create_inputs_to_domain("package", ROWS["package_inputs"])
    assert isinstance(inputs, PackageCreateInputs)
    assert [loc.name for loc in inputs.locations] == ["Vault"]  # the junk entry is dropped
    assert inputs.locations[0].for_packages and inputs.locations[0].id == 50901
    assert inputs.sublocations == ("Shelf 1", "Shelf 3")
    assert [(t.id, t.label, t.index) for t in inputs.tags] == [(1527333, "1A4FF0100000022000099999", "AVAILABLE_TAG")]
    assert [(u.id, u.abbreviation, u.unit) for u in inputs.units] == [
        (1, "g", Unit.G), (4, "lb", Unit.LB), (9, "fl oz", Unit.FL_OZ)
    ]
    assert (inputs.unit_id(Unit.G), inputs.unit_id(Unit.LB), inputs.unit_id(Unit.OZ)) == (1, 4, None)
    assert inputs.unit_id(Unit.FL_OZ) == 9


def test_transfer_create_inputs():
    inputs = create_inputs_to_domain("transfer", ROWS["transfer_inputs"])
    assert isinstance(inputs, TransferCreateInputs)
    (ttype,) = inputs.transfer_types
    assert (ttype.id, ttype.name, ttype.requires_wholesale_price) == (1, "Wholesale Manifest", True)
    assert ttype.requires_destination_gross_weight and not ttype.requires_packages_gross_weight
    assert ttype.minimum_wholesale_price == Decimal("0.01") and ttype.maximum_wholesale_price is None
    assert [(d.name, d.occupational_license_number, d.drivers_license_number) for d in inputs.drivers] == [
        ("Sam Driver", "OL-1", "D1234567")
    ]
    assert [(v.make, v.model, v.license_plate_number) for v in inputs.vehicles] == [("Ford", "Transit", "8ABC123")]
    assert inputs.default_phone == "916-555-0199" and inputs.units[0].unit is Unit.LB
    assert inputs.unit_id(Unit.LB) == 4 and inputs.unit_id(Unit.G) is None
    with pytest.raises(ValueError, match="unknown create-inputs kind"):
        create_inputs_to_domain("plant", {})
    assert create_inputs_to_domain("transfer", None).transfer_types == ()  # type: ignore[arg-type]


def test_pickers():
    assert isinstance(picker_to_domain("source-tags", ROWS["package_inputs"]["tags"][0]), Tag)
    assert picker_to_domain("destinations", ROWS["facility"]).license_number == "RET00077"
    assert picker_to_domain("source-packages", ROWS["package"]).label == "1A4FF0100000022000012345"
    assert picker_to_domain("source-items", ROWS["item"]).name == "Blue Dream - Flower"
    with pytest.raises(KeyError, match="unknown picker"):
        picker_to_domain("plants", {})


def test_read_only_mappings_are_rows_too():
    from types import MappingProxyType

    p = to_domain(C("packages/active"), MappingProxyType(ROWS["package"]))
    assert p.label == "1A4FF0100000022000012345" and p.item_name == "Blue Dream - Flower"
    assert p.raw["label"] == p.label


def test_models_are_frozen_and_raw_is_not_compared():
    a = to_domain(C("packages/active"), ROWS["package"])
    b = to_domain(C("packages/active"), dict(ROWS["package"], someFieldAddedLater=None))
    assert a == b  # same modelled fields
    with pytest.raises(AttributeError):
        a.label = "x"  # type: ignore[misc]
    assert "raw" not in repr(a)


def test_mapping_many_rows_is_fast():
    rows = [dict(ROWS["package"], id=i, label=f"1A4FF0100000022{i:09d}") for i in range(10_000)]
    start = time.process_time()
    models = map_rows(C("packages/active"), rows)
    spent = time.process_time() - start
    assert [m.id for m in models[:3]] == [0, 1, 2] and models[-1].label.endswith("000009999")
    # ~15 µs a row on a loaded 2-core box (0.15 s); the bound leaves room for CI noise.
    assert spent < 1.0, f"mapping 10k packages took {spent:.2f}s"
    assert mapper_for(C("packages/active")) is mapper_for(C("packages/onhold"))
