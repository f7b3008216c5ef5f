"""Harvest writes (§9.3): packages from harvests (the weight comes off the harvest), waste,
finish, unfinish, move, rename."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import RowError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.writes import rows as r
from growtui.sandbox.metrc.wire import day

routes = Routes()
Plan = Callable[[], Any]


def _take_weight(ctx: Ctx, h: dict[str, Any], weight: float, unit: str) -> float:
    """``weight`` in ``unit`` as the harvest's unit, claimed against its CurrentWeight."""
    amount = vocab.convert(weight, unit, h["UnitOfWeightName"])
    r.spend(ctx, "harvest_weight", h, amount, h["CurrentWeight"], f"Harvest {h['Name']} has only {h['CurrentWeight']:g} {h['UnitOfWeightName']} left.")
    return amount


@routes.write("POST", "/harvests/v2/packages", ids=True)
def packages(ctx: Ctx, row: r.Row) -> Plan:
    tag = r.fresh_tag(ctx, row.get("Tag"), "Package", "Tag")
    loc = r.location(ctx, row, "Location", "ForPackages")
    sub = r.sublocation(ctx, row, "Sublocation")
    it = r.item(ctx, row, "Item")
    unit = r.unit(row, "UnitOfWeight", "WeightBased")
    if it["QuantityType"] != "WeightBased":
        raise RowError(f"Item {it['Name']} is not a weight-based item.")
    note = r.text(row, "Note", required=False)
    when = r.when(ctx, row, "ActualDate")
    extra = r.dates(row, ("ExpirationDate", "SellByDate", "UseByDate"))
    batch_no = r.text(row, "ProductionBatchNumber", required=r.flag(row, "IsProductionBatch"))
    ingredients = row.get("Ingredients")
    if not isinstance(ingredients, list) or not ingredients:
        raise RowError("Ingredients was not specified.")
    takes = []
    for ing in ingredients:
        if not isinstance(ing, dict):
            raise RowError("Each ingredient must be an object.")
        h = r.harvest(ctx, ing, id_key="HarvestId", name_key="HarvestName")
        weight, ing_unit = r.number(ing, "Weight"), r.unit(ing, "UnitOfWeight", "WeightBased")
        takes.append((h, _take_weight(ctx, h, weight, ing_unit), vocab.convert(weight, ing_unit, unit)))
    assert when is not None

    def apply() -> int:
        fac = ctx.facility
        tag["_Used"] = True
        quantity = round(sum(q for _, _, q in takes), 6)
        pkg = shapes.package(ctx.world.next_id(), tag["Label"], it, quantity, unit, loc, sub, when)
        names = sorted({h["Name"] for h, _, _ in takes})
        pkg.update(Note=note, SourceHarvestNames=", ".join(names), SourceHarvestCount=len(names), ProductionBatchNumber=batch_no, IsProductionBatch=batch_no is not None, **extra)
        for h, amount, _ in takes:
            h["TotalPackagedWeight"] = round(h["TotalPackagedWeight"] + amount, 6)
            h["PackageCount"] += 1
            shapes.reweigh(h)
            fac.touch(h)
        return fac.add("packages", pkg)["Id"]

    return apply


@routes.write("POST", "/harvests/v2/waste", ids=True)
def waste(ctx: Ctx, row: r.Row) -> Plan:
    h = r.harvest(ctx, row)
    kind = r.text(row, "WasteType")
    if kind not in vocab.HARVEST_WASTE_TYPES:
        raise RowError(f'The waste type "{kind}" is invalid. Valid values are: {", ".join(vocab.HARVEST_WASTE_TYPES)}.')
    unit = r.unit(row, "UnitOfWeight", "WeightBased")
    weight = r.number(row, "WasteWeight")
    amount = _take_weight(ctx, h, weight, unit)
    when = r.when(ctx, row, "ActualDate")
    assert when is not None and kind is not None

    def apply() -> int:
        fac = ctx.facility
        record = fac.add("harvest_waste", shapes.harvest_waste(ctx.world.next_id(), kind, weight, unit, when))
        record["_HarvestId"] = h["Id"]
        h["TotalWasteWeight"] = round(h["TotalWasteWeight"] + amount, 6)
        shapes.reweigh(h)
        fac.touch(h)
        return record["Id"]

    return apply


@routes.write("PUT", "/harvests/v2/finish", ids=True)
def finish(ctx: Ctx, row: r.Row) -> Plan:
    h = r.harvest(ctx, row)
    r.claim(ctx, "harvests", h["Id"], f"Harvest {h['Name']} appears more than once in this request.")
    when = r.when(ctx, row, "ActualDate")
    assert when is not None

    def apply() -> int:
        h["FinishedDate"] = day(when)
        ctx.facility.touch(h)
        return h["Id"]

    return apply


@routes.write("PUT", "/harvests/v2/unfinish", ids=True)
def unfinish(ctx: Ctx, row: r.Row) -> Plan:
    h = r.harvest(ctx, row, active=False)
    if h["FinishedDate"] is None:
        raise RowError(f"Harvest {h['Name']} is not finished.")
    r.claim(ctx, "harvests", h["Id"], f"Harvest {h['Name']} appears more than once in this request.")

    def apply() -> int:
        h["FinishedDate"] = None
        ctx.facility.touch(h)
        return h["Id"]

    return apply


@routes.write("PUT", "/harvests/v2/location", ids=True)
def move(ctx: Ctx, row: r.Row) -> Plan:
    h = r.harvest(ctx, row, name_key="HarvestName")
    loc = r.location(ctx, row, "DryingLocation", "ForHarvests")
    sub = r.sublocation(ctx, row, "DryingSublocation")
    r.when(ctx, row, "ActualDate")

    def apply() -> int:
        shapes.place(h, loc, sub, "Drying")
        ctx.facility.touch(h)
        return h["Id"]

    return apply


@routes.write("PUT", "/harvests/v2/rename", ids=True)
def rename(ctx: Ctx, row: r.Row) -> Plan:
    h = r.harvest(ctx, row, name_key="OldName", active=False)
    new = r.text(row, "NewName")
    assert new is not None
    if ctx.facility.by_name("harvests", new) not in (None, h):
        raise RowError(f"Harvest {new} already exists in the current Facility.")
    r.claim(ctx, "harvest_names", new.casefold(), f"Harvest name {new} appears more than once in this request.")

    def apply() -> int:
        h["Name"] = new
        ctx.facility.touch(h)
        return h["Id"]

    return apply
