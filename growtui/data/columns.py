"""Display columns per family, computed once when a row is written to the cache.

Columns and row facts (identity, label, state colour) name *domain fields* (attributes of
``growtui.domain.models``). A warm start must never parse 50k JSON blobs, and a full load should
not build 50k models either, so the backend says where each field sits in its raw rows
(``Backend.raw_paths``) and one generated function per family reads the cells straight from the
raw JSON. Every row stores its display cells, a lowercase search key and a style key next to the
raw JSON. Cells are plain str/int/float/None (never markup). Changing a column set or a backend's
paths changes the signature (`columns_signature`), which makes the cache recompute its rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from growtui.domain.collections import Family

MAX_COLUMNS = 10  # cache slots c0..c9

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # stable id, e.g. "label"
    header: str  # what the UI shows
    width: int  # preferred width in cells
    kind: str  # "text" | "number" | "date" | "datetime"
    field: str  # domain model field, e.g. "item_name"


RawPaths = Mapping[str, str]  # domain field -> dotted path in a backend's raw row ("item.name")


def _getter(path: str) -> Callable[[Mapping[str, Any]], Any]:
    parts = path.split(".")
    if len(parts) == 1:
        key = parts[0]
        return lambda raw: raw.get(key)

    def get(raw: Mapping[str, Any]) -> Any:
        cur: Any = raw
        for part in parts:
            if not isinstance(cur, Mapping):
                return None
            cur = cur.get(part)
        return cur

    return get


def _text(value: Any) -> Cell:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _number(value: Any) -> Cell:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else f


def _date(value: Any) -> Cell:
    # ISO dates sort correctly as text; Metrc uses 0001-01-01 as "no date".
    if not isinstance(value, str) or not value or value.startswith(("0001-", "0000-")):
        return None
    return value[:10]


def _datetime(value: Any) -> Cell:
    if not isinstance(value, str) or not value or value.startswith(("0001-", "0000-")):
        return None
    return value[:16].replace("T", " ")


_COERCE: dict[str, Callable[[Any], Cell]] = {
    "text": _text,
    "number": _number,
    "date": _date,
    "datetime": _datetime,
}


def _c(name: str, header: str, width: int, kind: str, field: str) -> Column:
    return Column(name, header, width, kind, field)


_MODIFIED = _c("modified", "Modified", 16, "datetime", "last_modified")

_TRANSFER_COMMON = (
    _c("manifest", "Manifest", 12, "text", "manifest_number"),
    _c("type", "Type", 16, "text", "shipment_type"),
    _c("packages", "Pkgs", 5, "number", "package_count"),
    _c("departure", "Departs", 16, "datetime", "estimated_departure"),
    _c("arrival", "Arrives", 16, "datetime", "estimated_arrival"),
    _c("created", "Created", 16, "datetime", "created_at"),
    _MODIFIED,
)

COLUMNS: dict[Family, tuple[Column, ...]] = {
    # Qty and Unit right after the item: at 80 columns they are on screen, not scrolled off.
    Family.PACKAGES: (
        _c("label", "Tag", 24, "text", "label"),
        _c("item", "Item", 28, "text", "item_name"),
        _c("quantity", "Qty", 9, "number", "quantity"),
        _c("unit", "Unit", 4, "text", "unit_label"),
        _c("strain", "Strain", 18, "text", "strain_name"),
        _c("location", "Location", 16, "text", "location_name"),
        _c("lab", "Lab", 14, "text", "lab_testing_state"),
        _c("packaged", "Packaged", 10, "date", "packaged_date"),
        _MODIFIED,
    ),
    Family.PLANTS: (
        _c("label", "Tag", 24, "text", "label"),
        _c("strain", "Strain", 18, "text", "strain_name"),
        _c("location", "Location", 16, "text", "location_name"),
        _c("phase", "Phase", 10, "text", "growth_phase"),
        _c("batch", "Batch", 18, "text", "plant_batch_name"),
        _c("planted", "Planted", 10, "date", "planted_date"),
        _MODIFIED,
    ),
    Family.PLANT_BATCHES: (
        _c("name", "Name", 24, "text", "name"),
        _c("strain", "Strain", 18, "text", "strain_name"),
        _c("location", "Location", 16, "text", "location_name"),
        _c("type", "Type", 6, "text", "batch_type"),
        _c("untracked", "Untracked", 9, "number", "untracked_count"),
        _c("tracked", "Tracked", 7, "number", "tracked_count"),
        _c("planted", "Planted", 10, "date", "planted_date"),
        _MODIFIED,
    ),
    Family.HARVESTS: (
        _c("name", "Name", 24, "text", "name"),
        _c("strains", "Strains", 18, "text", "strain_names"),
        _c("location", "Drying", 16, "text", "drying_location_name"),
        _c("weight", "Weight", 9, "number", "current_weight"),
        _c("unit", "Unit", 4, "text", "unit_label"),
        _c("plants", "Plants", 6, "number", "plant_count"),
        _c("lab", "Lab", 12, "text", "lab_testing_state"),
        _c("started", "Started", 10, "date", "harvest_start_date"),
        _MODIFIED,
    ),
    Family.ITEMS: (
        _c("name", "Name", 30, "text", "name"),
        _c("category", "Category", 18, "text", "category"),
        _c("strain", "Strain", 18, "text", "strain_name"),
        _c("unit", "Unit", 10, "text", "unit_name"),
        _c("qtype", "Quantity type", 12, "text", "quantity_type"),
    ),
    Family.STRAINS: (
        _c("name", "Name", 24, "text", "name"),
        _c("thc", "THC", 6, "number", "thc_level"),
        _c("cbd", "CBD", 6, "number", "cbd_level"),
        _c("indica", "Indica %", 8, "number", "indica_percentage"),
        _c("sativa", "Sativa %", 8, "number", "sativa_percentage"),
        _c("testing", "Testing", 10, "text", "testing_status"),
    ),
    Family.TRANSFERS_INCOMING: (
        _TRANSFER_COMMON[0],
        _c("facility", "From", 24, "text", "shipper_name"),
        *_TRANSFER_COMMON[1:],
    ),
    Family.TRANSFERS_OUTGOING: (
        _TRANSFER_COMMON[0],
        _c("facility", "To", 24, "text", "recipient_name"),
        *_TRANSFER_COMMON[1:],
    ),
    Family.TRANSFERS_REJECTED: (
        _TRANSFER_COMMON[0],
        _c("facility", "To", 24, "text", "recipient_name"),
        *_TRANSFER_COMMON[1:],
    ),
}

# What a row is called in messages and what a scan matches: a tag, a name or a manifest number.
LABEL_FIELD: dict[Family, str] = {
    Family.PACKAGES: "label",
    Family.PLANTS: "label",
    Family.PLANT_BATCHES: "name",
    Family.HARVESTS: "name",
    Family.ITEMS: "name",
    Family.STRAINS: "name",
    Family.TRANSFERS_INCOMING: "manifest_number",
    Family.TRANSFERS_OUTGOING: "manifest_number",
    Family.TRANSFERS_REJECTED: "manifest_number",
}

# Row facts read besides the columns: identity, the state colour and the refresh watermark.
ROW_FIELDS = (
    "id", "delivery_id", "is_on_hold", "lab_testing_state", "is_in_transit", "is_finished",
    "finished_date", "last_modified",
)

_TRANSFER_FAMILIES = frozenset(
    {Family.TRANSFERS_INCOMING, Family.TRANSFERS_OUTGOING, Family.TRANSFERS_REJECTED}
)

assert all(len(cols) <= MAX_COLUMNS for cols in COLUMNS.values())


def fields_of(family: Family) -> tuple[str, ...]:
    """Every domain field the cache reads from a raw row of ``family``."""
    return tuple(dict.fromkeys((*ROW_FIELDS, LABEL_FIELD[family], *(c.field for c in COLUMNS[family]))))


def columns_signature(paths_of: Callable[[Family], RawPaths]) -> str:
    """Changes whenever a column set or where a backend finds a field changes."""
    parts = sorted(
        (f.value, cols, sorted((k, paths_of(f).get(k)) for k in fields_of(f)))
        for f, cols in COLUMNS.items()
    )
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


class RowReader:
    """Reads domain fields of one family's raw rows at the backend's paths (None when absent)."""

    def __init__(self, family: Family, paths: RawPaths) -> None:
        self.family = family
        self.paths = paths
        self._get = {f: _getter(paths[f]) if f in paths else _absent for f in fields_of(family)}

    def __call__(self, raw: Mapping[str, Any], field: str) -> Any:
        return self._get[field](raw)

    def getter(self, field: str) -> Callable[[Mapping[str, Any]], Any]:
        return self._get[field]


def _absent(raw: Mapping[str, Any]) -> None:
    return None


def _norm_id(value: Any) -> int | str | None:
    """Some upstreams type ids as `number`: 123 and 123.0 are the same object."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def row_key(read: RowReader, raw: Mapping[str, Any]) -> int | str | None:
    """The cache identity of a row within its family.

    Transfers list one row per delivery, so a multi-delivery manifest is several rows with one id:
    those rows are keyed "id/deliveryId". Rows without an id fall back to their label.
    """
    obj_id = _norm_id(read(raw, "id"))
    if read.family in _TRANSFER_FAMILIES and obj_id is not None:
        delivery = _norm_id(read(raw, "delivery_id"))
        if delivery is not None:
            return f"{obj_id}/{delivery}"
    if obj_id is None:
        label = read(raw, LABEL_FIELD[read.family])
        return f"label:{label}" if label else None
    return obj_id


