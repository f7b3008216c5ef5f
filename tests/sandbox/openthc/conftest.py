"""The OpenTHC sandbox over real HTTP on loopback: one server per module, a fresh seeded world per
test (small: 24 lots, 12 plants), and a client signed in to the main Grower license."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from growtui.sandbox.openthc.runner import OpenTHCConfig, SandboxServer, serve_in_thread
from growtui.sandbox.openthc.seed import build_world
from tests.sandbox.openthc.othc_helpers import sign_in


@pytest.fixture(scope="module")
def _othc_server() -> Iterator[SandboxServer]:
    with serve_in_thread(OpenTHCConfig(lots=24, plants=12)) as server:
        yield server


@pytest.fixture
def othc_server(_othc_server: SandboxServer) -> SandboxServer:
    old = _othc_server.world
    world = build_world(lots=24, plants=12)
    world.ops, world.empty_meta, world.qty_as_string = old.ops, "array", False
    world.ops.clear_faults()
    _othc_server.app.state.world = _othc_server.world = world
    return _othc_server


@pytest.fixture
def anon(othc_server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=othc_server.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def othc(anon: httpx.Client) -> httpx.Client:
    """Signed in as the grower company on its Grower license (Bearer header set)."""
    sign_in(anon)
    return anon
