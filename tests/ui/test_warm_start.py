"""Warm start (--stay-signed-in, a cache from an earlier run): the remembered license opens from
the cache before upstream has answered; upstream checks the saved token and the licenses behind it.
Real T3 sandbox (in-process ASGI, one for both runs, as T3 outlives the app), real SQLite cache kept
between the runs, the real app driven by Pilot. Upstream's answer to the token check is held until
the test releases it, so "before upstream answered" needs no timing."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Input

from growtui.backends.t3.backend import T3Backend
from growtui.config import Settings, SessionFile, UiState
from growtui.data.store import DataStore
from growtui.domain.collections import Collection
from growtui.sandbox.t3.runner import SandboxConfig, build_app
from growtui.ui.app import GrowApp, create_app
from growtui.ui.modals.reauth import ReauthModal
from growtui.ui.screens.license_picker import LicensePickerScreen
from growtui.ui.screens.main import MainScreen
from growtui.ui.wiring import TRAINING_BASE_URL

from .conftest import SMALL, notices, open_main, settle, wait_for

WHOAMI = "/v2/auth/whoami"  # the call that checks a saved token (T3Backend.resume)
PACKAGES = Collection.parse("packages/active")  # key 4 (the first list, vegetative plants, is empty here)


class HeldCheck:
    """The sandbox, with its answer to the saved token's check held until ``release``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.asked = False
        self.released = asyncio.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == WHOAMI:
            self.asked = True
            await self.released.wait()
        await self.app(scope, receive, send)


def app_with_cache(asgi: Any, cache_root: Path) -> GrowApp:
    """The app on the sandbox with a cache that outlives it (training caches are wiped at start)."""
    backend = T3Backend(base_url=TRAINING_BASE_URL, transport=httpx.ASGITransport(app=asgi))
    store = DataStore(backend, cache_root=cache_root, journal_root=cache_root / "journal")
    return create_app(Settings(sandbox_packages=SMALL, stay_signed_in=True), backend=backend, store=store,
                      contain_errors=False)


async def first_run(held: HeldCheck, cache_root: Path) -> tuple[str, str]:
    """Sign in with the password, open the first license and load its first list; the token,
    the licenses and the license are kept. Returns (license number, first row's label)."""
    held.released.set()
    app = app_with_cache(held, cache_root)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        main.show_collection(PACKAGES)
        await wait_for(pilot, lambda: not main.refreshing and len(main.source) > 0, "packages loaded")
        first = main.source.index.label(0)
        number = main.license_number
    held.released.clear()
    held.asked = False
    return number, first


async def until(pilot: Any, condition: Any, what: str, rounds: int = 2000) -> None:
    """conftest.wait_for without waiting for workers (the token check is one, held on purpose)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"gave up waiting for {what}")


def rows_shown(app: GrowApp) -> bool:
    main = app.main_screen
    return (main is not None and app.screen is main and main.collection == PACKAGES and main.source is not None
            and len(main.source) > 0 and bool(main.record_list.render_line(1).text.strip()))


async def open_packages_while_checked(pilot: Any, held: HeldCheck) -> MainScreen:
    """The remembered license's screen from the cache while the token check is held; key 4."""
    app = pilot.app
    await until(pilot, lambda: held.asked and app.main_screen is not None, "the license opened from the cache")
    await pilot.press("4")
    await until(pilot, lambda: rows_shown(app), "the cached packages on screen")
    assert not held.released.is_set()
    return app.main_screen


async def test_warm_start_shows_the_cached_rows_before_upstream_answers(tmp_path):
    held = HeldCheck(build_app(SandboxConfig(packages=SMALL)))
    number, first = await first_run(held, tmp_path / "cache")
    app = app_with_cache(held, tmp_path / "cache")
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_packages_while_checked(pilot, held)
        assert main.license_number == number and first in main.record_list.render_line(1).text
        assert app.screen_stack[-1] is main and app.store.session is None  # no sign-in form, no dialog
        await pilot.press("f5")  # a refresh asked for before the token is checked waits for it
        main.query_one("#filter", Input).value = "typed while waiting"
        await pilot.pause()
        assert main.refreshing and not isinstance(app.screen, ReauthModal)
        held.released.set()
        await wait_for(pilot, lambda: app.store.session is not None and app.licenses and not main.refreshing,
                       "the token checked and the refresh done")
        await settle(pilot)
        assert app.screen is main and app.main_screen is main  # the same screen: nothing reopened
        assert main.query_one("#filter", Input).value == "typed while waiting"
        assert "Refreshing" not in main.status.plain and not main.status.has_class("error")


