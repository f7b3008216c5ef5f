"""Package forms that act on the selected rows: add a note, unfinish."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from growtui.domain.actions import AddNote, Unfinish
from growtui.domain.writes import BY_KIND
from growtui.ui.modals.forms.form import ActionForm, FormField, text_input

PackageRef = tuple[int, str]  # (package id, tag label)


def _listing(packages: Sequence[PackageRef], limit: int = 6) -> str:
    labels = [label for _, label in packages]
    shown = ", ".join(labels[:limit])
    more = len(labels) - limit
    return f"{shown} and {more} more" if more > 0 else shown


class PackagesForm(ActionForm):
    """A form over a fixed set of packages (the marked rows, or the row under the cursor)."""

    def __init__(self, license_number: str, packages: Sequence[PackageRef]) -> None:
        super().__init__(license_number)
        self.packages = list(packages)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(pid for pid, _ in self.packages)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.packages)

    def packages_line(self) -> Static:
        n = len(self.packages)
        return Static(Text(f"{n} package{'s' if n != 1 else ''}: {_listing(self.packages)}"), id="form-packages")


def note_count(text: str) -> Text:
    """The note's length as typed. No upstream documents a limit for package notes (t3-api.md
    §5.4, metrc-api.md §8.5), so none is invented: the counter says so."""
    n = len(text.strip())
    return Text(f"{n} character{'' if n == 1 else 's'} · no length limit is documented upstream")


class AddNoteForm(PackagesForm):
    SPEC = BY_KIND["AddNote"]

    def form_fields(self) -> ComposeResult:
        yield self.packages_line()
        yield FormField("Note", text_input("note", placeholder="What happened to these packages"), name="note",
                        hint=note_count("").plain)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#note").focus()

    @on(Input.Changed, "#note")
    def _count(self, event: Input.Changed) -> None:
        self.query_one("#field-note .field-hint", Static).update(note_count(event.value))

    def build(self) -> AddNote:
        note = self.query_one("#note").value  # type: ignore[attr-defined]
        return AddNote(self.ids, self.labels, note.strip())


class UnfinishForm(PackagesForm):
    SPEC = BY_KIND["Unfinish"]

    def form_fields(self) -> ComposeResult:
        yield self.packages_line()
        yield FormField("Packages", Static(Text("Finished packages become active again.")), name="package_ids")

    def build(self) -> Unfinish:
        return Unfinish(self.ids, self.labels)
