"""The Trace sandbox over real HTTP on loopback: one server per module, a fresh seeded world per
test (~200 strains: a few ms to build)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from growtui.sandbox.trace.runner import SandboxServer, TraceConfig, headers_for, serve_in_thread
from growtui.sandbox.trace.seed import build_world


@pytest.fixture(scope="module")
def _trace_server() -> Iterator[SandboxServer]:
    with serve_in_thread(TraceConfig()) as server:
        yield server


@pytest.fixture
def trace_server(_trace_server: SandboxServer) -> SandboxServer:
    world = build_world()
    world.ops = _trace_server.world.ops
    world.ops.clear_faults()
    _trace_server.app.state.world = _trace_server.world = world
    return _trace_server


@pytest.fixture
def trace(trace_server: SandboxServer) -> Iterator[httpx.Client]:
    """A client signed in as grower.co (both headers on every request)."""
    with httpx.Client(base_url=trace_server.base_url, headers=headers_for("grower.co"), timeout=10) as client:
        yield client
