"""RecordList over the data layer's real ListIndex (rows from the real RowMaker), through the app's
adapter (growtui.ui.row_source)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from growtui.backends.t3.mapping import raw_paths
from growtui.data.columns import RowMaker
from growtui.data.index import ListIndex
from growtui.domain.collections import Collection, Family
from growtui.ui.row_source import IndexRowSource
from growtui.ui.widgets.record_list import RecordList
from tests.ui.widgets.helpers import WIDGETS_TCSS, tag

PACKAGES = Collection(Family.PACKAGES, "active")


def raw_package(i: int) -> dict:
    return {
        "id": 1000 + i,
        "label": tag(i),
        "item": {"name": f"Flower {i % 5}", "strainName": ("Gelato", "OG Kush", "Runtz")[i % 3]},
        "locationName": f"Vault {i % 4}",
        "quantity": float(i % 50),
        "unitOfMeasureAbbreviation": "g",
        "labTestingStateName": "TestFailed" if i % 10 == 3 else "TestPassed",
        "isOnHold": i % 10 == 4,
        "packagedDate": "2026-05-01",
        "lastModified": "2026-05-02T10:00:00+00:00",
    }


def make_index(n: int) -> ListIndex:
    maker = RowMaker(Family.PACKAGES, raw_paths(Family.PACKAGES))
    rows = []
    for i in range(n):
        row = maker.make(raw_package(i))
        rows.append((row.key, row.label, row.search, row.style, *row.cells))
    return ListIndex(PACKAGES, rows, lambda key: None)


class IndexApp(App):
    CSS_PATH = WIDGETS_TCSS

    def __init__(self, source: IndexRowSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield RecordList(self.source)


async def test_record_list_over_list_index():
    source = IndexRowSource(make_index(2000))
    app = IndexApp(source)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        rl = app.query_one(RecordList)
        header = rl.render_line(0).text
        assert header.split()[:4] == ["Tag", "Item", "Qty", "Unit"]  # on screen at 80 columns
        assert rl.cursor_id == 1000
        assert "record-list--failed" in rl.row_classes(3)
        assert "record-list--onhold" in rl.row_classes(4)
        # a scan: label → row id → cursor
        row_id = source.index.key(source.index.find_label(tag(1234).lower()))
        assert row_id == 2234 and rl.move_to_id(row_id)
        assert rl.cursor_row == 1234
        rl.apply_filter("runtz")  # row 1234 is OG Kush: the cursor falls back to the first match
        assert len(source) == len([i for i in range(2000) if i % 3 == 2])
        assert rl.cursor_id == 1002
        assert rl.move_to_id(1000 + 1235) and not rl.move_to_id(2234)
        rl.sort_by(4, descending=True)  # Qty
        quantities = [source.row_cells(p)[4] for p in range(len(source))]
        assert quantities == sorted(quantities, reverse=True)
        assert rl.cursor_id == 2235  # kept through the sort
