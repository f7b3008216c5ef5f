"""80×24 snapshots of the write side: the confirmation dialog, each form and the transfer builder.

Deterministic: one fixed clock for sandbox, token checks and UI; fixed seed. Update with
`pytest tests/ui/actions/test_snapshots.py --snapshot-update` after looking at the report.
"""

from __future__ import annotations

from pytest_textual_snapshot import SVGImageExtension
from textual.widgets import Input

from growtui.ui.modals.discard import DiscardModal
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import wait_for

from .conftest import make_rig, open_list, settle, wait_verdict


async def discard(pilot) -> None:
    """Esc on a form with typed work asks first (DiscardModal): answer y, as a person would."""
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiscardModal)
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "the form discarded")


async def test_write_screens_at_80x24(snapshot):
    rig = make_rig(frozen=True)
    app = rig.app

    def shot(name: str) -> bool:
        return app.export_screenshot(simplify=True) == snapshot(extension_class=SVGImageExtension, name=name)

    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("space", "space", "n")
        await pilot.press(*"recounted")
        await settle(pilot)
        assert shot("note_form")
        await pilot.press("ctrl+s")
        await wait_verdict(pilot)
        assert shot("confirm_dialog")
        await pilot.press("j")
        await pilot.pause()
        assert shot("confirm_dialog_json")
        await pilot.press("escape")  # the confirmation
        await settle(pilot)
        await discard(pilot)

        await pilot.press("u", "p")  # unmark, then a new package from the row under the cursor
        await settle(pilot)
        app.screen.query_one("#quantity", Input).value = "5"
        await settle(pilot)
        assert shot("create_package_form")
        await discard(pilot)

        await open_list(pilot, "4", state_steps=2)
        await pilot.press("f")
        await settle(pilot)
        assert shot("unfinish_form")
        await pilot.press("escape")

        await open_list(pilot, "5")
        await pilot.press("x")
        await settle(pilot)
        assert shot("discontinue_item_form")
        await pilot.press("escape")

        await open_list(pilot, "6")
        await pilot.press("plus")
        await settle(pilot)
        app.screen.query_one("#indica_percentage", Input).value = "70"
        await settle(pilot)
        assert shot("create_strain_form")
        await discard(pilot)

        await open_list(pilot, "4")
        await pilot.press("t")
        await settle(pilot)
        assert shot("transfer_builder")
