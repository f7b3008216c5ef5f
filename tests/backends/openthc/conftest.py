"""Fixtures: the OpenTHC sandbox over real HTTP on loopback (one server per module, a fresh seeded
world per test) and an ``OpenTHCBackend`` talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from growtui.backends.base import Credentials
from growtui.backends.openthc.backend import OpenTHCBackend
from growtui.sandbox.openthc.runner import OpenTHCConfig, SandboxServer, serve_in_thread
from growtui.sandbox.openthc.seed import build_world, users_public

GROWER = "010PENTHC0SANDB0XL1CENSE0G"  # Sandbox Grow Co Cultivation, code G-10001
CODE = "G-10001"


def demo(account: str = "grower") -> dict:
    return next(u for u in users_public() if u["account"] == account)


def creds(account: str = "grower", **over: str) -> Credentials:
    user = demo(account)
    values = {k: user[k] for k in ("cre", "company", "license", "service-key", "license-key")}
    return Credentials({**values, **over})


@pytest.fixture(scope="module")
def _server() -> Iterator[SandboxServer]:
    with serve_in_thread(OpenTHCConfig()) as server:
        yield server


@pytest.fixture
def server(_server: SandboxServer) -> SandboxServer:
    old = _server.world
    world = build_world()
    world.ops, world.empty_meta, world.qty_as_string = old.ops, "array", False
    world.ops.clear_faults()
    _server.app.state.world = _server.world = world
    return _server


@pytest.fixture
async def backend(server: SandboxServer) -> AsyncIterator[OpenTHCBackend]:
    b = OpenTHCBackend(server.base_url)
    yield b
    await b.aclose()


@pytest.fixture
async def signed_in(backend: OpenTHCBackend) -> OpenTHCBackend:
    await backend.login(creds())
    return backend
