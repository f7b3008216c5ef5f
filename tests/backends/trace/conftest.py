"""Fixtures: the Trace sandbox over real HTTP on loopback (one server per module, a fresh seeded
world per test) and a ``TraceBackend`` talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from growtui.backends.base import Credentials
from growtui.backends.trace.backend import TraceBackend
from growtui.sandbox.trace.runner import SandboxServer, TraceConfig, serve_in_thread
from growtui.sandbox.trace.seed import build_world, users_public

MAIN = "402R-00517"  # grower.co's Colorado license: more active strains than one page


def demo(username: str = "grower.co") -> dict:
    return next(u for u in users_public() if u["username"] == username)


def creds(username: str = "grower.co", **over: str) -> Credentials:
    user = demo(username)
    values = {"state": user["state"], "username": username, "license_number": user["license_number"],
              "x-api-key": user["x-api-key"], "token": user["token"]}
    return Credentials({**values, **over})


@pytest.fixture(scope="module")
def _server() -> Iterator[SandboxServer]:
    with serve_in_thread(TraceConfig()) as server:
        yield server


@pytest.fixture
def server(_server: SandboxServer) -> SandboxServer:
    world = build_world()
    world.ops = _server.world.ops
    world.ops.clear_faults()
    _server.app.state.world = _server.world = world
    return _server


@pytest.fixture
async def backend(server: SandboxServer) -> AsyncIterator[TraceBackend]:
    b = TraceBackend(server.base_url)
    yield b
    await b.aclose()


@pytest.fixture
async def signed_in(backend: TraceBackend) -> TraceBackend:
    await backend.login(creds())
    return backend
