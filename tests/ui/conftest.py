"""Pilot helpers: the real app from create_app, on the in-process T3 sandbox, small seeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from growtui.backends.t3.backend import T3Backend

from growtui.config import Settings
from growtui.ui.app import GrowApp, create_app
from growtui.ui.wiring import TRAINING_BASE_URL
from growtui.ui.screens.main import MainScreen

FIXED_NOW = 1_795_000_000.0  # a fixed wall clock for everything the UI shows
SMALL = 60  # packages in the main demo license; the others get 40


def app_on(sandbox: Any, settings: Settings | None = None) -> GrowApp:
    """The real app on a sandbox the test keeps hold of: to change its world, or to outlive the app."""
    backend = T3Backend(base_url=TRAINING_BASE_URL, transport=httpx.ASGITransport(app=sandbox))
    return create_app(settings or Settings(sandbox_packages=SMALL), backend=backend, contain_errors=False)


def make_app(*, contain_errors: bool = False, **overrides: Any) -> GrowApp:
    settings = Settings(sandbox_packages=SMALL).with_overrides(overrides)
    return create_app(settings, clock=lambda: FIXED_NOW, contain_errors=contain_errors)


@pytest.fixture
def app_factory():
    return make_app


def demo_user(app: GrowApp, username: str) -> dict[str, Any]:
    return next(u for u in app.demo_users if u["username"] == username)


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages land (screens switch after a short delay in 8.x)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], bool], what: str = "the condition",
                   rounds: int = 400) -> None:
    """Let the app run until ``condition`` holds (timers and workers included); never a fixed sleep."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    raise AssertionError(f"gave up waiting for {what}")


def notices(app: GrowApp) -> list[str]:
    """Every message the app notifies from now on, kept. Toasts expire on the wall clock (a 10 s
    note can be gone from ``app._notifications`` by the time a slow machine asserts on it)."""
    said: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return said


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def sign_in_via_form(pilot: Pilot, username: str, *, password: str | None = None,
                           host_query: str | None = None, otp: str | None = None,
                           typed: bool = False) -> None:
    """Fill the form: type to filter the state and pick it with Enter, then the fields (typed key
    by key when ``typed``; set directly otherwise, which is much faster on a busy 2-core box)."""
    app: GrowApp = pilot.app  # type: ignore[assignment]
    user = demo_user(app, username)
    await settle(pilot)

    async def fill(selector: str, text: str) -> None:
        widget = app.screen.query_one(selector)
        widget.focus()
        if typed:
            await type_text(pilot, text)
        else:
            widget.value = text
            await pilot.pause()

    await fill("#host", host_query or user["hostname"])
    await pilot.press("enter")
    await fill("#username", username)
    await fill("#password", user["password"] if password is None else password)
    if otp is not None:
        await fill("#otp", otp)
    if user.get("email"):
        await fill("#email", user["email"])
    await pilot.press("ctrl+s")
    await settle(pilot)


async def open_main(pilot: Pilot, username: str = "grower.ca") -> MainScreen:
    """Signed in as a demo user with the first license open."""
    await sign_in_via_form(pilot, username)
    if not isinstance(pilot.app.screen, MainScreen):  # several licenses: pick the first
        await pilot.press("enter")
        await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen), pilot.app.screen
    return pilot.app.screen


async def open_packages(pilot: Pilot, username: str = "grower.ca") -> MainScreen:
    """Signed in with the first license open on its active packages."""
    from growtui.domain.collections import Collection, Family

    main = await open_main(pilot, username)
    main.show_collection(Collection(Family.PACKAGES, "active"))
    await settle(pilot)
    return main


async def palette(pilot: Pilot, query: str) -> None:
    """Open the command palette, search, and run the top hit."""
    from textual.command import CommandInput, CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    pilot.app.screen.query_one(CommandInput).value = query
    await wait_for(pilot, lambda: bool(pilot.app.screen.query_one(CommandList).option_count), "palette hits")
    await pilot.press("enter")
    await settle(pilot)


async def set_input(pilot: Pilot, selector: str, value: str, *, submit: bool = True) -> None:
    """Put text in an input as if typed (Changed fires), then Enter."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = value
    await pilot.pause()
    if submit:
        await pilot.press("enter")
    await settle(pilot)


def burst(app, text: str) -> None:
    """A keyboard-wedge scanner: every character and the CR posted without waiting for idle."""
    from textual import events

    for ch in text + "\r":
        app.post_message(events.Key("enter" if ch == "\r" else ch, ch))
