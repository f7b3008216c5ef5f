"""B2B transfers through the real app (training sandbox) and the write registry's forms: shift+T on
a marked lot creates an outgoing transfer with it as an item (nothing leaves the lot yet); on
Transfers › Outgoing, o commits it (a separate, deliberate step); on Transfers › Incoming,
shift+A accepts the transfer waiting there into new lots in a room. Each asserted in the sandbox."""

from __future__ import annotations

from decimal import Decimal

from growtui.domain.collections import Collection, Family
from tests.ui.conftest import settle, wait_for
from tests.ui.test_openthc_app import GROWER, openthc_app, world_of
from tests.ui.test_openthc_lot_work import gram_lots_in_list_order
from tests.ui.test_openthc_writes import confirm, form_for, on_lots

OUTGOING, INCOMING = Collection(Family.TRANSFERS_OUTGOING, "active"), Collection(Family.TRANSFERS_INCOMING, "active")


async def show(pilot, main, collection, row_id):
    """Transfers (7), then [ ] to ``collection``, with the cursor on ``row_id``."""
    await wait_for(pilot, lambda: pilot.app.screen is main, "the main screen again")
    main.record_list.focus()
    await pilot.press("7")
    while main.collection != collection:
        await pilot.press("right_square_bracket")
        await settle(pilot)
    await wait_for(pilot, lambda: main.source is not None and main.source.index.position(row_id) is not None,
                   f"{row_id} on {collection}")
    main.record_list.move_to_id(row_id)
    await settle(pilot)


async def test_ship_commit_and_accept_reach_the_sandbox():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lic = await on_lots(pilot)
        world = world_of(app)
        [draft] = [t for t in world.b2b.values() if t["_source"] == GROWER]
        lot = gram_lots_in_list_order(main, lic.inventory)[0]
        held = lot["qty"]
        main.record_list.toggle_mark(lot["id"])
        before = set(world.b2b)
        await form_for(pilot, app, "T", "CreateB2BOutgoing")
        await confirm(pilot, app, target=draft["_target"], takes="3.25 g")
        await wait_for(pilot, lambda: len(world.b2b) == len(before) + 1, "the new outgoing transfer")
        [made] = [t for k, t in world.b2b.items() if k not in before]
        assert made["status"] == "open" and made["item_list"][0]["unit_count"] == Decimal("3.25") and lot["qty"] == held

        await show(pilot, main, OUTGOING, made["id"])
        await pilot.press("d")  # the detail lists the items; no T3 delivery lists failing to load
        await wait_for(pilot, lambda: made["id"] in main.detail.text, "the transfer's detail")
        assert "Item list" in main.detail.text and "could not load" not in main.detail.text
        await form_for(pilot, app, "o", "CommitB2BOutgoing")
        await confirm(pilot, app)
        await wait_for(pilot, lambda: made["status"] == "committed", "the transfer committed")
        assert lot["qty"] == held - Decimal("3.25")

        [coming] = [t for t in world.b2b.values() if t["_target"] == GROWER]
        vault = next(s for s in lic.sections.values() if s["name"] == "Vault")
        lots_before = set(lic.inventory)
        await show(pilot, main, INCOMING, coming["id"])
        await form_for(pilot, app, "A", "AcceptB2BIncoming")
        await confirm(pilot, app, location="vault")
        await wait_for(pilot, lambda: coming["status"] == "accepted", "the incoming transfer accepted")
        new = [x for k, x in lic.inventory.items() if k not in lots_before]
        assert len(new) == len(coming["item_list"]) and all(x["section"]["id"] == vault["id"] for x in new)


async def test_an_open_outgoing_transfer_is_voided_in_two_deliberate_steps():
    from growtui.ui.screens.main import MainScreen

    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, _ = await on_lots(pilot)
        [draft] = [t for t in world_of(app).b2b.values() if t["_source"] == GROWER]
        await show(pilot, main, OUTGOING, draft["id"])
        await form_for(pilot, app, "delete", "MarkForDeletion")
        await confirm(pilot, app)
        await wait_for(pilot, lambda: draft["stat"] == 410, "the transfer marked for deletion")
        await show(pilot, main, Collection(Family.TRANSFERS_OUTGOING, "inactive"), draft["id"])
        await pilot.press("d", "K")  # kept: the detail says so; K again drops the keep
        await wait_for(pilot, lambda: "growtui will not delete it" in main.detail.text, "the kept transfer")
        await pilot.press("K")
        await wait_for(pilot, lambda: "growtui will not delete it" not in main.detail.text, "the keep dropped")
        await form_for(pilot, app, "Z", "ConfirmDeletion")
        await confirm(pilot, app, typed="delete")
        await wait_for(pilot, lambda: draft["stat"] == 423, "the transfer voided for good")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
