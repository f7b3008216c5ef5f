"""Writes say what they take and where it went (issue 16): marks the filter hides are named in
the confirmation itself, and the result names the right list (never "in another list" for a row
on screen)."""

from __future__ import annotations

from growtui.domain.collections import Collection, Family
from tests.ui.actions.conftest import confirm, make_rig, open_list, wait_verdict
from tests.ui.conftest import settle, wait_for

ACTIVE = Collection(Family.PACKAGES, "active")
INACTIVE = Collection(Family.PACKAGES, "inactive")


async def test_the_confirmation_says_how_many_marks_the_filter_hides():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")
        lst, index = main.record_list, main.source.index
        keys = [main.source.row_id(pos) for pos in (0, 1)]
        for key in keys:
            lst.toggle_mark(key)
        lst.apply_filter(index.label(index.position(keys[0])))  # the second one is hidden
        await settle(pilot)
        await pilot.press("n", *"checked")
        await pilot.press("ctrl+s")
        modal = await wait_verdict(pilot)
        shown = str(modal.query_one("#selection").render())
        assert "2 marked, 1 not in view" in shown
        await confirm(pilot)
        assert {rig.lic.packages[k].get("note") for k in keys} == {"checked"}  # both were sent

        # A write with nothing hidden says nothing of the kind.
        lst.apply_filter("")
        lst.clear_marks()
        await settle(pilot)
        await pilot.press("n", *"again")
        await pilot.press("ctrl+s")
        modal = await wait_verdict(pilot)
        assert not modal.query("#selection")


async def test_a_write_result_names_the_list_the_row_is_in():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")
        key = main.record_list.cursor_id
        await pilot.press("n", *"on", "space", *"screen")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert rig.lic.packages[key]["note"] == "on screen"
        note = main.status.plain
        assert "Add note to 1 package" in note and "another list" not in note, note
        assert main.record_list.cursor_id == key  # the cursor is on the row it changed

        # A finished package unfinished from Inactive moves to Active: the result says so.
        main.show_collection(ACTIVE)  # loaded once, so its rows are in the cache
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Active → On hold → Inactive
        await settle(pilot)
        assert main.collection == INACTIVE
        pos = next(p for p in range(len(main.source))
                   if rig.lic.packages.get(main.source.row_id(p), {}).get("isFinished"))
        finished = main.source.row_id(pos)
        main.record_list.move_to_id(finished)
        await pilot.press("f")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "UnfinishForm", "the unfinish form")
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert not rig.lic.packages[finished].get("isFinished")
        await wait_for(pilot, lambda: "now in Packages › Active" in main.status.plain, "the list named")
        assert "another list" not in main.status.plain
