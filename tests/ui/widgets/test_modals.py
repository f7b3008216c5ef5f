"""ConfirmModal and MessageModal: keys that must not confirm, scanner bursts, verdict gating."""

from __future__ import annotations

import json

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Button, Static

from growtui.ui.modals.confirm import SCAN_REJECTED, ConfirmModal, Verdict, payload_json
from growtui.ui.modals.message import MessageModal
from tests.ui.conftest import wait_for
from tests.ui.widgets.helpers import tag

PAYLOAD = [{"Label": tag(1), "Location": "Vault"}, {"Label": tag(2), "Location": "Vault"}]
HUMAN_GAP = 0.08  # seconds between keys, slower than any scanner


class HostApp(App):
    def __init__(self, modal: Screen) -> None:
        super().__init__()
        self.modal = modal
        self.results: list = []
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)

    def bell(self) -> None:
        self.bells += 1


def confirm_modal(verdict: Verdict = Verdict.PENDING) -> ConfirmModal:
    return ConfirmModal(
        "Move 2 packages to Vault",
        [tag(1), tag(2)],
        PAYLOAD,
        title="Change location",
        confirm_label="Move",
        verdict=verdict,
    )


async def human(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause(HUMAN_GAP)


def post_scan(app: App, text: str) -> None:
    for ch in text + "\r":
        app.post_message(events.Key("enter", "\r") if ch == "\r" else events.Key(ch, ch))


async def test_enter_never_confirms_even_when_valid():
    modal = confirm_modal(Verdict.VALID)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.focused is modal.query_one("#cancel")
        await human(pilot, "enter")
        modal.query_one("#confirm").focus()
        await human(pilot, "enter")
        assert app.results == [] and app.screen is modal
        assert "press y or F10" in modal.notice


async def test_y_confirms_only_once_valid():
    modal = confirm_modal(Verdict.PENDING)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert str(modal.query_one("#verdict", Static).render()) == "Validating…"
        assert modal.query_one("#confirm", Button).disabled
        await human(pilot, "y")
        assert app.results == [] and app.bells == 1
        assert "still validating" in modal.notice
        modal.set_verdict(Verdict.VALID)
        await pilot.pause()
        assert str(modal.query_one("#verdict", Static).render()) == "Valid ✓"
        assert not modal.query_one("#confirm", Button).disabled
        await human(pilot, "y")
        assert app.results == [True]


async def test_f10_confirms_when_valid():
    app = HostApp(confirm_modal(Verdict.VALID))
    async with app.run_test() as pilot:
        await pilot.pause()
        await human(pilot, "f10")
        assert app.results == [True]


async def test_invalid_verdict_cannot_be_confirmed_and_shows_upstream_error():
    modal = confirm_modal(Verdict.VALID)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        modal.set_verdict(Verdict.INVALID, "Location \x1b[2J'Vault' not found")
        await pilot.pause()
        verdict = modal.query_one("#verdict", Static)
        assert str(verdict.render()) == "Location [2J'Vault' not found"
        assert verdict.has_class("-invalid")
        await human(pilot, "y", "f10")
        confirm = modal.query_one("#confirm", Button)
        assert confirm.disabled
        confirm.press()  # a disabled button does nothing
        await pilot.pause(HUMAN_GAP)
        assert app.results == [] and app.bells == 2
        assert "invalid" in modal.notice


async def test_scanner_burst_is_rejected_with_bell_and_does_not_confirm():
    modal = confirm_modal(Verdict.VALID)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        post_scan(app, tag(3))
        await wait_for(pilot, lambda: app.bells == 1 and modal._pending is None, "the rejected scan")
        assert app.results == [] and app.screen is modal
        assert app.bells == 1 and modal.notice == SCAN_REJECTED
        # a scan that starts with "y" is not a yes either
        post_scan(app, "y" + tag(4))
        await wait_for(pilot, lambda: app.bells == 2 and modal._pending is None, "the second rejected scan")
        assert app.results == [] and app.bells == 2
        await human(pilot, "y")  # a person can still confirm afterwards
        assert app.results == [True]


async def test_escape_and_n_cancel():
    for key in ("escape", "n"):
        app = HostApp(confirm_modal(Verdict.VALID))
        async with app.run_test() as pilot:
            await pilot.pause()
            await human(pilot, key)
            assert app.results == [False]


async def test_cancel_button_cancels():
    modal = confirm_modal(Verdict.VALID)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        modal.query_one("#cancel", Button).press()
        await pilot.pause()
        assert app.results == [False]


async def test_j_toggles_the_exact_json():
    modal = confirm_modal(Verdict.VALID)
    app = HostApp(modal)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not modal.json_shown
        await human(pilot, "j")
        assert modal.json_shown and not modal.query_one("#details").display  # JSON replaces the tags
        shown = str(modal.query_one("#json-text", Static).render())
        assert json.loads(shown) == PAYLOAD
        await human(pilot, "j")
        assert not modal.json_shown and modal.query_one("#details").display


def test_payload_json_escapes_c1_and_bidi():
    text = payload_json({"Note": "a\x9bb\u202ec\n"})
    assert "\x9b" not in text and "\u202e" not in text
    assert json.loads(text) == {"Note": "a\x9bb\u202ec\n"}
    assert payload_json('{"raw": 1}') == '{"raw": 1}'


async def test_message_modal_closes_on_key_but_not_on_a_scan():
    app = HostApp(MessageModal("Could not move", ["Upstream said: [red]no[/red]"]))
    async with app.run_test() as pilot:
        await pilot.pause()
        modal = app.screen
        assert "[red]no[/red]" in str(modal.query_one("#body Static", Static).render())
        post_scan(app, tag(5))
        await wait_for(pilot, lambda: app.bells == 1, "the rejected scan")
        assert app.results == [] and app.bells == 1
        await human(pilot, "escape")
        assert app.results == [None]
