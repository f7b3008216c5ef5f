"""The main screen on the real store + sandbox: sections, filter, sort, scan, detail, export, errors."""

from __future__ import annotations

import csv

from textual.widgets import Input

from growtui.domain.collections import Collection, Family
from growtui.ui.screens.license_picker import LicensePickerScreen
from growtui.ui.widgets.detail import field_label
from growtui.ui.screens.main import MainScreen
from growtui.ui.sections import SECTIONS

from .conftest import burst, make_app, open_main, palette, set_input, settle, type_text, wait_for


def _labels(main: MainScreen) -> list[str]:
    index = main.source.index
    return [index.label(p) for p in index.view]


async def test_every_section_and_state_opens_and_loads():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        seen = []
        for section in SECTIONS:
            await pilot.press(section.key)
            for _ in section.collections:
                await settle(pilot)
                coll = main.collection
                assert coll in section.collections
                # Loaded from the sandbox into the cache, then shown from it.
                assert app.store.cache_age(main.license_number, coll) is not None, coll
                assert main.source.total == len(main.source.index)
                seen.append(coll)
                await pilot.press("right_square_bracket")
        assert set(seen) == {c for s in SECTIONS for c in s.collections}
        # The main demo license is big enough that active packages are never empty.
        await pilot.press("4")
        await settle(pilot)
        assert main.collection == Collection(Family.PACKAGES, "active")
        assert main.source.total > 0
        assert f"{main.source.total:,} of {main.source.total:,}" in main.status.plain
        # Filter (debounced while typing, at once on Enter), then clear it, then sort.
        total = main.source.total
        first = main.source.index.label(main.source.index.view[0])
        await pilot.press("slash")
        await type_text(pilot, first[-4:])  # typed: the filter is debounced while typing
        await pilot.press("enter")
        await settle(pilot)
        assert 1 <= len(main.source) < total
        assert first in _labels(main)
        assert app.focused is main.record_list
        assert f"{len(main.source):,} of {total:,}" in main.status.plain
        await pilot.press("slash", "backspace", "down")  # focus selects the text; clear it
        await settle(pilot)
        assert len(main.source) == total
        assert app.focused is main.record_list  # down from the filter lands in the list
        await pilot.press("s")  # RecordList: sort by the first column
        await settle(pilot)
        cells = [main.source.row_cells(i)[0] for i in range(len(main.source))]
        present = [c for c in cells if c is not None]
        assert present == sorted(present, key=lambda c: str(c).lower())


async def test_scan_detail_and_export():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        await pilot.press("4")
        await settle(pilot)
        labels = _labels(main)
        target = labels[len(labels) // 2]
        await pilot.press("f2")
        assert isinstance(app.focused, Input) and app.focused.id == "scan"
        burst(app, target.lower())  # characters and CR arrive without waiting for idle
        await settle(pilot)
        assert main.source.index.label(main.source.index.view[main.record_list.cursor_row]) == target
        assert "found" in main.status.plain
        # A tag that lives in another list of this license.
        await pilot.press("escape", "1")
        await settle(pilot)
        plant_list = main.collection
        await pilot.press("f2")
        burst(app, target)
        await settle(pilot)
        assert main.collection == plant_list
        assert "Packages › Active" in main.status.plain
        await pilot.press("f3")  # straight from the scan field
        await settle(pilot)
        assert main.collection == Collection(Family.PACKAGES, "active")
        assert main.record_list.cursor_id == main.source.index.key(main.source.index.find_label(target))
        # Unknown tags say so.
        await pilot.press("f2")
        burst(app, "1A4NOSUCHTAG")
        await settle(pilot)
        assert "not found" in main.status.plain
        await pilot.press("escape")

        # Detail pane: all fields of the row under the cursor, sub-lists loaded lazily.
        await pilot.press("home")
        assert not main.detail_visible
        await pilot.press("d")
        await settle(pilot)
        text = main.detail.text
        label = main.source.index.label(main.source.index.view[0])
        assert f"Tag: {label}" in text
        # People's words, not the API's: labels, yes/no, blanks, a quantity with its unit.
        raw = main.source.index.raw(main.source.index.key(main.source.index.view[0]))
        assert "On hold: no" in text and "isOnHold" not in text
        assert f"Quantity: {raw['quantity']} {raw['unitOfMeasureAbbreviation']}" in text
        assert not any(word in text.split() for word in ("True", "False"))
        empty = next(k for k, v in raw.items() if v is None)  # shown blank, not "None"
        assert f"{field_label(empty)}: \n" in text + "\n"
        assert "History (" in text or "History: none" in text
        assert "Lab results" in text
        await pilot.press("down")
        second = main.source.index.label(main.source.index.view[1])
        await wait_for(pilot, lambda: f"Tag: {second}" in main.detail.text, "the second row's detail")

        # Export writes the filtered rows.
        await set_input(pilot, "#filter", label)
        shown = len(main.source)
        await pilot.press("e")
        await settle(pilot)
        path = main.last_export
        assert path is not None and path.exists()
        rows = list(csv.reader(path.open()))
        assert rows[0] == list(main.source.columns)
        assert len(rows) == shown + 1
        assert any(label in row for row in rows[1:])
        assert "Exported" in main.status.plain

        # A harvest lists its plants and packages.
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("d", "d")
        await settle(pilot)
        assert main.source.total > 0
        assert "Plants (" in main.detail.text and "Packages (" in main.detail.text

        # A transfer (one delivery per row) lists the delivery's packages and transporters.
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("d", "d")
        await settle(pilot)
        assert main.source.total > 0
        assert "Packages in this delivery (" in main.detail.text and "Transporters (" in main.detail.text
        assert "could not load" not in main.detail.text

        # Choose columns (drop the first); the choice is remembered per list.
        await pilot.press("4")
        await settle(pilot)
        before = list(main.source.columns)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("space", "enter")  # toggle the highlighted (first) column off, apply
        await settle(pilot)
        assert list(main.source.columns) == before[1:]
        assert app.ui_state.columns("packages/active") == main.source.visible_names
        await pilot.press("5", "4")
        await settle(pilot)
        assert list(main.source.columns) == before[1:]


async def test_license_switch_palette_and_remembered_license():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        first = main.license_number
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LicensePickerScreen)
        await set_input(pilot, "#license-filter", "golden")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.license_number == "C11-0000456-LIC" != first
        assert app.ui_state.last_license(app.account) == "C11-0000456-LIC"
        # The command palette: go to a list, jump to a tag, switch license.
        main = app.screen
        await pilot.press("4")
        await settle(pilot)
        target = _labels(main)[-1]
        await pilot.press("1")
        await settle(pilot)
        await palette(pilot, "Go to Strains")
        assert main.collection == Collection(Family.STRAINS)
        await palette(pilot, target)
        assert main.collection == Collection(Family.PACKAGES, "active")
        assert main.record_list.cursor_id == main.source.index.key(main.source.index.find_label(target))
        await palette(pilot, "Switch license: CDPH")
        assert app.screen.license_number == "CDPH-10003789"
    # Next run: the license opened last opens straight away.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        from .conftest import sign_in_via_form

        await sign_in_via_form(pilot, "grower.ca")
        assert isinstance(app.screen, MainScreen) and app.screen.license_number == "CDPH-10003789"


