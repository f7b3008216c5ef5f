"""Growth phase, destroy with waste, and package adjust (issue 11): the action the declared form
builds from typed text, its checks before anything is sent, and the sandbox's state after Metrc
applied it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from growtui.backends.base import BackendError
from growtui.backends.metrc.backend import MetrcBackend
from growtui.backends.t3.backend import T3Backend
from growtui.domain.collections import Family
from growtui.domain.models import Package, Plant
from growtui.domain.plant_changes import HarvestPlants, WeighedPlant, per_plant_weights, typed_weight
from growtui.domain.units import Quantity, Unit
from growtui.domain.writes import spec_of
from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.seed import MAIN

LIC = MAIN.number
DAY = "2026-11-20"


def plant_rows(world, phase: str, n: int) -> list[Plant]:
    return [Plant(id=p["Id"], label=p["Label"], growth_phase=p["GrowthPhase"])
            for p in members(world.facilities[LIC], "plants", phase)[:n]]


def package_rows(world, n: int) -> list[Package]:
    rows = members(world.facilities[LIC], "packages", "active")[:n]
    return [Package(id=p["Id"], label=p["Label"], quantity=Quantity(Decimal(str(p["Quantity"])),
                                                                      Unit.lookup(p["UnitOfMeasureName"])))
            for p in rows]


def room_for(world, purpose: str) -> str:
    return next(loc["Name"] for loc in world.facilities[LIC].locations.values() if loc[purpose])


def build(kind: str, rows, **typed: str):
    spec = spec_of(kind)
    values = {f.name: "" for f in spec.inputs} | {"date": DAY} | typed
    kept = [r for r in rows if spec.applies.keep is None or spec.applies.keep(r)]
    return spec.build(kept, values)


def test_only_metrc_declares_these_writes():
    for kind in ("ChangeGrowthPhase", "DestroyPlants", "AdjustPackages", "HarvestPlants"):
        cap = spec_of(kind).capability
        assert cap in MetrcBackend.capabilities and cap not in T3Backend.capabilities


async def test_vegetative_plants_start_flowering_in_a_flower_room(signed_in, world):
    fac = world.facilities[LIC]
    rows = plant_rows(world, "vegetative", 3)
    room = room_for(world, "ForPlants")
    action = build("ChangeGrowthPhase", rows, phase="f", location=room)
    assert action.phase == "Flowering" and not action.validate()
    await signed_in.submit(LIC, action, dry_run=False)
    flowering = {p["Id"] for p in members(fac, "plants", "flowering")}
    assert {r.id for r in rows} <= flowering
    assert all(fac.plants[r.id]["LocationName"] == room and fac.plants[r.id]["FloweringDate"] == DAY for r in rows)


def test_a_phase_that_is_not_one_and_flowering_rows_are_refused_before_sending(world):
    flowering = plant_rows(world, "flowering", 1)
    assert spec_of("ChangeGrowthPhase").applies.keep(flowering[0]) is False  # left out of the form
    action = build("ChangeGrowthPhase", plant_rows(world, "vegetative", 1), phase="bloom", location="")
    assert {e.path for e in action.validate()} == {"phase", "location"}


def test_weighed_waste_is_split_per_plant_and_adds_up_exactly():
    weights = per_plant_weights(Decimal("1"), 3)
    assert weights == [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3334")] and sum(weights) == 1


async def test_destroy_plants_with_their_waste(signed_in, world):
    fac = world.facilities[LIC]
    rows = plant_rows(world, "vegetative", 3)
    action = build("DestroyPlants", rows, waste="1 kg", method="Grinder", material_mixed="Soil",
                   reason="Male Plants")
    assert not action.validate()
    assert "Waste: 1 kg, Grinder, mixed with Soil" in action.detail_lines()
    await signed_in.submit(LIC, action, dry_run=False)
    inactive = {p["Id"] for p in members(fac, "plants", "inactive")}
    assert {r.id for r in rows} <= inactive
    assert all(fac.plants[r.id]["DestroyedDate"] == DAY for r in rows)
    waste = [w for w in fac.plant_waste.values() if set(w["PlantLabels"]) & {r.label for r in rows}]
    assert len(waste) == 3 and sum(Decimal(str(w["WasteWeight"])) for w in waste) == 1  # what was weighed
    assert {w["WasteUnitOfMeasureName"] for w in waste} == {"Kilograms"}


def test_destroy_refuses_a_weight_that_is_not_one_before_sending(world):
    rows = plant_rows(world, "vegetative", 1)
    for typed, expected in (("12,5 g", "use a dot"), ("3 ea", "not a weight"), ("", "empty")):
        action = build("DestroyPlants", rows, waste=typed, method="Grinder", material_mixed="Soil", reason="Other")
        errors = {e.path: e.message for e in action.validate()}
        assert expected in errors["waste"], typed


async def test_a_reason_that_needs_a_note_is_refused_by_metrc_row_by_row(signed_in, world):
    rows = plant_rows(world, "vegetative", 1)
    action = build("DestroyPlants", rows, waste="10 g", method="Grinder", material_mixed="Soil",
                   reason="Mandated State Destruction")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, action, dry_run=False)
    assert not info.value.in_doubt and info.value.rows
    assert rows[0].id not in {p["Id"] for p in members(world.facilities[LIC], "plants", "inactive")}


async def test_adjust_takes_drying_loss_off_a_package(signed_in, world):
    fac = world.facilities[LIC]
    (row,) = package_rows(world, 1)
    before = Decimal(str(fac.packages[row.id]["Quantity"]))
    unit = row.quantity.unit.value
    action = build("AdjustPackages", [row], change=f"-1.5 {unit}", reason="Drying")
    assert not action.validate() and "Change: -1.5 " in action.detail_lines()[0]
    await signed_in.submit(LIC, action, dry_run=False)
    assert Decimal(str(fac.packages[row.id]["Quantity"])) == before - Decimal("1.5")


def test_adjust_refuses_what_metrc_would_before_sending(world):
    (row,) = package_rows(world, 1)
    held, unit = row.quantity, row.quantity.unit.value
    cases = {
        "1 g": "Start with -",
        f"-{held.value + 1} {unit}": "cannot lose",
        "-1 ea" if unit != "ea" else "-1 g": "is counted in",
    }
    for typed, expected in cases.items():
        errors = {e.path: e.message for e in build("AdjustPackages", [row], change=typed, reason="Drying").validate()}
        assert expected in errors["change"], typed
    assert "reason" in {e.path for e in build("AdjustPackages", [row], change=f"-1 {unit}").validate()}


def test_adjust_and_destroy_are_offered_only_on_their_lists():
    assert spec_of("AdjustPackages").lists == frozenset({Family.PACKAGES})
    assert spec_of("DestroyPlants").lists == spec_of("ChangeGrowthPhase").lists == frozenset({Family.PLANTS})


def test_a_harvest_checks_its_name_room_and_readings_before_sending():
    empty = HarvestPlants((), "", "", "", None)
    assert {e.path for e in empty.validate()} == {"weighed", "harvest_name", "drying_location", "date"}
    twice = WeighedPlant(1, "1A4FF0000000000000000001", Quantity(Decimal("10"), Unit.G))
    assert "weighed twice" in str(HarvestPlants((twice, twice), "H", "Dry", "", date(2026, 11, 20)).validate())
    assert typed_weight("412.5", Unit.G) == Quantity(Decimal("412.5"), Unit.G)  # a scale's bare reading


async def test_plants_harvested_with_their_wet_weights_make_one_harvest(signed_in, world):
    fac = world.facilities[LIC]
    plants = members(fac, "plants", "flowering")[:3]
    room = room_for(world, "ForHarvests")
    weighed = tuple(WeighedPlant(p["Id"], p["Label"], Quantity(Decimal(w), Unit.G))
                    for p, w in zip(plants, ("400", "425.5", "0.5")))
    action = HarvestPlants(weighed, "Backend Harvest", room, "", date(2026, 11, 20))
    assert not action.validate() and str(action.total()) == "826 g"
    await signed_in.submit(LIC, action, dry_run=False)
    harvest = next(h for h in fac.harvests.values() if h["Name"] == "Backend Harvest")
    assert harvest["PlantCount"] == 3 and harvest["TotalWetWeight"] == 826.0
    assert all(fac.plants[p["Id"]]["HarvestId"] == harvest["Id"] for p in plants)


def test_batch_and_harvest_forms_build_their_actions_from_typed_text():
    from growtui.domain.models import Harvest, PlantBatch

    batch = PlantBatch(id=5, name="GEL-1", untracked_count=4)
    tagged = build("BatchGrowthPhase", [batch], count="6", starting_tag=" 1a4ff0100000022000000001 ", phase="f",
                   location="Flower 1")
    assert tagged.starting_tag == "1A4FF0100000022000000001" and tagged.phase == "Flowering"
    assert {e.path: e.message for e in tagged.validate()}["count"] == "The batch has 4 untagged plant(s) left."
    planted = build("CreatePlantings", [], name="GEL-2", batch_type="c", count="twelve", strain="Gelato",
                    location="Clone Room")
    assert planted.batch_type == "Clone" and {e.path for e in planted.validate()} == {"count"}
    harvest = Harvest(id=9, name="H-1", current_weight=Quantity(Decimal("800"), Unit.G))
    waste = build("HarvestWaste", [harvest], waste_type="plant", weight="0.9 kg")
    assert waste.waste_type == "Plant Material" and "holds 800 g" in str(waste.validate())
    package = build("HarvestPackage", [harvest], tag="1A4", item="Flower", weight="500 g", location="Vault")
    assert {e.path for e in package.validate()} == {"tag"}
