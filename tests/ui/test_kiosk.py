"""Kiosk mode: idle lock and unlock, supervisor-gated quit, palette without file/theme commands."""

from __future__ import annotations

from pytest_textual_snapshot import SVGImageExtension
from textual.widgets import Input

from growtui.ui.screens.lock import LockScreen
from growtui.ui.screens.main import MainScreen
from growtui.ui.modals.pin import PinModal

from .conftest import demo_user, open_main, settle, type_text

PIN = "2468"


class FakeMonotonic:
    """Idle time is measured on a clock the test moves forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def kiosk_app(clock: FakeMonotonic | None = None):
    from growtui.config import Settings
    from growtui.ui.app import create_app

    from .conftest import FIXED_NOW, SMALL

    settings = Settings(kiosk=True, idle_lock_minutes=2, supervisor_pin=PIN, sandbox_packages=SMALL)
    return create_app(settings, clock=lambda: FIXED_NOW, monotonic=clock or FakeMonotonic())


async def test_idle_lock_password_unlock_keeps_state_and_pin_signs_out(snapshot):
    clock = FakeMonotonic()
    app = kiosk_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        # Colorado: unlocking must resend the account's email without asking for it again.
        main = await open_main(pilot, "grower.co")
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("down", "down")
        cursor = main.record_list.cursor_row
        clock.now += 119
        app.check_idle_lock()
        assert app.current_mode == "main"
        clock.now += 2
        app.check_idle_lock()
        await settle(pilot)
        assert app.current_mode == "lock" and isinstance(app.screen, LockScreen)
        assert app.backend.session is None  # token dropped while locked
        assert app.export_screenshot(simplify=True) == snapshot(extension_class=SVGImageExtension, name="lock")
        # Background work that meets the dropped token waits for the unlock (no dialog on top).
        refreshes = []
        real_refresh = app.store.refresh

        async def counting_refresh(*args, **kwargs):
            refreshes.append(args[1])
            return await real_refresh(*args, **kwargs)

        app.store.refresh = counting_refresh
        main.action_refresh()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert refreshes == [main.collection] and main.collection not in main.refreshing
        # Wrong password: still locked.
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "lock"
        app.focused.value = demo_user(app, "grower.co")["password"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "main"
        assert app.screen is main and main.record_list.cursor_row == cursor
        assert app.backend.session is not None
        await settle(pilot)
        assert main.collection not in main.refreshing and "expired" not in main.status.plain.lower()
        assert refreshes == [main.collection] * 2  # the refresh that waited ran again
        # Locked again: the supervisor PIN signs the worker out instead.
        clock.now += 500
        app.check_idle_lock()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert app.screen.query_one("#reauth-password", Input).value == ""  # cleared on resume
        await pilot.press("f9")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "main" and app.session is None
        assert app.screen.id == "login"


async def test_quit_needs_the_pin_and_the_palette_cannot_write_files():
    clock = FakeMonotonic()
    app = kiosk_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        titles = [c.title for c in app.get_system_commands(main)]
        assert "Theme" not in titles and "Screenshot" not in titles
        assert titles.count("Quit") == 1  # our PIN-gated one
        assert main.check_action("export", ()) is False
        from growtui.ui.widgets.keybar import KeyBar

        assert "Export" not in main.query_one(KeyBar).plain and "f2 Scan" in main.query_one(KeyBar).plain
        await pilot.press("e")
        await settle(pilot)
        assert main.last_export is None
        assert app.animation_level == "none"
        assert all(not i.cursor_blink for i in main.query(Input))
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, PinModal)
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+q")  # the right PIN, too soon after a wrong one: not compared
        await settle(pilot)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        clock.now += app.pin_guard.wait_left()
        await pilot.press("ctrl+q")
        await settle(pilot)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert not app.is_running
