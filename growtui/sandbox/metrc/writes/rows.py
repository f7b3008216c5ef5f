"""Readers for one write row: each returns the resolved value or raises ``RowError`` with the
message Metrc would put against that row. Keys are read exactly as documented (PascalCase):
a row sending ``Label`` where the endpoint wants ``PackageLabel`` is told the latter is missing.

``ctx.staged`` carries what earlier rows of the same request already claim (tags, plants,
quantities), so two rows cannot spend the same tag or the same grams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import RowError
from growtui.sandbox.metrc.http import Ctx
from growtui.sandbox.metrc.seed import next_tag_label
from growtui.sandbox.metrc.wire import fold, parse_day
from growtui.sandbox.metrc.world import Obj

Row = dict[str, Any]


def text(row: Row, key: str, *, required: bool = True) -> str | None:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(f"{key} was not specified.")
        return None
    if not isinstance(value, str):
        raise RowError(f"{key} must be a string.")
    return value.strip()


def number(row: Row, key: str, *, positive: bool = True, signed: bool = False) -> float:
    value = row.get(key)
    if value is None:
        raise RowError(f"{key} was not specified.")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RowError(f"{key} must be a number.")
    if signed:
        if value == 0:
            raise RowError(f"{key} must not be zero.")
    elif positive and value <= 0:
        raise RowError(f"{key} must be greater than zero.")
    elif value < 0:
        raise RowError(f"{key} must not be negative.")
    return float(value)


def count(row: Row, key: str, *, signed: bool = False) -> int:
    value = number(row, key, signed=signed)
    if value != int(value):
        raise RowError(f"{key} must be a whole number.")
    return int(value)


def when(ctx: Ctx, row: Row, key: str, *, required: bool = True) -> date | None:
    raw = row.get(key)
    if raw is None or raw == "":
        if required:
            raise RowError(f"{key} was not specified.")
        return None
    parsed = parse_day(raw)
    if parsed is None:
        raise RowError(f"{key} '{raw}' is not a valid date.")
    if parsed > ctx.world.now().date():
        raise RowError(f"{key} {parsed.isoformat()} cannot be in the future.")
    return parsed


def dates(row: Row, keys: Iterable[str]) -> dict[str, str | None]:
    """Optional calendar dates (expiration, sell-by, use-by): any date, null clears."""
    out: dict[str, str | None] = {}
    for key in keys:
        raw = row.get(key)
        parsed = parse_day(raw)
        if raw not in (None, "") and parsed is None:
            raise RowError(f"{key} '{raw}' is not a valid date.")
        out[key] = parsed.isoformat() if parsed else None
    return out


def flag(row: Row, key: str) -> bool:
    value = row.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RowError(f"{key} must be true or false.")
    return value


# --- facility objects by name --------------------------------------------------------------------


def location(ctx: Ctx, row: Row, key: str, purpose: str) -> Obj:
    """An active location whose type allows ``purpose`` (ForPlants, ForHarvests…)."""
    loc = _named(ctx, row, key, "locations", "Location")
    assert loc is not None
    if not loc[purpose]:
        what = {"ForPlants": "plants", "ForPlantBatches": "plant batches", "ForHarvests": "harvests", "ForPackages": "packages"}[purpose]
        raise RowError(f"Location {loc['Name']} (type {loc['LocationTypeName']}) cannot hold {what}.")
    return loc


def _named(ctx: Ctx, row: Row, key: str, kind: str, what: str, *, required: bool = True) -> Obj | None:
    name = text(row, key, required=required)
    if name is None:
        return None
    found = ctx.facility.by_name(kind, name)
    if found is None:
        raise RowError(f"{what} {name} does not exist in the current Facility.")
    return found


def sublocation(ctx: Ctx, row: Row, key: str) -> Obj | None:
    return _named(ctx, row, key, "sublocations", "Sublocation", required=False)


def strain(ctx: Ctx, row: Row, key: str) -> Obj:
    found = _named(ctx, row, key, "strains", "Strain")
    assert found is not None
    return found


def item(ctx: Ctx, row: Row, key: str) -> Obj:
    found = _named(ctx, row, key, "items", "Item")
    assert found is not None
    return found


def unit(row: Row, key: str, quantity_type: str | None = None) -> str:
    raw = text(row, key)
    name = vocab.unit(raw)
    if name is None:
        raise RowError(f"Unit of measure {raw} does not exist.")
    if quantity_type is not None and vocab.quantity_type(name) != quantity_type:
        raise RowError(f"Unit of measure {name} is not {quantity_type}.")
    return name


def _lookup(table: list[dict[str, Any]], row: Row, key: str, what: str) -> dict[str, Any]:
    name = text(row, key)
    found = next((r for r in table if fold(r["Name"]) == fold(name)), None)
    if found is None:
        valid = ", ".join(r["Name"] for r in table)
        raise RowError(f'The {what} "{name}" is invalid. Valid values are: {valid}.')
    return found


def waste_method(row: Row, key: str) -> str:
    return _lookup([{"Name": m[0]} for m in vocab.WASTE_METHODS], row, key, "waste method")["Name"]


def reason(row: Row, key: str, table: list[dict[str, Any]], note_key: str) -> tuple[str, str | None]:
    """(reason name, note); the note is required where the reason says so."""
    found = _lookup(table, row, key, "reason")
    note = text(row, note_key, required=found["RequiresNote"])
    return found["Name"], note


# --- tracked objects -----------------------------------------------------------------------------


def claim(ctx: Ctx, what: str, key: Any, message: str) -> None:
    claimed = ctx.staged.setdefault(what, set())
    if key in claimed:
        raise RowError(message)
    claimed.add(key)


def plant(ctx: Ctx, row: Row, *, id_key: str = "Id", label_key: str = "Label", once: bool = True) -> Obj:
    """A tracked plant by ``Id`` when given, else by ``Label``; each plant once per request."""
    fac = ctx.facility
    pid = row.get(id_key)
    if pid is not None:
        found = fac.plants.get(pid) if isinstance(pid, int) else None
        shown = str(pid)
    else:
        label = text(row, label_key)
        found, shown = fac.by_label("plants", label), str(label)
    if found is None:
        raise RowError(f"Plant {shown} does not exist in the current Facility.")
    if found["State"] != "Tracked":
        raise RowError(f"Plant {found['Label']} is not an active plant ({found['State']}).")
    if found["IsOnHold"]:
        raise RowError(f"Plant {found['Label']} is on hold.")
    if once:
        claim(ctx, "plants", found["Id"], f"Plant {found['Label']} appears more than once in this request.")
    return found


def package(ctx: Ctx, row: Row, key: str = "Label", *, state: str = "active") -> Obj:
    """A package by label in ``state``: ``active`` (open, not on hold, not in transit) or ``finished``."""
    label = text(row, key)
    found = ctx.facility.by_label("packages", label)
    if found is None:
        raise RowError(f"Package {label} does not exist in the current Facility.")
    if state == "finished":
        if not found["IsFinished"]:
            raise RowError(f"Package {label} is not finished.")
        return found
    if found["IsFinished"] or found.get("_Discontinued"):
        raise RowError(f"Package {label} is finished or discontinued.")
    if found["IsOnHold"]:
        raise RowError(f"Package {label} is on hold.")
    if found.get("_InTransit"):
        raise RowError(f"Package {label} is in transit.")
    return found


def batch(ctx: Ctx, row: Row, key: str) -> Obj:
    name = text(row, key)
    found = ctx.facility.by_name("plant_batches", name)
    if found is None:
        raise RowError(f"Plant Batch {name} does not exist in the current Facility.")
    if found["IsOnHold"]:
        raise RowError(f"Plant Batch {found['Name']} is on hold.")
    return found


def harvest(ctx: Ctx, row: Row, *, id_key: str = "Id", name_key: str | None = None, active: bool = True) -> Obj:
    fac = ctx.facility
    hid = row.get(id_key)
    if hid is None and name_key is not None:
        name = text(row, name_key)
        found, shown = fac.by_name("harvests", name), str(name)
    else:
        if hid is None:
            raise RowError(f"{id_key} was not specified.")
        found, shown = (fac.harvests.get(hid) if isinstance(hid, int) else None), str(hid)
    if found is None:
        raise RowError(f"Harvest {shown} does not exist in the current Facility.")
    if active and found["FinishedDate"] is not None:
        raise RowError(f"Harvest {found['Name']} is finished.")
    if active and found["IsOnHold"]:
        raise RowError(f"Harvest {found['Name']} is on hold.")
    return found


def fresh_tag(ctx: Ctx, label: Any, kind: str, key: str) -> Obj:
    """An unused tag of ``kind`` (Plant/Package) this facility owns; claimed for this request."""
    if not isinstance(label, str) or not label.strip():
        raise RowError(f"{key} was not specified.")
    found = ctx.facility.tag(label.strip())
    if found is None or found["_Kind"] != kind:
        raise RowError(f"Tag {label} is not a {kind.lower()} tag available to the current Facility.")
    if found["_Used"]:
        raise RowError(f"Tag {label} has already been used.")
    claim(ctx, "tags", found["Label"], f"Tag {label} is used more than once in this request.")
    return found


def tag_run(ctx: Ctx, start: Any, n: int, key: str) -> list[Obj]:
    """``n`` plant tags in sequence from ``start`` (batch -> tagged plants), all unused."""
    tags = [fresh_tag(ctx, start, "Plant", key)]
    label = tags[0]["Label"]
    for _ in range(n - 1):
        label = next_tag_label(label)
        tags.append(fresh_tag(ctx, label, "Plant", key))
    return tags


def spend(ctx: Ctx, what: str, obj: Obj, amount: float, available: float, message: str) -> None:
    """Claim ``amount`` of ``available`` on ``obj`` across this request's rows."""
    spent = ctx.staged.setdefault(what, {})
    if spent.get(obj["Id"], 0.0) + amount > available + 1e-9:
        raise RowError(message)
    spent[obj["Id"]] = spent.get(obj["Id"], 0.0) + amount


