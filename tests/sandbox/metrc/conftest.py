"""Fixtures for the Metrc sandbox tests: a fresh small world per test, in-process or over loopback.

    async def test_x(metrc, metrc_world):                  # httpx.AsyncClient, Basic auth as the grower
        r = await metrc.get("/plants/v2/vegetative", params=lic())

    def test_y(metrc_server): ...                          # real HTTP on 127.0.0.1:<ephemeral>

Override ``metrc_config`` in a module to change size, limits, settings or faults; helpers (``lic``,
``wide``, ``check_schema``) live in ``metrc_helpers``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from growtui.sandbox.metrc.limits import Limits
from growtui.sandbox.metrc.runner import MetrcSandboxConfig, build_app, serve_in_thread
from growtui.sandbox.metrc.seed import GROWER_KEY, VENDOR_KEY
from growtui.sandbox.metrc.world import World
from growtui.sandbox.serving import SandboxServer
from metrc_helpers import BASE_URL


@pytest.fixture
def metrc_config() -> MetrcSandboxConfig:
    return MetrcSandboxConfig(packages=60, limits=Limits(None, None, None, None))


@pytest.fixture
def metrc_app(metrc_config: MetrcSandboxConfig) -> Any:
    return build_app(metrc_config)


@pytest.fixture
def metrc_world(metrc_app: Any) -> World:
    return metrc_app.state.world


@pytest.fixture
async def metrc(metrc_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client wired into the app, signed in as the grower (vendor key : grower key)."""
    transport = httpx.ASGITransport(app=metrc_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, auth=(VENDOR_KEY, GROWER_KEY)) as client:
        yield client


@pytest.fixture
def metrc_server(metrc_config: MetrcSandboxConfig) -> Iterator[SandboxServer]:
    with serve_in_thread(metrc_config) as server:
        yield server
