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
    new = r.new_package(ctx, row)
    unit = r.unit(row, "UnitOfWeight", "WeightBased")
    if new.item["QuantityType"] != "WeightBased":
        raise RowError(f"Item {new.item['Name']} is not a weight-based item.")
    takes = []
    for ing in r.ingredients(row):
        h = r.harvest(ctx, ing, id_key="HarvestId", name_key="HarvestName")
        weight, ing_unit = r.number(ing, "Weight"), r.unit(ing, "UnitOfWeight", "WeightBased")
        takes.append((h, _take_weight(ctx, h, weight, ing_unit), vocab.convert(weight, ing_unit, unit)))

    def apply() -> int:
        names = sorted({h["Name"] for h, _, _ in takes})
        pkg = new.build(ctx, round(sum(q for _, _, q in takes), 6), unit)
        pkg.update(SourceHarvestNames=", ".join(names), SourceHarvestCount=len(names))
        for h, amount, _ in takes:
            h["TotalPackagedWeight"] = round(h["TotalPackagedWeight"] + amount, 6)
            h["PackageCount"] += 1
            shapes.reweigh(h)
            ctx.facility.touch(h)
        return pkg["Id"]

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
    return r.move_to(ctx, h, row, purpose="ForHarvests", date_key="ActualDate", loc_key="DryingLocation", sub_key="DryingSublocation", prefix="Drying")


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
