"""Compile a declarative field table into a fast row -> frozen-dataclass mapper.

A license can hold 50k packages of ~40 fields each. A hand-written mapper that calls one helper
per field and then the frozen dataclass ``__init__`` (one ``object.__setattr__`` per field, plus
keyword binding) costs ~20 µs a row; the generated code below inlines the common case (the value
already has the right type) and fills the slots directly, which is several times faster.
Readability lives in the tables (``mapping.py``); this module is the only clever part.

The generated function never raises on odd input: every value goes through a lenient coercion
from ``wire``; a row that is not a mapping maps like an empty row.
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


# kind -> expression template over a raw value ``v`` (evaluated once; no double reads).
_COERCE = {
    "text": "v if v.__class__ is _str else _text(v)",
    "int": "v if v.__class__ is _int else _int_v(v)",
    "decimal": "_dec(v)",
    "bool": "v if v is True or v is False else _bool(v)",
    "maybe_bool": "v if v is True or v is False else _mbool(v)",
    "day": "_day(v)",
    "moment": "_moment(v)",
    "strings": "_strings(v)",
}

_GLOBALS: dict[str, Any] = {
    "_str": str,
    "_int": int,
    "_dict": dict,
    "_text": wire.text_value,
    "_int_v": wire.int_value,
    "_dec": wire.decimal_value,
    "_bool": wire.bool_value,
    "_mbool": wire.maybe_bool_value,
    "_day": wire.day_value,
    "_moment": wire.moment_value,
    "_strings": wire.strings_value,
    "_as_mapping": wire.as_mapping,
    "_new": object.__new__,
}


Reader = Read | Callable[[Mapping[str, Any]], Any]


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
    ns: dict[str, Any] = dict(_GLOBALS, _cls=cls)
    body = [
        "def build(raw):",
        "    if raw.__class__ is not _dict:",
        "        raw = _as_mapping(raw)",
        "    g = raw.get",
    ]
    # Nested objects ("item" of "item.name") are looked up once per row.
    heads = sorted(
        {key.split(".")[0] for r in fields.values() if isinstance(r, Read) for key in r.keys if "." in key}
    )
    for head in heads:
        body.append(f"    n = g({head!r})")
        body.append(f"    nested_{head} = (n if n.__class__ is _dict else _as_mapping(n)).get")
    body.append("    o = _new(_cls)")
    for i, (name, f) in enumerate(model_fields.items()):
        setter = f"_set{i}"
        ns[setter] = cls.__dict__[name].__set__  # the slot's member descriptor
        if name == "raw":
            body.append(f"    {setter}(o, raw)")
            continue
        reader = fields.get(name)
        if reader is None:
            if f.default is not dataclasses.MISSING:
                ns[f"_default{i}"] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                ns[f"_default{i}"] = f.default_factory()
            else:
                raise ValueError(f"{cls.__name__}.{name} has no default and no reader")
            body.append(f"    {setter}(o, _default{i})")
        elif isinstance(reader, Read):
            body.extend(_read_lines(reader, ns, i))
            body.append(f"    {setter}(o, x)")
        else:
            ns[f"_fn{i}"] = reader
            body.append(f"    {setter}(o, _fn{i}(raw))")
    body.append("    return o")
    exec(compile("\n".join(body), f"<mapper {cls.__name__}>", "exec"), ns)  # noqa: S102
    build = ns["build"]
    build.__name__ = build.__qualname__ = f"map_{cls.__name__}"
    build.table = dict(fields)  # type: ignore[attr-defined]  # read by mapping.raw_paths
    return build


def _read_lines(reader: Read, ns: dict[str, Any], i: int) -> list[str]:
    coerce = _COERCE[reader.kind]
    lines: list[str] = []
    for n, key in enumerate(reader.keys):
        if "." in key:
            head, _, leaf = key.partition(".")
            if not head.isidentifier() or "." in leaf:
                raise ValueError(f"unsupported nested key {key!r}: one level, identifier head")
            fetch = f"nested_{head}({leaf!r})"
        else:
            fetch = f"g({key!r})"
        indent = "    " if n == 0 else "        "
        if n:
            lines.append('    if x is None or x == "" or x == ():')
        lines.append(f"{indent}v = {fetch}")
        lines.append(f"{indent}x = {coerce}")
    return lines
