"""Pure checks behind the sandbox write routes: types, dates, unit conversion, submit parsing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.sandbox.t3.mutation_checks import (
    Invalid,
    as_list,
    convert,
    fmt_qty,
    is_submit,
    no_duplicates,
    opt_date,
    req_datetime,
    req_id,
    req_number,
    req_str,
    to_wire_number,
    units_by_id,
)

UOMS = [
    {"id": 1, "abbreviation": "g", "quantityType": "WeightBased", "toBaseFactor": 1},
    {"id": 2, "abbreviation": "oz", "quantityType": "WeightBased", "toBaseFactor": 28.3495},
    {"id": 3, "abbreviation": "lb", "quantityType": "WeightBased", "toBaseFactor": 453.592},
    {"id": 4, "abbreviation": "ml", "quantityType": "VolumeBased", "toBaseFactor": 1},
    {"id": 5, "abbreviation": "l", "quantityType": "VolumeBased", "toBaseFactor": 1000},
    {"id": 6, "abbreviation": "ea", "quantityType": "CountBased", "toBaseFactor": 1},
    {"id": 7, "abbreviation": "kg", "quantityType": "WeightBased", "isArchived": True},
]


@pytest.mark.parametrize("raw, applies", [("true", True), (None, False), ("false", False), ("True", False), ("1", False)])
def test_only_literal_true_submits(raw, applies):
    assert is_submit(raw) is applies


def test_ids_accept_integral_floats_and_reject_the_rest():
    assert req_id({"id": 12.0}, "id", "x") == 12
    for bad in (12.5, "12", True, float("nan"), float("inf")):
        with pytest.raises(Invalid, match="whole number"):
            req_id({"id": bad}, "id", "Entry 1")
    with pytest.raises(Invalid, match="Entry 1: id is required"):
        req_id({}, "id", "Entry 1")


def test_numbers_are_exact_decimals():
    assert req_number({"q": 12.1}, "q", "x") == Decimal("12.1")
    with pytest.raises(Invalid, match="must be a number"):
        req_number({"q": "12"}, "q", "x")
    with pytest.raises(Invalid, match="finite"):
        req_number({"q": float("inf")}, "q", "x")


def test_strings_must_be_non_blank():
    with pytest.raises(Invalid, match="name is required"):
        req_str({"name": "  "}, "name", "Strain 1")
    with pytest.raises(Invalid, match="must be a string"):
        req_str({"name": 3}, "name", "Strain 1")


def test_array_bodies():
    with pytest.raises(Invalid, match="JSON array"):
        as_list({"id": 1}, "packages/notes")
    with pytest.raises(Invalid, match="empty"):
        as_list([], "packages/notes")


def test_dates_and_datetimes():
    assert str(opt_date({"d": "2025-02-03"}, "d", "x")) == "2025-02-03"
    assert str(opt_date({"d": "2025-02-03T10:00:00Z"}, "d", "x")) == "2025-02-03"
    with pytest.raises(Invalid, match="not a date"):
        opt_date({"d": "03/02/2025"}, "d", "x")
    assert req_datetime({"t": "2025-02-03T10:00:00+02:00"}, "t", "x").hour == 8
    with pytest.raises(Invalid, match="ISO-8601"):
        req_datetime({"t": "tomorrow"}, "t", "x")


def test_unit_conversion_within_quantity_types_only():
    units = units_by_id(UOMS)
    assert 7 not in units  # archived units are not offered
    assert convert(Decimal(1), units[3], units[1], "x") == Decimal("453.592")  # the license's own factor
    assert convert(Decimal(1), units[1], units[2], "x") == Decimal("0.0353")  # 0.035274.. kept to 4 places
    assert convert(Decimal(16), units[2], units[3], "x") == Decimal(1)
    assert convert(Decimal("1.5"), units[5], units[4], "x") == Decimal(1500)
    with pytest.raises(Invalid, match=r"cannot convert g \(weight\) to ml \(volume\)"):
        convert(Decimal(1), units[1], units[4], "Ingredient 1")
    with pytest.raises(Invalid, match="ea"):
        convert(Decimal(1), units[6], units[1], "x")


def test_quantity_formatting_and_wire_numbers():
    units = units_by_id(UOMS)
    assert fmt_qty(Decimal("12.50"), units[1]) == "12.5 g"
    assert to_wire_number(Decimal("20.000")) == 20
    assert to_wire_number(Decimal("0.1") + Decimal("0.2")) == 0.3


def test_duplicates_are_named():
    no_duplicates([1, 2, 3], "Package")
    with pytest.raises(Invalid, match="Package 2 appears more than once"):
        no_duplicates([1, 2, 2], "Package")