def style_key(read: RowReader, raw: Mapping[str, Any]) -> str:
    """A row state the UI colours by: onhold, labfail, intransit, finished or ""."""
    if read(raw, "is_on_hold"):
        return "onhold"
    family = read.family
    if family is Family.PACKAGES:
        lab = read(raw, "lab_testing_state")
        if isinstance(lab, str) and "Failed" in lab:
            return "labfail"
        if read(raw, "is_in_transit"):
            return "intransit"
        if read(raw, "is_finished") or read(raw, "finished_date"):
            return "finished"
    elif family is Family.HARVESTS:
        if read(raw, "lab_testing_state") == "Failed":
            return "labfail"
        if read(raw, "is_finished"):
            return "finished"
    return ""


class DisplayRow(NamedTuple):  # a tuple: made for every row of a load, so cheap to build
    key: int | str
    label: str
    search: str  # lowercase, every text cell and the label
    style: str
    cells: tuple[Cell, ...]
    last_modified: str | None


def reference_cells(
    columns: tuple[Column, ...], paths: RawPaths, raw: Mapping[str, Any]
) -> tuple[Cell, ...]:
    """Display cells the plain way (the specification `compile_cells` must match)."""
    return tuple(
        _COERCE[c.kind](_getter(paths[c.field])(raw) if c.field in paths else None) for c in columns
    )


