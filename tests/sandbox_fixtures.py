"""Reusable pytest fixtures for the T3 sandbox (registered from tests/conftest.py).

    async def test_x(asgi_client, auth_headers):          # in-process, no sockets
        r = await asgi_client.get("/v2/licenses", headers=auth_headers)

    def test_y(sandbox_server):                             # real HTTP on 127.0.0.1:<ephemeral>
        httpx.get(f"{sandbox_server.base_url}/v2/states", headers=bearer(sandbox_server.world))

Override ``sandbox_config`` in a test module to change size, latency, limits or faults. The world
is fresh per test (300 packages in the main license by default: ~50 ms to build).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette

from growtui.sandbox.t3.runner import SandboxConfig, SandboxServer, build_app, serve_in_thread
from growtui.sandbox.t3.seed import ACCOUNTS
from growtui.sandbox.t3.store import World
from growtui.sandbox.t3.tokens import mint_token

MAIN_LICENSE = "CCL21-0000123"  # grower.ca's big CA-style license (no vegetative plants)
CA_USER = "grower.ca"
ASGI_BASE_URL = "http://t3.sandbox"
# POST /v2/auth/credentials bodies of seeded accounts (MI also needs a TOTP: see seed.ACCOUNTS)
LOGINS = {a.username: {"hostname": a.hostname, "username": a.username, "password": a.password} for a in ACCOUNTS}
CA_LOGIN = LOGINS[CA_USER]


def bearer(world: World, username: str = CA_USER) -> dict[str, str]:
    """Authorization header for a seeded user, minted directly (no login round trip)."""
    return {"Authorization": f"Bearer {mint_token(world, world.users[username])}"}


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(packages=300)


@pytest.fixture
def sandbox_app(sandbox_config: SandboxConfig) -> Starlette:
    return build_app(sandbox_config)


@pytest.fixture
def sandbox_world(sandbox_app: Starlette) -> World:
    return sandbox_app.state.world


@pytest.fixture
async def asgi_client(sandbox_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client wired straight into the app (``base_url`` is ASGI_BASE_URL)."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=ASGI_BASE_URL) as client:
        yield client


@pytest.fixture
def auth_headers(sandbox_world: World) -> dict[str, str]:
    return bearer(sandbox_world)


@pytest.fixture
def sandbox_server(sandbox_config: SandboxConfig) -> Iterator[SandboxServer]:
    """The sandbox over real HTTP on loopback; stopped after the test."""
    with serve_in_thread(sandbox_config) as server:
        yield server
