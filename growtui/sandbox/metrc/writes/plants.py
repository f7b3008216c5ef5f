"""Plant writes (§9.1): move, growth phase, destroy (DELETE with a body), harvest and manicure with
per-plant wet weights, plant waste, replace tag."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import RowError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.writes import rows as r
from growtui.sandbox.metrc.world import Obj
from growtui.sandbox.metrc.wire import day

routes = Routes()
Plan = Callable[[], Any]


@routes.write("PUT", "/plants/v2/location", ids=False)
def move(ctx: Ctx, row: r.Row) -> Plan:
    return r.move_to(ctx, r.plant(ctx, row), row, purpose="ForPlants", date_key="ActualDate")


@routes.write("PUT", "/plants/v2/growthphase", ids=False)
def growth_phase(ctx: Ctx, row: r.Row) -> Plan:
    plant = r.plant(ctx, row)
    phase = r.growth_phase(row)
    if plant["GrowthPhase"] == "Flowering" and phase == "Vegetative":
        raise RowError(f"Plant {plant['Label']} is flowering and cannot go back to Vegetative.")
    if plant["GrowthPhase"] == phase:
        raise RowError(f"Plant {plant['Label']} is already {phase}.")
    new_tag = r.fresh_tag(ctx, row["NewTag"], "Plant", "NewTag") if row.get("NewTag") else None
    loc = r.location(ctx, row, "NewLocation", "ForPlants")
    sub = r.sublocation(ctx, row, "NewSublocation")
    when = r.when(ctx, row, "GrowthDate")
    assert when is not None

    def apply() -> int:
        fac = ctx.facility
        plant["GrowthPhase"] = phase
        plant["FloweringDate" if phase == "Flowering" else "VegetativeDate"] = day(when)
        if new_tag is not None:
            new_tag["_Used"] = True
            fac.relabel("plants", plant, new_tag["Label"])
        shapes.place(plant, loc, sub)
        fac.touch(plant)
        return plant["Id"]

    return apply


def _waste_record(ctx: Ctx, when: date, method: str, weight: float, unit: str, reason: str, note: str | None, labels: list[str], loc: Obj | None) -> Obj:
    row = {"WasteMethodName": method, "WasteWeight": weight, "WasteUnitOfMeasureName": unit,
           "WasteReasonName": reason, "Note": note, "WasteDate": day(when), "PlantLabels": labels,
           "LocationName": loc["Name"] if loc else None, "LastModified": ""}  # fmt: skip
    return ctx.facility.add("plant_waste", row)


@routes.write("DELETE", "/plants/v2", ids=True)
def destroy(ctx: Ctx, row: r.Row) -> Plan:
    plant = r.plant(ctx, row)
    method = r.waste_method(row, "WasteMethodName")
    r.text(row, "WasteMaterialMixed")
    weight = r.number(row, "WasteWeight", positive=False)
    unit = r.unit(row, "WasteUnitOfMeasureName", "WeightBased")
    reason, note = r.reason(row, "WasteReasonName", vocab.PLANT_WASTE_REASONS, "ReasonNote")
    when = r.when(ctx, row, "ActualDate")
    assert when is not None

    def apply() -> int:
        plant.update(State="Destroyed", DestroyedDate=day(when), DestroyedNote=note, DestroyedByUserName=ctx.user.name if ctx.user else None)
        _waste_record(ctx, when, method, weight, unit, reason, note, [plant["Label"]], None)
        ctx.facility.touch(plant)
        return plant["Id"]

    return apply


def _harvest_target(ctx: Ctx, row: r.Row, harvest_type: str) -> tuple[str | None, Obj, Obj | None]:
    """(HarvestName or None for auto, drying location, sublocation); a named harvest must be open."""
    loc = r.location(ctx, row, "DryingLocation", "ForHarvests")
    sub = r.sublocation(ctx, row, "DryingSublocation")
    name = r.text(row, "HarvestName", required=False)
    if name is not None:
        existing = ctx.facility.by_name("harvests", name)
        if existing is not None and existing["FinishedDate"] is not None:
            raise RowError(f"Harvest {existing['Name']} is finished.")
        if existing is not None and existing["HarvestType"] != harvest_type:
            raise RowError(f"Harvest {existing['Name']} is a {existing['HarvestType']} harvest.")
    return name, loc, sub


def _harvest_named(ctx: Ctx, name: str | None, harvest_type: str, loc: Obj, sub: Obj | None, unit: str, when: date) -> Obj:
    """The open harvest called ``name``, or a new one. Without a name: the day's open harvest in
    that room (``YYYY-MM-DD-<room>-H``, ``-M`` for manicure), numbered on when the name is taken."""
    fac = ctx.facility
    if name is None:
        base = f"{day(when)}-{loc['Name']}-{'H' if harvest_type == 'WholePlant' else 'M'}"
        name, k = base, 1
        while (taken := fac.by_name("harvests", name)) is not None and taken["FinishedDate"] is not None:
            k += 1
            name = f"{base}-{k}"
    found = fac.by_name("harvests", name)
    if found is not None:
        return found
    return fac.add("harvests", shapes.harvest(ctx.world.next_id(), name, harvest_type, loc, sub, unit, when))


def _cut(ctx: Ctx, row: r.Row, harvest_type: str) -> Plan:
    plant = r.plant(ctx, row, id_key="PlantId", label_key="Plant")
    if harvest_type == "WholePlant" and plant["GrowthPhase"] != "Flowering":
        raise RowError(f"Plant {plant['Label']} is not flowering and cannot be harvested.")
    weight = r.number(row, "Weight")
    unit = r.unit(row, "UnitOfWeight", "WeightBased")
    name, loc, sub = _harvest_target(ctx, row, harvest_type)
    when = r.when(ctx, row, "ActualDate")
    assert when is not None

    def apply() -> int:
        fac = ctx.facility
        h = _harvest_named(ctx, name, harvest_type, loc, sub, unit, when)
        h["TotalWetWeight"] = round(h["TotalWetWeight"] + vocab.convert(weight, unit, h["UnitOfWeightName"]), 6)
        h["PlantCount"] += 1
        shapes.add_strain_to_harvest(h, plant["StrainName"])
        shapes.reweigh(h)
        plant["HarvestCount"] += 1
        before = plant["HarvestedWetWeight"] or 0.0  # earlier manicures, in the plant's harvested unit
        if before:
            before = vocab.convert(before, plant["HarvestedUnitOfWeightName"], unit)
        plant.update(HarvestId=h["Id"], HarvestedUnitOfWeightName=unit, HarvestedUnitOfWeightAbbreviation=vocab.abbreviation(unit))
        plant["HarvestedWetWeight"] = round(before + weight, 6)
        if harvest_type == "WholePlant":
            plant.update(State="Harvested", HarvestedDate=day(when))
        fac.touch(plant, h)
        return h["Id"]

    return apply


@routes.write("PUT", "/plants/v2/harvest", ids=False)
def harvest(ctx: Ctx, row: r.Row) -> Plan:
    return _cut(ctx, row, "WholePlant")


@routes.write("POST", "/plants/v2/manicure", ids=True)
def manicure(ctx: Ctx, row: r.Row) -> Plan:
    return _cut(ctx, row, "Product")


@routes.write("POST", "/plants/v2/waste", ids=True)
def plant_waste(ctx: Ctx, row: r.Row) -> Plan:
    method = r.waste_method(row, "WasteMethodName")
    r.text(row, "MixedMaterial")
    weight = r.number(row, "WasteWeight")
    unit = r.unit(row, "UnitOfMeasureName", "WeightBased")
    reason, note = r.reason(row, "ReasonName", vocab.PLANT_WASTE_REASONS, "Note")
    loc = r.location(ctx, row, "LocationName", "ForPlants")
    r.sublocation(ctx, row, "SublocationName")
    when = r.when(ctx, row, "WasteDate")
    labels = row.get("PlantLabels")
    if not isinstance(labels, list) or not labels:
        raise RowError("PlantLabels was not specified.")
    plants = [r.plant(ctx, {"Label": label}, once=False) for label in labels]
    assert when is not None

    def apply() -> int:
        record = _waste_record(ctx, when, method, weight, unit, reason, note, [p["Label"] for p in plants], loc)
        ctx.facility.touch(*plants)
        return record["Id"]

    return apply


@routes.write("PUT", "/plants/v2/tag", ids=False)
def replace_tag(ctx: Ctx, row: r.Row) -> Plan:
    plant = r.plant(ctx, row)
    if row.get("TagId") is not None:
        by_id = ctx.facility.tags.get(row["TagId"]) if isinstance(row["TagId"], int) else None
        new = r.fresh_tag(ctx, by_id["Label"] if by_id else f"#{row['TagId']}", "Plant", "TagId")
    else:
        new = r.fresh_tag(ctx, row.get("NewTag"), "Plant", "NewTag")
    r.when(ctx, row, "ReplaceDate")

    def apply() -> int:
        new["_Used"] = True
        ctx.facility.relabel("plants", plant, new["Label"])
        ctx.facility.touch(plant)
        return plant["Id"]

    return apply
