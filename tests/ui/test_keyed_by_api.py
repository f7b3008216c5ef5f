"""Defect 10: everything stored is keyed by API base URL + upstream host + user; a saved token is
only ever sent to the API that issued it. Two real sandbox apps stand for two --host values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import platformdirs

from growtui.backends.t3.backend import T3Backend
from growtui.config import Settings
from growtui.sandbox.t3.runner import SandboxConfig, build_app
from growtui.ui.app import create_app
from growtui.ui.wiring import training_demo_users
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen

from .conftest import SMALL, open_main, set_input, settle

PRODUCTION = "https://api.example-production.test"
STAGING = "https://api.example-staging.test"


class Recorder:
    """The sandbox app as it is, noting each request's path and bearer token on the way in."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            self.seen.append((scope["path"], headers.get(b"authorization", b"").decode()))
        await self.app(scope, receive, send)


def app_at(url: str, server: Recorder):
    backend = T3Backend(base_url=url, transport=httpx.ASGITransport(app=server))
    settings = Settings(host=url, stay_signed_in=True, sandbox_packages=SMALL)
    # Demo users only to fill the sign-in form: this is a "real" host, not a training session.
    return create_app(settings, backend=backend, contain_errors=False, demo_users=training_demo_users())


def cache_files() -> list[Path]:
    return sorted(Path(platformdirs.user_cache_dir("growtui")).rglob("*.sqlite"))


async def test_a_saved_token_never_reaches_another_host_and_nothing_is_shared():
    production = Recorder(build_app(SandboxConfig(packages=SMALL)))
    staging = Recorder(build_app(SandboxConfig(packages=SMALL)))

    app = app_at(PRODUCTION, production)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        token = app.session.token
        await pilot.press("l")
        await settle(pilot)
        await set_input(pilot, "#license-filter", "golden")  # remembered for production
        assert app.screen.license_number == "C11-0000456-LIC"
    production_caches = cache_files()
    assert len(production_caches) == 1

    app = app_at(STAGING, staging)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Production's token was not offered to staging, not even to ask who it belongs to.
        assert not any(token in auth for _, auth in staging.seen), staging.seen
        assert isinstance(app.screen, LoginScreen) and app.session is None
        await open_main(pilot)
        # Staging has its own last-license memory: the picker came up and the first license opened.
        assert isinstance(app.screen, MainScreen) and app.screen.license_number != "C11-0000456-LIC"
    # ... and its own cache file (rows and outbox history), next to production's, untouched.
    assert len(cache_files()) == 2 and set(production_caches) < set(cache_files())

    # Back on production: its token is still there and still used there.
    before = len(production.seen)
    app = app_at(PRODUCTION, production)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.license_number == "C11-0000456-LIC"
    assert any(token in auth for _, auth in production.seen[before:])



async def test_a_token_saved_before_keying_is_forgotten_unused():
    import json

    from growtui.config import state_dir

    old = state_dir() / "session.json"  # what earlier versions wrote: no API named in it
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(json.dumps({"hostname": "ca.metrc.com", "username": "grower.ca", "token": "old.jwt.token"}))
    staging = Recorder(build_app(SandboxConfig(packages=SMALL)))
    app = app_at(STAGING, staging)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.session is None
    assert not old.exists()
    assert not any("old.jwt.token" in auth for _, auth in staging.seen)
