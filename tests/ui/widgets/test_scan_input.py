"""ScanInput under scanner bursts: keys posted back-to-back without waiting for the app to idle."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from growtui.ui.widgets.scan_input import ScanInput, split_scans
from tests.ui.conftest import wait_for
from tests.ui.widgets.helpers import tag


class ScanApp(App):
    def __init__(self, stock: bool = False, tags_only: bool = False) -> None:
        super().__init__()
        self.stock = stock
        self.tags_only = tags_only
        self.tags: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="scan") if self.stock else ScanInput(id="scan", tags_only=self.tags_only)

    def on_scan_input_scanned(self, message: ScanInput.Scanned) -> None:
        self.tags.append(message.tag)

    def on_input_submitted(self, message: Input.Submitted) -> None:  # the stock widget, for contrast
        self.tags.append(message.value)
        message.input.value = ""


def post_burst(app: App, tags: list[str]) -> None:
    """Every character of every scan plus its CR, queued before the app handles any of them."""
    for scan in tags:
        for ch in scan + "\r":
            app.post_message(events.Key("enter", "\r") if ch == "\r" else events.Key(ch, ch))


async def deliver(app: App, tags: list[str], pilot) -> None:
    post_burst(app, tags)
    await wait_for(pilot, lambda: len(app.tags) >= len(tags) and not app.query_one("#scan", Input).value,
                   "every scan handled")


async def test_200_back_to_back_scans_give_200_exact_tags_in_order():
    tags = [tag(i * 7919) for i in range(200)]
    app = ScanApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await deliver(app, tags, pilot)
        assert app.tags == tags
        assert app.query_one(ScanInput).value == ""


async def test_stock_input_merges_scans_in_the_same_burst():
    """Documents Textual #6605, the reason ScanInput exists: this same burst corrupts stock Input."""
    tags = [tag(i) for i in range(20)]
    app = ScanApp(stock=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await deliver(app, tags, pilot)
        assert app.tags != tags


async def test_pasted_block_gives_one_scan_per_line():
    app = ScanApp()
    async with app.run_test() as pilot:
        scan = app.query_one(ScanInput)
        scan.focus()
        await pilot.press("1", "a")
        app.post_message(events.Paste("b2\r\n\n  1a4ff03 \n1A4FF04"))
        await pilot.pause()
        assert app.tags == ["1AB2", "1A4FF03", "1A4FF04"]
        assert scan.value == ""
        app.post_message(events.Paste("partial"))  # a single line is ordinary typing
        await pilot.pause()
        assert scan.value == "partial" and len(app.tags) == 3


async def test_typed_tag_with_enter_and_empty_enter():
    app = ScanApp()
    async with app.run_test() as pilot:
        scan = app.query_one(ScanInput)
        scan.focus()
        await pilot.press("enter")  # nothing typed: no scan
        await pilot.press(*"]C1abc12 ", "enter")  # an AIM symbology prefix from the scanner
        assert app.tags == ["ABC12"]
        assert scan.cursor_blink is False


TAG = "1A4FF0100000022000000123"


def refusals(app: App) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_scan_with_control_characters_is_refused_with_the_reason():
    app = ScanApp()
    async with app.run_test() as pilot:
        app.query_one(ScanInput).focus()
        for ch in TAG[:12] + "\x1d" + TAG[12:]:  # a GS1 group separator inside the scan
            app.post_message(events.Key("ctrl+right_square_bracket" if ch == "\x1d" else ch, ch))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: bool(refusals(app)), "the refusal")
        assert app.tags == []  # dropping the GS silently would have joined two fields into a "tag"
        assert "control characters (GS)" in refusals(app)[0] and TAG in refusals(app)[0]
        await pilot.press(*TAG.lower(), "enter")  # the next clean scan is taken
        assert app.tags == [TAG]
        app.post_message(events.Paste(f"{TAG}\n1A4FF0100000022000000\x04999\n"))
        await wait_for(pilot, lambda: len(refusals(app)) == 2, "the pasted line's refusal")
        assert app.tags == [TAG, TAG] and "(EOT)" in refusals(app)[1]


async def test_where_only_tags_go_a_wrong_length_is_refused_with_the_reason():
    app = ScanApp(tags_only=True)
    async with app.run_test() as pilot:
        app.query_one(ScanInput).focus()
        await pilot.press(*TAG[:-3], "enter")
        await wait_for(pilot, lambda: bool(refusals(app)), "the refusal")
        assert app.tags == [] and "21 characters, a tag has 24" in refusals(app)[0]
        await pilot.press(*(TAG + TAG), "enter")
        await wait_for(pilot, lambda: len(refusals(app)) == 2, "the second refusal")
        assert "Two scans ran together" in refusals(app)[1]
        await pilot.press(*TAG, "enter")
        assert app.tags == [TAG]


async def test_escape_in_a_scan_field_is_still_a_key():
    app = ScanApp()
    async with app.run_test() as pilot:
        app.query_one(ScanInput).focus()
        await pilot.press("1", "a", "escape", "enter")
        assert app.tags == ["1A"] and not refusals(app)


def test_split_scans():
    assert split_scans("a\r\nb\n\n c \r") == ["A", "B", "C"]
    assert split_scans("]C11a4ff01, 1a4ff02;1A4FF03\t1A4FF04") == ["1A4FF01", "1A4FF02", "1A4FF03", "1A4FF04"]
    assert split_scans("\n\n") == []
