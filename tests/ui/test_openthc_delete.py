"""The two-step delete through the real app: Del marks a lot for deletion (its own confirmation);
it then waits on the Inactive list shown as "marked for deletion"; shift+Z there, with the word
typed and a second confirmation, deletes it for good. Backing out of that confirmation leaves it
marked, and shift+Z on a live row does nothing; K keeps a marked row from Z (OpenTHC itself has
no undo for a mark). Each step asserted in the sandbox's state."""

from __future__ import annotations

from growtui.domain.collections import Collection, Family
from growtui.ui.modals.confirm import ConfirmModal
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import settle, wait_for
from tests.ui.test_openthc_app import GROWER, PACKAGES, live, openthc_app, signed_in_main, world_of
from tests.ui.test_openthc_writes import confirm, form_for, open_list

MARKED_LOTS = Collection(Family.PACKAGES, "inactive")


async def first_lot(pilot, app):
    main = await signed_in_main(pilot)
    lots = world_of(app).licenses[GROWER].inventory
    await open_list(pilot, main, "4", PACKAGES, lots)
    return main, lots, lots[main.record_list.cursor_id]


async def mark_and_show_it(pilot, app, main, lot):
    """Del on the lot (its own confirmation), then Inactive with the cursor on it."""
    await form_for(pilot, app, "delete", "MarkForDeletion")
    await confirm(pilot, app)
    await wait_for(pilot, lambda: lot["stat"] == 410, "the lot marked for deletion")
    await wait_for(pilot, lambda: main.source is not None and main.source.index.position(lot["id"]) is None,
                   "the marked lot gone from Active")
    main.record_list.focus()
    await pilot.press("right_square_bracket")  # Active -> Inactive
    await wait_for(pilot, lambda: main.collection == MARKED_LOTS and main.source is not None
                   and main.source.index.position(lot["id"]) is not None, "the lot on Inactive")
    main.record_list.move_to_id(lot["id"])
    await settle(pilot)


async def test_mark_then_confirm_with_a_way_back_between():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lots, lot = await first_lot(pilot, app)

        await pilot.press("Z")  # confirming needs a marked row: a live one is not taken
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and lot["stat"] == 200

        await mark_and_show_it(pilot, app, main, lot)
        await pilot.press("d")
        await wait_for(pilot, lambda: "marked for deletion" in main.detail.text, "the marked state in the detail")

        # The way back before confirming: the confirmation is declined, the lot stays marked.
        form = await form_for(pilot, app, "Z", "ConfirmDeletion")
        form.query_one("#typed").value = "delete"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # no to the confirmation: back in the form
        await settle(pilot)
        await pilot.press("escape", "y")  # leave the form, discarding the typed word
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
        assert lot["stat"] == 410

        # Deliberately: the word typed, then the second confirmation.
        main.record_list.move_to_id(lot["id"])
        await form_for(pilot, app, "Z", "ConfirmDeletion")
        await confirm(pilot, app, typed="delete")
        await wait_for(pilot, lambda: lot["stat"] == 423, "the lot deleted for good")
        await wait_for(pilot, lambda: main.source is not None and main.source.index.position(lot["id"]) is None,
                       "the deleted lot gone from Inactive")
        assert len(live(lots)) == len([x for x in lots.values() if x["stat"] == 200 and not x.get("destroyed_at")])


async def test_the_way_back_keeps_a_marked_lot_from_being_deleted():
    """OpenTHC cannot take a mark back, so the way back is never sending the second DELETE: K keeps
    the marked lot (the detail says so), Z then leaves it out and OpenTHC still has it marked, not
    deleted; K again drops the keep and Z can delete it."""
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, _, lot = await first_lot(pilot, app)
        await mark_and_show_it(pilot, app, main, lot)
        await pilot.press("d", "K")
        await wait_for(pilot, lambda: "growtui will not delete it" in main.detail.text, "the kept state in the detail")

        await pilot.press("Z")  # the kept lot is left out: no form, nothing sent
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and lot["stat"] == 410 and not lot.get("deleted_at")
        said = [n.message for n in app._notifications]  # (older notes may have timed out meanwhile)
        assert "1 selected row(s) are kept (K); left out." in said and not any("Mark rows" in m for m in said), said

        await pilot.press("K")  # the keep dropped: Z takes it again
        await wait_for(pilot, lambda: "growtui will not delete it" not in main.detail.text, "the keep dropped")
        await form_for(pilot, app, "Z", "ConfirmDeletion")
        await confirm(pilot, app, typed="delete")
        await wait_for(pilot, lambda: lot["stat"] == 423, "the lot deleted for good")
