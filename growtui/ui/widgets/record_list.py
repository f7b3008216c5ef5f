"""RecordList: a keyboard-driven virtual list for 50k–100k records (line API, not DataTable).

Only the visible lines are rendered; each rendered row is cached as a Strip keyed by its row id and
its cursor/mark state, so cursor moves cost two cached lines. Filtering and sorting belong to the
row source (the data layer's index); the widget only asks it for the rows in the current view.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from growtui.data.index import spread
from growtui.text import clean_text as clean_cell  # record_list.clean_cell: API text made safe to draw

RowId = Hashable

# Row states a source may report through `row_style_key`; each maps to a component class
# `record-list--<state>` that the stylesheet colours. Unknown keys render as normal rows.
ROW_STATES = ("onhold", "failed", "intransit", "finished")

ELLIPSIS = "…"
MARK_GLYPH = "*"
_SORT_GLYPHS = {False: "▲", True: "▼"}


def fit_cell(text: str, width: int, *, right: bool = False) -> str:
    """Pad (numbers on the left: ``right``) or truncate with an ellipsis to exactly `width` cells."""
    if cell_len(text) <= width:
        return " " * (width - cell_len(text)) + text if right else set_cell_size(text, width)
    if width <= 1:
        return set_cell_size(ELLIPSIS, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


@runtime_checkable
class RowSource(Protocol):
    """What RecordList needs from the data. Positions are 0-based indexes into the current view
    (after filter and sort); `len(source)` is the view length, `total` the unfiltered count."""

    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def total(self) -> int: ...

    def __len__(self) -> int: ...

    def row_cells(self, pos: int) -> Sequence[object]: ...

    def row_style_key(self, pos: int) -> str: ...

    def width_sample(self) -> Iterable[Sequence[object]]:
        """Cells of rows spread over the view (a bounded number) to measure column widths on."""
        ...

    def row_id(self, pos: int) -> RowId: ...

    def position_of(self, row_id: RowId) -> int | None: ...

    def filter(self, text: str) -> None: ...

    def sort(self, column: int, descending: bool = False) -> None: ...


@dataclass(frozen=True, slots=True)
class Record:
    """One row for ListRowSource: an id, the cell texts in column order, and a state key."""

    id: RowId
    cells: tuple[object, ...]
    state: str = ""


class ListRowSource:
    """An in-memory RowSource over a list of Records: case-insensitive substring filter over all
    cells, stable sort by one column. Good for tests, the bench and small lists (transfers)."""

    def __init__(self, columns: Sequence[str], records: Iterable[Record]) -> None:
        self._columns = tuple(columns)
        self._records = list(records)
        self._by_id = {rec.id: i for i, rec in enumerate(self._records)}
        self._search: list[str] | None = None  # lower-cased row texts, built on the first filter
        self._order = list(range(len(self._records)))  # all records, sorted
        self._view = self._order
        self._filter = ""

    @property
    def columns(self) -> Sequence[str]:
        return self._columns

    @property
    def total(self) -> int:
        return len(self._records)

    def __len__(self) -> int:
        return len(self._view)

    def row_cells(self, pos: int) -> Sequence[object]:
        return self._records[self._view[pos]].cells

    def row_style_key(self, pos: int) -> str:
        return self._records[self._view[pos]].state

    def width_sample(self) -> Iterable[Sequence[object]]:
        view = self._view
        return (self._records[view[i]].cells for i in spread(len(view)))

    def row_id(self, pos: int) -> RowId:
        return self._records[self._view[pos]].id

    def position_of(self, row_id: RowId) -> int | None:
        index = self._by_id.get(row_id)
        if index is None:
            return None
        try:
            return self._view.index(index)
        except ValueError:
            return None

    def filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._apply_filter()

    def sort(self, column: int, descending: bool = False) -> None:
        records = self._records
        self._order = sorted(
            range(len(records)),
            key=lambda i: clean_cell(records[i].cells[column]).casefold(),
            reverse=descending,
        )
        self._apply_filter()

    def _apply_filter(self) -> None:
        needle = self._filter
        if not needle:
            self._view = self._order
            return
        if self._search is None:
            self._search = ["\x00".join(map(clean_cell, rec.cells)).casefold() for rec in self._records]
        search = self._search
        self._view = [i for i in self._order if needle in search[i]]


class RecordListMessage(Message):
    """Base of RecordList's messages: `control` is the list that posted it (for @on selectors)."""

    def __init__(self, record_list: RecordList) -> None:
        super().__init__()
        self.record_list = record_list

    @property
    def control(self) -> RecordList:
        return self.record_list


