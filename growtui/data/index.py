"""ListIndex: one collection's rows in memory, ready for a 50k-row virtual list.

Only display cells live here (a tuple per row, from the cache's precomputed columns); the full JSON
is loaded from SQLite on demand with `raw(key)`. Positions (`int`) index the full row set; `view` is
the list of positions currently shown, after filter and sort. Marks are the UI's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from growtui.data import filtering
from growtui.data.columns import COLUMNS, Cell, Column
from growtui.domain.collections import Collection

RawLoader = Callable[[Any], "dict[str, Any] | None"]


class ListIndex:
    def __init__(
        self,
        collection: Collection,
        display_rows: Sequence[tuple[Any, ...]],
        raw_loader: RawLoader,
    ) -> None:
        """`display_rows` are (key, label, search, style, c0..c9) tuples as the cache returns them."""
        self.collection = collection
        self.columns: tuple[Column, ...] = COLUMNS[collection.family]
        self._ncols = len(self.columns)
        self._load_raw = raw_loader
        rows = display_rows
        self.keys: list[Any] = [r[0] for r in rows]  # row id per position (int for most families)
        self.labels: list[str] = [r[1] for r in rows]
        self._search: list[str] = [r[2] for r in rows]
        self._styles: list[str] = [r[3] for r in rows]
        self._rows = rows  # cells are r[4:4+ncols]; sliced only for rows actually shown
        labels = self.labels
        keys = self.keys
        self._by_label: dict[str, int] = {}
        for pos, label in enumerate(labels):
            if label:
                self._by_label.setdefault(label.upper(), pos)
        self._by_key: dict[Any, int] = {k: i for i, k in enumerate(keys)}
        self._order: list[int] = list(range(len(keys)))  # all positions, current sort
        self._filter = ""
        self.sort_column: str | None = None
        self.sort_descending = False
        self.view: list[int] = self._order

    # -- rows -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, pos: int) -> tuple[Cell, ...]:
        """Display cells of the row at position `pos` (not a view index)."""
        return self._rows[pos][4 : 4 + self._ncols]

    def key(self, pos: int) -> Any:
        return self.keys[pos]

    def label(self, pos: int) -> str:
        return self.labels[pos]

    def style(self, pos: int) -> str:
        """"onhold" | "labfail" | "intransit" | "finished" | "" — the UI colours rows by it."""
        return self._styles[pos]

    def position(self, key: Any) -> int | None:
        return self._by_key.get(key)

    def find_label(self, tag: str) -> int | None:
        """Position of the row whose tag/name/manifest equals `tag` (case-insensitive), O(1)."""
        return self._by_label.get(tag.strip().upper())

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
        if not terms:
            self.view = self._order
        else:
            matches = filtering.predicate(terms, self._search, self._rows, 4)
            # Typing more words or letters narrows a result of plain words: scan only what is shown.
            narrows = (self._filter and needle.startswith(self._filter) and self.view is not self._order
                       and filtering.is_plain(terms))
            self.view = [p for p in (self.view if narrows else self._order) if matches(p)]
        self._filter = needle

    def sort(self, column: str | None, descending: bool = False) -> None:
        """Sort by a column name (None: upstream order). Empty cells always sort last."""
        if column is None:
            order = list(range(len(self.keys)))
            if descending:
                order.reverse()
        else:
            index = next((i for i, c in enumerate(self.columns) if c.name == column), None)
            if index is None:
                raise KeyError(f"no column {column!r} in {self.collection.key}")
            col = index + 4
            rows = self._rows
            present = [p for p in range(len(rows)) if rows[p][col] is not None]
            missing = [p for p in range(len(rows)) if rows[p][col] is None]
            if self.columns[index].kind == "text":
                present.sort(key=lambda p: rows[p][col].lower(), reverse=descending)
            else:
                present.sort(key=lambda p: rows[p][col], reverse=descending)
            order = present + missing
        self._order = order
        self.sort_column = column
        self.sort_descending = descending
        previous, self._filter = self._filter, ""
        self.filter(previous)
