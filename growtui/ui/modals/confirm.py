"""ConfirmModal: the last look before a write is sent upstream.

Safety rules (scanners type into whatever has focus, and end every scan with CR):
- Enter never confirms; only `y` or F10 do, and only once the caller set a valid verdict.
- `y` confirms after a short quiet period, so a scan that happens to contain "y" is not a yes.
- A scanner burst arriving while the dialog is open is rejected with a notice and a bell.
- Focus starts on Cancel. Dismisses with True (confirmed) or False.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Static

from growtui.ui.modals.dialog import GuardedDialog
from growtui.ui.widgets.record_list import clean_cell

_CONFIRM_KEYS = frozenset({"y", "f10"})
_CANCEL_KEYS = frozenset({"n", "escape"})
_PASS_THROUGH = frozenset({"tab", "shift+tab", "left", "right"})
_SCROLL_KEYS = {"up": "scroll_up", "down": "scroll_down", "pageup": "scroll_page_up", "pagedown": "scroll_page_down"}
_UNSAFE = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}

SCAN_REJECTED = "Scan ignored: this dialog is open. Press y or F10 to confirm, Esc to cancel."


class Verdict(StrEnum):
    PENDING = "pending"  # validation running
    VALID = "valid"
    INVALID = "invalid"


_DEFAULT_VERDICT_TEXT = {Verdict.PENDING: "Validating…", Verdict.VALID: "Valid ✓", Verdict.INVALID: "Invalid"}


def payload_json(payload: object) -> str:
    """The exact JSON body, pretty-printed; C1 controls and bidi overrides shown escaped."""
    text = payload if isinstance(payload, str) else json.dumps(payload, indent=2, ensure_ascii=False)
    return text.translate(_UNSAFE)


class ConfirmModal(GuardedDialog[bool]):
    """`ConfirmModal("Move 3 packages to Vault", ["1A4…01", …], payload=[{…}])`; update the verdict
    with `set_verdict(Verdict.VALID)` / `set_verdict(Verdict.INVALID, upstream_error)`."""

    AUTO_FOCUS = "#cancel"

    DEFAULT_CSS = """
    ConfirmModal > #dialog { width: 90%; max-width: 100; max-height: 100%; }
    ConfirmModal #body { max-height: 14; }
    ConfirmModal #details { color: $text-muted; }
    ConfirmModal #json-text { display: none; border: round $panel; border-title-color: $text-muted; }
    ConfirmModal #json-text.-shown { display: block; }
    ConfirmModal #selection { color: $text-warning; }
    ConfirmModal #verdict { text-style: bold; }
    ConfirmModal #verdict.-pending { color: $text-warning; }
    ConfirmModal #verdict.-valid { color: $text-success; }
    ConfirmModal #verdict.-invalid { color: $text-error; }
    ConfirmModal #buttons { height: 1; align-horizontal: right; }
    ConfirmModal #buttons Button { margin-left: 2; }
    ConfirmModal #hint { color: $text-muted; }
    """

    def __init__(
        self,
        summary: str,
        details: Sequence[str] = (),
        payload: object = None,
        *,
        title: str = "Confirm",
        confirm_label: str = "Send",
        verdict: Verdict = Verdict.PENDING,
        verdict_text: str = "",
        selection: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._summary = summary
        self._details = list(details)
        self._payload = payload
        self._confirm_label = confirm_label
        self._verdict = verdict
        self._verdict_text = verdict_text or _DEFAULT_VERDICT_TEXT[verdict]
        self._selection = selection  # "2 marked, 1 not in view …": rows taken that are not on screen

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(clean_cell(self._title)), id="title")
            yield Static(Text(clean_cell(self._summary)), id="summary")
            if self._selection:
                yield Static(Text(clean_cell(self._selection)), id="selection")
            with VerticalScroll(id="body", can_focus=False):
                if self._details:
                    yield Static(Text("\n".join(clean_cell(line) for line in self._details)), id="details")
                json_text = Static(Text(payload_json(self._payload)), id="json-text")
                json_text.border_title = "JSON to send"
                yield json_text
            yield Static(id="verdict")
            yield Static(id="notice")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default", compact=True)
                yield Button(clean_cell(self._confirm_label), id="confirm", variant="warning", compact=True)
            yield Static("y/F10 confirm · n/Esc cancel · j JSON · PgUp/PgDn scroll", id="hint")

    def on_mount(self) -> None:
        self._show_verdict()

    # ---- caller API ---------------------------------------------------------------------------

    @property
    def verdict(self) -> Verdict:
        return self._verdict

    @property
    def json_shown(self) -> bool:
        return self.query_one("#json-text").has_class("-shown")

    def set_verdict(self, verdict: Verdict, text: str = "") -> None:
        """Show the validation result; only VALID makes the dialog confirmable."""
        self._verdict = verdict
        self._verdict_text = clean_cell(text) or _DEFAULT_VERDICT_TEXT[verdict]
        if verdict is not Verdict.VALID:
            self.cancel_pending()
        if self.is_mounted:
            self._show_verdict()

    def toggle_json(self) -> None:
        """Switch the body between the human detail lines and the exact JSON."""
        shown = self.query_one("#json-text").toggle_class("-shown").has_class("-shown")
        for details in self.query("#details"):
            details.display = not shown
        self.query_one("#body").scroll_home(animate=False)

    # ---- input --------------------------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        if event.key in _PASS_THROUGH:
            self._guard.feed(event)
            return
        event.stop()
        event.prevent_default()
        in_burst = self._guard.feed(event)
        if in_burst:
            self.cancel_pending()
            if event.key in ("enter", "ctrl+j"):
                self._reject_scan()
            return
        if event.key in _CONFIRM_KEYS:
            self._request_confirm()
        elif event.key in _CANCEL_KEYS:
            self.dismiss(False)
        elif event.key == "j":
            self.toggle_json()
        elif event.key in _SCROLL_KEYS:
            getattr(self.query_one("#body"), _SCROLL_KEYS[event.key])(animate=False)
        elif event.key == "enter":
            self._set_notice("Enter does not confirm here: press y or F10.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(False)
        else:
            self._request_confirm()

    # ---- internals ----------------------------------------------------------------------------

    def _request_confirm(self) -> None:
        if self._verdict is not Verdict.VALID:
            self.app.bell()
            reason = "still validating" if self._verdict is Verdict.PENDING else "the request is invalid"
            self._set_notice(f"Cannot confirm: {reason}.")
            return
        self.when_quiet(self._confirm_if_valid)

    def _confirm_if_valid(self) -> None:
        if self._verdict is Verdict.VALID:
            self.dismiss(True)

    def _reject_scan(self) -> None:
        self.app.bell()
        self._set_notice(SCAN_REJECTED)

    def _show_verdict(self) -> None:
        verdict = self.query_one("#verdict", Static)
        verdict.set_classes(f"-{self._verdict.value}")
        verdict.update(Text(self._verdict_text))
        self.query_one("#confirm", Button).disabled = self._verdict is not Verdict.VALID
