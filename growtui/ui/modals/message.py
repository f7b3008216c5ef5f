"""MessageModal: show an error (or a note) until the user acknowledges it.

Escape, Enter, Space or `o` close it, except an Enter that ends a scanner burst: that is rejected
with a bell so a scan cannot make the user miss the error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from growtui.ui.modals.dialog import GuardedDialog
from growtui.ui.widgets.record_list import clean_cell

Severity = Literal["error", "warning", "information"]
_CLOSE_KEYS = frozenset({"escape", "enter", "space", "o"})


class MessageModal(GuardedDialog[None]):
    """`MessageModal("Could not move package", ["Location 'Vault' not found"], severity="error")`."""

    AUTO_FOCUS = "#ok"

    DEFAULT_CSS = """
    MessageModal > #dialog { width: 80%; max-width: 90; max-height: 80%; }
    MessageModal.-error > #dialog { border: thick $error; }
    MessageModal.-warning > #dialog { border: thick $warning; }
    MessageModal.-error #title { color: $text-error; }
    MessageModal #body { max-height: 12; }
    MessageModal #notice { height: auto; }
    MessageModal #ok { margin-top: 1; }
    """

    def __init__(self, title: str, lines: Sequence[str] = (), *, severity: Severity = "error") -> None:
        super().__init__(classes=f"-{severity}")
        self._title = title
        self._lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(clean_cell(self._title)), id="title")
            if self._lines:
                with VerticalScroll(id="body", can_focus=False):
                    yield Static(Text("\n".join(clean_cell(line) for line in self._lines)))
            yield Static(id="notice")
            yield Button("OK", id="ok", compact=True)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self._guard.feed(event):
            if event.key in ("enter", "ctrl+j"):
                self.app.bell()
                self._set_notice("Scan ignored: close this message first (Esc).")
            return
        if event.key in _CLOSE_KEYS:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
