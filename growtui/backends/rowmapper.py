"""Field tables -> row mappers: ``raw row -> frozen dataclass``, read leniently.

A mapping module declares, per model field, where the value sits in a raw row and how to coerce
it (``TEXT("name", "label")``: the first non-empty of those keys, as text). ``compile_mapper``
checks the table against the model once, at import, and returns a plain function that reads
each field and fills the model's slots directly (no per-field ``__init__`` keyword binding).

A mapper never raises on odd input: every value goes through a lenient coercion from ``wire``;
a row that is not a mapping maps like an empty row. The cache does not map rows at all on a load
(it reads display cells at ``raw_paths``), so this runs only for rows a screen or a write uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from growtui.backends import wire


@dataclass(frozen=True, slots=True)
class Read:
    """Read a field by wire key. ``kind`` picks the coercion; with several keys the first
    non-empty value wins; a dotted key ("item.name") reads inside a nested object."""

    kind: str
    keys: tuple[str, ...]


def TEXT(*keys: str) -> Read:  # noqa: N802 - reads like a column type in the tables
    return Read("text", keys)


def INT(*keys: str) -> Read:  # noqa: N802
    return Read("int", keys)


def DECIMAL(*keys: str) -> Read:  # noqa: N802
    return Read("decimal", keys)


def BOOL(*keys: str) -> Read:  # noqa: N802
    return Read("bool", keys)


def MAYBE_BOOL(*keys: str) -> Read:  # noqa: N802
    return Read("maybe_bool", keys)


def DAY(*keys: str) -> Read:  # noqa: N802
    return Read("day", keys)


def MOMENT(*keys: str) -> Read:  # noqa: N802
    return Read("moment", keys)


def STRINGS(*keys: str) -> Read:  # noqa: N802
    return Read("strings", keys)


# kind -> lenient coercion of one raw value
_COERCE: dict[str, Callable[[Any], Any]] = {
    "text": wire.text_value,
    "int": wire.int_value,
    "decimal": wire.decimal_value,
    "bool": wire.bool_value,
    "maybe_bool": wire.maybe_bool_value,
    "day": wire.day_value,
    "moment": wire.moment_value,
    "strings": wire.strings_value,
}


Reader = Read | Callable[[Mapping[str, Any]], Any]


def _empty(x: Any) -> bool:
    return x is None or x == "" or x == ()


def _getter(key: str) -> Callable[[Mapping[str, Any]], Any]:
    """Reads ``key`` of a row; "item.name" reads inside a nested object (one level)."""
    if "." not in key:
        return lambda raw: raw.get(key)
    head, _, leaf = key.partition(".")
    if not head.isidentifier() or "." in leaf:
        raise ValueError(f"unsupported nested key {key!r}: one level, identifier head")
    return lambda raw: wire.as_mapping(raw.get(head)).get(leaf)


def _reader(read: Read) -> Callable[[Mapping[str, Any]], Any]:
    coerce = _COERCE[read.kind]
    getters = [_getter(key) for key in read.keys]
    if len(getters) == 1:
        (get,) = getters
        return lambda raw: coerce(get(raw))

    def first_non_empty(raw: Mapping[str, Any]) -> Any:
        for get in getters:
            x = coerce(get(raw))
            if not _empty(x):
                return x
        return x

    return first_non_empty


def compile_mapper(cls: type, fields: Mapping[str, Reader]) -> Callable[[Mapping[str, Any]], Any]:
    """Build ``raw -> cls`` from ``{field name: Read | callable(raw)}``.

    Every dataclass field of ``cls`` not listed gets its default; ``raw`` gets the row itself.
    Raises at import time (ValueError) if the table names an unknown field or leaves a required
    one out, so a model change cannot silently drop a column.
    """
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__):
        raise TypeError(f"{cls.__name__} must be a @dataclass(slots=True): slots are filled directly")
    model_fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(fields) - set(model_fields)
    if unknown:
        raise ValueError(f"{cls.__name__}: no such fields {sorted(unknown)}")
    setters: list[Callable[[Any, Any], None]] = []  # the slots' member descriptors
    readers: list[Callable[[Mapping[str, Any]], Any]] = []
    defaults: list[tuple[Callable[[Any, Any], None], Any]] = []
    raw_slot = None
    for name, f in model_fields.items():
        setter = cls.__dict__[name].__set__
        reader = fields.get(name)
        if name == "raw":
            raw_slot = setter
        elif reader is None:
            if f.default is not dataclasses.MISSING:
                defaults.append((setter, f.default))
            elif f.default_factory is not dataclasses.MISSING:
                defaults.append((setter, f.default_factory()))
            else:
                raise ValueError(f"{cls.__name__}.{name} has no default and no reader")
        else:
            setters.append(setter)
            readers.append(_reader(reader) if isinstance(reader, Read) else reader)
    steps = list(zip(setters, readers))
    new = object.__new__

    def build(raw: Any) -> Any:
        if raw.__class__ is not dict:
            raw = wire.as_mapping(raw)
        o = new(cls)
        for setter, value in defaults:
            setter(o, value)
        if raw_slot is not None:
            raw_slot(o, raw)
        for setter, read in steps:
            setter(o, read(raw))
        return o

    build.__name__ = build.__qualname__ = f"map_{cls.__name__}"
    build.table = dict(fields)  # type: ignore[attr-defined]  # read by mapping.raw_paths
    return build
