"""The note form counts what is typed and says what upstream allows (issue 16). No upstream
documents a length limit for package notes (../shared/reference), so the form says none is
documented rather than inventing one."""

from __future__ import annotations

from growtui.ui.modals.forms.packages import AddNoteForm
from tests.ui.actions.conftest import make_rig, open_list
from tests.ui.conftest import settle, type_text


async def test_the_note_form_counts_characters_and_names_the_limit():
    rig = make_rig()
    async with rig.app.run_test(size=(60, 20)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("n")
        form = pilot.app.screen
        assert isinstance(form, AddNoteForm)

        def counter() -> str:
            return str(form.query_one("#field-note .field-hint").render())

        assert counter().startswith("0 characters") and "no length limit is documented" in counter()
        await type_text(pilot, "moved to vault")
        await settle(pilot, 1)
        assert counter().startswith("14 characters")