class RecordList(ScrollView, can_focus=True):
    """A fixed header plus one line per row of a RowSource, with a row cursor and marks."""

    DEFAULT_CSS = """
    RecordList { height: 1fr; background: $surface; scrollbar-size-vertical: 1; }
    RecordList > .record-list--header { text-style: bold; background: $panel; }
    RecordList > .record-list--cursor { background: $secondary 40%; }
    RecordList:focus > .record-list--cursor { background: $accent; color: $text; }
    RecordList > .record-list--marked { text-style: bold; }
    """
    # Row-state colours (record-list--onhold, --failed, --intransit, --finished) are themed in
    # styles/widgets.tcss, which the app loads.

    COMPONENT_CLASSES = {
        "record-list--header",
        "record-list--cursor",
        "record-list--marked",
        *(f"record-list--{state}" for state in ROW_STATES),
    }

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        # Letters a write of the current list also uses go to the write (claimed below): on
        # Metrc's lists g changes phase, a adjusts, r records waste. Home and Ctrl+A still work.
        Binding("g", "unless_claimed('g', 'first')", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "activate", "Open", show=False),
        Binding("space", "toggle_mark", "Mark"),
        Binding("a", "unless_claimed('a', 'mark_all')", "Mark all"),
        Binding("ctrl+a", "mark_all", "Mark all", show=False),
        Binding("u", "clear_marks", "Unmark"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("r", "unless_claimed('r', 'reverse_sort')", "Reverse", show=False),
    ]

    class CursorMoved(RecordListMessage):
        """The cursor is on a different row (row_id is None when the view is empty)."""

        def __init__(self, record_list: RecordList, row_id: RowId | None) -> None:
            super().__init__(record_list)
            self.row_id = row_id

    class RowActivated(RecordListMessage):
        """Enter on a row."""

        def __init__(self, record_list: RecordList, row_id: RowId) -> None:
            super().__init__(record_list)
            self.row_id = row_id

    class MarksChanged(RecordListMessage):
        """The set of marked row ids changed; `count` is its new size."""

        def __init__(self, record_list: RecordList, count: int) -> None:
            super().__init__(record_list)
            self.count = count

    class Sorted(RecordListMessage):
        """A sort was asked for: by ``header``; ``off_screen`` is "left"/"right" when the
        column is scrolled out of view ("" when it shows), so the screen can name it."""

        def __init__(self, record_list: RecordList, header: str, descending: bool, off_screen: str) -> None:
            super().__init__(record_list)
            self.header = header
            self.descending = descending
            self.off_screen = off_screen

    class ViewChanged(RecordListMessage):
        """The view was rebuilt (new source, data, filter or sort): `shown` of `total` rows."""

        def __init__(self, record_list: RecordList, shown: int, total: int) -> None:
            super().__init__(record_list)
            self.shown = shown
            self.total = total

    def __init__(
        self,
        source: RowSource | None = None,
        *,
        filter_delay: float = 0.08,
        max_column_width: int = 40,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._source: RowSource = source if source is not None else ListRowSource((), ())
        self.filter_delay = filter_delay
        self.max_column_width = max_column_width
        self._cursor = 0
        self._marks: set[RowId] = set()
        self._filter_text = ""
        self._filter_timer: Timer | None = None
        # By the column's header, not its position: hiding or moving columns must not re-sort.
        self._sort: tuple[str, bool] | None = None
        self._widths: list[int] = []  # per column, as drawn (fitted to the viewport)
        self._natural: list[int] = []  # per column, as wide as its widest sampled cell
        self._numbers: set[int] = set()  # columns holding numbers
        self._row_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._header_strip: Strip | None = None
        self._last_cursor_id: RowId | None = None
        # Keys the screen uses for something of this list (its writes): they are not the list's.
        self.claimed: Callable[[], Collection[str]] = tuple
        self._measure()

    def on_mount(self) -> None:
        self._move_cursor(self._cursor, force_message=True)
        self.post_message(self.ViewChanged(self, len(self._source), self._source.total))

    # ---- public API -------------------------------------------------------------------------

    @property
    def source(self) -> RowSource:
        return self._source

    @property
    def cursor_row(self) -> int:
        """Cursor position in the view (0 when empty)."""
        return self._cursor

    @property
    def cursor_id(self) -> RowId | None:
        return self._source.row_id(self._cursor) if len(self._source) else None

    @property
    def marks(self) -> frozenset[RowId]:
        return frozenset(self._marks)

    def marked_in_view(self) -> list[RowId]:
        """Marked row ids in view order (O(view)); marks hidden by the filter are left out."""
        marks, source = self._marks, self._source
        if not marks:
            return []
        return [row_id for pos in range(len(source)) if (row_id := source.row_id(pos)) in marks]

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @property
    def sort_state(self) -> tuple[int, bool] | None:
        """(column, descending) of the current sort, or None when unsorted."""
        if self._sort is None:
            return None
        header, descending = self._sort
        columns = list(self._source.columns)
        return (columns.index(header), descending) if header in columns else None

    def set_source(self, source: RowSource, *, keep_marks: bool = False, keep_sort: bool = True) -> None:
        """Show another source (e.g. a different collection). The current filter and, with
        `keep_sort`, the sort are re-applied to it; marks are dropped unless `keep_marks`."""
        self._source = source
        if not keep_sort:
            self._sort = None
        if not keep_marks and self._marks:
            self._marks.clear()
            self.post_message(self.MarksChanged(self, 0))
        self.data_changed()

    def data_changed(self) -> None:
        """Call after the source's rows changed in place (sync, refresh): re-measures columns,
        re-applies filter and sort, keeps the cursor on the same row id when it is still shown."""
        keep = self._last_cursor_id
        sort = self.sort_state
        if sort is not None:  # a sort column now hidden keeps the order it gave (not re-sorted)
            self._source.sort(*sort)
        self._source.filter(self._filter_text)
        self._measure()
        self._view_changed(keep)

    def set_filter(self, text: str) -> None:
        """Debounced filter (typing): applies `filter_delay` seconds after the last call."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(self.filter_delay, lambda: self.apply_filter(text))

    def apply_filter(self, text: str) -> None:
        """Filter now. The cursor stays on its row if that row is still in the view."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        keep = self.cursor_id
        self._filter_text = text
        self._source.filter(text)
        self._view_changed(keep)

    def sort_by(self, column: int, descending: bool = False) -> None:
        keep = self.cursor_id
        header = self._source.columns[column]
        self._sort = (header, descending)
        self._source.sort(column, descending)
        self._header_strip = None
        self._view_changed(keep)
        self.post_message(self.Sorted(self, clean_cell(header), descending, self.column_off_screen(column)))

    def column_off_screen(self, column: int) -> str:
        """ "left" or "right" when the column's header is not wholly in view, else "". The tag
        column, pinned while scrolling right, is always in view."""
        width = self.scrollable_content_region.width
        if column >= len(self._widths) or width <= 0:
            return ""
        start = 2 + sum(self._widths[:column]) + column
        end = start + min(self._widths[column], cell_len(clean_cell(self._source.columns[column])) + 2)
        scroll_x = round(self.scroll_x)
        pinned = self._pinned_width(scroll_x, width)
        if column == 0 and pinned:
            return ""
        if start < scroll_x + pinned:
            return "left"
        if end > scroll_x + width:
            return "right"
        return ""

    def move_to_id(self, row_id: RowId) -> bool:
        """Put the cursor on `row_id` (e.g. after a scan). False when it is not in the view."""
        pos = self._source.position_of(row_id)
        if pos is None:
            return False
        self._move_cursor(pos)
        return True

    def toggle_mark(self, row_id: RowId | None = None) -> None:
        row_id = self.cursor_id if row_id is None else row_id
        if row_id is None:
            return
        self._marks.symmetric_difference_update((row_id,))
        self._marks_changed()

    def mark_all_in_view(self) -> None:
        source = self._source
        self._marks.update(source.row_id(pos) for pos in range(len(source)))
        self._marks_changed()

    def set_marks(self, row_ids: Iterable[RowId]) -> None:
        """Mark exactly these rows (marks kept for a list while another one was shown)."""
        self._marks = set(row_ids)
        self._marks_changed()

    def clear_marks(self) -> None:
        if self._marks:
            self._marks.clear()
            self._marks_changed()

    # ---- actions ------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self._move_cursor(self._cursor - self._page_rows)

    def action_page_down(self) -> None:
        self._move_cursor(self._cursor + self._page_rows)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self._source) - 1)

    def action_activate(self) -> None:
        row_id = self.cursor_id
        if row_id is not None:
            self.post_message(self.RowActivated(self, row_id))

    def action_toggle_mark(self) -> None:
        self.toggle_mark()
        self._move_cursor(self._cursor + 1)

    def action_mark_all(self) -> None:
        self.mark_all_in_view()

    async def action_unless_claimed(self, key: str, action: str) -> None:
        """The list's own use of a letter, unless the screen claims it (then the key goes on up)."""
        if key in self.claimed():
            raise SkipAction()
        await self.run_action(action)

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def action_cycle_sort(self) -> None:
        columns = len(self._source.columns)
        if columns:
            sort = self.sort_state
            column = 0 if sort is None else (sort[0] + 1) % columns
            self.sort_by(column)

    def action_reverse_sort(self) -> None:
        column, descending = self.sort_state or (0, False)
        self.sort_by(column, not descending)

    # ---- internals ----------------------------------------------------------------------------

    @property
    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _measure(self) -> None:
        """Column widths from the header and an even sample of rows (bounded work at 100k)."""
        source = self._source
        widths = [cell_len(clean_cell(name)) + 2 for name in source.columns]  # room for ▲
        numbers: set[int] = set()
        for cells in source.width_sample():
            for col, value in enumerate(cells[: len(widths)]):
                if type(value) is str and value.isascii() and value.isprintable():
                    width = len(value)  # most cells: one column a character, nothing to clean
                else:
                    width = cell_len(clean_cell(value))
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        numbers.add(col)
                if width > widths[col]:
                    widths[col] = width
        self._natural = [min(w, self.max_column_width) for w in widths]
        self._numbers = numbers
        self._fit()

    def _fit(self) -> None:
        """Widths for this viewport: when the columns overflow it, text columns after the first
        are capped at a quarter of it (ellipsized), so the numbers after them come into view; the
        first column (the tag) and number columns keep their width."""
        natural = self._natural
        view = self.scrollable_content_region.width
        if view <= 0 or 2 + sum(natural) + len(natural) - 1 <= view:
            self._widths = list(natural)
        else:
            cap = max(10, view // 4)
            self._widths = [w if col == 0 or col in self._numbers else min(w, cap) for col, w in enumerate(natural)]
        self._invalidate()

    @property
    def _content_width(self) -> int:
        return 2 + sum(self._widths) + max(0, len(self._widths) - 1)

    def _invalidate(self) -> None:
        self._row_cache.clear()
        self._header_strip = None
        self.virtual_size = Size(self._content_width, len(self._source) + 1)
        self.refresh()

    def _view_changed(self, keep: RowId | None) -> None:
        pos = self._source.position_of(keep) if keep is not None else None
        self._cursor = 0
        self._invalidate()
        self._move_cursor(pos if pos is not None else 0, force_message=True)
        self.post_message(self.ViewChanged(self, len(self._source), self._source.total))

    def _marks_changed(self) -> None:
        self._row_cache.clear()
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self._marks)))

    def _move_cursor(self, pos: int, *, force_message: bool = False) -> None:
        count = len(self._source)
        pos = max(0, min(pos, count - 1)) if count else 0
        old = self._cursor
        self._cursor = pos
        self._scroll_to_cursor()
        if old != pos:
            self.refresh_line(old + 1)
            self.refresh_line(pos + 1)
        row_id = self.cursor_id
        if force_message or row_id != self._last_cursor_id:
            self._last_cursor_id = row_id
            self.post_message(self.CursorMoved(self, row_id))

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        rows = self._page_rows
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + rows:
            self.scroll_to(y=self._cursor - rows + 1, animate=False)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on that row (the kiosk is keyboard-first; this is a courtesy)."""
        if event.y >= 1:
            self._move_cursor(round(self.scroll_y) + event.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self._row_cache.clear()
        self._header_strip = None
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self._row_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._row_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()
        self._header_strip = None

    def _line_width(self) -> int:
        return max(self._content_width, self.scrollable_content_region.width)

    def _build_line(self, texts: Iterable[str], prefix: str, style: Style, numbers: Collection[int] = ()) -> Strip:
        """One line of cells at the measured widths (columns in ``numbers`` right-aligned), padded
        to the full line width."""
        line = prefix + " ".join(
            fit_cell(text, width, right=col in numbers) for col, (text, width) in enumerate(zip(texts, self._widths))
        )
        width = self._line_width()
        return Strip([Segment(set_cell_size(line, width), style)], width)

    def _header(self) -> Strip:
        if self._header_strip is None:
            style = self.rich_style + self.get_component_rich_style("record-list--header")
            names = [clean_cell(name) for name in self._source.columns]
            sort = self.sort_state
            if sort is not None:
                column, descending = sort
                names[column] = f"{names[column]} {_SORT_GLYPHS[descending]}"
            self._header_strip = self._build_line(names, "  ", style)
        return self._header_strip

    def _row(self, pos: int) -> Strip:
        source = self._source
        row_id = source.row_id(pos)
        state = source.row_style_key(pos)
        marked = row_id in self._marks
        is_cursor = pos == self._cursor
        key = (row_id, state, marked, is_cursor)
        strip = self._row_cache.get(key)
        if strip is None:
            style = self.rich_style
            if state in ROW_STATES:
                style += self.get_component_rich_style(f"record-list--{state}")
            if marked:
                style += self.get_component_rich_style("record-list--marked")
            if is_cursor:
                style += self.get_component_rich_style("record-list--cursor")
            prefix = f"{MARK_GLYPH} " if marked else "  "
            cells = source.row_cells(pos)
            texts = [clean_cell(cells[col]) if col < len(cells) else "" for col in range(len(self._widths))]
            numbers = {col for col, cell in enumerate(cells) if isinstance(cell, int | float) and not isinstance(cell, bool)}
            strip = self._build_line(texts, prefix, style, numbers)
            self._row_cache[key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._header()
        else:
            pos = scroll_y + y - 1
            if pos >= len(self._source):
                return Strip.blank(width, self.rich_style)
            strip = self._row(pos)
        return self._marked_cut(strip, scroll_x, width)

    def _pinned_width(self, scroll_x: int, width: int) -> int:
        """Cells at the left that stay put while scrolling right: the mark and the tag column
        (with its separator), so a row scrolled to its numbers still says whose they are. Not
        pinned when unscrolled, or when it would leave less than half the view to scroll."""
        if scroll_x <= 0 or not self._widths:
            return 0
        pinned = 2 + self._widths[0] + 1
        return pinned if pinned <= width // 2 else 0

    def _marked_cut(self, strip: Strip, start: int, width: int) -> Strip:
        """The visible part of a line (the tag column pinned); a cell the right edge cuts short
        ends in an ellipsis, so "1" is never read for 1,599.72, nor "Wedding" for Wedding Cake
        (scroll right to see it whole)."""
        pinned = self._pinned_width(start, width)
        if pinned:
            shown = Strip.join([strip.crop(0, pinned), strip.crop(start + pinned, start + width)])
        else:
            shown = strip.crop(start, start + width)
        end = start + width
        cell_start = 2
        for cell_width in self._widths:
            cell_end = cell_start + cell_width
            if cell_start < end < cell_end:
                if not strip.crop(end, cell_end).text.strip():
                    return shown  # only padding is hidden
                last = list(shown.crop(width - 1, width))
                mark = Segment(ELLIPSIS, last[-1].style if last else None)
                return Strip.join([shown.crop(0, width - 1), Strip([mark], 1)])
            cell_start = cell_end + 1
        return shown

    def row_classes(self, pos: int) -> set[str]:
        """Component classes applied to the row at `pos` (for tests and debugging)."""
        classes = set()
        state = self._source.row_style_key(pos)
        if state in ROW_STATES:
            classes.add(f"record-list--{state}")
        if self._source.row_id(pos) in self._marks:
            classes.add("record-list--marked")
        if pos == self._cursor:
            classes.add("record-list--cursor")
        return classes
