"""Sign in through the real form against the in-process sandbox: CA, MI (OTP), CO (email), errors."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from growtui.ui.screens.license_picker import LicensePickerScreen
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen

from .conftest import demo_user, make_app, settle, sign_in_via_form, type_text


def _error_text(screen) -> str:
    return str(screen.query_one("#login-error", Static).render())


async def test_ca_sign_in_typed_with_state_filter_reaches_the_license_picker():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert "TRAINING" in str(screen.query_one("#training-banner", Static).render())
        assert screen.query_one("#demo-users", OptionList).option_count == len(app.demo_users)
        prompts = [str(o.prompt) for o in screen.query_one("#demo-users", OptionList).options]
        assert any("no T3+" in p for p in prompts)  # the sandbox's note on a user without T3+
        # Typed key by key; "califor" filters the states to California. CA needs no OTP/email.
        await sign_in_via_form(pilot, "grower.ca", host_query="califor", typed=True)
        assert app.session is not None and app.session.username == "grower.ca"
        # Three licenses and none remembered: the picker shows them all.
        assert isinstance(app.screen, LicensePickerScreen)
        assert len(app.screen.shown) == 3
        # T3's own state list is kept for the next sign-in screen (the route needs a token).
        assert any(s["hostname"] == "mi.metrc.com" for s in app.ui_state.states("t3", app.backend.base_url))


async def test_fields_follow_the_state_and_incomplete_forms_are_explained():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#host").focus()
        await pilot.press("ctrl+s")
        assert "Choose your state" in _error_text(screen)
        await type_text(pilot, "mich")
        assert screen.hostname == "mi.metrc.com"
        assert screen.query_one("#otp-row").display and not screen.query_one("#email-row").display
        screen.query_one("#host", Input).value = "colo"
        await pilot.pause()
        assert screen.hostname == "co.metrc.com"
        assert screen.query_one("#email-row").display and not screen.query_one("#otp-row").display
        screen.query_one("#host", Input).value = "ca"
        await pilot.pause()
        assert not screen.query_one("#email-row").display and not screen.query_one("#otp-row").display


async def test_michigan_demo_user_wrong_otp_then_generated_otp_signs_in():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Choosing a demo user fills the form (training only).
        for _ in range(app.demo_users.index(demo_user(app, "grower.mi"))):
            await pilot.press("down")
        await pilot.press("enter")
        screen = app.screen
        assert screen.query_one("#username", Input).value == "grower.mi"
        assert screen.query_one("#otp-row").display
        assert app.focused is screen.query_one("#otp")
        await type_text(pilot, "000000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.session is None
        assert "one-time code" in _error_text(screen)
        assert screen.query_one("#username", Input).value == "grower.mi"
        screen.query_one("#password", Input).value = demo_user(app, "grower.mi")["password"]
        await pilot.press("f3")  # training only: the current code of the demo seed
        assert len(screen.query_one("#otp", Input).value) == 6
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # one license: opened directly
        assert app.session.hostname == "mi.metrc.com"


async def test_wrong_password_keeps_the_form_then_colorado_email_sign_in_works():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_via_form(pilot, "grower.co", password="not-the-password")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert screen.query_one("#username", Input).value == "grower.co"
        assert screen.query_one("#host", Input).value == "co.metrc.com"
        assert screen.query_one("#email", Input).value == demo_user(app, "grower.co")["email"]
        assert screen.query_one("#password", Input).value == ""
        assert "Sign-in failed" in _error_text(screen)
        assert app.focused is screen.query_one("#password")
        app.focused.value = demo_user(app, "grower.co")["password"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.session.hostname == "co.metrc.com"


async def test_unreachable_server_is_explained_in_place_and_the_form_is_kept():
    from growtui.backends.http import RetryPolicy
    from growtui.backends.t3.backend import T3Backend
    from growtui.config import Settings
    from growtui.ui.app import create_app

    from .conftest import SMALL

    # Nothing listens on the discard port: a refused connection, as when T3 is down.
    backend = T3Backend(base_url="http://127.0.0.1:9", retry=RetryPolicy(max_attempts=1), timeout=2.0)
    app = create_app(Settings(sandbox_packages=SMALL), backend=backend, contain_errors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_via_form(pilot, "grower.ca")
        screen = app.screen
        assert isinstance(screen, LoginScreen) and app.session is None
        assert _error_text(screen) and "Signing in" not in _error_text(screen)
        assert screen.query_one("#username", Input).value == "grower.ca"
        # Nothing was refused: the password stays typed for the next try (issue 16).
        assert screen.query_one("#password", Input).value == demo_user(app, "grower.ca")["password"]
        assert app.is_running


async def test_a_wrong_one_time_code_keeps_the_password_and_never_repeats_the_code():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_via_form(pilot, "grower.mi", otp="000000")
        screen = app.screen
        assert isinstance(screen, LoginScreen) and "Sign-in failed" in _error_text(screen)
        assert screen.query_one("#otp", Input).value == ""  # a code is never sent twice
        assert screen.query_one("#password", Input).value == demo_user(app, "grower.mi")["password"]
        assert app.focused is screen.query_one("#otp")


async def test_a_host_that_is_not_a_t3_api_is_said_so():
    import httpx

    from growtui.backends.http import RetryPolicy
    from growtui.backends.t3.backend import T3Backend
    from growtui.config import Settings
    from growtui.sandbox.metrc.runner import build_app as metrc_app
    from growtui.ui.app import create_app

    from .conftest import SMALL

    # A real server of another system at the address: Metrc's API has no /v2/auth/credentials.
    backend = T3Backend(base_url="http://metrc.example", transport=httpx.ASGITransport(app=metrc_app()),
                        retry=RetryPolicy(max_attempts=1))
    app = create_app(Settings(sandbox_packages=SMALL), backend=backend, contain_errors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_via_form(pilot, "grower.ca")
        text = _error_text(app.screen)
        assert "http://metrc.example does not answer like a T3 API (HTTP 404" in text
        assert "maintenance" not in text


async def test_a_configured_host_is_a_real_session_without_demo_users():
    from growtui.config import Settings
    from growtui.ui.app import create_app

    app = create_app(Settings(host="https://t3.example.test"), contain_errors=False)
    assert app.backend.base_url.startswith("https://t3.example.test")
    assert app.demo_users == [] and not app.training
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert not screen.query("#training-banner") and not screen.query("#demo-users")
        assert screen.check_action("demo_otp", ()) is False
        assert app.demo_otp("grower.mi", "mi.metrc.com") is None


async def test_an_html_error_page_after_sign_in_is_explained_on_the_form():
    import httpx

    from growtui.backends.http import RetryPolicy
    from growtui.backends.t3.backend import T3Backend
    from growtui.config import Settings
    from growtui.sandbox.t3.runner import SandboxConfig, build_app
    from growtui.ui.app import create_app

    from .conftest import SMALL

    # The license list meets a Cloudflare-style 504 HTML page once; no retries, so it shows at once.
    sandbox = build_app(SandboxConfig(packages=SMALL, faults="504:x1~/v2/licenses"))
    backend = T3Backend(
        base_url="http://sandbox", transport=httpx.ASGITransport(app=sandbox), retry=RetryPolicy(max_attempts=1)
    )
    app = create_app(Settings(sandbox_packages=SMALL), backend=backend, contain_errors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_via_form(pilot, "grower.ca")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        text = _error_text(screen)
        assert "licenses" in text and "504" in text
        assert "<html" not in text.lower() and "<!doctype" not in text.lower()
        assert screen.query_one("#username", Input).value == "grower.ca"
        assert screen.query_one("#password", Input).value == ""  # it was used: the sign-in itself worked
        # Trying again works once T3 answers.
        screen.query_one("#password", Input).value = demo_user(app, "grower.ca")["password"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LicensePickerScreen)
