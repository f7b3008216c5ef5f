"""The field-table compiler behind the T3 mapping: semantics and the guards that keep tables honest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from growtui.backends.rowmapper import BOOL, DECIMAL, INT, MAYBE_BOOL, STRINGS, TEXT, compile_mapper


@dataclass(frozen=True, slots=True)
class Thing:
    id: int | None
    name: str
    size: Decimal | None = None
    ok: bool = False
    passed: bool | None = None
    words: tuple[str, ...] = ()
    item_name: str = ""
    untouched: str = "default"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


thing = compile_mapper(
    Thing,
    {
        "id": INT("id", "thingId"),
        "name": TEXT("name", "label"),
        "size": DECIMAL("size"),
        "ok": BOOL("ok"),
        "passed": MAYBE_BOOL("passed"),
        "words": STRINGS("words"),
        "item_name": TEXT("item.name"),
    },
)


def test_values_of_the_right_type_pass_through_and_others_are_coerced():
    raw = {"id": 7.0, "name": 12, "size": "1,234.5", "ok": "true", "passed": 0, "words": ["a", 1, "b"],
           "item": {"name": "Flower"}}
    assert thing(raw) == Thing(7, "12", Decimal("1234.5"), True, False, ("a", "b"), "Flower")
    assert thing(raw).raw is raw and thing(raw).untouched == "default"


def test_fallback_keys_apply_only_when_the_first_is_empty():
    assert thing({"thingId": 3, "label": "L"}) == Thing(3, "L")
    assert thing({"id": 0, "thingId": 3, "name": "N", "label": "L"}) == Thing(0, "N")
    assert thing({"id": None, "thingId": "x"}).id is None


def test_nested_object_that_is_not_an_object():
    assert thing({"item": "not an object"}).item_name == ""
    assert thing({"item": None}).item_name == ""


def test_tables_are_checked_when_compiled():
    with pytest.raises(ValueError, match="no such fields"):
        compile_mapper(Thing, {"id": INT("id"), "name": TEXT("name"), "colour": TEXT("colour")})
    with pytest.raises(ValueError, match="Thing.name has no default"):
        compile_mapper(Thing, {"id": INT("id")})
    with pytest.raises(ValueError, match="one level"):
        compile_mapper(Thing, {"id": INT("id"), "name": TEXT("a.b.c")})

    @dataclass(frozen=True)
    class NoSlots:
        id: int

    with pytest.raises(TypeError, match="slots=True"):
        compile_mapper(NoSlots, {"id": INT("id")})
