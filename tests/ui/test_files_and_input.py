"""Defect 11: every file growtui writes is 0600 in 0700 dirs; control characters and bidi overrides
pasted into the filter field or the command palette are dropped before use and display."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textual import events
from textual.command import CommandInput, CommandList
from textual.widgets import Input

from .conftest import make_app, open_main, settle, wait_for

PASTED = "So\x1bur\u202e \u2066Di\x07esel\r\n"  # what a hostile clipboard holds


def xdg_roots() -> list[Path]:
    return [Path(os.environ[v]) / "growtui" for v in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME")]


async def test_every_file_written_is_private():
    os.umask(0o022)  # the usual umask: growtui must not rely on a strict one
    app = make_app(stay_signed_in=True)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await open_main(pilot)  # ui-state.json (usernames, licenses), session token, cache
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("e")  # CSV export of a license's inventory
        await settle(pilot)
        assert main.last_export is not None
    files = [p for root in xdg_roots() for p in root.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert "ui-state.json" in names and any(n.endswith(".csv") for n in names) and any(
        n.endswith(".sqlite") for n in names)
    loose = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in files if stat.S_IMODE(p.stat().st_mode) != 0o600}
    assert not loose
    dirs = [root for root in xdg_roots() if root.exists()]
    dirs += [p for root in dirs for p in root.rglob("*") if p.is_dir()]
    open_dirs = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in dirs if stat.S_IMODE(p.stat().st_mode) != 0o700}
    assert not open_dirs


async def test_pasted_control_characters_never_reach_the_filter_or_the_palette():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        main = await open_main(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("slash")
        field = main.query_one("#filter", Input)
        assert app.focused is field
        field.post_message(events.Paste(PASTED))
        await settle(pilot)
        assert field.value == "Sour Diesel"  # what the user meant, nothing that moves the terminal
        assert field.cursor_position == len(field.value)
        await pilot.press("enter")
        await settle(pilot)
        assert 0 < len(main.source) < main.source.total  # the clean text filtered the list

        await pilot.press("ctrl+p")
        await settle(pilot)
        search = app.screen.query_one(CommandInput)
        search.post_message(events.Paste("Ref\x1b]0;pwned\x07resh\u202e"))
        await settle(pilot)
        assert search.value == "Ref]0;pwnedresh"
        search.value = "Refr\u202eesh\x1b"  # set by code: cleaned as well
        assert search.value == "Refresh"
        # hits arrive asynchronously
        await wait_for(pilot, lambda: bool(app.screen.query_one(CommandList).option_count), "palette hits")
