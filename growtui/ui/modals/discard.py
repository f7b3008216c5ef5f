"""DiscardModal: ask before typed work is thrown away (Esc or Ctrl+Q on a form someone filled in).

`y` discards; `n`, Esc or Enter keeps everything typed. A scanner burst never answers it (a tag
that starts with "y" must not throw a form away): `y` acts only once no scan follows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from growtui.ui.modals.dialog import GuardedDialog


class DiscardModal(GuardedDialog[bool]):
    DEFAULT_CSS = """
    DiscardModal > #dialog { width: 70%; max-width: 80; border: thick $warning; }
    DiscardModal #keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, title: str, fields: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title), id="title")
            if self._fields:
                yield Static(Text("Typed so far: " + ", ".join(self._fields)), id="body")
            yield Static(id="notice")
            yield Static(Text("y  discard it     n / Esc  keep typing"), id="keys")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self._guard.feed(event):
            self.cancel_pending()
            self._set_notice("Scan ignored: answer with y or n first.")
            return
        if event.key == "y":  # only once no scan follows it: a tag may start with "y"
            self.when_quiet(lambda: self.dismiss(True))
        elif event.key in ("n", "escape", "enter"):
            self.dismiss(False)