# Inline fast paths per kind (`{v}` is a temporary, `{get}` the value); anything unusual falls
# back to the plain coercion function, so results equal `reference_cells` exactly.
_INLINE = {
    "text": "(({v} or None) if type({v} := {get}) is str else _text({v}))",
    "number": "({v} if type({v} := {get}) is int or type({v}) is float else _number({v}))",
    "date": "({v}[:10] if type({v} := {get}) is str and {v}[:1] > '0' else _date({v}))",
    "datetime": "({v}[:16].replace('T', ' ') if type({v} := {get}) is str and {v}[:1] > '0' "
    "else _datetime({v}))",
}


def _value_source(path: str) -> str:
    parts = path.split(".")
    if len(parts) == 1:
        return f"get({parts[0]!r})"
    if len(parts) == 2:
        return f"(_n.get({parts[1]!r}) if type(_n := get({parts[0]!r})) is dict else None)"
    return f"_getter({path!r})(raw)"


def compile_cells(
    columns: tuple[Column, ...], paths: RawPaths
) -> Callable[[Mapping[str, Any]], tuple[Cell, ...]]:
    """One generated function per column set: a 50k-row load spends most of its Python time
    here, and a flat tuple expression avoids two calls per cell. A field the backend does not
    have is an empty cell."""
    exprs = [
        _INLINE[c.kind].format(v=f"_v{i}", get=_value_source(paths[c.field]) if c.field in paths else "None")
        for i, c in enumerate(columns)
    ]
    source = "def cells(raw):\n    get = raw.get\n    return (" + ", ".join(exprs) + ",)\n"
    namespace: dict[str, Any] = {
        "_text": _text, "_number": _number, "_date": _date, "_datetime": _datetime, "_getter": _getter,
    }
    exec(compile(source, f"<cells {len(columns)}>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace["cells"]


class RowMaker:
    """Turns raw rows of one family into DisplayRows, reading fields at the backend's paths."""

    def __init__(self, family: Family, paths: RawPaths) -> None:
        self.family = family
        self.columns = COLUMNS[family]
        self._read = RowReader(family, paths)
        self._label = self._read.getter(LABEL_FIELD[family])
        self._modified = self._read.getter("last_modified")
        self._cells = compile_cells(self.columns, paths)

    def make(self, raw: Mapping[str, Any]) -> DisplayRow | None:
        key = row_key(self._read, raw)
        if key is None:
            return None  # nothing to identify it by: cannot be cached or acted on
        label = self._label(raw)
        label = "" if label is None else str(label)
        cells = self._cells(raw)
        # "\n" cannot be typed into a filter box, so a match never spans two cells.
        search = "\n".join([label, *[c for c in cells if isinstance(c, str)]]).lower()
        modified = self._modified(raw)
        return DisplayRow(
            key=key,
            label=label,
            search=search,
            style=style_key(self._read, raw),
            cells=cells,
            last_modified=modified if isinstance(modified, str) else None,
        )
