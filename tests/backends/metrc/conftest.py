"""Fixtures: a fresh small Metrc sandbox world per test, and a ``MetrcBackend`` over it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from growtui.backends.base import Credentials
from growtui.backends.metrc.backend import MetrcBackend
from growtui.sandbox.metrc.limits import Limits
from growtui.sandbox.metrc.runner import MetrcSandboxConfig, build_app
from growtui.sandbox.metrc.seed import GROWER_KEY, VENDOR_KEY
from growtui.sandbox.metrc.world import World

HOST = "sandbox-api-co.metrc.com"
BASE = "http://metrc.sandbox"


def keys(user: str = GROWER_KEY, vendor: str = VENDOR_KEY) -> Credentials:
    return Credentials(hostname=HOST, vendorKey=vendor, userKey=user)


@pytest.fixture
def metrc_config() -> MetrcSandboxConfig:
    return MetrcSandboxConfig(packages=45, limits=Limits(None, None, None, None))


@pytest.fixture
def metrc_app(metrc_config: MetrcSandboxConfig) -> Any:
    return build_app(metrc_config)


@pytest.fixture
def world(metrc_app: Any) -> World:
    return metrc_app.state.world


@pytest.fixture
async def backend(metrc_app: Any) -> AsyncIterator[MetrcBackend]:
    b = MetrcBackend(BASE, transport=httpx.ASGITransport(app=metrc_app))
    yield b
    await b.aclose()


@pytest.fixture
async def signed_in(backend: MetrcBackend) -> MetrcBackend:
    await backend.login(keys())
    return backend
