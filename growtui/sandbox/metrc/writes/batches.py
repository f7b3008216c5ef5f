"""Plant batch writes (§9.2): plantings, growth phase (batch -> tagged plants, tags in sequence),
move, destroy (DELETE with a body), adjust, split, packages of immature plants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import RowError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.writes import rows as r
from growtui.sandbox.metrc.wire import parse_day
from growtui.sandbox.metrc.world import Obj

routes = Routes()
Plan = Callable[[], Any]


def _type(row: r.Row, key: str) -> tuple[int, str, bool]:
    name = r.text(row, key)
    found = next((t for t in vocab.PLANT_BATCH_TYPES if t[1].casefold() == (name or "").casefold()), None)
    if found is None:
        raise RowError(f'The plant batch type "{name}" is invalid. Valid values are: Seed, Clone.')
    return found


def _new_name(ctx: Ctx, row: r.Row, key: str) -> str:
    name = r.text(row, key)
    assert name is not None
    if ctx.facility.by_name("plant_batches", name) is not None:
        raise RowError(f"Plant Batch {name} already exists in the current Facility.")
    r.claim(ctx, "batch_names", name.casefold(), f"Plant Batch {name} appears more than once in this request.")
    return name


def _take(ctx: Ctx, batch: Obj, n: int) -> None:
    r.spend(ctx, "untracked", batch, n, batch["UntrackedCount"], f"Plant Batch {batch['Name']} has only {batch['UntrackedCount']} untracked plants.")


def _plants_from(ctx: Ctx, row: r.Row, key: str) -> tuple[Obj, int]:
    """(batch, Count) with Count untracked plants claimed from it."""
    b = r.batch(ctx, row, key)
    n = r.count(row, "Count")
    _take(ctx, b, n)
    return b, n


@routes.write("POST", "/plantbatches/v2/plantings", ids=True)
def plantings(ctx: Ctx, row: r.Row) -> Plan:
    name = _new_name(ctx, row, "Name")
    type_ = _type(row, "Type")
    n = r.count(row, "Count")
    strain = r.strain(ctx, row, "Strain")
    loc = r.location(ctx, row, "Location", "ForPlantBatches")
    sub = r.sublocation(ctx, row, "Sublocation")
    planted = r.when(ctx, row, "ActualDate")
    assert planted is not None

    def apply() -> int:
        b = ctx.facility.add("plant_batches", shapes.plant_batch(ctx.world.next_id(), name, type_, strain, loc, sub, n, planted))
        return b["Id"]

    return apply


@routes.write("POST", "/plantbatches/v2/growthphase", ids=True)
def growth_phase(ctx: Ctx, row: r.Row) -> Plan:
    b, n = _plants_from(ctx, row, "Name")
    tags = r.tag_run(ctx, row.get("StartingTag"), n, "StartingTag")
    phase = r.growth_phase(row)
    loc = r.location(ctx, row, "NewLocation", "ForPlants")
    sub = r.sublocation(ctx, row, "NewSublocation")
    when = r.when(ctx, row, "GrowthDate")
    assert when is not None

    def apply() -> list[int]:
        fac, ids = ctx.facility, []
        planted = parse_day(b["PlantedDate"]) or when
        for t in tags:
            t["_Used"] = True
            ids.append(fac.add("plants", shapes.plant(ctx.world.next_id(), t["Label"], b, phase, loc, sub, planted, when))["Id"])
        b["UntrackedCount"] -= n
        b["TrackedCount"] += n
        fac.touch(b)
        return ids

    return apply


@routes.write("PUT", "/plantbatches/v2/location", ids=False)
def move(ctx: Ctx, row: r.Row) -> Plan:
    return r.move_to(ctx, r.batch(ctx, row, "Name"), row, purpose="ForPlantBatches", date_key="MoveDate")


@routes.write("DELETE", "/plantbatches/v2", ids=True)
def destroy(ctx: Ctx, row: r.Row) -> Plan:
    b, n = _plants_from(ctx, row, "PlantBatch")
    r.waste_method(row, "WasteMethodName")
    r.text(row, "WasteMaterialMixed")
    r.reason(row, "WasteReasonName", vocab.PLANT_WASTE_REASONS, "ReasonNote")
    r.number(row, "WasteWeight", positive=False)
    r.unit(row, "WasteUnitOfMeasure", "WeightBased")
    r.when(ctx, row, "ActualDate")

    def apply() -> int:
        b["UntrackedCount"] -= n
        b["DestroyedCount"] += n
        ctx.facility.touch(b)
        return b["Id"]

    return apply


@routes.write("POST", "/plantbatches/v2/adjust", ids=True)
def adjust(ctx: Ctx, row: r.Row) -> Plan:
    b = r.batch(ctx, row, "PlantBatchName")
    delta = r.count(row, "Quantity", signed=True)
    if delta < 0:
        _take(ctx, b, -delta)
    r.reason(row, "AdjustmentReason", vocab.PACKAGE_ADJUST_REASONS, "ReasonNote")
    r.when(ctx, row, "AdjustmentDate")

    def apply() -> int:
        b["UntrackedCount"] += delta
        ctx.facility.touch(b)
        return b["Id"]

    return apply


@routes.write("POST", "/plantbatches/v2/split", ids=True)
def split(ctx: Ctx, row: r.Row) -> Plan:
    source, n = _plants_from(ctx, row, "PlantBatch")
    name = _new_name(ctx, row, "GroupName")
    loc = r.location(ctx, row, "Location", "ForPlantBatches")
    sub = r.sublocation(ctx, row, "Sublocation")
    strain = r.strain(ctx, row, "Strain")
    when = r.when(ctx, row, "ActualDate")
    assert when is not None

    def apply() -> int:
        fac = ctx.facility
        type_ = (source["PlantBatchTypeId"], source["PlantBatchTypeName"], True)
        b = shapes.plant_batch(ctx.world.next_id(), name, type_, strain, loc, sub, n, when)
        b.update(SourcePlantBatchIds=[source["Id"]], SourcePlantBatchNames=source["Name"])
        source["UntrackedCount"] -= n
        fac.touch(source)
        return fac.add("plant_batches", b)["Id"]

    return apply


@routes.write("POST", "/plantbatches/v2/packages", ids=True)
def packages(ctx: Ctx, row: r.Row) -> Plan:
    b = ctx.facility.plant_batches.get(row["Id"]) if isinstance(row.get("Id"), int) else r.batch(ctx, row, "PlantBatch")
    if b is None:
        raise RowError(f"Plant Batch {row.get('Id')} does not exist in the current Facility.")
    n = r.count(row, "Count")
    _take(ctx, b, n)
    new = r.new_package(ctx, row, flags=("IsTradeSample", "IsDonation"))
    if new.item["QuantityType"] != "CountBased":
        raise RowError(f"Item {new.item['Name']} is not a count-based item.")

    def apply() -> int:
        b["UntrackedCount"] -= n
        b["PackagedCount"] += n
        ctx.facility.touch(b)
        return new.build(ctx, float(n), "Each", "ImmaturePlant")["Id"]

    return apply
