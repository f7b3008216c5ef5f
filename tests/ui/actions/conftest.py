"""Write-flow Pilot helpers: the real app on an in-process sandbox whose World the test can read."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from textual.pilot import Pilot

from growtui.backends.t3.backend import T3Backend
from growtui.config import Settings
from growtui.sandbox.t3.runner import build_app
from growtui.sandbox.t3.store import LicenseState, World
from growtui.ui.app import GrowApp, create_app
from growtui.ui.wiring import TRAINING_BASE_URL, sandbox_config
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.screens.main import MainScreen
from growtui.backends.base import Credentials
from growtui.ui.common import license_number
from tests.sandbox_fixtures import CA_USER, MAIN_LICENSE
from tests.ui.conftest import FIXED_NOW, SMALL, demo_user, open_main, settle, wait_for

__all__ = ["MAIN_LICENSE", "Rig", "make_rig", "open_main", "settle", "confirm", "open_list"]


@dataclass
class Rig:
    app: GrowApp
    world: World

    @property
    def lic(self) -> LicenseState:
        return self.world.licenses[MAIN_LICENSE]


def make_rig(*, frozen: bool = False, **overrides: Any) -> Rig:
    """The app from create_app over a T3 backend on a sandbox this test can inspect.

    Real time by default: the write journal stamps entries with the real clock and finds what a
    write created by time, so the sandbox must agree. ``frozen`` pins everything (snapshots)."""
    settings = Settings(sandbox_packages=SMALL).with_overrides(overrides)
    clock = (lambda: FIXED_NOW) if frozen else time.time
    sandbox = build_app(sandbox_config(settings, clock if frozen else None))
    backend = T3Backend(base_url=TRAINING_BASE_URL, transport=httpx.ASGITransport(app=sandbox), clock=clock)
    app = create_app(settings, backend=backend, clock=clock, contain_errors=False)
    return Rig(app, sandbox.state.world)


async def signed_in(pilot: Pilot, username: str = CA_USER) -> MainScreen:
    """The main screen of the main license, signed in through the store (the login form has
    its own tests; skipping it keeps these tests fast)."""
    app: GrowApp = pilot.app  # type: ignore[assignment]
    await settle(pilot, 1)
    user = demo_user(app, username)
    app.session = await app.store.login(Credentials(hostname=user["hostname"], username=username, password=user["password"]))
    app.licenses = await app.store.licenses()
    app.open_license(next(lic for lic in app.licenses if license_number(lic) == MAIN_LICENSE))
    await settle(pilot)
    assert isinstance(app.screen, MainScreen), app.screen
    return app.screen


async def open_list(pilot: Pilot, section: str, state_steps: int = 0) -> MainScreen:
    main = pilot.app.screen
    if not isinstance(main, MainScreen):
        main = await signed_in(pilot)
    await pilot.press(section)
    await settle(pilot)
    for _ in range(state_steps):
        await pilot.press("right_square_bracket")
        await settle(pilot)
    main.record_list.focus()
    await pilot.pause()
    return main


async def wait_verdict(pilot: Pilot) -> ConfirmModal:
    modal = pilot.app.screen
    assert isinstance(modal, ConfirmModal), modal
    for _ in range(50):
        if modal.verdict is not Verdict.PENDING:
            break
        await settle(pilot, 1)
    return modal


async def confirm(pilot: Pilot) -> None:
    """Press y on the open confirmation once validated, and let the write finish."""
    modal = await wait_verdict(pilot)
    assert modal.verdict is Verdict.VALID, modal._verdict_text
    await pilot.press("y")
    # y confirms after the scanner-burst quiet period (later on a loaded box)
    await wait_for(pilot, lambda: pilot.app.screen is not modal, "y to confirm")
    await settle(pilot, 4)
