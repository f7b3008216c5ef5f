"""Metrc's API proficiency evaluation flow as one test through the backend (issue 11): plantings,
batch plants tagged into flowering, move, destroy some, harvest the rest with wet weights, record
harvest waste, package from the harvest, adjust, finish and unfinish the package, then find every
change again by a lastModified window, as an incremental sync would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from growtui.domain.collections import Collection, Family
from growtui.domain.actions import Unfinish
from growtui.domain.floor import FinishPackages, MovePlants
from growtui.domain.harvest_work import HarvestPackage, HarvestWaste
from growtui.domain.package_adjust import AdjustPackages, Change
from growtui.domain.plant_batches import BatchGrowthPhase, CreatePlantings
from growtui.domain.plant_changes import DestroyPlants, HarvestPlants, WeighedPlant
from growtui.domain.query import modified_since
from growtui.domain.units import Quantity, Unit
from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.seed import MAIN, next_tag_label

LIC = MAIN.number
DAY = date(2026, 11, 20)


def tag_run(fac, kind: str, n: int) -> str:
    """The first of ``n`` unused tags of ``kind`` in sequence."""
    free = {t["Label"] for t in fac.tags.values() if t["_Kind"] == kind and not t["_Used"]}
    for start in sorted(free):
        label, run = start, [start]
        while len(run) < n and (label := next_tag_label(label)) in free:
            run.append(label)
        if len(run) == n:
            return start
    raise AssertionError(f"no run of {n} free {kind} tags")


def room(fac, purpose: str, but: str = "") -> str:
    return next(loc["Name"] for loc in fac.locations.values() if loc[purpose] and loc["Name"] != but)


async def send(backend, action) -> None:
    assert not action.validate(), action.validate()
    await backend.submit(LIC, action, dry_run=False)


async def test_the_proficiency_flow_end_to_end(signed_in, world):
    fac = world.facilities[LIC]
    started = datetime.fromtimestamp(signed_in.server_time(), UTC) - timedelta(seconds=1)
    strain = next(iter(fac.strains.values()))["Name"]
    batch_room, flower_room = room(fac, "ForPlantBatches"), room(fac, "ForPlants")

    await send(signed_in, CreatePlantings("PROF-1", "Clone", 6, strain, batch_room, "", DAY))
    batch = next(b for b in fac.plant_batches.values() if b["Name"] == "PROF-1")
    assert batch["UntrackedCount"] == 6

    start = tag_run(fac, "Plant", 6)
    await send(signed_in, BatchGrowthPhase(batch["Id"], "PROF-1", 6, start, "Flowering", flower_room, "", DAY, 6))
    plants = [p for p in fac.plants.values() if p.get("PlantBatchName") == "PROF-1"]
    assert len(plants) == 6 and {p["GrowthPhase"] for p in plants} == {"Flowering"}
    ids, labels = tuple(p["Id"] for p in plants), tuple(p["Label"] for p in plants)

    other = room(fac, "ForPlants", but=flower_room)
    await send(signed_in, MovePlants(ids, labels, other, "", DAY))
    assert {fac.plants[i]["LocationName"] for i in ids} == {other}

    await send(signed_in, DestroyPlants(ids[:2], labels[:2], Quantity(Decimal("300"), Unit.G), "Compost", "Soil",
                                        "Male Plants", "", DAY))
    assert {fac.plants[i]["State"] for i in ids[:2]} == {"Destroyed"}

    weighed = tuple(WeighedPlant(i, lb, Quantity(Decimal("500"), Unit.G)) for i, lb in zip(ids[2:], labels[2:]))
    drying = room(fac, "ForHarvests")
    await send(signed_in, HarvestPlants(weighed, "PROF-H1", drying, "", DAY))
    harvest = next(h for h in fac.harvests.values() if h["Name"] == "PROF-H1")
    assert harvest["TotalWetWeight"] == 2000 and harvest["PlantCount"] == 4

    await send(signed_in, HarvestWaste(harvest["Id"], "PROF-H1", "Plant Material", Quantity(Decimal("250"), Unit.G),
                                       DAY))
    item = next(i for i in fac.items.values() if i["QuantityType"] == "WeightBased")["Name"]
    tag = tag_run(fac, "Package", 1)
    await send(signed_in, HarvestPackage(harvest["Id"], "PROF-H1", tag, item, Quantity(Decimal("1"), Unit.KG),
                                         room(fac, "ForPackages"), "", DAY))
    assert harvest["TotalWasteWeight"] == 250 and harvest["TotalPackagedWeight"] == 1000
    package = fac.by_label("packages", tag)
    assert package is not None and package["Quantity"] == 1.0 and package["UnitOfMeasureName"] == "Kilograms"

    pid = package["Id"]
    await send(signed_in, AdjustPackages((pid,), (tag,), Change.parse("-0.05 kg"), "Drying", "", DAY))
    assert fac.packages[pid]["Quantity"] == 0.95
    await send(signed_in, FinishPackages((pid,), (tag,), DAY))
    assert fac.packages[pid]["IsFinished"]
    await send(signed_in, Unfinish((pid,), (tag,)))
    assert not fac.packages[pid]["IsFinished"]

    # Every change, found again by a lastModified window as an incremental sync asks for them.
    since = modified_since(started)

    async def changed(collection: Collection) -> set:
        page = await signed_in.fetch_page(LIC, collection, 1, 20, since)
        keys = {row["Id"] for row in page.rows}
        for n in range(2, (page.total_pages or 1) + 1):
            keys |= {row["Id"] for row in (await signed_in.fetch_page(LIC, collection, n, 20, since)).rows}
        return keys

    assert batch["Id"] in await changed(Collection(Family.PLANT_BATCHES, "inactive"))  # every plant tagged
    assert set(ids[2:]) <= await changed(Collection(Family.PLANTS, "inactive"))  # harvested
    assert set(ids[:2]) <= await changed(Collection(Family.PLANTS, "inactive"))  # destroyed
    assert harvest["Id"] in await changed(Collection(Family.HARVESTS, "active"))
    assert pid in await changed(Collection(Family.PACKAGES, "active"))
    untouched = {p["Id"] for p in members(fac, "packages", "active")} - {pid}
    assert not untouched & await changed(Collection(Family.PACKAGES, "active"))
