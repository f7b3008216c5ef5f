"""StatusBar: one static line (progress, cache age, license, last error). No animation.

Over SSH every repaint costs bytes, so the bar repaints only when a field changes; the cache age is
re-checked once every `age_check` seconds and repaints only when its text ("3 min ago") changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

from growtui.ui.widgets.record_list import clean_cell

Clock = Callable[[], float]


def format_age(seconds: float) -> str:
    """'just now', '45 s ago', '3 min ago', '2 h ago', '4 d ago'."""
    seconds = max(0.0, seconds)
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


class StatusBar(Widget):
    """`set_progress(12431, 50000)` → "12,431 of 50,000"; `set_cached_at(epoch)` → "cached 3 min
    ago"; `set_license("Grow 1 · C11-…")`; `set_error("…")` shows it in red until `clear_error()`.
    All text is API data and is rendered literally (no markup)."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; background: $panel; color: $text-muted; }
    StatusBar > .status-bar--error { color: $text-error; text-style: bold; }
    """

    COMPONENT_CLASSES = {"status-bar--error", "status-bar--license"}

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        age_check: float = 30.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self._age_check = age_check
        self._progress: tuple[int, int] | None = None
        self._cached_at: float | None = None
        self._license = ""
        self._error = ""
        self._note = ""
        self._marked: tuple[int, int] = (0, 0)  # marked rows, and how many of them the filter hides
        self._age_text = ""

    def on_mount(self) -> None:
        self.set_interval(self._age_check, self._check_age)

    # ---- setters (each repaints only on change) ---------------------------------------------

    def set_progress(self, shown: int | None, total: int | None = None) -> None:
        """`shown of total` rows; None hides it."""
        self._update("_progress", None if shown is None else (shown, total if total is not None else shown))

    def set_cached_at(self, epoch_seconds: float | None) -> None:
        self._update("_cached_at", epoch_seconds)

    def set_license(self, text: str) -> None:
        self._update("_license", text)

    def set_marked(self, count: int, hidden: int = 0) -> None:
        """ "3 marked", "3 marked (1 not in view)"; nothing when none is."""
        self._update("_marked", (count, hidden))

    def set_note(self, text: str) -> None:
        """A short neutral message (e.g. "Refreshing plants…")."""
        self._update("_note", text)

    def set_error(self, text: str) -> None:
        self._update("_error", text)

    def clear_error(self) -> None:
        self._update("_error", "")

    @property
    def plain(self) -> str:
        """The line as plain text (what the user reads)."""
        return self.render_text().plain

    # ---- rendering ----------------------------------------------------------------------------

    def _update(self, attr: str, value: object) -> None:
        if isinstance(value, str):
            value = clean_cell(value)
        if getattr(self, attr) != value:
            setattr(self, attr, value)
            self.refresh()

    def _cache_age(self) -> str:
        if self._cached_at is None:
            return ""
        return f"cached {format_age(self._clock() - self._cached_at)}"

    def _check_age(self) -> None:
        if self._cache_age() != self._age_text:
            self.refresh()

    def render_text(self) -> Text:
        parts: list[Text] = []
        if self._progress is not None:
            shown, total = self._progress
            parts.append(Text(f"{shown:,} of {total:,}"))
        count, hidden = self._marked
        if count:
            parts.append(Text(f"{count:,} marked" + (f" ({hidden:,} not in view)" if hidden else ""),
                              style="bold"))
        self._age_text = self._cache_age()
        if self._age_text:
            parts.append(Text(self._age_text))
        if self._note:
            parts.append(Text(self._note))
        if self._error:  # before the license: on a narrow terminal the error must stay visible
            parts.append(Text(self._error, style=self.get_component_rich_style("status-bar--error")))
        if self._license:
            parts.append(Text(self._license, style=self.get_component_rich_style("status-bar--license")))
        line = Text(" │ ").join(parts)
        line.pad_left(1)
        line.no_wrap = True
        line.overflow = "ellipsis"
        return line

    def render(self) -> Text:
        return self.render_text()