async def test_a_refused_saved_token_asks_for_the_password_over_the_cached_list(tmp_path):
    held = HeldCheck(build_app(SandboxConfig(packages=SMALL)))
    await first_run(held, tmp_path / "cache")
    session_file = SessionFile(TRAINING_BASE_URL)
    saved = session_file.load(now=None)
    session_file.save(saved["hostname"], saved["username"], "a-token-T3-refuses", None)
    app = app_with_cache(held, tmp_path / "cache")
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_packages_while_checked(pilot, held)
        main.query_one("#filter", Input).value = "kept"
        held.released.set()
        await until(pilot, lambda: isinstance(app.screen, ReauthModal), "the password asked for")
        assert app.screen_stack[-2] is main  # over the main screen, not instead of it
        assert not session_file.path.exists()  # the refused token is not tried again
        app.screen.query_one("#reauth-password", Input).value = "sandbox-ca-pass"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main, "signed in again")
        await settle(pilot)
        assert main.query_one("#filter", Input).value == "kept"
        assert app.session.token != "a-token-T3-refuses" and session_file.load(now=None)["token"] == app.session.token
        assert app.licenses and not main.refreshing


async def test_a_remembered_license_no_longer_upstream_is_named_and_the_picker_offered(tmp_path):
    held = HeldCheck(build_app(SandboxConfig(packages=SMALL)))
    number, _ = await first_run(held, tmp_path / "cache")
    # The cache still lists a license the account has since lost, and it was the one open last.
    store = DataStore(T3Backend(base_url=TRAINING_BASE_URL), cache_root=tmp_path / "cache",
                      journal_root=tmp_path / "cache" / "journal")
    saved = SessionFile(TRAINING_BASE_URL).load(now=None)
    account = await store.open_offline(saved["hostname"], saved["username"])
    raws = store.cache.get_value("licenses")
    gone_number = "GONE-0000001"
    gone = {**next(r for r in raws if r["licenseNumber"] == number), "licenseNumber": gone_number}
    store.cache.put_value("licenses", [*raws, gone])
    await store.aclose()
    UiState().set_last_license(account, gone_number)

    app = app_with_cache(held, tmp_path / "cache")
    said = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: held.asked and app.main_screen is not None, "the license opened from the cache")
        main = app.main_screen
        assert main.license_number == gone_number
        held.released.set()
        await until(pilot, lambda: isinstance(app.screen, LicensePickerScreen), "the license picker")
        assert gone_number not in {lic.number for lic in app.licenses}
        assert any(f"{gone_number} is no longer among this account's licenses" in m for m in said)


async def test_signing_out_while_the_saved_token_is_checked_stays_signed_out(tmp_path):
    from growtui.ui.screens.login import LoginScreen

    held = HeldCheck(build_app(SandboxConfig(packages=SMALL)))
    await first_run(held, tmp_path / "cache")
    app = app_with_cache(held, tmp_path / "cache")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: held.asked and app.main_screen is not None, "the license opened from the cache")
        app.sign_out()
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the sign-in form")
        held.released.set()  # upstream accepts the token only now: too late, it was given up
        await until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "login"), "the check's end")
        for _ in range(5):  # what its answer would post is handled
            await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.session is None and app.main_screen is None
        assert not SessionFile(TRAINING_BASE_URL).path.exists()


class Unplugged(httpx.AsyncBaseTransport):
    """The sandbox behind a cable that can be pulled: while ``down``, every request fails to
    connect, as with the network gone."""

    def __init__(self, asgi: Any) -> None:
        self.inner = httpx.ASGITransport(app=asgi)
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)
        return await self.inner.handle_async_request(request)


async def test_an_unreachable_upstream_at_the_token_check_keeps_the_cached_list_and_the_token(tmp_path):
    held = HeldCheck(build_app(SandboxConfig(packages=SMALL)))
    number, first = await first_run(held, tmp_path / "cache")
    cable = Unplugged(held)
    backend = T3Backend(base_url=TRAINING_BASE_URL, transport=cable)
    store = DataStore(backend, cache_root=tmp_path / "cache", journal_root=tmp_path / "cache" / "journal")
    app = create_app(Settings(sandbox_packages=SMALL, stay_signed_in=True), backend=backend, store=store,
                     contain_errors=False)
    held.released.set()
    cable.down = True
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.main_screen is not None, "the license opened from the cache")
        main = app.main_screen
        await pilot.press("4")
        await until(pilot, lambda: "could not be checked" in main.status.plain, "the failed check in the status bar")
        assert rows_shown(app) and first in main.record_list.render_line(1).text
        assert app.screen is main and main.license_number == number  # no sign-in form, no dialog
        assert SessionFile(TRAINING_BASE_URL).load(now=None) is not None  # kept for when it is back

        await pilot.press("f5")  # still unplugged: checked again, the same error, nothing asked
        await wait_for(pilot, lambda: not main.refreshing and not app._checking_saved, "the second check")
        assert app.screen is main and app.store.session is None and "could not be checked" in main.status.plain

        cable.down = False  # the network is back: a refresh checks the saved token, not the password
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.store.session is not None and not main.refreshing, "signed in and refreshed")
        await settle(pilot)
        assert app.screen is main and app.store.session.token == app.session.token
        assert "could not be checked" not in main.status.plain and not main.status.has_class("error")
        assert app.licenses and main.source.index.label(0) == first
