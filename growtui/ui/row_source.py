"""Adapts the data layer's ListIndex (positions over all rows + a view list) to RecordList's RowSource
(positions are view indexes), showing only the columns the user chose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from growtui.data.index import ListIndex

# ListIndex style keys -> RecordList row states
_STYLE_TO_STATE = {"labfail": "failed"}


class IndexRowSource:
    def __init__(self, index: ListIndex, visible: Sequence[str] | None = None) -> None:
        self.index = index
        names = [c.name for c in index.columns]
        chosen = [n for n in (visible or ()) if n in names]
        self.visible: list[int] = [names.index(n) for n in chosen] or list(range(len(names)))

    @property
    def visible_names(self) -> list[str]:
        return [self.index.columns[i].name for i in self.visible]

    @property
    def columns(self) -> Sequence[str]:
        return [self.index.columns[i].header for i in self.visible]

    @property
    def total(self) -> int:
        return len(self.index)

    def __len__(self) -> int:
        return len(self.index.view)

    def _pos(self, view_pos: int) -> int:
        return self.index.view[view_pos]

    def row_cells(self, pos: int) -> Sequence[object]:
        cells = self.index.row(self._pos(pos))
        return [cells[i] for i in self.visible]

    def width_sample(self) -> Iterable[Sequence[object]]:
        visible = self.visible
        return ([cells[i] for i in visible] for cells in self.index.width_rows())

    def row_style_key(self, pos: int) -> str:
        style = self.index.style(self._pos(pos)) or ""
        return _STYLE_TO_STATE.get(style, style)

    def row_id(self, pos: int) -> Any:
        return self.index.key(self._pos(pos))

    def position_of(self, row_id: Any) -> int | None:
        position = self.index.position(row_id)
        if position is None:
            return None
        try:  # one search in C (a range answers at once): cheaper than a dict of a 100k view
            return self.index.view.index(position)
        except ValueError:
            return None

    def filter(self, text: str) -> None:
        self.index.filter(text)

    def sort(self, column: int, descending: bool = False) -> None:
        name = self.index.columns[self.visible[column]].name if column < len(self.visible) else None
        self.index.sort(name, descending)

    def view_keys(self) -> list[Any]:
        """The keys of every row in the view, in order (for the raw JSON export)."""
        return [self.index.key(p) for p in self.index.view]

    def view_rows(self) -> list[list[object]]:
        """The visible cells of every row in the view, in order (for export)."""
        return [self.row_cells(i) for i in range(len(self))]