async def test_worker_failure_shows_in_the_status_bar_and_the_app_keeps_running(monkeypatch):
    app = make_app(contain_errors=True)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)

        async def broken(*args, **kwargs):
            raise RuntimeError("disk on fire")

        real_refresh = app.store.refresh
        app.store.refresh = broken
        await pilot.press("f5")
        await settle(pilot)
        assert "disk on fire" in main.status.plain
        assert app.is_running and isinstance(app.screen, MainScreen)
        # A crash in a message handler (the refresh result arriving) is contained...
        app.store.refresh = real_refresh

        def handler_bug(self, message):
            raise KeyError("bad row")

        monkeypatch.setattr(MainScreen, "on_list_refreshed", handler_bug)
        await pilot.press("f5")
        await settle(pilot)
        assert "KeyError" in main.status.plain
        # ...and the screen still handles keys afterwards.
        await pilot.press("5")
        await settle(pilot)
        assert main.collection == Collection(Family.ITEMS)
        # A crash in an action (a key's method) is contained the same way.
        def action_bug(self):
            raise ValueError("action on fire")

        monkeypatch.setattr(MainScreen, "action_toggle_detail", action_bug)
        await pilot.press("d")
        await settle(pilot)
        assert "action on fire" in main.status.plain and app.is_running
        # The key bar shows every action's key at 80 columns, wrapped; F1 explains them all.
        from growtui.ui.widgets.keybar import KeyBar

        bar = main.query_one(KeyBar).plain
        for hint in ("/ Filter", "f2 Scan", "1-7 Lists", "[ ] State", "d Detail", "f5 Refresh",
                     "e Export", "c Columns", "l License", "f1 Keys", "? Search all", "^p Commands", "^q Quit"):
            assert hint in bar, hint
        assert all(len(line) <= 78 for line in bar.splitlines())
        await pilot.press("f1")
        await settle(pilot)
        assert main.query("HelpPanel")
        await pilot.press("f1")
        await settle(pilot)
        assert not main.query("HelpPanel")
        # So is a crash in an action bound to a key.
        main.action_export = lambda: 1 / 0
        await pilot.press("e")
        await settle(pilot)
        assert app.is_running and "ZeroDivisionError" in main.status.plain


async def test_background_load_reports_progress_in_the_status_bar():
    from growtui.config import Settings
    from growtui.data.store import DataStore
    from growtui.ui.app import create_app
    from growtui.ui.wiring import build_backend
    from growtui.ui.messages import ListRefreshProgress

    from .conftest import SMALL

    settings = Settings(sandbox_packages=SMALL)
    backend = build_backend(settings)
    app = create_app(settings, backend=backend, store=DataStore(backend, page_size=10), contain_errors=False)
    progress: list[ListRefreshProgress] = []

    def hook(message):
        if isinstance(message, ListRefreshProgress) and message.collection == Collection(Family.PACKAGES, "active"):
            progress.append(message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        main = await open_main(pilot)
        await pilot.press("4")
        await settle(pilot)
        total = main.source.total
        assert total > 10 and len(progress) >= 2  # several pages of 10
        assert any(0 < p.loaded < p.total for p in progress)
        assert progress[-1].loaded == progress[-1].total == total
        assert f"{total:,} of {total:,}" in main.status.plain
        assert "Loading" not in main.status.plain  # the note goes when the load is done


async def test_keys_and_clicks_hold_a_load_s_writer_for_a_moment():
    """Every key and click asks the page writer to leave the CPU to the screen a moment
    (data/writer.py HOLD_S); without them it is not held."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        writer = app.store.engine._writer
        await wait_for(pilot, lambda: not writer.held, "the sign-in's keys to have let go")
        await pilot.press("down")
        assert writer.held
        await wait_for(pilot, lambda: not writer.held, "the hold to run out")
        await pilot.click(main.record_list)
        assert writer.held
