"""Snapshots at 80x24: the list with marks, states, sort and a status bar; the confirm dialog."""

from __future__ import annotations

from textual.app import App, ComposeResult

from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.widgets.record_list import RecordList
from growtui.ui.widgets.status_bar import StatusBar
from tests.ui.widgets.helpers import WIDGETS_TCSS, make_source, tag

NOW = 1_800_000_000.0


class ListScreenApp(App):
    CSS_PATH = WIDGETS_TCSS

    def compose(self) -> ComposeResult:
        yield RecordList(make_source(300), id="list")
        yield StatusBar(clock=lambda: NOW)

    def on_mount(self) -> None:
        bar = self.query_one(StatusBar)
        bar.set_progress(300, 50_000)
        bar.set_cached_at(NOW - 180)
        bar.set_license("Green Acres · C11-0000001-LIC")
        bar.set_error("Timeout talking to T3")
        self.query_one(RecordList).focus()


class ConfirmApp(App):
    def on_mount(self) -> None:
        modal = ConfirmModal(
            "Move 3 packages to Vault B",
            [tag(1), tag(2), tag(3)],
            [{"Label": tag(i), "Location": "Vault B"} for i in (1, 2, 3)],
            title="Change location",
            confirm_label="Move",
        )
        self.push_screen(modal)
        modal.set_verdict(Verdict.INVALID, "Location 'Vault B' does not exist for this license")


def test_record_list_snapshot(snap_compare):
    async def prepare(pilot):
        rl = pilot.app.query_one(RecordList)
        await pilot.press("s", "s")  # sort by Strain
        rl.move_to_id(tag(3))
        await pilot.press("space", "space", "down")  # two marked rows, cursor below them
        await pilot.pause()

    assert snap_compare(ListScreenApp(), terminal_size=(80, 24), run_before=prepare)


def test_confirm_modal_snapshot(snap_compare):
    async def prepare(pilot):
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(ConfirmApp(), terminal_size=(80, 24), run_before=prepare)
