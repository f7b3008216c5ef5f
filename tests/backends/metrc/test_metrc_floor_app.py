"""The rest of the floor's day through the real app on the Metrc training sandbox (issue 11): each
declared form is opened by its key on its list, filled as a grower types it, confirmed with `y`,
and the sandbox's state afterwards is what Metrc would hold. (Move, destroy plants, harvest at the
scale and notes: test_metrc_app.py.)"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from growtui.sandbox.metrc.lists import members
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.modals.forms.declared import DeclaredForm
from growtui.ui.screens.main import MainScreen
from tests.backends.metrc.test_metrc_app import metrc_app, open_main
from tests.backends.metrc.test_metrc_proficiency import room, tag_run
from tests.ui.conftest import settle, wait_for

DAY = "2026-11-20"


async def show(pilot, main: MainScreen, keys: tuple[str, ...], expected: int, find: str = "") -> None:
    """Open a list (its number, then `]` per state step), wait for its rows, filter to one name."""
    main.record_list.focus()
    await pilot.press(*keys)
    await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == expected, f"{expected} rows")
    main.query_one("#filter", Input).value = find
    await settle(pilot)
    if find:  # the filter applies after a short debounce: wait until the row is under the cursor
        await wait_for(pilot, lambda: find in (under_cursor(main).get("Name"), under_cursor(main).get("Label")),
                       f"{find!r} under the cursor")
    main.record_list.focus()


def under_cursor(main: MainScreen) -> dict[str, Any]:
    """The raw upstream row under the list's cursor."""
    if main.source is None or not len(main.source):
        return {}
    return main.source.index.raw(main.source.row_id(main.record_list.cursor_row)) or {}


async def declared(pilot, app, key: str, kind: str, typed: dict[str, str]) -> list[dict[str, Any]]:
    """Press the action's key, fill its declared form, confirm with `y`; the body that was sent."""
    await pilot.press(key)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, DeclaredForm) and form.SPEC.kind == kind, str(app.screen.query_one("#status").render()) if isinstance(app.screen, MainScreen) else app.screen
    for name, value in typed.items():
        form.query_one(f"#{name}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)
    modal = app.screen
    assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID, getattr(form, "errors", None)
    body = modal._payload["body"]
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the form and its confirmation closed")
    return body


async def test_a_batch_planted_tagged_into_flowering_and_thinned_in_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 40)) as pilot:
        main, fac = await open_main(pilot, app)
        batches = lambda: {b["Name"]: b for b in fac.plant_batches.values()}  # noqa: E731
        strain = next(iter(fac.strains.values()))["Name"]
        await show(pilot, main, ("2",), len(members(fac, "plantbatches", "active")))

        await declared(pilot, app, "b", "CreatePlantings", {
            "name": "PILOT-B1", "batch_type": "Clone", "count": "8", "strain": strain,
            "location": room(fac, "ForPlantBatches"), "date": DAY,
        })
        await wait_for(pilot, lambda: "PILOT-B1" in batches(), "the new batch in the sandbox")
        assert batches()["PILOT-B1"]["UntrackedCount"] == 8
        await show(pilot, main, (), len(members(fac, "plantbatches", "active")), find="PILOT-B1")

        start = tag_run(fac, "Plant", 3)
        await declared(pilot, app, "g", "BatchGrowthPhase", {
            "count": "3", "starting_tag": start, "phase": "F", "location": room(fac, "ForPlants"), "date": DAY,
        })
        tagged = lambda: [p for p in fac.plants.values() if p.get("PlantBatchName") == "PILOT-B1"]  # noqa: E731
        await wait_for(pilot, lambda: len(tagged()) == 3, "three plants tagged from the batch")
        assert {p["GrowthPhase"] for p in tagged()} == {"Flowering"} and start in {p["Label"] for p in tagged()}
        assert batches()["PILOT-B1"]["UntrackedCount"] == 5

        await wait_for(pilot, lambda: under_cursor(main).get("UntrackedCount") == 5, "the batch refreshed in the list")
        await declared(pilot, app, "X", "DestroyBatchPlants", {
            "count": "2", "waste": "300 g", "method": "Compost", "material_mixed": "Soil",
            "reason": "Male Plants", "date": DAY,
        })
        await wait_for(pilot, lambda: batches()["PILOT-B1"]["UntrackedCount"] == 3, "two batch plants destroyed")


