"""Property tests: no row from upstream, however odd, makes the T3 mapping raise."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growtui.backends import wire
from growtui.backends.t3.mapping import (
    create_inputs_to_domain,
    facility_to_domain,
    license_to_domain,
    picker_to_domain,
    to_domain,
)
from growtui.domain.collections import ALL_COLLECTIONS, SubCollection
from growtui.domain.units import Quantity

ROWS = json.loads((Path(__file__).parent / "t3_rows.json").read_text())


def _keys(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


KNOWN_KEYS = sorted(_keys(ROWS, set()))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["0001-01-01T00:00:00", "0000-00-00", "2025-09-21T08:15:00.1234567Z", "2025-13-45",
                     "2025-09-05", "123", "123.0", "1e400", "NaN", "true", "False", "g", "Grams", "fl oz",
                     "2025-09-21T25:00:00", "9999-12-31T23:59:59.999999-23:59"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KNOWN_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
rows = st.dictionaries(st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8)), json_values, max_size=25)
not_rows = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=3))

# Realistic rows with some fields replaced by junk: exercises the fast paths and fallbacks.
fixture_names = st.sampled_from(sorted(ROWS))


@st.composite
def mutated_fixture(draw):
    base = dict(ROWS[draw(fixture_names)])
    for key in draw(st.lists(st.sampled_from(sorted(base)), max_size=8)):
        base[key] = draw(json_values)
    return base


ALL = [*ALL_COLLECTIONS, *(s for s in SubCollection if s is not SubCollection.STRAIN_HISTORY)]  # T3 has no strain history
PICKERS = ["source-items", "source-packages", "source-tags", "destinations", "transporters", "transfer-packages"]

_TYPES_OK = (str, int, bool, Decimal, date, datetime, Quantity, tuple, type(None))


def _check_model(model):
    for f in fields(model):
        value = getattr(model, f.name)
        if f.name == "raw":
            continue
        assert isinstance(value, _TYPES_OK) or hasattr(value, "value"), (f.name, value)
        if isinstance(value, Decimal):
            assert value.is_finite()
        if isinstance(value, Quantity):
            assert value.value.is_finite()


def _map_everything(raw):
    for coll in ALL:
        _check_model(to_domain(coll, raw))
    for picker in PICKERS:
        _check_model(picker_to_domain(picker, raw))
    _check_model(license_to_domain(raw))
    _check_model(facility_to_domain(raw))
    create_inputs_to_domain("package", raw)
    create_inputs_to_domain("transfer", raw)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_random_rows_never_raise(raw):
    _map_everything(raw)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_fixture())
def test_realistic_rows_with_junk_fields_never_raise(raw):
    _map_everything(raw)


@given(not_rows)
def test_non_object_rows_map_to_empty_models(raw):
    for coll in ALL:
        model = to_domain(coll, raw)
        assert model.raw == {}


@given(json_values)
def test_wire_coercions_never_raise_and_keep_their_types(value):
    assert isinstance(wire.text_value(value), str)
    i = wire.int_value(value)
    assert i is None or (type(i) is int)
    d = wire.decimal_value(value)
    assert d is None or d.is_finite()
    assert wire.bool_value(value) in (True, False)
    assert wire.maybe_bool_value(value) in (True, False, None)
    day = wire.day_value(value)
    assert day is None or (type(day) is date and day.year > 1)
    moment = wire.moment_value(value)
    assert moment is None or (moment.tzinfo is not None and moment.year > 1)
    assert all(isinstance(s, str) for s in wire.strings_value(value))
    assert all(isinstance(o, dict) for o in wire.objects_value(value))
    wire.unit_value(value)


def test_id_spellings():
    assert [wire.int_value(v) for v in (123, 123.0, "123", " 123 ", "123.0", 123.5, True, "x", math.inf)] == [
        123, 123, 123, 123, 123, None, None, None, None
    ]


def test_date_spellings():
    assert wire.day_value("2025-09-05") == date(2025, 9, 5)
    assert wire.day_value("2025-09-05T23:59:59-07:00") == date(2025, 9, 5)
    assert wire.day_value("0001-01-01T00:00:00") is None and wire.day_value("0000-00-00") is None
    assert wire.moment_value("2025-09-21T08:15:00.1234567Z").microsecond == 123456  # .NET 7 digits
    assert wire.moment_value("2025-09-21").hour == 0
    assert wire.moment_value("0001-01-01T00:00:00Z") is None and wire.moment_value("soon") is None


def test_text_of_numbers_keeps_manifest_digits():
    assert wire.text_value(4512345) == "4512345" and wire.text_value(4512345.0) == "4512345"
    assert wire.text_value(12.5) == "12.5" and wire.text_value(True) == "" and wire.text_value({"a": 1}) == ""
