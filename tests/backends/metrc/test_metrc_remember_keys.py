""""Remember" at Metrc sign-in: the keys go to the OS keyring only when ticked, never to growtui's
files; the next start fills the form from it; unticking forgets; with no keyring it says so.

The OS keyring is the ``keyring`` package's: the tests give it a keyring of their own (a
``KeyringBackend`` that keeps entries in memory) or its "no keyring" backend, as a machine
without one has.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from textual.widgets import Checkbox, Input, OptionList, Static

from growtui.config import config_dir, data_dir, state_dir
from growtui.ui.screens.license_picker import LicensePickerScreen
from growtui.ui.screens.login import LoginScreen
from tests.backends.metrc.test_metrc_app import choose_state, metrc_app
from tests.ui.conftest import settle, wait_for


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


async def fill_demo_keys(pilot, screen: LoginScreen) -> str:
    demo = screen.query_one("#demo-users", OptionList)
    demo.focus()
    demo.highlighted = 0
    await pilot.press("enter")
    await choose_state(pilot, screen)
    return screen.query_one("#userKey", Input).value


def files_holding(text: str) -> list[Path]:
    roots = {config_dir(), data_dir(), state_dir()}
    return [p for r in roots if r.exists() for p in r.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


async def sign_in_and_wait(pilot, app) -> None:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, LicensePickerScreen), "the license picker")


async def test_ticked_remember_keeps_the_keys_in_the_keyring_only_and_fills_the_next_start(ring):
    app = metrc_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        user_key = await fill_demo_keys(pilot, app.screen)
        await sign_in_and_wait(pilot, app)
    assert ring.entries == {}  # not ticked: nothing kept

    app = metrc_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await fill_demo_keys(pilot, screen)
        screen.query_one("#remember", Checkbox).value = True
        await pilot.pause()
        await sign_in_and_wait(pilot, app)
    ((service, _entry), kept), = ring.entries.items()
    assert service == "growtui" and user_key in kept
    assert files_holding(user_key) == []  # the keyring has it; growtui's own files never do

    app = metrc_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#userKey", Input).value == user_key
        assert screen.query_one("#remember", Checkbox).value is True
        assert "OS keyring" in str(screen.query_one("#login-error", Static).render())
        screen.query_one("#remember", Checkbox).value = False  # untick: signing in forgets it
        await pilot.pause()
        await sign_in_and_wait(pilot, app)
    assert ring.entries == {}


async def test_without_a_keyring_remember_says_so_and_stays_off(no_keyring):
    app = metrc_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await fill_demo_keys(pilot, screen)
        screen.query_one("#remember", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert screen.query_one("#remember", Checkbox).value is False
        assert "No OS keyring" in str(screen.query_one("#login-error", Static).render())
        await sign_in_and_wait(pilot, app)  # signing in still works, for this session only
