"""Synthetic rows and tiny host apps for the widget tests (no data layer involved)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from growtui.ui.widgets.record_list import ListRowSource, Record, RecordList

WIDGETS_TCSS = Path(__file__).resolve().parents[3] / "styles" / "widgets.tcss"
COLUMNS = ("Tag", "Strain", "Room", "Phase", "Planted", "Status")
STRAINS = ("Blue Dream", "OG Kush", "Sour Diesel", "Gelato", "Zkittlez", "Runtz", "Wedding Cake")
STATES = ("", "", "", "onhold", "failed", "intransit", "finished")


def tag(i: int) -> str:
    return f"1A4FF0100000022{i:09d}"


def make_records(n: int) -> list[Record]:
    """n deterministic rows; row i has state STATES[i % 7] and strain STRAINS[(i * 3) % 7]."""
    return [
        Record(
            id=tag(i),
            cells=(
                tag(i),
                STRAINS[(i * 3) % 7],
                f"Room {i % 12 + 1}",
                "Flowering" if i % 2 else "Vegetative",
                f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                STATES[i % 7] or "active",
            ),
            state=STATES[i % 7],
        )
        for i in range(n)
    ]


def make_source(n: int) -> ListRowSource:
    return ListRowSource(COLUMNS, make_records(n))


class ListApp(App):
    """One RecordList filling the screen (with the app's widget theme); records its messages."""

    CSS_PATH = WIDGETS_TCSS

    def __init__(self, source: ListRowSource) -> None:
        super().__init__()
        self.source = source
        self.seen: list = []

    def compose(self) -> ComposeResult:
        yield RecordList(self.source, id="list")

    def on_record_list_cursor_moved(self, message: RecordList.CursorMoved) -> None:
        self.seen.append(message)

    def on_record_list_row_activated(self, message: RecordList.RowActivated) -> None:
        self.seen.append(message)

    def on_record_list_marks_changed(self, message: RecordList.MarksChanged) -> None:
        self.seen.append(message)

    def on_record_list_view_changed(self, message: RecordList.ViewChanged) -> None:
        self.seen.append(message)

    def of_type(self, kind: type) -> list:
        return [m for m in self.seen if isinstance(m, kind)]
