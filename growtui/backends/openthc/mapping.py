"""Raw OpenTHC rows -> domain models, leniently (a missing key or a wrong type gives a default).

Varieties are strains, inventory lots are packages, plants are plants, sections are the rooms
(locations) lots and plants sit in. Lots and plants name their section, product and variety by
id only; the backend adds the names it read from those lists under ``_names`` (the rest of the
row is kept verbatim in ``raw``). Quantities are numbers or "25.0000" strings (reference A.2.2).
An object marked for deletion (``stat`` 410) is shown in the Inactive list until it is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from growtui.backends.rowmapper import DECIMAL, MOMENT, TEXT, Read, compile_mapper
from growtui.backends.wire import int_value, quantity, text_value
from growtui.domain.b2b_work import DONE
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.deletion import MARKED as MARKED_TEXT
from growtui.domain.models import Item, LabResult, License, Package, Plant, Strain, Transfer
from growtui.domain.units import Unit

Raw = Mapping[str, Any]
LIVE, MARKED = 200, 410  # an object's ``stat``: live, or marked for deletion (2nd DELETE confirms)
NAMES = "_names"  # what the backend resolved: {"section": …, "product": …, "variety": …}
STATE = "_state"  # added by the backend to marked rows: MARKED_TEXT


def stat(raw: Raw) -> int:
    found = int_value(raw.get("stat")) if isinstance(raw, Mapping) else None
    return LIVE if found is None else found


def marked(raw: Raw) -> bool:
    return stat(raw) != LIVE


def _state(live: str) -> Callable[[Raw], str]:
    return lambda raw: MARKED_TEXT if marked(raw) else live


def _license_name(raw: Raw) -> str:
    name, code = text_value(raw.get("name")), text_value(raw.get("code"))
    return f"{name} ({code})" if name and code else name or code


# The number is the license's OpenTHC id: what signing in, --license and every request name it by.
license_to_domain = compile_mapper(License, {"number": TEXT("id"), "name": _license_name})

strain = compile_mapper(
    Strain,
    {
        "id": TEXT("id"),
        "name": TEXT("name"),
        "testing_status": TEXT("type"),  # Hybrid / Indica / Sativa …: what OpenTHC says of a variety
        "is_archived": marked,
        "index": _state("active"),
    },
)

package = compile_mapper(
    Package,
    {
        "id": TEXT("id"),
        "label": TEXT("id"),
        "index": _state("active"),
        "item_name": TEXT(f"{NAMES}.product", "name"),
        "strain_name": TEXT(f"{NAMES}.variety"),
        "quantity": lambda raw: quantity(raw, "qty", "uom"),
        "unit_label": TEXT("uom"),
        "location_name": TEXT(f"{NAMES}.section"),
        "is_archived": marked,
    },
)

plant = compile_mapper(
    Plant,
    {
        "id": TEXT("id"),
        "label": TEXT("name", "id"),
        "index": _state("growing"),
        "state": _state("Tracked"),
        "strain_name": TEXT("variety.name", f"{NAMES}.variety"),
        "location_name": TEXT(f"{NAMES}.section"),
        "last_modified": MOMENT("updated_at"),
    },
)

def b2b_status(raw: Raw) -> str:
    """A B2B transfer's state in words: the sandbox's ``status`` (open, committed, accepted), else
    "marked for deletion" or "void" by ``stat`` (the spec's B2B objects carry neither)."""
    if marked(raw):
        return MARKED_TEXT if stat(raw) == MARKED else "void"
    return text_value(raw.get("status")).lower() or "open"


def b2b_done(raw: Raw) -> bool:
    """Done with: accepted, or marked for deletion / voided (the Inactive side of the lists)."""
    return b2b_status(raw) in DONE


def _items(raw: Raw) -> int | None:
    items = raw.get("item_list") if isinstance(raw, Mapping) else None
    return len(items) if isinstance(items, list) else None


# A B2B transfer is one manifest; OpenTHC names licenses by id, code and name.
transfer = compile_mapper(
    Transfer,
    {
        "id": TEXT("id"),
        "manifest_number": TEXT("id"),
        "index": b2b_status,
        "shipment_type": b2b_status,
        "shipper_license_number": TEXT("source.code", "source.id"),
        "shipper_name": lambda raw: _license_name(nested(raw, "source")),
        "recipient_license_number": TEXT("target.code", "target.id"),
        "recipient_name": lambda raw: _license_name(nested(raw, "target")),
        "package_count": _items,
        "estimated_departure": MOMENT("depart_at"),
        "estimated_arrival": MOMENT("arrive_at"),
        "created_at": MOMENT("created_at"),
        "last_modified": MOMENT("updated_at"),
    },
)

_QUANTITY_TYPE = {"g": "WeightBased", "l": "VolumeBased", "ea": "CountBased"}


def product_uom(raw: Raw) -> str:
    """A product's unit: ``uom`` (the sandbox, the reference server's create) or ``package.uom``
    (the spec's example)."""
    package = raw.get("package")
    return text_value(raw.get("uom")) or (text_value(package.get("uom")) if isinstance(package, Mapping) else "")


# Products are the items lots are of; their type (Flower, Clone …) is the category.
item = compile_mapper(
    Item,
    {
        "id": TEXT("id"),
        "name": TEXT("name"),
        "category": TEXT("type.name"),
        "unit_name": product_uom,
        "unit": lambda raw: Unit.lookup(product_uom(raw)),
        "quantity_type": lambda raw: _QUANTITY_TYPE.get(product_uom(raw).lower(), ""),
        "is_archived": marked,
        "index": _state("active"),
    },
)

BY_FAMILY: dict[Family, Callable[[Raw], Any]] = {
    Family.ITEMS: item,
    Family.STRAINS: strain, Family.PACKAGES: package, Family.PLANTS: plant,
    Family.TRANSFERS_OUTGOING: transfer, Family.TRANSFERS_INCOMING: transfer,
}


def lab_line(sample: Raw, result: Raw | None, metric: Raw | None, metric_name: str) -> dict[str, Any]:
    """One line of a lot's lab results: a metric of a result of a sample taken from the lot (or
    the sample alone while it waits for a result). The first keys say it in brief (the detail
    pane shows them); the sample, result and metric follow as OpenTHC sent them."""
    line: dict[str, Any] = {}
    if metric is not None:
        line.update(test=metric_name, qom=metric.get("qom"), uom=metric.get("uom"), status=metric.get("status"))
    else:
        line.update(test="sample", status=text_value(result.get("status")) if result else "awaiting result")
    line.update(lab_sample=sample, lab_result=result, metric=metric)
    return line


def _passed(value: Any) -> bool | None:
    word = text_value(value).lower()
    return True if word == "pass" else False if word == "fail" else None


lab_result = compile_mapper(
    LabResult,
    {
        "package_id": lambda raw: ref_id(nested(nested(raw, "lab_sample"), "origin"), "inventory"),
        "lab_test_result_id": TEXT("lab_result.id"),
        "lab_license_number": lambda raw: ref_id(nested(raw, "lab_result"), "license"),
        "test_type": TEXT("test"),
        "test_passed": lambda raw: _passed(raw.get("status")),
        "overall_passed": lambda raw: _passed(nested(raw, "lab_result").get("status")),
        "result_level": DECIMAL("qom"),
        "performed_date": MOMENT("lab_result.created_at"),
        "last_modified": MOMENT("lab_result.updated_at"),
    },
)
SUBS: dict[SubCollection, Callable[[Raw], Any]] = {SubCollection.PACKAGE_LAB_RESULTS: lab_result}


def to_domain(collection: Collection | SubCollection, raw: Raw) -> Any:
    """One raw row -> its domain model (never raises on odd rows)."""
    if isinstance(collection, SubCollection):
        if collection not in SUBS:
            raise ValueError(f"OpenTHC has no {collection} list")
        return SUBS[collection](raw)
    return BY_FAMILY[collection.family](raw)


def raw_paths(family: Family) -> dict[str, str]:
    """Where each domain field of ``family`` sits in a raw OpenTHC row."""
    mapper = BY_FAMILY.get(family)
    if mapper is None:
        return {}
    return {name: r.keys[0] for name, r in mapper.table.items() if isinstance(r, Read)}  # type: ignore[attr-defined]


def nested(raw: Any, key: str) -> Raw:
    """``raw[key]`` when it is an object, else an empty one (upstream sends what it sends)."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def ref_id(raw: Raw, key: str) -> str:
    """The id of a nested reference (``{"section": {"id": …}}``; a bare id string is accepted too)."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    return text_value(value.get("id") if isinstance(value, Mapping) else value)
