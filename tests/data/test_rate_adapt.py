"""429s slow the client down: with upstream's limit below the client's budget, a load adapts
(Retry-After honoured, the budget cut, recovered slowly) and still ends exact (issue 15, defect 5)."""

from __future__ import annotations

from growtui.backends.http import SlidingWindowBudget
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore

from .conftest import ACTIVE, CREDS, FAST_RETRY, LICENSE, world_keys
from .test_sync import cached_keys

CONCURRENCY = 8


async def test_a_load_adapts_to_a_limit_below_its_budget(server, tmp_path):
    budget = SlidingWindowBudget(60, 1.0)  # the client thinks it may send 60 a second
    backend = T3Backend(server.base_url, retry=FAST_RETRY, budget=budget)
    store = DataStore(backend, cache_root=tmp_path / "cache", page_size=20, concurrency=CONCURRENCY)
    await store.login(CREDS)
    server.world.ops.set_rate_limit(10, 1.0)  # upstream allows 10 (another app uses the rest)
    server.world.ops.reset_counters()
    await store.refresh(LICENSE, ACTIVE)
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    drawn = server.world.ops.stats()["rate_limited"]
    assert drawn <= 2 * CONCURRENCY  # it slowed down after the first burst, not knocking on
    assert budget.cuts >= 1
    await store.aclose()
