"""The command palette's input keeps a steady cursor (an idle blink costs bandwidth over SSH)."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette

from .conftest import make_app, settle


@pytest.mark.parametrize("kiosk", [False, True], ids=["desk", "kiosk"])
async def test_palette_input_does_not_blink(kiosk):
    app = make_app(kiosk=kiosk, supervisor_pin="2468" if kiosk else None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        field = app.screen.query_one(CommandInput)
        assert field.has_focus
        assert field.cursor_blink is False
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
