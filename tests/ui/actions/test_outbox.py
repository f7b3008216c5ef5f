"""In-doubt writes: a 504 after the write applied ends IN DOUBT and is reconciled, never resent."""

from __future__ import annotations

from textual.widgets import Input

from growtui.data.types import WriteStatus
from growtui.ui.modals.message import MessageModal
from growtui.ui.screens.outbox import OutboxScreen

from .conftest import confirm, make_rig, open_list, settle


async def test_a_504_that_applied_is_in_doubt_then_reconciled_without_a_duplicate():
    rig = make_rig()
    rig.world.ops.add_fault("504", next=1, method="POST")  # the next applied write answers 504
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "6")
        await pilot.press("plus")
        form = pilot.app.screen
        form.query_one("#name", Input).value = "Gateway Kush"
        for name, value in (("thc_level", "20"), ("cbd_level", "1")):
            form.query_one(f"#{name}", Input).value = value
        await pilot.pause()
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert isinstance(pilot.app.screen, MessageModal)  # "sent, but the answer was lost"
        entry = rig.app.store.journal.entries()[0]
        assert entry.status is WriteStatus.IN_DOUBT
        await pilot.press("escape")
        await pilot.press("w")
        outbox = pilot.app.screen
        assert isinstance(outbox, OutboxScreen)
        assert "IN DOUBT" in outbox.query_one("#outbox-detail").render().plain
        await pilot.press("r")
        await settle(pilot)
        entries = rig.app.store.journal.entries()
        assert [e.status for e in entries] == [WriteStatus.APPLIED]  # one entry: never resent
        assert "applied" in outbox.query_one("#outbox-detail").render().plain
        await pilot.press("escape")
        names = [main.source.index.raw(main.source.index.key(p))["name"] for p in main.source.index.view]
        assert "Gateway Kush" in names  # the list caught up once the write was known to apply
    assert sum(1 for s in rig.lic.strains.values() if s["name"] == "Gateway Kush") == 1
