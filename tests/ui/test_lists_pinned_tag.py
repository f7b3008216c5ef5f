"""Lists keep their bearings when scrolled (issue 16): the tag column stays pinned while
scrolling right, and a sort by a column scrolled out of view is named in the status line."""

from __future__ import annotations

from tests.ui.conftest import make_app, open_packages, settle, wait_for


async def test_the_tag_column_stays_pinned_while_scrolling_right():
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        main = await open_packages(pilot)
        lst = main.record_list
        tag_width = lst._widths[0]
        lst.focus()
        for _ in range(12):  # scrolled right by keys, as a person would
            await pilot.press("right")
        await settle(pilot, 1)
        assert lst.scroll_offset.x > 0
        header = lst.render_line(0).text
        assert header[2:2 + tag_width].strip() == "Tag"
        for y in range(1, 6):
            pos = lst.scroll_offset.y + y - 1
            label = main.source.index.label(main.source.index.position(main.source.row_id(pos)))
            assert lst.render_line(y).text[2:2 + tag_width].strip() == label
        # The last column comes into view at the far right, the tag still at the left.
        lst.scroll_to(x=lst.max_scroll_x, animate=False)
        await settle(pilot, 1)
        last_header = list(main.source.columns)[-1]
        assert lst.render_line(0).text.rstrip().endswith(last_header)
        assert lst.render_line(0).text[2:2 + tag_width].strip() == "Tag"


async def test_a_sort_by_a_column_off_screen_is_named_in_the_status_line():
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        main = await open_packages(pilot)
        lst = main.record_list
        lst.focus()
        columns = list(main.source.columns)
        await pilot.press("s")  # by the tag: in view, nothing to say
        await settle(pilot, 1)
        assert "Sorted by" not in main.status.plain
        await pilot.press(*["s"] * (len(columns) - 1))  # round to the last column, off to the right
        await settle(pilot, 1)
        assert lst.sort_state == (len(columns) - 1, False)
        await wait_for(pilot, lambda: f"Sorted by {columns[-1]} ▲ (off screen →)" in main.status.plain,
                       "the off-screen sort named")