async def test_a_harvest_wasted_packaged_finished_and_unfinished_in_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 40)) as pilot:
        main, fac = await open_main(pilot, app)
        open_ = [h for h in members(fac, "harvests", "active") if h["CurrentWeight"] > 400]
        harvest = max(open_, key=lambda h: h["CurrentWeight"])
        name, hid, weight = harvest["Name"], harvest["Id"], harvest["CurrentWeight"]
        await show(pilot, main, ("3",), len(members(fac, "harvests", "active")), find=name)

        await declared(pilot, app, "r", "HarvestWaste", {"waste_type": "Plant Material", "weight": "100 g", "date": DAY})
        await wait_for(pilot, lambda: fac.harvests[hid]["TotalWasteWeight"] >= 100, "the waste recorded")

        await wait_for(pilot, lambda: under_cursor(main).get("CurrentWeight", weight) < weight,
                       "the harvest's weight refreshed in the list")
        tag = tag_run(fac, "Package", 1)
        item = next(i for i in fac.items.values() if i["QuantityType"] == "WeightBased")["Name"]
        await declared(pilot, app, "p", "HarvestPackage", {
            "tag": tag, "item": item, "weight": "200 g", "location": room(fac, "ForPackages"), "date": DAY,
        })
        await wait_for(pilot, lambda: any(p["Label"] == tag for p in fac.packages.values()), "the new package")
        assert fac.harvests[hid]["TotalPackagedWeight"] >= 200

        await declared(pilot, app, "o", "FinishHarvests", {"date": DAY})
        await wait_for(pilot, lambda: fac.harvests[hid]["FinishedDate"] == DAY, "the harvest finished")

        await show(pilot, main, ("right_square_bracket",) * 2, len(members(fac, "harvests", "inactive")), find=name)
        await declared(pilot, app, "f", "UnfinishHarvests", {})
        await wait_for(pilot, lambda: fac.harvests[hid]["FinishedDate"] is None, "the harvest open again")


async def test_plants_to_flowering_and_packages_adjusted_and_finished_in_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 40)) as pilot:
        main, fac = await open_main(pilot, app)
        await show(pilot, main, ("1",), len(members(fac, "plants", "vegetative")))
        await pilot.press("space", "down", "space")
        body = await declared(pilot, app, "g", "ChangeGrowthPhase", {
            "phase": "Flowering", "location": room(fac, "ForPlants"), "date": DAY,
        })
        ids = {r["Id"] for r in body}
        assert len(ids) == 2
        await wait_for(pilot, lambda: {fac.plants[i]["GrowthPhase"] for i in ids} == {"Flowering"},
                       "two plants flowering")

        await show(pilot, main, ("4",), len(members(fac, "packages", "active")))
        counted = next(p for p in members(fac, "packages", "active")
                       if p["UnitOfMeasureName"] == "Grams" and p["Quantity"] > 10)
        await show(pilot, main, (), len(members(fac, "packages", "active")), find=counted["Label"])
        before = counted["Quantity"]
        await declared(pilot, app, "a", "AdjustPackages", {"change": "-2.5 g", "reason": "Drying", "date": DAY})
        await wait_for(pilot, lambda: fac.packages[counted["Id"]]["Quantity"] == before - 2.5, "2.5 g off")

        await declared(pilot, app, "o", "FinishPackages", {"date": DAY})
        await wait_for(pilot, lambda: fac.packages[counted["Id"]]["FinishedDate"] == DAY, "the package finished")
