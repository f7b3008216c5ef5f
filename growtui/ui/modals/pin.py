"""Ask for a PIN (kiosk supervisor). Dismisses with what was typed, or None on Escape."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from growtui.ui.common import ContainsErrors, quiet_input


class PinModal(ContainsErrors, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#pin"

    def __init__(self, prompt: str) -> None:
        super().__init__(classes="pin-modal")
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.prompt)
            yield quiet_input(id="pin", password=True, placeholder="PIN, then Enter")

    @on(Input.Submitted, "#pin")
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
