"""Action intents: what the confirm dialog says, and the client-side checks."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from growtui.domain.actions import (
    Action,
    AddNote,
    CreatePackage,
    CreateStrain,
    CreateTransfer,
    DiscontinueItem,
    DiscontinueStrain,
    FieldError,
    Ingredient,
    SaveTransferTemplate,
    TransferDestination,
    TransferPackage,
    TransferTransporter,
    TransporterDetail,
    Unfinish,
)
from growtui.domain.models import TransferType
from growtui.domain.units import Quantity, Unit

TAG = "1A4FF0100000022000099999"
SRC1, SRC2 = "1A4FF0100000022000012345", "1A4FF0100000022000012346"


def paths(errors: list[FieldError]) -> list[str]:
    return [e.path for e in errors]


def g(value: str) -> Quantity:
    return Quantity(Decimal(value), Unit.G)


# ---------------------------------------------------------------------------------------------
# Notes / unfinish


def test_add_note_summary_and_details():
    action = AddNote((1, 2, 3), (SRC1, SRC2, TAG), "Moved to vault")
    assert action.summary() == "Add note to 3 packages"
    assert action.detail_lines() == ["Note: Moved to vault", SRC1, SRC2, TAG]
    assert action.validate() == []
    assert isinstance(action, Action)
    assert AddNote((7,), (SRC1,), "x").summary() == "Add note to 1 package"


def test_add_note_checks():
    assert paths(AddNote((), (), "x").validate()) == ["package_ids"]
    assert paths(AddNote((1,), (SRC1,), "  ").validate()) == ["note"]
    assert paths(AddNote((1, 2), (SRC1,), "x").validate()) == ["labels"]
    dup = AddNote((1, 2, 1), (SRC1, SRC2, SRC1), "x").validate()
    assert paths(dup) == ["package_ids[2]"] and SRC1 in dup[0].message and "twice" in dup[0].message


def test_unfinish():
    action = Unfinish((10, 11), (SRC1, SRC2))
    assert action.summary() == "Unfinish 2 packages"
    assert action.detail_lines() == [SRC1, SRC2]
    assert action.validate() == []
    assert Unfinish((10,)).detail_lines() == ["Package 10"]  # no label known
    assert paths(Unfinish(()).validate()) == ["package_ids"]


# ---------------------------------------------------------------------------------------------
# Create package

DAY = date(2025, 9, 5)


def create_package(**changes) -> CreatePackage:
    base = CreatePackage(
        tag=TAG,
        tag_id=1527333,
        item_id=1160223,
        item_name="Blue Dream - Flower",
        location_id=50901,
        location_name="Vault",
        quantity=g("123.45"),
        unit_of_measure_id=1,
        ingredients=(
            Ingredient(5077333, SRC1, Quantity(Decimal("0.25"), Unit.LB), unit_of_measure_id=4, finish=True),
            Ingredient(5077334, SRC2, g("10"), unit_of_measure_id=1),
        ),
        actual_date=DAY,
        production_batch_number="PB-1",
        note="Split for retail",
        expiration_date=date(2026, 9, 5),
    )
    return replace(base, **changes)


def test_create_package_summary_and_details():
    action = create_package()
    assert action.summary() == f"Create package {TAG} (123.45 g of Blue Dream - Flower) from 2 packages"
    lines = action.detail_lines()
    assert f"New tag: {TAG}" in lines and "Location: Vault" in lines and "Expires: 2026-09-05" in lines
    assert f"  from {SRC1}: 0.25 lb, finish 2025-09-05" in lines
    assert f"  from {SRC2}: 10 g" in lines
    assert action.validate() == [] and action.validate(today=DAY) == []


def test_create_package_checks():
    assert paths(create_package(tag="1A4FF01").validate()) == ["tag"]
    assert "24" in create_package(tag="1A4FF01").validate()[0].message
    assert paths(create_package(item_id=None, item_name="").validate()) == ["item"]
    assert paths(create_package(location_id=None, location_name="").validate()) == ["location"]
    assert paths(create_package(quantity=g("0")).validate()) == ["quantity"]
    assert paths(create_package().validate(today=DAY - timedelta(days=1))) == ["actual_date"]
    assert paths(create_package(use_by_date=DAY - timedelta(days=1)).validate()) == ["use_by_date"]
    assert paths(create_package(ingredients=()).validate()) == ["ingredients"]


def test_create_package_ingredient_checks():
    ing = Ingredient(5077333, SRC1, g("1"), 1)
    assert paths(create_package(ingredients=(ing, ing)).validate()) == ["ingredients[1]"]
    assert paths(create_package(ingredients=(replace(ing, quantity=g("0")),)).validate()) == ["ingredients[0].quantity"]
    assert paths(create_package(ingredients=(replace(ing, label=TAG),)).validate()) == ["ingredients[0]"]
    early = replace(ing, finish=DAY - timedelta(days=2))
    assert paths(create_package(ingredients=(early,)).validate()) == ["ingredients[0].finish"]


def test_ingredient_cannot_take_more_than_the_source_holds():
    half_lb = Quantity(Decimal("0.5"), Unit.LB)
    exact = Ingredient(1, SRC1, g("226.7962"), 1, available=half_lb)  # 0.5 lb = 226.796185 g
    assert create_package(ingredients=(exact,)).validate() == []
    too_much = replace(exact, quantity=g("227"))
    errors = create_package(ingredients=(too_much,)).validate()
    assert paths(errors) == ["ingredients[0].quantity"]
    assert errors[0].message == f"{SRC1} has only 0.5 lb; 227 g is more than that."
    counted = replace(exact, available=Quantity(Decimal(10), Unit.EA))
    mixed = create_package(ingredients=(counted,)).validate()
    assert paths(mixed) == ["ingredients[0].quantity"] and "holds count" in mixed[0].message


def test_ingredient_finish_date():
    ing = Ingredient(1, SRC1, g("1"))
    assert ing.finish_date(DAY) is None
    assert replace(ing, finish=True).finish_date(DAY) == DAY
    assert replace(ing, finish=date(2025, 9, 9)).finish_date(DAY) == date(2025, 9, 9)


# ---------------------------------------------------------------------------------------------
# Items and strains


def strain(**changes) -> CreateStrain:
    base = CreateStrain("Blue Dream", Decimal("21.3"), Decimal("0.1"), Decimal(40), Decimal(60), "ThirdParty")
    return replace(base, **changes)


def test_create_strain():
    assert strain().summary() == "Create strain Blue Dream"
    assert strain().detail_lines()[1:3] == ["THC: 21.3%  CBD: 0.1%", "Indica 40% / Sativa 60%"]
    assert strain().validate() == []


def test_create_strain_checks():
    sums = strain(indica_percentage=Decimal(50)).validate()
    assert paths(sums) == ["sativa_percentage"] and "now 110" in sums[0].message
    assert paths(strain(indica_percentage=Decimal("40.5"), sativa_percentage=Decimal("59.5")).validate()) == []
    assert paths(strain(name=" ").validate()) == ["name"]
    assert paths(strain(thc_level=Decimal(101)).validate()) == ["thc_level"]
    assert paths(strain(cbd_level=Decimal(-1)).validate()) == ["cbd_level"]
    assert paths(strain(testing_status="Lab").validate()) == ["testing_status"]
    nan = strain(indica_percentage=Decimal("NaN")).validate()
    assert paths(nan) == ["indica_percentage"]


def test_discontinue_item_and_strain():
    assert DiscontinueItem(1160223, "Blue Dream - Flower").summary() == "Discontinue item Blue Dream - Flower"
    assert DiscontinueItem(5).summary() == "Discontinue item 5"
    assert DiscontinueStrain(12, "Blue Dream").summary() == "Discontinue strain Blue Dream"
    assert DiscontinueStrain(12, "Blue Dream").detail_lines() == ["Strain: Blue Dream (id 12)"]
    assert DiscontinueItem(1).validate() == [] and DiscontinueStrain(1).validate() == []


# ---------------------------------------------------------------------------------------------
# Transfers

WHOLESALE = TransferType(id=1, name="Wholesale Manifest", transaction_type="Wholesale",
                         requires_destination_gross_weight=True, minimum_wholesale_price=Decimal("0.01"))
DEPART = datetime(2025, 9, 23, 15, 0, tzinfo=UTC)
DETAIL = TransporterDetail("Sam Driver", "OL-1", "D1234567", "Ford", "Transit", "8ABC123")
TRANSPORTER = TransferTransporter(6006, "Fast Freight", "916-555-0199", (DETAIL,), "DIS00009")


def destination(**changes) -> TransferDestination:
    base = TransferDestination(
        recipient_id=5005,
        recipient_name="Main St Dispensary",
        recipient_license_number="RET00077",
        transfer_type=WHOLESALE,
        planned_route="I-5 S to exit 12",
        estimated_departure=DEPART,
        estimated_arrival=DEPART + timedelta(hours=2),
        packages=(TransferPackage(5077333, SRC1, Decimal("1200")), TransferPackage(5077334, SRC2, Decimal("80.5"))),
        transporters=(TRANSPORTER,),
        invoice_number="INV-1001",
        gross_weight=Quantity(Decimal("12.5"), Unit.LB),
        gross_unit_id=4,
    )
    return replace(base, **changes)


def test_create_transfer_summary_and_details():
    action = CreateTransfer((destination(),))
    assert action.summary() == "Create transfer of 2 packages to Main St Dispensary"
    lines = action.detail_lines()
    assert lines[0] == "To Main St Dispensary (RET00077): Wholesale Manifest"
    assert "depart 2025-09-23T15:00+00:00, arrive 2025-09-23T17:00+00:00" in lines[1]
    assert "  via Fast Freight: Sam Driver, Ford Transit (8ABC123)" in lines
    assert f"  {SRC1}  $1,200" in lines and f"  {SRC2}  $80.5" in lines
    assert action.validate() == []
    two = CreateTransfer((destination(), destination(packages=(TransferPackage(9, TAG, Decimal(1)),))))
    assert two.summary() == "Create transfer of 3 packages to 2 destinations"


def test_create_transfer_checks():
    assert paths(CreateTransfer(()).validate()) == ["destinations"]
    arrive_first = destination(estimated_arrival=DEPART - timedelta(minutes=1))
    assert paths(CreateTransfer((arrive_first,)).validate()) == ["destinations[0].estimated_arrival"]
    same_time = destination(estimated_arrival=DEPART)
    assert paths(CreateTransfer((same_time,)).validate()) == ["destinations[0].estimated_arrival"]
    naive = destination(estimated_arrival=datetime(2025, 9, 23, 18, 0))
    assert paths(CreateTransfer((naive,)).validate()) == ["destinations[0].estimated_arrival"]
    missing = destination(recipient_id=None, planned_route=" ", packages=(), gross_weight=None,
                          transfer_type=replace(WHOLESALE, id=None))
    assert paths(CreateTransfer((missing,)).validate()) == [
        "destinations[0].recipient",
        "destinations[0].transfer_type",
        "destinations[0].planned_route",
        "destinations[0].gross_weight",
        "destinations[0].packages",
    ]


def test_transfer_type_rules():
    invoice_type = replace(WHOLESALE, requires_invoice_number=True)
    assert paths(CreateTransfer((destination(transfer_type=invoice_type, invoice_number=""),)).validate()) == [
        "destinations[0].invoice_number"
    ]
    no_price = destination(packages=(TransferPackage(1, SRC1),))
    assert paths(CreateTransfer((no_price,)).validate()) == ["destinations[0].packages[0].wholesale_price"]
    cheap = destination(packages=(TransferPackage(1, SRC1, Decimal("0.001")),))
    assert "below the minimum" in CreateTransfer((cheap,)).validate()[0].message
    negative = destination(packages=(TransferPackage(1, SRC1, Decimal(-1)),))
    assert "negative" in CreateTransfer((negative,)).validate()[0].message
    transfer_type = TransferType(id=2, name="Transfer", requires_packages_gross_weight=True)
    no_weight = destination(transfer_type=transfer_type, gross_weight=None, packages=(TransferPackage(1, SRC1),))
    assert paths(CreateTransfer((no_weight,)).validate()) == ["destinations[0].packages[0].gross_weight"]
    volume = destination(gross_weight=Quantity(Decimal(1), Unit.L))
    assert "must be a weight" in CreateTransfer((volume,)).validate()[0].message


def test_a_package_can_go_on_a_transfer_once():
    again = destination(recipient_id=5006, packages=(TransferPackage(5077333, SRC1, Decimal(1)),))
    errors = CreateTransfer((destination(), again)).validate()
    assert paths(errors) == ["destinations[1].packages[0]"] and "already on this transfer" in errors[0].message


def test_transporter_checks():
    blank = TransporterDetail("", "", "", "", "", "")
    bad = TransferTransporter(None, "", " ", (blank,))
    errors = CreateTransfer((destination(transporters=(bad,)),)).validate()
    where = "destinations[0].transporters[0]"
    assert paths(errors) == [
        f"{where}.transporter",
        f"{where}.phone_number",
        *[f"{where}.details[0].{name}" for name in (
            "driver_name", "driver_occupational_license_number", "driver_license_number",
            "vehicle_make", "vehicle_model", "vehicle_license_plate_number")],
    ]
    no_details = TransferTransporter(1, "T", "916-555-0100", ())
    assert paths(CreateTransfer((destination(transporters=(no_details,)),)).validate()) == [
        "destinations[0].transporters[0].details"
    ]


def test_save_transfer_template():
    action = SaveTransferTemplate("Weekly Main St", (destination(),))
    assert action.summary() == 'Save transfer template "Weekly Main St" (1 destination, 2 packages)'
    assert action.detail_lines() == CreateTransfer((destination(),)).detail_lines()
    assert action.validate() == []
    assert paths(SaveTransferTemplate(" ", (destination(),)).validate()) == ["name"]


def test_field_error_text():
    assert str(FieldError("note", "Write a note.")) == "note: Write a note."
    assert str(FieldError("", "Nothing to send.")) == "Nothing to send."


@pytest.mark.parametrize(
    "action",
    [AddNote((1,), (SRC1,), "n"), Unfinish((1,)), create_package(), strain(), DiscontinueItem(1),
     DiscontinueStrain(1), CreateTransfer((destination(),)), SaveTransferTemplate("t", (destination(),))],
    ids=lambda a: type(a).__name__,
)
def test_actions_are_immutable_and_hashable_intents(action):
    assert isinstance(action, Action)
    first = fields(action)[0].name
    with pytest.raises(AttributeError):
        setattr(action, first, None)
    assert action == replace(action) and hash(action) == hash(replace(action))
