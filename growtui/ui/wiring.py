"""Runtime wiring from Settings (growtui/config.py, the one config module): which backend and
data store the app talks to.

The backend is picked by name from ``backends.registry``. With no host configured the app runs a
TRAINING session: the backend's built-in sandbox is served in-process through httpx's ASGI
transport (no port, no network), seeded with demo users and data.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from growtui.backends import registry
from growtui.backends.base import Backend
from growtui.config import Settings
from growtui.data.cache import default_cache_root
from growtui.data.store import DataStore

TRAINING_BASE_URL = "http://training.sandbox"


Clock = Callable[[], float]  # epoch seconds


def sandbox_config(settings: Settings, clock: Clock | None = None, *, system: str | None = None) -> Any:
    config_class = registry.resolve(registry.entry(system or settings.system).sandbox_config)
    world_clock = None if clock is None else (lambda: datetime.fromtimestamp(clock(), UTC))
    return config_class(
        packages=settings.sandbox_packages, latency_ms=settings.sandbox_latency_ms, clock=world_clock
    )


def training_transport(
    settings: Settings, clock: Clock | None = None, *, system: str | None = None
) -> httpx.AsyncBaseTransport:
    build_app = registry.resolve(registry.entry(system or settings.system).sandbox_app)
    return httpx.ASGITransport(app=build_app(sandbox_config(settings, clock, system=system)))


def build_backend(settings: Settings, *, clock: Clock | None = None, system: str | None = None) -> Backend:
    """The ``system`` (default ``settings.system``) backend at settings.host, or its training
    sandbox. ``clock`` pins the sandbox's and the token checks' time together (screenshots and
    snapshot tests show the same dates every day)."""
    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    if settings.training:
        transport = training_transport(settings, clock, system=system)
        return registry.create(system or settings.system, base_url=TRAINING_BASE_URL, transport=transport, **extra)
    return registry.create(system or settings.system, base_url=settings.host, **extra)


def cache_root(*, training: bool) -> Path:
    """Where the app's caches live; training has its own (see build_store)."""
    return default_cache_root() / "training" if training else default_cache_root()


def build_store(backend: Backend, *, training: bool = False, fresh: bool = True) -> DataStore:
    """The store over the app's cache. ``fresh=False`` keeps the training cache (offline readers:
    ``growtui export`` / ``outbox`` read what the last training sync stored)."""
    root = cache_root(training=training)
    if training and fresh:
        # The training world is seeded afresh at every start, so yesterday's training cache
        # describes objects that no longer exist: keep it apart from real caches and start it empty.
        shutil.rmtree(root, ignore_errors=True)
    return DataStore(backend, cache_root=root)


def training_demo_users(system: str = registry.DEFAULT) -> list[dict[str, Any]]:
    """The sandbox's demo accounts (username, password, hostname, otp seed / email where needed)."""
    target = registry.entry(system).demo_users
    return list(registry.resolve(target)()) if target else []
