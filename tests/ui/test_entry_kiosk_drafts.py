"""Kiosk drafts (issue 16): on a kiosk, a form discarded with typed work keeps it as a draft,
which that form offers the next time it opens and Ctrl+R takes up. Off the kiosk a discard
keeps nothing (the person asked for it)."""

from __future__ import annotations

from textual.widgets import Input

from growtui.data.drafts import DraftStore
from growtui.ui.modals.discard import DiscardModal
from growtui.ui.modals.forms.form_drafts import draft_key
from growtui.ui.modals.forms.packages import AddNoteForm
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import make_app, notices, open_packages, settle, type_text, wait_for
from tests.ui.test_kiosk import kiosk_app


async def note_form(pilot) -> AddNoteForm:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AddNoteForm), "the note form")
    return pilot.app.screen


async def discard_typed(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardModal), "the discard question")
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "the form discarded")


def draft_line(form: AddNoteForm) -> str:
    line = form.query_one("#form-draft")
    return str(line.render()) if line.display else ""


async def test_a_kiosk_keeps_a_discarded_form_as_a_draft_to_take_up_again():
    app = kiosk_app()
    said = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_packages(pilot)
        form = await note_form(pilot)
        assert draft_line(form) == ""
        await discard_typed(pilot, "half a count")
        assert DraftStore().load(draft_key(form)) is not None
        assert any("Kept as a draft" in m for m in said), said

        form = await note_form(pilot)  # the same form again: the draft is offered
        assert "Ctrl+R takes it up" in draft_line(form) and "Note" in draft_line(form)
        assert form.query_one("#note", Input).value == ""  # nothing put back unasked
        await pilot.press("ctrl+r")
        await settle(pilot, 1)
        assert form.query_one("#note", Input).value == "half a count"
        assert draft_line(form) == ""  # taken up: no longer offered
        assert DraftStore().load(draft_key(form)) is None


async def test_off_the_kiosk_a_discard_keeps_nothing():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_packages(pilot)
        await note_form(pilot)
        await discard_typed(pilot, "scrap this")
        form = await note_form(pilot)
        assert draft_line(form) == ""
        assert DraftStore().load(draft_key(form)) is None
