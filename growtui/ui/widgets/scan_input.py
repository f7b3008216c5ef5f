"""ScanInput: an Input for keyboard-wedge barcode scanners.

The stock Input treats Enter as a binding, which runs only after the key has bubbled to the App;
characters of the next scan that arrive meanwhile are inserted first and end up in the wrong tag
(Textual #6605). Here Enter is handled in the Input's own key handler, in order with the characters.
"""

from __future__ import annotations

import re

from textual import events
from textual.message import Message
from textual.widgets import Input

from growtui.domain.tags import normalize_tag

_SUBMIT_KEYS = frozenset({"enter", "ctrl+j"})  # CR, and LF from scanners configured that way
_LINE_BREAKS = re.compile(r"[\r\n]")
_PASTE_SEPARATORS = re.compile(r"[\s,;|]+")  # as domain.tags.split_tags: lines, commas, tabs, spaces


def split_scans(text: str) -> list[str]:
    """Normalised tags from a pasted block, in order; blanks dropped, nothing validated (the
    screen reports bad tags, so none disappears silently)."""
    return [tag for piece in _PASTE_SEPARATORS.split(text) if (tag := normalize_tag(piece))]


class ScanInput(Input):
    """Posts one `Scanned(tag)` per Enter (or per line of a pasted block), then clears itself."""

    class Scanned(Message):
        def __init__(self, scan_input: ScanInput, tag: str) -> None:
            super().__init__()
            self.scan_input = scan_input
            self.tag = tag

        @property
        def control(self) -> ScanInput:
            return self.scan_input

    def __init__(
        self,
        placeholder: str = "Scan or type a tag",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        compact: bool = True,
    ) -> None:
        super().__init__(
            placeholder=placeholder,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
            compact=compact,
            select_on_focus=False,
        )
        self.cursor_blink = False  # a blinking cursor costs ~1.7 KB/s over SSH when idle

    def _emit(self, raw: str) -> None:
        tag = normalize_tag(raw)
        if tag:
            self.post_message(self.Scanned(self, tag))

    # Textual calls `_on_*` handlers down the MRO until one calls prevent_default(), so returning
    # without it lets Input's own handler run next (calling super() here would insert twice).

    async def _on_key(self, event: events.Key) -> None:
        if event.key in _SUBMIT_KEYS:
            event.stop()
            event.prevent_default()
            value, self.value = self.value, ""
            self._emit(value)

    def _on_paste(self, event: events.Paste) -> None:
        if not _LINE_BREAKS.search(event.text):
            return  # one line: ordinary typing, Input inserts it
        event.stop()
        event.prevent_default()
        value, self.value = self.value, ""
        for tag in split_scans(value + event.text):
            self.post_message(self.Scanned(self, tag))
