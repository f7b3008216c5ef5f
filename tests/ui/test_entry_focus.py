"""Input lands where it was typed (issue 16): a Tab followed at once by more keys moves on before
those keys arrive (scanners are often set to send Tab), and a form opens on the first field a
person fills, with nothing selected for overwrite."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from growtui.domain.collections import Collection, Family
from growtui.ui.modals.forms.catalog import CreateStrainForm
from growtui.ui.modals.forms.create_package import CreatePackageForm
from tests.ui.conftest import make_app, open_main, settle, wait_for


def typed_at_once(app, keys: list[str]) -> None:
    """Keys posted back to back, as a fast typist's or a scanner's keys arrive (no idle between)."""
    for key in keys:
        char = {"tab": "\t", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def test_tab_then_typing_at_once_lands_in_the_next_field():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        main.show_collection(Collection(Family.STRAINS))
        await settle(pilot)
        main.record_list.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, CreateStrainForm), "the strain form")
        form = app.screen
        first, second = [w for w in form.query(Input) if w.can_focus][:2]
        assert app.focused is first
        third = [w for w in form.query(Input) if w.can_focus][2]
        typed_at_once(app, ["A", "A", "A", "tab", "1", "2", "enter", "3", "shift+tab", "4"])
        await wait_for(pilot, lambda: (first.value, second.value, third.value) == ("AAA", "124", "3"),
                       f"AAA | 124 | 3 (got {first.value!r} | {second.value!r} | {third.value!r})")


async def test_create_package_opens_on_the_first_field_a_person_fills():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        main.show_collection(Collection(Family.PACKAGES, "active"))
        await settle(pilot)
        main.record_list.toggle_mark(main.record_list.cursor_id)
        main.record_list.focus()
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, CreatePackageForm), "the package form")
        await settle(pilot)
        form = app.screen
        focused = app.focused
        assert isinstance(focused, Input)
        suggested = form.query_one("#tag", Input) if form.query("#tag") else None
        assert focused is not suggested, "focus on the suggested tag: the first key would replace it"
        for field in form.query(Input):
            assert field.selection.is_empty, f"{field.id} has its text selected for overwrite"
