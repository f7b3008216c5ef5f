"""LabelModal: the labels drawn in the terminal, where they will go, then print or not.

`p` or Enter prints (once no scan follows it: a scanner's burst never prints), Left/Right page
through the labels, Esc closes without printing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from growtui.labels.content import LabelContent
from growtui.labels.preview import preview
from growtui.ui.modals.dialog import GuardedDialog


class LabelModal(GuardedDialog[bool]):
    DEFAULT_CSS = """
    LabelModal > #dialog { width: auto; max-width: 100%; }
    LabelModal #preview { border: round $secondary; padding: 0 1; width: auto; }
    LabelModal #keys { color: $text-muted; }
    """

    def __init__(self, labels: Sequence[LabelContent], how: str, where: str, *, compact: bool) -> None:
        super().__init__()
        self.labels = list(labels)
        self.how = how  # "ZPL, 4 x 2 in, standard"
        self.where = where
        self.compact = compact
        self.shown = 0

    def compose(self) -> ComposeResult:
        count = len(self.labels)
        with Vertical(id="dialog"):
            yield Static(Text(f"Print {count} label{'s' if count != 1 else ''} ({self.how})"), id="title")
            yield Static(id="preview")
            yield Static(id="page")
            yield Static(Text(f"To {self.where}"), id="body")
            yield Static(id="notice")
            yield Static(Text("p / Enter  print     ← →  other labels     Esc  cancel"), id="keys")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        lines = preview(self.labels[self.shown], compact=self.compact)
        self.query_one("#preview", Static).update(Text("\n".join(lines), no_wrap=True, overflow="crop"))
        self.query_one("#page", Static).update(Text(f"Label {self.shown + 1} of {len(self.labels)}"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self._guard.feed(event):
            self.cancel_pending()
            self._set_notice("Scan ignored: press p to print or Esc to cancel.")
            return
        if event.key in ("p", "enter"):
            self.when_quiet(lambda: self.dismiss(True))
        elif event.key == "escape":
            self.dismiss(False)
        elif event.key in ("left", "right"):
            step = 1 if event.key == "right" else -1
            self.shown = (self.shown + step) % len(self.labels)
            self._show()
