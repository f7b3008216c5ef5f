"""Choose which columns a list shows (remembered per list)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from growtui.ui.common import ContainsErrors, plain


class ColumnsModal(ContainsErrors, ModalScreen[list[str] | None]):
    """Space toggles, Enter applies, Escape cancels. Dismisses with the chosen column names."""

    BINDINGS = [
        Binding("enter", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "SelectionList"

    def __init__(self, columns: list[tuple[str, str]], visible: list[str]) -> None:
        super().__init__(classes="columns-modal")
        self.all_columns = columns  # (name, header)
        self.shown_names = visible

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Columns (Space toggles, Enter applies)")
            yield SelectionList[str](
                *((plain(header), name, name in self.shown_names) for name, header in self.all_columns),
                compact=True,
            )

    def action_apply(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        # Keep the list's own order; an empty choice would show nothing, so it means "all".
        order = [name for name, _ in self.all_columns if name in chosen]
        self.dismiss(order or [name for name, _ in self.all_columns])

    def action_cancel(self) -> None:
        self.dismiss(None)
