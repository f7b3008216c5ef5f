"""Units: exact conversions, 4-place banker's rounding, parsing of what people type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from growtui.domain.units import (
    Dimension,
    Quantity,
    QuantityParseError,
    Unit,
    UnitMismatch,
    UnknownUnit,
    convert,
    format_decimal,
    parse_decimal,
    parse_quantity,
)

# 1 unit of the left in the right, worked out by hand from 1 lb = 453.59237 g, 1 oz = lb/16.
ONE_IN = {
    (Unit.G, Unit.MG): "1000",
    (Unit.G, Unit.KG): "0.001",
    (Unit.G, Unit.OZ): "0.0353",  # 0.03527396...
    (Unit.G, Unit.LB): "0.0022",  # 0.00220462...
    (Unit.MG, Unit.G): "0.001",
    (Unit.MG, Unit.KG): "0",  # 0.000001
    (Unit.MG, Unit.OZ): "0",  # 0.0000352...
    (Unit.MG, Unit.LB): "0",
    (Unit.KG, Unit.G): "1000",
    (Unit.KG, Unit.MG): "1000000",
    (Unit.KG, Unit.OZ): "35.2740",  # 35.27396195...
    (Unit.KG, Unit.LB): "2.2046",  # 2.20462262...
    (Unit.OZ, Unit.G): "28.3495",  # 28.349523125
    (Unit.OZ, Unit.MG): "28349.5231",  # 28349.523125
    (Unit.OZ, Unit.KG): "0.0283",
    (Unit.OZ, Unit.LB): "0.0625",
    (Unit.LB, Unit.G): "453.5924",  # 453.59237
    (Unit.LB, Unit.MG): "453592.37",
    (Unit.LB, Unit.KG): "0.4536",
    (Unit.LB, Unit.OZ): "16",
    (Unit.ML, Unit.L): "0.001",
    (Unit.L, Unit.ML): "1000",
    (Unit.FL_OZ, Unit.ML): "29.5735",  # 29.5735295625, the US fluid ounce
    (Unit.FL_OZ, Unit.L): "0.0296",  # 0.0295735...
    (Unit.ML, Unit.FL_OZ): "0.0338",  # 0.03381402...
    (Unit.L, Unit.FL_OZ): "33.8140",  # 33.81402270...
}


def test_the_table_covers_every_cross_unit_pair_of_a_dimension():
    pairs = {(a, b) for a in Unit for b in Unit if a is not b and a.dimension is b.dimension}
    assert pairs == set(ONE_IN)


@pytest.mark.parametrize(("pair", "expected"), sorted(ONE_IN.items()))
def test_one_unit_converts_exactly_then_rounds_to_4_places(pair, expected):
    a, b = pair
    result = Quantity(Decimal(1), a).to(b)
    assert result.unit is b
    assert result.value == Decimal(expected)
    assert result.value.as_tuple().exponent == -4  # always quantized


@pytest.mark.parametrize("unit", list(Unit))
def test_same_unit_conversion_only_quantizes(unit):
    assert Quantity(Decimal("2.00004"), unit).to(unit).value == Decimal("2.0000")


def test_large_values_stay_exact():
    assert Quantity(Decimal("3.5"), Unit.OZ).to(Unit.G).value == Decimal("99.2233")  # 99.22333094
    assert Quantity(Decimal("1000000"), Unit.LB).to(Unit.G).value == Decimal("453592370")
    assert Quantity(Decimal("1"), Unit.LB).to(Unit.OZ) == Quantity(Decimal("16.0000"), Unit.OZ)


@pytest.mark.parametrize(
    ("mg", "grams"),
    [("0.05", "0.0000"), ("0.15", "0.0002"), ("0.25", "0.0002"), ("0.35", "0.0004"), ("0.5", "0.0005")],
)
def test_rounding_is_half_even(mg, grams):
    assert convert(Decimal(mg), Unit.MG, Unit.G) == Decimal(grams)


@pytest.mark.parametrize(
    ("a", "b"), [(Unit.G, Unit.ML), (Unit.EA, Unit.G), (Unit.L, Unit.EA), (Unit.OZ, Unit.L), (Unit.ML, Unit.LB)]
)
def test_cross_dimension_conversion_is_refused(a, b):
    with pytest.raises(UnitMismatch) as info:
        Quantity(Decimal(1), a).to(b)
    assert a.value in str(info.value) and b.value in str(info.value)
    assert a.dimension.value in str(info.value)


def test_arithmetic_converts_to_the_left_unit():
    assert Quantity(Decimal(1), Unit.LB) + Quantity(Decimal(8), Unit.OZ) == Quantity(Decimal("1.5000"), Unit.LB)
    assert Quantity(Decimal(1), Unit.KG) - Quantity(Decimal(250), Unit.G) == Quantity(Decimal("0.7500"), Unit.KG)
    assert Quantity(Decimal(16), Unit.OZ).compare(Quantity(Decimal(1), Unit.LB)) == 0
    assert Quantity(Decimal(1), Unit.G).compare(Quantity(Decimal(1), Unit.MG)) == 1
    with pytest.raises(UnitMismatch):
        Quantity(Decimal(1), Unit.G) + Quantity(Decimal(1), Unit.EA)


def test_quantity_accepts_ints_and_floats_without_binary_noise():
    assert Quantity(3, Unit.EA).value == Decimal(3)
    assert Quantity(12.1, Unit.G).value == Decimal("12.1")  # not 12.0999999999999996447...


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("g", Unit.G), ("Grams", Unit.G), ("GRAM", Unit.G), ("Milligrams", Unit.MG), ("Kilograms", Unit.KG),
        ("kilo", Unit.KG), ("Ounces", Unit.OZ), ("oz.", Unit.OZ), ("Pounds", Unit.LB), ("lbs", Unit.LB),
        ("Milliliters", Unit.ML), ("millilitres", Unit.ML), ("Liters", Unit.L), ("l", Unit.L),
        ("Each", Unit.EA), ("ea", Unit.EA), ("ct", Unit.EA), (" each ", Unit.EA),
        ("fl oz", Unit.FL_OZ), ("Fluid Ounces", Unit.FL_OZ), ("fl. oz.", Unit.FL_OZ), ("FLOZ", Unit.FL_OZ),
    ],
)
def test_unit_names_and_abbreviations(text, unit):
    assert Unit.parse(text) is unit


def test_unknown_unit_message_lists_the_known_ones():
    with pytest.raises(UnknownUnit, match="furlong.*g, mg, kg.*fl oz, ea"):
        Unit.parse("furlong")
    assert Unit.lookup(None) is None and Unit.lookup(12) is None


def test_metrc_names_round_trip():
    for unit in Unit:
        assert Unit.parse(unit.metrc_name) is unit
    assert Unit.EA.dimension is Dimension.COUNT and Unit.L.dimension is Dimension.VOLUME


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("12.5 g", None, Quantity(Decimal("12.5"), Unit.G)),
        ("3.5oz", None, Quantity(Decimal("3.5"), Unit.OZ)),
        ("1,000", Unit.EA, Quantity(Decimal(1000), Unit.EA)),
        ("1,234,567.25 mg", None, Quantity(Decimal("1234567.25"), Unit.MG)),
        (" .25 lb ", None, Quantity(Decimal("0.25"), Unit.LB)),
        ("2 Pounds", Unit.G, Quantity(Decimal(2), Unit.LB)),  # a typed unit beats the default
        ("0", Unit.G, Quantity(Decimal(0), Unit.G)),
        ("+5 ml", None, Quantity(Decimal(5), Unit.ML)),
        ("7.", Unit.G, Quantity(Decimal(7), Unit.G)),
        ("0.0001 kg", None, Quantity(Decimal("0.0001"), Unit.KG)),
        ("3 fl oz", None, Quantity(Decimal(3), Unit.FL_OZ)),
        ("0.5 Fluid Ounces", Unit.ML, Quantity(Decimal("0.5"), Unit.FL_OZ)),
    ],
)
def test_parse_quantity_accepts(text, default, expected):
    assert parse_quantity(text, default) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-1 g", "negative"),
        ("-0.5", "negative"),
        ("nan", "not a finite number"),
        ("NaN g", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity oz", "not a finite number"),
        ("12,5 g", "use a dot"),
        ("1.23456 g", "more than 4 decimal places"),
        ("3 cups", "Unknown unit 'cups'"),
        ("abc", "not a number"),
        ("1,00 g", "use a dot"),
        ("12 g g2", "not a number"),
        ("5", "needs a unit"),
        ("1e3 g", "not a number"),
        ("1e13", "not a number"),
        ("9999999999999 g", "too large"),
    ],
)
def test_parse_quantity_rejects_with_a_clear_message(text, message):
    with pytest.raises(QuantityParseError, match=message):
        parse_quantity(text)


def test_parse_quantity_can_require_more_than_zero():
    with pytest.raises(QuantityParseError, match="more than zero"):
        parse_quantity("0 g", allow_zero=False)


def test_parse_decimal():
    assert parse_decimal("1,000") == Decimal(1000)
    assert parse_decimal("19.99", what="Price") == Decimal("19.99")
    with pytest.raises(QuantityParseError, match="Price '5 g' should be a plain number"):
        parse_decimal("5 g", what="Price")


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [("1234.5000", 4, "1,234.5"), ("3.0", 4, "3"), ("0.00004", 4, "0"), ("-0.00001", 4, "0"),
     ("2.345", 2, "2.34"), ("1000000", 4, "1,000,000"), ("0.1", 4, "0.1")],
)
def test_format_decimal(value, places, text):
    assert format_decimal(Decimal(value), places) == text


def test_display():
    assert str(Quantity(Decimal("1234.5"), Unit.G)) == "1,234.5 g"
    assert Quantity(Decimal("3"), Unit.EA).display() == "3 ea"


# ---------------------------------------------------------------------------------------------
# Properties

amounts = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
weights = st.sampled_from([u for u in Unit if u.dimension is Dimension.WEIGHT])
volumes = st.sampled_from([Unit.ML, Unit.L])
same_dimension = st.one_of(st.tuples(weights, weights), st.tuples(volumes, volumes))

_SIZE_IN_BASE = {Unit.G: 1, Unit.MG: Decimal("0.001"), Unit.KG: 1000, Unit.OZ: Decimal("28.349523125"),
                 Unit.LB: Decimal("453.59237"), Unit.ML: 1, Unit.L: 1000}


@given(amounts, same_dimension)
def test_round_trip_error_is_bounded_by_the_rounding(value, pair):
    a, b = pair
    back = Quantity(value, a).to(b).to(a).value
    half = Decimal("0.00005")
    # one rounding in b (worth half * size(b)/size(a) in a) plus one rounding in a
    bound = half + half * Decimal(_SIZE_IN_BASE[b]) / Decimal(_SIZE_IN_BASE[a])
    assert abs(back - value) <= bound


@given(amounts, amounts, same_dimension)
def test_conversion_is_monotonic(x, y, pair):
    a, b = pair
    lo, hi = min(x, y), max(x, y)
    assert convert(lo, a, b) <= convert(hi, a, b)


@given(amounts, st.sampled_from(list(Unit)))
def test_display_then_parse_is_identity(value, unit):
    q = Quantity(value, unit)
    assert parse_quantity(q.display()) == Quantity(value.normalize() + 0, unit)
    assert parse_quantity(q.display()).value == value


@given(st.text(max_size=20))
def test_parse_never_fails_with_anything_but_a_quantity_error(text):
    try:
        q = parse_quantity(text, Unit.G)
    except QuantityParseError as exc:
        assert str(exc)
    else:
        assert q.value >= 0 and q.value.is_finite()


def test_fluid_ounces_are_a_volume_of_exactly_29_5735295625_ml():
    """Metrc's "Fluid Ounces" (tinctures, oils): the US fluid ounce (ONE_IN has it against ml and l)."""
    assert Quantity(128, Unit.FL_OZ).to(Unit.L) == Quantity(Decimal("3.7854"), Unit.L)  # a US gallon
    assert Unit.FL_OZ.dimension is Dimension.VOLUME and Unit.FL_OZ.metrc_name == "Fluid Ounces"
    with pytest.raises(UnitMismatch):
        Quantity(1, Unit.FL_OZ).to(Unit.OZ)  # a fluid ounce is not an ounce of weight