@dataclass
class NewPackage:
    """The fields every package-creating write shares (tag, place, item, note, dates), validated."""

    tag: Obj
    loc: Obj
    sub: Obj | None
    item: Obj
    note: str | None
    when: date
    fields: dict[str, Any]

    def build(self, ctx: Ctx, quantity: float, unit: str, package_type: str = "Product") -> Obj:
        """Apply time: the stored package, its tag used."""
        self.tag["_Used"] = True
        pkg = shapes.package(ctx.world.next_id(), self.tag["Label"], self.item, quantity, unit, self.loc, self.sub, self.when, package_type)
        pkg.update(Note=self.note, **self.fields)
        return ctx.facility.add("packages", pkg)


def new_package(ctx: Ctx, row: Row, *, flags: Iterable[str] = ()) -> NewPackage:
    tag = fresh_tag(ctx, row.get("Tag"), "Package", "Tag")
    loc = location(ctx, row, "Location", "ForPackages")
    sub = sublocation(ctx, row, "Sublocation")
    it = item(ctx, row, "Item")
    note = text(row, "Note", required=False)
    day = when(ctx, row, "ActualDate")
    assert day is not None
    fields: dict[str, Any] = dates(row, ("ExpirationDate", "SellByDate", "UseByDate"))
    fields.update({name: flag(row, name) for name in flags})
    if "IsProductionBatch" in row:
        number = text(row, "ProductionBatchNumber", required=flag(row, "IsProductionBatch"))
        fields.update(ProductionBatchNumber=number, IsProductionBatch=number is not None)
    return NewPackage(tag, loc, sub, it, note, day, fields)


def ingredients(row: Row) -> list[Row]:
    listed = row.get("Ingredients")
    if not isinstance(listed, list) or not listed:
        raise RowError("Ingredients was not specified.")
    if not all(isinstance(i, dict) for i in listed):
        raise RowError("Each ingredient must be an object.")
    return listed


def growth_phase(row: Row, key: str = "GrowthPhase") -> str:
    phase = text(row, key)
    if phase not in vocab.GROWTH_PHASES:
        raise RowError(f'The growth phase "{phase}" is invalid. Valid values are: {", ".join(vocab.GROWTH_PHASES)}.')
    return phase


def move_to(ctx: Ctx, obj: Obj, row: Row, *, purpose: str, date_key: str, loc_key: str = "Location", sub_key: str = "Sublocation", prefix: str = "") -> Callable[[], int]:
    """A move of ``obj`` (plant, batch, package; ``prefix="Drying"`` for a harvest) to a checked place."""
    loc = location(ctx, row, loc_key, purpose)
    sub = sublocation(ctx, row, sub_key)
    when(ctx, row, date_key)

    def apply() -> int:
        shapes.place(obj, loc, sub, prefix)
        ctx.facility.touch(obj)
        return obj["Id"]

    return apply
