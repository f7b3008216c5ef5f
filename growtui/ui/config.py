"""Runtime wiring from Settings: which backend and data store the app talks to.

With no host configured the app runs a TRAINING session: the built-in T3 sandbox is served
in-process through httpx's ASGI transport (no port, no network), seeded with demo users and data.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from growtui.backends.base import Backend
from growtui.config import Settings

TRAINING_BASE_URL = "http://training.sandbox"


Clock = Callable[[], float]  # epoch seconds


def sandbox_config(settings: Settings, clock: Clock | None = None) -> Any:
    from growtui.sandbox.t3.runner import SandboxConfig

    world_clock = None if clock is None else (lambda: datetime.fromtimestamp(clock(), UTC))
    return SandboxConfig(
        packages=settings.sandbox_packages, latency_ms=settings.sandbox_latency_ms, clock=world_clock
    )


def training_transport(settings: Settings, clock: Clock | None = None) -> httpx.AsyncBaseTransport:
    from growtui.sandbox.t3.runner import build_app

    return httpx.ASGITransport(app=build_app(sandbox_config(settings, clock)))


def build_backend(settings: Settings, *, clock: Clock | None = None) -> Backend:
    """T3 at settings.host, or the training sandbox. ``clock`` pins the sandbox's and the token
    checks' time together (screenshots and snapshot tests show the same dates every day)."""
    from growtui.backends.t3.backend import T3Backend

    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    if settings.training:
        return T3Backend(base_url=TRAINING_BASE_URL, transport=training_transport(settings, clock), **extra)
    return T3Backend(base_url=settings.host, **extra)


def cache_root(*, training: bool) -> Path:
    """Where the app's caches live; training has its own (see build_store)."""
    from growtui.data.cache import default_cache_root

    return default_cache_root() / "training" if training else default_cache_root()


def build_store(backend: Backend, *, training: bool = False) -> Any:
    from growtui.data.store import DataStore

    root = cache_root(training=training)
    if training:
        # The training world is seeded afresh at every start, so yesterday's training cache
        # describes objects that no longer exist: keep it apart from real caches and start it empty.
        shutil.rmtree(root, ignore_errors=True)
    return DataStore(backend, cache_root=root)


def training_demo_users() -> list[Any]:
    """The sandbox's demo accounts (username, password, hostname, otp seed / email where needed)."""
    from growtui.sandbox.t3.seed import users_public

    return users_public()
