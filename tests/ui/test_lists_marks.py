"""Marks say what they hold (issue 16): "N marked" always shows, with how many the filter hides;
marks survive filtering and switching lists; a write on marks the filter hides says so."""

from __future__ import annotations

from growtui.domain.collections import Collection, Family
from tests.ui.conftest import make_app, open_packages, settle, wait_for

ACTIVE = Collection(Family.PACKAGES, "active")


async def test_marks_show_survive_filters_and_lists_and_warn_when_hidden():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_packages(pilot)
        lst, index = main.record_list, main.source.index
        keys = [main.source.row_id(pos) for pos in (0, 1, 2)]
        for key in keys:
            lst.toggle_mark(key)
        await settle(pilot)
        assert "3 marked" in main.status.plain and "not in view" not in main.status.plain

        lst.apply_filter(index.label(index.position(keys[0])))  # only the first one in view
        await settle(pilot)
        assert lst.marks == frozenset(keys)
        assert "3 marked (2 not in view)" in main.status.plain

        await pilot.press("n")  # a note on the marked packages: the hidden two are said
        await wait_for(pilot, lambda: any("2 not in view" in n.message for n in app._notifications),
                       "the hidden-marks warning")
        await pilot.press("escape")
        await settle(pilot)

        main.show_collection(Collection(Family.ITEMS))
        await settle(pilot)
        assert "marked" not in main.status.plain  # this list has none
        main.show_collection(ACTIVE)
        await settle(pilot)
        assert main.record_list.marks == frozenset(keys) and "3 marked" in main.status.plain


async def test_sort_follows_the_column_when_columns_are_hidden():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_packages(pilot)
        lst = main.record_list
        qty = list(main.source.columns).index("Qty")
        lst.sort_by(qty, descending=True)
        await settle(pilot)

        def quantities() -> list[float]:
            at = list(main.source.columns).index("Qty")
            return [main.source.row_cells(pos)[at] for pos in range(len(main.source))
                    if main.source.row_cells(pos)[at] is not None]

        assert quantities() == sorted(quantities(), reverse=True)
        names = main.source.visible_names
        main._columns_chosen(ACTIVE, [n for n in names if n not in ("item", "strain")])  # two before Qty go
        await settle(pilot)
        assert lst.sort_state == (list(main.source.columns).index("Qty"), True)
        assert quantities() == sorted(quantities(), reverse=True)  # still by Qty, not by what moved into its place


async def test_numbers_are_right_aligned_and_never_cut_without_a_mark():
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        main = await open_packages(pilot)
        lst = main.record_list
        lines = [lst.render_line(y).text for y in range(1, 8)]
        width = lst.scrollable_content_region.width
        for line in lines:  # whatever the right edge cuts ends in a mark
            assert len(line) == width
            if line.rstrip() and len(line.rstrip()) == width:
                assert line.endswith("…") or line[-1] == " "
        # Scrolled to Qty (right after the pinned tag): the quantities line up on the right, whole.
        qty = list(main.source.columns).index("Qty")
        pinned = 2 + lst._widths[0] + 1
        start = 2 + sum(lst._widths[:qty]) + qty
        lst.scroll_to(x=start - pinned, animate=False)
        await settle(pilot)
        for y in range(1, 6):
            cell = lst.render_line(y).text[pinned: pinned + lst._widths[qty]]
            value = main.source.row_cells(lst.scroll_offset.y + y - 1)[qty]
            if value is not None:
                assert cell.endswith(str(value)[-3:]) and cell.strip() in (str(value), f"{value:,}")


async def test_packages_at_80_columns_show_qty_and_unit():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_packages(pilot)
        lst = main.record_list
        header = lst.render_line(0).text.split()
        assert "Qty" in header and "Unit" in header
        # Wherever the right edge falls, a cell it cuts ends in a mark, even at a word boundary.
        width = lst.scrollable_content_region.width
        cut = 0
        for x in range(0, 30, 3):
            lst.scroll_to(x=x, animate=False)
            await pilot.pause()
            edge = lst.scroll_offset.x + width
            for y in range(1, 10):
                full, shown = lst._row(lst.scroll_offset.y + y - 1).text, lst.render_line(y).text
                start = 2
                for w in lst._widths:
                    if start < edge < start + w and full[edge:start + w].strip():
                        assert shown.endswith("…"), (full[start:start + w], shown[-12:])
                        cut += 1
                    start += w + 1
        assert cut  # some edge fell inside a cell with more to show
