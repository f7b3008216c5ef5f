"""Typed work is never thrown away without asking (issue 16): Esc or Ctrl+Q on a form someone
filled in asks first; `n` keeps everything typed; a scanner burst never answers; an untouched
form closes at once."""

from __future__ import annotations

from growtui.ui.modals.discard import DiscardModal
from growtui.ui.modals.forms.packages import AddNoteForm
from growtui.ui.screens.main import MainScreen

from .conftest import burst, make_app, open_main, settle, type_text, wait_for


async def open_note_form(pilot) -> AddNoteForm:
    if not isinstance(pilot.app.screen, MainScreen):
        main = await open_main(pilot)
        await pilot.press("4")
        await wait_for(pilot, lambda: main.source is not None and len(main.source) > 0, "packages")
    main = pilot.app.screen
    main.record_list.focus()
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AddNoteForm)
    return pilot.app.screen


async def test_esc_on_a_filled_form_asks_and_n_keeps_what_was_typed():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_note_form(pilot)
        await pilot.press("escape")  # nothing typed yet: closes at once
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        form = await open_note_form(pilot)
        form.query_one("#note").focus()
        await type_text(pilot, "weighed twice")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardModal)
        modal = app.screen
        burst(app, "y1A4FF0100000022000000123")  # a scan that starts with "y" never answers
        await wait_for(pilot, lambda: "Scan ignored" in modal.notice and modal._pending is None, "the scan ignored")
        assert app.screen is modal
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and form.query_one("#note").value == "weighed twice"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the form discarded")


async def test_ctrl_q_on_a_filled_form_asks_before_quitting():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_note_form(pilot)
        form.query_one("#note").focus()
        await type_text(pilot, "half a pound")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, DiscardModal) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and form.query_one("#note").value == "half a pound"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, DiscardModal)
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")
