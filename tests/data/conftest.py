"""Fixtures for the data layer: a real sandbox over loopback HTTP and a DataStore on the real T3Backend."""

from __future__ import annotations

import pytest

from growtui.backends.base import Credentials
from growtui.backends.http import RetryPolicy
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore
from growtui.domain.collections import Collection
from growtui.sandbox.t3.ops import skew_clock
from growtui.sandbox.t3.runner import SandboxConfig, serve_in_thread

LICENSE = "CCL21-0000123"
CREDS = Credentials(hostname="ca.metrc.com", username="grower.ca", password="sandbox-ca-pass")
ACTIVE = Collection.parse("packages/active")
INACTIVE = Collection.parse("packages/inactive")
FAST_RETRY = RetryPolicy(max_attempts=5, base_s=0.01, cap_s=0.05)


@pytest.fixture(scope="module")
def server():
    """~450 active packages: at page_size 50 a full load is ~10 pages."""
    with serve_in_thread(SandboxConfig(seed=11, packages=600, rate_limit=None)) as srv:
        yield srv


@pytest.fixture(autouse=True)
def _clean_ops(server):
    server.world.ops.clear_faults()
    server.world.ops.set_rate_limit(None)
    server.world.ops.reset_counters()
    yield
    server.world.ops.clear_faults()
    server.world.ops.set_rate_limit(None)
    server.world.ops.set_latency(0)
    skew_clock(server.world, 0)


def world_keys(server, collection: Collection) -> set[int]:
    lic = server.world.licenses[LICENSE]
    with server.world.lock:
        return {o["id"] for o in lic.members(collection)}


@pytest.fixture
def make_store(server, tmp_path):
    stores: list[DataStore] = []

    async def make(**kw) -> DataStore:
        retry = kw.pop("retry", FAST_RETRY)
        backend = T3Backend(server.base_url, retry=retry)
        kw.setdefault("page_size", 50)
        store = DataStore(backend, cache_root=tmp_path / "cache", **kw)
        await store.login(CREDS)
        stores.append(store)
        return store

    yield make
    # Stores are closed by the tests' event loop (see aclose calls); the files stay in tmp_path.
