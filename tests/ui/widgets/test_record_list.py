"""RecordList driven through Pilot with synthetic rows (50k where size matters)."""

from __future__ import annotations


import pytest

from growtui.ui.widgets.record_list import ListRowSource, Record, RecordList, clean_cell, fit_cell
from tests.ui.conftest import wait_for
from tests.ui.widgets.helpers import COLUMNS, ListApp, make_records, make_source, tag


@pytest.fixture(scope="module")
def records_50k():
    return make_records(50_000)


@pytest.fixture
def big_source_rows(records_50k):
    """A fresh 50k-row source per test (sources keep their filter and sort)."""
    return ListRowSource(COLUMNS, records_50k)


def rendered_rows(rl: RecordList) -> list[str]:
    return [rl.render_line(y).text for y in range(rl.scrollable_content_region.height)]


async def test_first_paint_shows_header_and_first_rows(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rl = app.query_one(RecordList)
        lines = rendered_rows(rl)
        assert lines[0].split()[:3] == ["Tag", "Strain", "Room"]
        assert lines[1].strip().startswith(tag(0))
        assert lines[2].strip().startswith(tag(1))
        assert rl.virtual_size.height == 50_001
        assert app.of_type(RecordList.CursorMoved)[-1].row_id == tag(0)


async def test_cursor_keys_and_scroll_follow(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.focus()
        await pilot.press("down", "down", "j")
        assert rl.cursor_row == 3
        await pilot.press("up", "k")
        assert rl.cursor_row == 1
        page = rl.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert rl.cursor_row == 1 + page
        assert rl.scroll_y > 0  # the cursor row stays visible
        await pilot.press("G")
        assert rl.cursor_row == 49_999
        assert rl.render_line(rl.scrollable_content_region.height - 1).text.strip().startswith(tag(49_999))
        await pilot.press("pageup")
        assert rl.cursor_row == 49_999 - page
        await pilot.press("g")
        assert rl.cursor_row == 0 and rl.scroll_y == 0

        def background(y: int):
            return list(rl.render_line(y))[0].style.bgcolor

        assert background(1) != background(2) and background(2) == background(3)  # cursor row stands out
        await pilot.click(RecordList, offset=(5, 3))  # screen line 3 = row 2
        assert rl.cursor_row == 2
        await pilot.press("end")
        await pilot.press("home")
        assert rl.cursor_row == 0
        await pilot.press("enter")
        await pilot.pause()
        moved = [m.row_id for m in app.of_type(RecordList.CursorMoved)]
        assert moved[-1] == tag(0) and tag(49_999) in moved
        assert [m.row_id for m in app.of_type(RecordList.RowActivated)] == [tag(0)]


async def test_cursor_key_cost_does_not_grow_with_rows(big_source_rows, monkeypatch):
    """No O(rows) work per keypress: 40 cursor moves at 50k rows ask the source for a screenful
    of rows, not for the list (speed itself is bench/ui.py's job, not a timed assertion)."""
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        await pilot.pause()
        asked: list[int] = []
        row_cells = big_source_rows.row_cells
        monkeypatch.setattr(big_source_rows, "row_cells", lambda pos: asked.append(pos) or row_cells(pos))
        height = rl.scrollable_content_region.height
        for _ in range(40):
            rl.action_cursor_down()
            for y in range(height):
                rl.render_line(y)
        assert rl.cursor_row == 40
        assert 0 < len(asked) <= 40 * height  # at most the rows drawn, never all 50,000
        assert len(set(asked)) <= 40 + height


async def test_sort_by_column_and_reverse_keeps_cursor_row(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.focus()
        await pilot.press("down", "down")  # row 2: strain STRAINS[6] = Wedding Cake
        await pilot.press("s")  # sort by column 0 (Tag)
        assert rl.sort_state == (0, False)
        await pilot.press("s")  # next column: Strain
        assert rl.sort_state == (1, False)
        assert rl.cursor_id == tag(2)
        strains = [rl.source.row_cells(p)[1] for p in range(len(rl.source))]
        assert strains == sorted(strains)
        assert "Strain ▲" in rl.render_line(0).text
        await pilot.press("r")
        assert rl.sort_state == (1, True)
        assert rl.source.row_cells(0)[1] == "Zkittlez"
        assert "Strain ▼" in rl.render_line(0).text
        assert rl.cursor_id == tag(2)
        # the cursor row is on screen after the re-sort moved it
        visible = "\n".join(rendered_rows(rl))
        assert tag(2) in visible


async def test_filter_is_debounced_and_keeps_cursor_when_possible(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.move_to_id(tag(7))  # Room 8, strain Blue Dream
        for partial in ("b", "bl", "blu", "blue dr"):
            rl.set_filter(partial)
        assert len(rl.source) == 50_000  # nothing applied yet
        # the debounce timer fires once typing stops (later on a loaded box)
        await wait_for(pilot, lambda: bool(rl.filter_text), "the debounced filter")
        assert rl.filter_text == "blue dr"
        assert len(rl.source) == len([i for i in range(50_000) if (i * 3) % 7 == 0])
        assert rl.cursor_id == tag(7)
        views = [(m.shown, m.total) for m in app.of_type(RecordList.ViewChanged)]
        assert views == [(50_000, 50_000), (len(rl.source), 50_000)]  # mount, then one filter
        rl.apply_filter("room 12")  # tag(7) is in Room 8: the cursor falls back to the top
        await pilot.pause()
        assert rl.cursor_row == 0 and rl.source.row_cells(0)[2] == "Room 12"
        rl.apply_filter("no such thing")
        await pilot.pause()
        assert len(rl.source) == 0 and rl.cursor_id is None
        assert rl.render_line(1).text.strip() == ""
        assert app.of_type(RecordList.CursorMoved)[-1].row_id is None


async def test_filter_and_sort_at_50k_give_exactly_the_right_rows(big_source_rows, records_50k):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        await pilot.pause()
        rl.apply_filter("gelato")
        expected = {r.id for r in records_50k if any("gelato" in str(c).lower() for c in r.cells)}
        shown = {rl.source.row_id(i) for i in range(len(rl.source))}
        assert shown == expected and 0 < len(shown) < 50_000
        rl.apply_filter("")
        rl.sort_by(2)
        rooms = [rl.source.row_cells(i)[2] for i in range(len(rl.source))]
        assert len(rooms) == 50_000 and rooms == sorted(rooms, key=str.casefold)


async def test_marks_toggle_all_and_clear(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.focus()
        await pilot.press("space", "space", "down", "space")  # marks rows 0, 1, 3 (space advances)
        assert rl.marks == {tag(0), tag(1), tag(3)}
        assert rl.render_line(1).text.startswith("* ")
        assert rl.render_line(3).text.startswith("  ")
        assert rl.cursor_row == 4
        await pilot.press("up", "up", "space")  # marks row 2, cursor moves on to row 3
        assert rl.marks == {tag(0), tag(1), tag(2), tag(3)}
        await pilot.press("space")  # row 3 unmarked
        assert tag(3) not in rl.marks
        rl.sort_by(0, descending=True)
        assert rl.marked_in_view() == [tag(2), tag(1), tag(0)]
        rl.apply_filter("gelato")
        assert rl.marked_in_view() == [tag(1)]  # of rows 0-2 only row 1 is Gelato
        await pilot.press("a")
        gelato = {rl.source.row_id(p) for p in range(len(rl.source))}
        assert rl.marks == gelato | {tag(0), tag(1), tag(2)}
        await pilot.press("u")
        await pilot.pause()
        assert rl.marks == frozenset()
        counts = [m.count for m in app.of_type(RecordList.MarksChanged)]
        assert counts[:5] == [1, 2, 3, 4, 3] and counts[-1] == 0


async def test_move_to_id_jumps_and_scrolls(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        assert rl.move_to_id(tag(31_337))
        await pilot.pause()
        assert rl.cursor_row == 31_337 and rl.cursor_id == tag(31_337)
        assert tag(31_337) in "\n".join(rendered_rows(rl))
        assert "record-list--cursor" in rl.row_classes(31_337)
        assert not rl.move_to_id("NOT-A-TAG")
        assert rl.cursor_row == 31_337
        rl.apply_filter("gelato")
        assert rl.move_to_id(tag(31_337)) is ((31_337 * 3) % 7 == 3)


async def test_row_states_get_component_classes_and_colours():
    app = ListApp(make_source(14))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rl = app.query_one(RecordList)
        rl.move_to_id(tag(13))
        expected = {3: "onhold", 4: "failed", 5: "intransit", 6: "finished"}
        for pos, state in expected.items():
            assert f"record-list--{state}" in rl.row_classes(pos)
        assert rl.row_classes(0) == set()

        def fg(pos: int):
            return list(rl.render_line(pos + 1))[0].style.color

        plain = fg(0)
        colours = {state: fg(pos) for pos, state in expected.items()}
        assert plain not in colours.values()
        assert len(set(colours.values())) == 4  # each state looks different
        assert colours["failed"] == rl.get_component_rich_style("record-list--failed").color


async def test_control_chars_and_markup_in_cells_are_inert():
    evil = "\x1b[31mRED\x1b[0m \x9b2J [bold]x[/bold] \u202eevil\ttab\nnl"
    source = ListRowSource(COLUMNS, [Record("A", ("A", evil, "r", "p", "d", "s"))])
    app = ListApp(source)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        rl = app.query_one(RecordList)
        rl.max_column_width = 80
        rl.data_changed()
        text = rl.render_line(1).text
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text and "\n" not in text
        assert "[31mRED[0m 2J [bold]x[/bold] evil tab nl" in text


def test_clean_and_fit_helpers():
    assert clean_cell(None) == "" and clean_cell(12) == "12"
    assert clean_cell("a\x07b\x1bc\x85d") == "abcd"
    assert fit_cell("abcdef", 4) == "abc…"
    assert fit_cell("ab", 4) == "ab  "
    assert fit_cell("日本語", 5) == "日本…"
    assert fit_cell("x", 0) == ""


async def test_long_cells_truncate_with_ellipsis():
    long = "Extremely Long Strain Name That Goes On And On"
    source = ListRowSource(COLUMNS, [Record("A", ("A", long, "r", "p", "d", "s"))])
    app = ListApp(source)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        rl = app.query_one(RecordList)
        assert long[:39] + "…" in rl.render_line(1).text


async def test_set_source_and_data_changed_keep_filter_sort_and_cursor():
    app = ListApp(make_source(100))
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.sort_by(0, descending=True)
        rl.apply_filter("room 3")
        rl.move_to_id(tag(50))
        rl.toggle_mark()
        rl.set_source(make_source(200), keep_marks=True)
        await pilot.pause()
        assert rl.sort_state == (0, True) and rl.filter_text == "room 3"
        assert rl.source.row_id(0) == tag(194)  # Room 3 rows: i % 12 == 2, highest first
        assert rl.cursor_id == tag(50) and rl.marks == {tag(50)}
        rl.set_source(make_source(10))
        assert rl.marks == frozenset()
        rl.sort_by(5)
        rl.set_source(ListRowSource(("Name", "Qty"), [Record(1, ("x", 2))]))  # fewer columns
        assert rl.sort_state is None and rl.cursor_id is None  # filter "room 3" still applies


async def test_filter_from_the_bottom_scrolls_back_to_the_matches(big_source_rows):
    app = ListApp(big_source_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.focus()
        await pilot.press("G")
        assert rl.scroll_y > 49_000
        rl.apply_filter(tag(12))  # one row
        await pilot.pause()
        assert rl.scroll_y == 0 and rl.cursor_row == 0
        lines = rendered_rows(rl)
        assert len(rl.source) == 1 and lines[1].strip().startswith(tag(12))
        assert lines[2].strip() == ""


async def test_another_source_keeps_the_sort_unless_told_not_to():
    app = ListApp(make_source(100))
    async with app.run_test(size=(80, 24)) as pilot:
        rl = app.query_one(RecordList)
        rl.sort_by(1, descending=True)
        await pilot.pause()
        rl.set_source(make_source(50))  # a refreshed copy of the same list: same order
        assert rl.sort_state == (1, True)
        rl.set_source(make_source(50), keep_sort=False)  # another list: its own order
        assert rl.sort_state is None
