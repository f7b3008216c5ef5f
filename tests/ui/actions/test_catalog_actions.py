"""Items and strains end to end: discontinue an item, create and discontinue strains."""

from __future__ import annotations

from textual.widgets import Input

from growtui.ui.modals.forms.catalog import CreateStrainForm, DiscontinueItemForm, DiscontinueStrainForm

from .conftest import confirm, make_rig, open_list, settle, wait_for


async def test_discontinue_the_item_under_the_cursor():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "5")
        item_id = main.record_list.cursor_id
        await pilot.press("x")
        assert isinstance(pilot.app.screen, DiscontinueItemForm)
        await pilot.press("ctrl+s")
        await confirm(pilot)
        await settle(pilot)
        assert main.record_list.source.position_of(item_id) is None  # gone from the list
    assert rig.lic.items[item_id]["isArchived"] is True


async def test_create_strain_validates_as_typed_then_lands_upstream():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "6")
        await pilot.press("plus")
        form = pilot.app.screen
        assert isinstance(form, CreateStrainForm)
        await pilot.press(*"Zebra", "space", *"Haze", "tab")
        form.query_one("#thc_level", Input).value = "21.5"
        form.query_one("#cbd_level", Input).value = "0.4"
        indica = form.query_one("#indica_percentage", Input)
        indica.value = "60"  # with sativa still 50: 110
        await pilot.pause()
        assert "add up to 100 (now 110)" in form.query_one("#field-sativa_percentage").error
        form.query_one("#thc_level", Input).value = "21,5"
        await pilot.pause()
        assert "use a dot" in form.query_one("#field-thc_level").error
        form.query_one("#thc_level", Input).value = "21.5"
        form.query_one("#sativa_percentage", Input).value = "40"
        await pilot.pause()
        assert not form.errors
        await pilot.press("ctrl+s")
        await confirm(pilot)
        row = main.source.index.raw(main.record_list.cursor_id)
        assert row["name"] == "Zebra Haze"  # found by re-query and highlighted
    made = [s for s in rig.lic.strains.values() if s["name"] == "Zebra Haze"]
    assert len(made) == 1
    assert (made[0]["thcLevel"], made[0]["indicaPercentage"], made[0]["sativaPercentage"]) == (21.5, 60, 40)


async def test_discontinue_strain():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "6")
        strain_id = main.record_list.cursor_id
        await pilot.press("x")
        assert isinstance(pilot.app.screen, DiscontinueStrainForm)
        await pilot.press("ctrl+s")
        await confirm(pilot)
        await settle(pilot)
    assert rig.lic.strains[strain_id]["isArchived"] is True


async def test_discontinuing_an_item_in_use_says_how_many_packages_use_it():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")  # the active packages, now cached
        index = main.source.index
        items = [index.raw(index.key(p))["item"] for p in index.view]
        used = max({i["id"]: i for i in items}.values(), key=lambda i: sum(x["id"] == i["id"] for x in items))
        expected = sum(x["id"] == used["id"] for x in items)
        main = await open_list(pilot, "5")
        assert main.record_list.move_to_id(used["id"])
        await pilot.press("x")
        form = pilot.app.screen
        assert isinstance(form, DiscontinueItemForm)
        notice = form.query_one("#in-use")
        await wait_for(pilot, lambda: notice.counts is not None, "the count")
        assert f"In use: {expected} active packages" in str(notice.render())
        assert used["name"] in str(notice.render())
