"""ListIndex: one collection's rows in memory, ready for a 50k-row virtual list.

Only display cells live here (a tuple per row, from the cache's precomputed columns); the full JSON
is loaded from SQLite on demand with `raw(key)`. Positions (`int`) index the full row set; `view` is
the list of positions currently shown, after filter and sort. Marks are the UI's business.

A big list opens in two steps (`ListIndex.opening`): first the rows its first frame needs (the top
of the list, and a sample spread over it that the list measures its column widths on, see
Cache.display_window), then every row, read by `fill()` in a worker thread. Until then the index
answers for the top rows and the row count; anything that needs the other rows (filter, sort, a
tag, a row further down) fills it first, on the spot, so no answer is ever partial. Filled, it is
exactly what `ListIndex(...)` with every row builds, and it keeps measuring its widths on the
same sample, so the columns do not move when the rest arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, repeat
from operator import contains
from typing import Any

from growtui.data import filtering
from growtui.data.columns import COLUMNS, Cell, Column
from growtui.domain.collections import Collection

RawLoader = Callable[[Any], "dict[str, Any] | None"]
Rows = Sequence[tuple[Any, ...]]

# Rows a list measures its column widths on, spread over it (about this many; see width_rows).
WIDTH_SAMPLE = 2000


def spread(count: int, most: int = WIDTH_SAMPLE) -> range:
    """About `most` positions spread evenly over `count` (every count // most-th; all when fewer)."""
    return range(0, count, max(1, count // most))


class ListIndex:
    def __init__(
        self,
        collection: Collection,
        display_rows: Rows,
        raw_loader: RawLoader,
    ) -> None:
        """`display_rows` are (key, label, search, style, c0..c9) tuples as the cache returns them."""
        self.collection = collection
        self.columns: tuple[Column, ...] = COLUMNS[collection.family]
        self._ncols = len(self.columns)
        self._load_raw = raw_loader
        self._filter = ""
        self.sort_column: str | None = None
        self.sort_descending = False
        self._read_rest: Callable[[], Rows] | None = None  # set while only some rows are here
        self._filling = threading.Lock()
        self._head: Sequence[tuple[Any, ...]] = ()  # rows 0.. while only some rows are here
        self._width_rows: Sequence[tuple[Any, ...]] | None = None  # the sample it was opened with
        self._set_rows(display_rows)

    @classmethod
    def opening(
        cls,
        collection: Collection,
        count: int,
        head: Rows,
        width_rows: Rows,
        read_all: Callable[[], Rows],
        raw_loader: RawLoader,
    ) -> ListIndex:
        """A list of `count` rows of which only the first ones (`head`) are read yet, measured on
        `width_rows`; `read_all` reads every row (blocking: `fill` calls it, in a worker thread or
        on first need)."""
        index = cls(collection, (), raw_loader)
        index._head = head
        index._width_rows = (*head, *width_rows)  # kept once the rest is read: widths stay
        index._count = count
        index._order = index.view = range(count)  # type: ignore[assignment]
        index._read_rest = read_all
        return index

    def _set_rows(self, rows: Rows) -> None:
        """Build every structure from all rows, then put them in place (the view last)."""
        keys: list[Any] = [r[0] for r in rows]  # row id per position (int for most families)
        labels: list[str] = [r[1] for r in rows]
        by_label: dict[str, int] = {}
        for pos, label in enumerate(labels):
            if label:
                by_label.setdefault(label.upper(), pos)
        self._keys = keys
        self._labels = labels
        self._search: list[str] = [r[2] for r in rows]
        self._styles: list[str] = [r[3] for r in rows]
        self._rows = rows  # cells are r[4:4+ncols]; sliced only for rows actually shown
        self._by_label = by_label
        self._by_key: dict[Any, int] = {k: i for i, k in enumerate(keys)}
        self._sorted: dict[tuple[str, bool], list[int]] = {}  # (column, descending) -> order, until rows change
        self._count = len(keys)
        self._order: list[int] = list(range(len(keys)))  # all positions, current sort
        self.view: list[int] = self._order

    @property
    def complete(self) -> bool:
        """Every row is in memory (an index from `opening` is not until `fill` ran)."""
        return self._read_rest is None

    def fill(self) -> None:
        """Read every row now (blocking; run it in a worker thread). Idempotent; a second caller
        waits for the first. Nothing to re-apply: a filter or sort fills the index first."""
        with self._filling:
            read = self._read_rest
            if read is None:
                return
            self._set_rows(read())
            self._read_rest = None
            self._head = ()

    def _all(self) -> None:
        if self._read_rest is not None:
            self.fill()

    def _row_tuple(self, pos: int) -> tuple[Any, ...]:
        if self._read_rest is not None:
            if pos < len(self._head):
                return self._head[pos]
            self.fill()
        return self._rows[pos]

    @property
    def keys(self) -> list[Any]:
        """The row id at each position."""
        self._all()
        return self._keys

    @property
    def labels(self) -> list[str]:
        self._all()
        return self._labels

    # -- rows -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def row(self, pos: int) -> tuple[Cell, ...]:
        """Display cells of the row at position `pos` (not a view index)."""
        return self._row_tuple(pos)[4 : 4 + self._ncols]

    def width_rows(self, most: int = WIDTH_SAMPLE) -> Iterator[tuple[Cell, ...]]:
        """Display cells of about `most` rows spread over the view, to measure column widths on:
        the sample the index was opened with while no filter narrows it (so the widths stay when
        the rest is read), else every len // most-th row of the view."""
        if self._width_rows is not None and not self._filter:
            return (r[4 : 4 + self._ncols] for r in self._width_rows)
        view = self.view
        return (self.row(view[i]) for i in spread(len(view), most))

    def key(self, pos: int) -> Any:
        return self._row_tuple(pos)[0]

    def label(self, pos: int) -> str:
        return self._row_tuple(pos)[1]

    def style(self, pos: int) -> str:
        """"onhold" | "labfail" | "intransit" | "finished" | "" — the UI colours rows by it."""
        return self._row_tuple(pos)[3]

    def position(self, key: Any) -> int | None:
        if self._read_rest is not None:  # ids are unique: a row already read answers (the cursor's, after a reopen)
            found = next((pos for pos, row in enumerate(self._head) if row[0] == key), None)
            if found is not None:
                return found
            self.fill()
        return self._by_key.get(key)

    def find_label(self, tag: str) -> int | None:
        """Position of the first row whose tag/name/manifest equals `tag` (case-insensitive), O(1)."""
        tag = tag.strip().upper()
        if self._read_rest is not None:  # the first rows are read without a gap: a match there is the first
            found = next((pos for pos, row in enumerate(self._head) if (row[1] or "").upper() == tag), None)
            if found is not None:
                return found
            self.fill()
        return self._by_label.get(tag)

    def raw(self, key: Any) -> dict[str, Any] | None:
        """The full upstream JSON of one row, read from the cache now."""
        return self._load_raw(key)

    # -- view ---------------------------------------------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self._filter

    def filter(self, text: str) -> None:
        """Show rows matching every word and column term of `text` (filtering.py; any case);
        "" shows all."""
        needle = " ".join(text.lower().split())
        terms = filtering.parse(needle, self.columns)
        if terms:
            self._all()
        if not terms:
            self.view = self._order
        else:
            # Typing more words or letters narrows a result of plain words: scan only what is shown.
            plain = filtering.is_plain(terms)
            narrows = self._filter and needle.startswith(self._filter) and self.view is not self._order and plain
            scan = self.view if narrows else self._order
            if plain:  # the common case, without a call per row (3x faster at 100k)
                self.view = self._with_words([t.value for t in terms], scan)
            else:
                matches = filtering.predicate(terms, self._search, self._rows, 4)
                self.view = [p for p in scan if matches(p)]
        self._filter = needle

    def _with_words(self, words: list[str], scan: Sequence[int]) -> list[int]:
        """The positions of `scan` whose row text holds every word, in `scan`'s order. The texts
        are read in position order, the order they were read in and lie in memory: in a sorted
        order each one is a cache miss, and 100k rows took 40 ms instead of 11."""
        search = self._search
        ascending = self.sort_column is None and not self.sort_descending  # every view is in position order
        if scan is self._order:  # every row: the first word in one pass in C
            hits = list(compress(range(len(search)), map(contains, search, repeat(words[0]))))
            words = words[1:]
        else:
            hits = list(scan) if ascending else sorted(scan)
        for word in words:  # a word at a time: each scans only what the words before it left
            hits = [p for p in hits if word in search[p]]
        if ascending:
            return hits
        kept = set(hits)
        return [p for p in scan if p in kept]

    def _sort_order(self, index: int, descending: bool) -> list[int]:
        """Positions sorted by column `index`, empty cells last (in upstream order)."""
        col = index + 4
        cells = [r[col] for r in self._rows]
        text = self.columns[index].kind == "text"
        distinct = set(cells)
        distinct.discard(None)
        if len(distinct) * 4 > len(cells):  # mostly unique (tags): sort the cells themselves
            present = [p for p, cell in enumerate(cells) if cell is not None]
            missing = [p for p, cell in enumerate(cells) if cell is None]
            if text:
                cells = [cell.lower() if cell is not None else None for cell in cells]
            present.sort(key=cells.__getitem__, reverse=descending)  # a C call per row, no lambda
            return present + missing
        # Few distinct values (items, rooms, units): sort those, then the rows by an int rank,
        # far cheaper than comparing 100k strings. Descending ranks count down and stay stable,
        # so ties keep upstream order either way; empty cells rank after everything.
        if text:
            order = {low: i for i, low in enumerate(sorted({cell.lower() for cell in distinct}))}
            rank = {cell: order[cell.lower()] for cell in distinct}
        else:
            rank = {cell: i for i, cell in enumerate(sorted(distinct))}
        if descending:
            rank = {cell: -r for cell, r in rank.items()}
        rank[None] = len(rank) + 1
        ranks = [rank[cell] for cell in cells]
        return sorted(range(len(cells)), key=ranks.__getitem__)

    def sort(self, column: str | None, descending: bool = False) -> None:
        """Sort by a column name (None: upstream order). Empty cells always sort last."""
        self._all()
        if column is None:
            order = list(range(len(self._keys)))
            if descending:
                order.reverse()
        else:
            index = next((i for i, c in enumerate(self.columns) if c.name == column), None)
            if index is None:
                raise KeyError(f"no column {column!r} in {self.collection.key}")
            order = self._sorted.get((column, descending))
            if order is None:
                order = self._sorted[column, descending] = self._sort_order(index, descending)
                if len(self._sorted) > 2:  # one column both ways: a few MB each at 100k rows
                    del self._sorted[next(iter(self._sorted))]
            # shared with the cache as it is: views are replaced, never changed in place
        self._order = order
        self.sort_column = column
        self.sort_descending = descending
        previous, self._filter = self._filter, ""
        self.filter(previous)
