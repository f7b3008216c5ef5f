"""ScanInput: an Input for keyboard-wedge barcode scanners.

The stock Input treats Enter as a binding, which runs only after the key has bubbled to the App;
characters of the next scan that arrive meanwhile are inserted first and end up in the wrong tag
(Textual #6605). Here Enter is handled in the Input's own key handler, in order with the characters.

A scan that is not a tag is refused where it was scanned, with the reason, and never posted: one
that carried control characters (a scanner sending GS1 separators or escape sequences: dropping
them silently would join what they separated), and, in fields that take only tags, one of the
wrong length or alphabet (domain.tags). The main screen's scan field also finds manifest numbers
and names, so it checks control characters only.
"""

from __future__ import annotations

import re

from textual import events
from textual.message import Message
from textual.widgets import Input

from growtui.domain.tags import normalize_tag, tag_problem

_SUBMIT_KEYS = frozenset({"enter", "ctrl+j"})  # CR, and LF from scanners configured that way
_LINE_BREAKS = re.compile(r"[\r\n]")
# Control characters a scanner puts inside a scan (GS1 separators, EOT…); not the ones that are a
# person's keys: Backspace (BS), Tab, LF, CR, Escape, Delete.
_CONTROL = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x80-\x9f]")


def _named(char: str) -> str:
    return {"\x1b": "ESC", "\x1d": "GS", "\x1e": "RS", "\x04": "EOT"}.get(char, f"0x{ord(char):02X}")
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
        tags_only: bool = True,
    ) -> None:
        self.tags_only = tags_only
        self._controls: list[str] = []  # control characters that arrived since the last Enter
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
        controls, self._controls = self._controls, []
        if controls:
            shown = " ".join(dict.fromkeys(controls))
            self.refuse(f"{normalize_tag(raw) or 'That scan'}: the scan held control characters ({shown}); "
                        "not taken. Set the scanner to send the tag only, then scan again.")
        else:
            self.take(raw)

    def take(self, raw: str) -> None:
        """A scan without control characters: post it as a tag (if it is one, where only tags go)."""
        tag = normalize_tag(raw)
        if tag and self.tags_only and (problem := tag_problem(tag)) is not None:
            self.refuse(problem.message)
        elif tag:
            self.post_message(self.Scanned(self, tag))

    def refuse(self, reason: str) -> None:
        """Said where people look (a notice) with a bell: a scanner user is looking at the plant."""
        self.app.bell()
        self.notify(reason, title="Scan refused", severity="error", timeout=12, markup=False)

    # Textual calls `_on_*` handlers down the MRO until one calls prevent_default(), so returning
    # without it lets Input's own handler run next (calling super() here would insert twice).

    async def _on_key(self, event: events.Key) -> None:
        if event.key in _SUBMIT_KEYS:
            event.stop()
            event.prevent_default()
            value, self.value = self.value, ""
            self._emit(value)
        elif event.character is not None and _CONTROL.match(event.character):
            event.stop()  # part of the scan, not a key to act on: noted, refused at its Enter
            event.prevent_default()
            self._controls.append(_named(event.character))

    def _on_paste(self, event: events.Paste) -> None:
        if not _LINE_BREAKS.search(event.text):
            return  # one line: ordinary typing, Input inserts it
        event.stop()
        event.prevent_default()
        value, self.value = self.value, ""
        for line in _LINE_BREAKS.split(value + event.text):
            controls = [_named(c) for c in _CONTROL.findall(line)]
            for tag in split_scans(line):
                self._controls = controls  # a line with control characters refuses its every tag
                self._emit(tag)
