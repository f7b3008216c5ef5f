"""Items and strains end to end: discontinue an item, create and discontinue strains."""

from __future__ import annotations

from textual.widgets import Input

from growtui.ui.modals.forms.catalog import CreateStrainForm, DiscontinueItemForm, DiscontinueStrainForm

from .conftest import confirm, make_rig, open_list, settle


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
