"""--stay-signed-in: the token (never the password) survives a restart; sign-out forgets it."""

from __future__ import annotations

import pytest

from textual.widgets import Input, Static

from growtui.config import SessionFile
from growtui.ui.wiring import TRAINING_BASE_URL
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen

from .conftest import make_app, open_main, palette, settle


async def test_token_is_saved_only_when_asked_and_sign_out_forgets_it():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        assert not SessionFile(TRAINING_BASE_URL).path.exists()
    app = make_app(stay_signed_in=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        saved = SessionFile(TRAINING_BASE_URL).load(now=0)
        assert saved is not None and saved["username"] == "grower.ca"
        assert saved["token"] == app.session.token
        await palette(pilot, "Sign out")
        assert app.screen.id == "login" and app.session is None
        assert not SessionFile(TRAINING_BASE_URL).path.exists()


async def test_saved_token_opens_the_app_without_the_password():
    from growtui.config import Settings
    from growtui.sandbox.t3.runner import SandboxConfig, build_app

    from .conftest import SMALL, app_on

    # One sandbox for both runs: the server outlives the app, as T3 does.
    sandbox = build_app(SandboxConfig(packages=SMALL))
    settings = Settings(sandbox_packages=SMALL, stay_signed_in=True)

    def app_on_sandbox():
        return app_on(sandbox, settings)

    app = app_on_sandbox()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
    app = app_on_sandbox()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # the remembered license, no password asked
        assert app.session.username == "grower.ca"


@pytest.mark.parametrize(
    ("token", "expires_at"),
    [("not-a-token-T3-accepts", None), ("expired.jwt.token", 1.0)],
    ids=["refused", "expired"],
)
async def test_unusable_saved_token_falls_back_to_sign_in_with_the_username(token, expires_at):
    SessionFile(TRAINING_BASE_URL).save("ca.metrc.com", "grower.ca", token, expires_at)
    app = make_app(stay_signed_in=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen) and app.session is None
        assert not SessionFile(TRAINING_BASE_URL).path.exists()  # forgotten: the next start does not try it again
        assert screen.query_one("#host", Input).value == "ca.metrc.com"
        assert screen.query_one("#username", Input).value == "grower.ca"
        assert screen.focused is screen.query_one("#password", Input)
        assert "could not be used" in str(screen.query_one("#login-error", Static).render())


async def test_kiosk_lock_forgets_a_saved_token():
    # A token left by an earlier desk session on the same account: the kiosk never uses it
    # (it asks for the password) and the lock removes it.
    SessionFile(TRAINING_BASE_URL).save("ca.metrc.com", "grower.ca", "left.over.token", None)
    app = make_app(stay_signed_in=True, kiosk=True, supervisor_pin="2468")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        assert app.session.token != "left.over.token"
        app.lock()
        await settle(pilot)
        assert app.current_mode == "lock"
        assert not SessionFile(TRAINING_BASE_URL).path.exists()


@pytest.mark.parametrize("overrides", [{"kiosk": True, "stay_signed_in": True, "supervisor_pin": "2468"}, {}])
async def test_a_run_that_keeps_no_token_drops_a_leftover_token_file_at_start(overrides):
    SessionFile(TRAINING_BASE_URL).save("ca.metrc.com", "grower.ca", "left.over.token", None)
    app = make_app(**overrides)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not SessionFile(TRAINING_BASE_URL).path.exists()
