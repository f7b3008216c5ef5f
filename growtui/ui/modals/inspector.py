"""InspectorModal (`J`): one row's raw upstream JSON, as cached, pretty-printed and searchable.

Type in the find field: every match is marked and counted; Enter (or F3) goes to the next one and
moves into the JSON, where n/Enter go to the next and N to the previous (as in less), and typing
goes back to the find field; Ctrl+R is the previous one anywhere; Up/Down/PageUp/PageDown scroll;
Esc closes. Upstream text is data: it
is shown as plain Text with control and bidi characters dropped, never as markup.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from growtui.text import clean_text
from growtui.ui.common import quiet_input

MAX_LINES = 20_000  # a row this long is shown up to here, and says so


def pretty_lines(raw: Any) -> list[str]:
    """The JSON as people read it: indented, keys in upstream's order, one clean line per line."""
    lines = json.dumps(raw, indent=2, ensure_ascii=False, default=str).splitlines()
    shown = [clean_text(line) for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(f"… {len(lines) - MAX_LINES:,} more lines not shown")
    return shown


class InspectorModal(ModalScreen[None]):
    DEFAULT_CSS = """
    InspectorModal { align: center middle; }
    InspectorModal > #dialog { width: 95%; height: 95%; border: thick $primary; background: $surface; padding: 0 1; }
    InspectorModal #title { text-style: bold; }
    InspectorModal #count { color: $text-muted; }
    InspectorModal #scroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f3", "hit(1)", "Next", show=False),
        Binding("ctrl+r", "hit(-1)", "Previous", show=False),
        # n, N and Enter reach these only from the JSON: the find field takes them as typing
        Binding("n,enter", "hit(1)", "Next", show=False),
        Binding("N", "hit(-1)", "Previous", show=False),
        Binding("up", "scroll(-1)", show=False),
        Binding("down", "scroll(1)", show=False),
        Binding("pageup", "scroll(-20)", show=False),
        Binding("pagedown", "scroll(20)", show=False),
    ]

    def __init__(self, title: str, raw: Any) -> None:
        super().__init__()
        self.title_text = title
        self.lines = pretty_lines(raw)
        self.text = "\n".join(self.lines)
        self.matches: list[int] = []  # offsets of the matches in ``text``
        self.current = -1
        self.needle = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.title_text), id="title")
            yield quiet_input(id="find", placeholder="find in the JSON (Enter/n: next, N: previous)")
            yield Static(id="count")
            with VerticalScroll(id="scroll"):
                yield Static(id="json")

    def on_mount(self) -> None:
        self._render_json()
        self.query_one("#find", Input).focus()

    @on(Input.Changed, "#find")
    def _find(self, event: Input.Changed) -> None:
        self.needle = event.value.casefold()
        haystack = self.text.casefold()
        self.matches = []
        if self.needle:
            at = haystack.find(self.needle)
            while at >= 0 and len(self.matches) < 10_000:
                self.matches.append(at)
                at = haystack.find(self.needle, at + len(self.needle))
        self.current = 0 if self.matches else -1
        self._render_json()

    @on(Input.Submitted, "#find")
    def _next(self) -> None:
        self.action_hit(1)
        if self.matches:
            self.query_one("#scroll", VerticalScroll).focus()  # so n/N step through the hits

    def on_key(self, event: events.Key) -> None:
        """Typing in the JSON (n and N aside) goes on in the find field."""
        find = self.query_one("#find", Input)
        if find.has_focus or not event.is_printable or event.character in (None, "n", "N"):
            return
        event.stop()
        event.prevent_default()
        find.focus()
        find.insert_text_at_cursor(event.character)

    def action_hit(self, step: int) -> None:
        if self.matches:
            self.current = (self.current + step) % len(self.matches)
            self._render_json()

    def action_scroll(self, lines: int) -> None:
        scroll = self.query_one("#scroll", VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + lines, animate=False)

    @property
    def current_line(self) -> int | None:
        """The line (0-based) of the current match."""
        return self.text.count("\n", 0, self.matches[self.current]) if self.current >= 0 else None

    def _render_json(self) -> None:
        shown = Text(self.text, no_wrap=True, overflow="crop")
        width = len(self.needle)
        for n, at in enumerate(self.matches):
            shown.stylize("bold black on yellow" if n == self.current else "reverse", at, at + width)
        self.query_one("#json", Static).update(shown)
        count = self.query_one("#count", Static)
        if not self.needle:
            count.update(Text(f"{len(self.lines):,} lines"))
        elif self.matches:
            count.update(Text(f"{self.current + 1} of {len(self.matches):,} matches"))
        else:
            count.update(Text("no match"))
        line = self.current_line
        if line is not None:
            scroll = self.query_one("#scroll", VerticalScroll)
            if not scroll.scroll_y <= line < scroll.scroll_y + max(1, scroll.size.height - 1):
                scroll.scroll_to(y=max(0, line - 3), animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
