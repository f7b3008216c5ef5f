"""The transfer builder's draft model: JSON round trip, totals, and typed text -> CreateTransfer."""

from __future__ import annotations

from decimal import Decimal

from growtui.domain.models import TransferCreateInputs, TransferType, UnitOfMeasure
from growtui.domain.units import Unit
from growtui.ui.screens.transfer_builder import error_field
from growtui.ui.transfer_draft import Builder, DestinationDraft, LineDraft, TransferDraft, totals

WHOLESALE = TransferType(id=1, name="Wholesale Manifest", transaction_type="Wholesale",
                         requires_packages_gross_weight=True)
INPUTS = TransferCreateInputs(
    transfer_types=(WHOLESALE,),
    units=(UnitOfMeasure(id=2, name="Grams", abbreviation="g", unit=Unit.G),
           UnitOfMeasure(id=5, name="Pounds", abbreviation="lb", unit=Unit.LB)),
)


def filled() -> TransferDraft:
    dest = DestinationDraft(
        transfer_type_id=1, recipient={"id": 7, "name": "Shop", "license_number": "C10-1"},
        transporter={"id": 9, "name": "Haul", "license_number": "T-1"},
        driver_name="Maria", driver_occupational_license_number="E1", driver_license_number="D1",
        vehicle_make="Ford", vehicle_model="Transit", vehicle_license_plate_number="8ABC",
        phone_number="916-555-0100", planned_route="I-80", departure="2026-11-23 12:00", arrival="2026-11-23 14:00",
        lines=[LineDraft(11, "TAG11", "Flower", "10 g", "120", "1 lb"), LineDraft(12, "TAG12", "", "2.5 g")],
    )
    return TransferDraft(destinations=[dest])


def test_json_round_trip_and_unknown_keys_ignored():
    draft = filled()
    data = draft.to_json()
    data["destinations"][0]["future_field"] = 1
    again = TransferDraft.from_json(data)
    assert again == draft


def test_totals_count_and_sum_per_unit():
    assert totals(filled().dest.lines) == "2 packages · 12.5 g"
    assert totals([]) == "0 packages"


def test_new_destination_copies_the_trip_not_the_packages():
    draft = filled()
    new = draft.add_destination()
    assert draft.current == 1 and new.lines == [] and new.recipient is None
    assert (new.driver_name, new.departure, new.transfer_type_id) == ("Maria", "2026-11-23 12:00", 1)


def test_builder_reports_each_bad_field_by_path():
    draft = filled()
    draft.dest.arrival = "tomorrow"
    draft.dest.lines[1].wholesale_price = "abc"
    builder = Builder(INPUTS)
    action = builder.transfer(draft)
    paths = {e.path for e in builder.errors}
    assert paths == {"destinations[0].estimated_arrival", "destinations[0].packages[1].wholesale_price"}
    line = action.destinations[0].packages[0]
    assert (line.wholesale_price, line.gross_weight.value, line.gross_unit_id) == (Decimal(120), Decimal(1), 5)
    assert error_field("destinations[0].packages[1].wholesale_price", {"lines"}) == "lines"
    assert error_field("destinations[0].transporters[0].details[0].vehicle_make", {"vehicle_make"}) == "vehicle_make"


def test_valid_draft_makes_a_valid_transfer_and_template():
    builder = Builder(INPUTS)
    draft = filled()
    draft.dest.lines[1].wholesale_price = "10"
    draft.dest.lines[1].gross_weight = "3 g"
    assert builder.transfer(draft).validate() == [] and builder.errors == []
    draft.template_name = "Weekly"
    template = Builder(INPUTS).template(draft)
    assert template.name == "Weekly" and template.validate() == []
