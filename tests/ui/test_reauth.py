"""An expired token mid-session: the re-auth modal asks for the password, the app state stays."""

from __future__ import annotations

from growtui.config import Settings
from growtui.ui.app import create_app
from growtui.ui.wiring import build_backend
from growtui.ui.screens.main import MainScreen
from growtui.ui.modals.reauth import ReauthModal

from .conftest import FIXED_NOW, SMALL, demo_user, open_main, settle, type_text


class MovableClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_expired_session_asks_for_the_password_and_retries_the_refresh():
    clock = MovableClock(FIXED_NOW)
    settings = Settings(sandbox_packages=SMALL)
    # The sandbox and the token check share this clock, so the token really expires.
    app = create_app(settings, backend=build_backend(settings, clock=clock), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("down", "down", "slash")
        await type_text(pilot, "1a4")
        await pilot.press("enter")
        await settle(pilot)
        cursor = main.record_list.cursor_id
        clock.now += 25 * 3600  # past the token's exp
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ReauthModal)
        await type_text(pilot, "wrong")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReauthModal)  # refused in place
        app.focused.value = demo_user(app, "grower.ca")["password"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main
        assert main.record_list.cursor_id == cursor and main.record_list.filter_text == "1a4"
        assert main.collection not in main.refreshing  # the refresh was retried and finished
        assert "expired" not in main.status.plain.lower()
        assert isinstance(app.screen, MainScreen)
