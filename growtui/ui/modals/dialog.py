"""GuardedDialog: what the confirmation and message dialogs share.

A centred box with a title and an optional notice line, and a BurstGuard: scanners type into
whatever has focus and end every scan with CR, so a dialog must tell a person's keys from a burst.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from growtui.ui.modals.burst import BurstGuard

ResultType = TypeVar("ResultType")


class GuardedDialog(ModalScreen[ResultType]):
    DEFAULT_CSS = """
    GuardedDialog { align: center middle; }
    GuardedDialog > #dialog { height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    GuardedDialog #title { text-style: bold; }
    GuardedDialog #body { height: auto; }
    GuardedDialog #notice { color: $text-error; display: none; }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._guard = BurstGuard()
        self._notice = ""
        self._pending: Timer | None = None

    def when_quiet(self, act: Callable[[], None]) -> None:
        """Run ``act`` once the burst gap passes with no other key: if more keys follow at scanner
        speed, the key that asked was the start of a scan, not a person's answer."""
        self.cancel_pending()
        asked_at = self._guard.last_key_time

        def fire() -> None:
            self._pending = None
            if self._guard.last_key_time == asked_at:
                act()

        self._pending = self.set_timer(self._guard.gap * 1.2, fire)

    def cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None

    @property
    def notice(self) -> str:
        return self._notice

    def _set_notice(self, text: str) -> None:
        self._notice = text
        notice = self.query_one("#notice", Static)
        notice.update(Text(text))
        notice.display = bool(text)
