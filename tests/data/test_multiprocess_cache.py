"""Several growtui processes of one user share one cache file (two SSH sessions on one kiosk host):
loading and refreshing the same license at once, they end with exactly the server's set, without
lock errors and with an intact database (issue 15, defect 1)."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from pathlib import Path

from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore

from .conftest import ACTIVE, CREDS, FAST_RETRY, LICENSE, world_keys

PROCESSES = 4


def _one_process(base_url: str, cache_root: str, barrier, results, rounds: int) -> None:
    async def main() -> None:
        store = DataStore(T3Backend(base_url, retry=FAST_RETRY), cache_root=Path(cache_root),
                          page_size=20, concurrency=2)
        await store.login(CREDS)
        await asyncio.to_thread(barrier.wait)  # every process starts its loads at the same moment
        for _ in range(rounds):
            await store.refresh(LICENSE, ACTIVE, full=True)
            await store.refresh(LICENSE, ACTIVE)
        await store.aclose()

    try:
        asyncio.run(main())
        results.put(("ok", ""))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("error", repr(exc)))


async def test_four_processes_loading_one_license_keep_the_cache_exact(server, make_store, tmp_path):
    server.world.ops.set_latency(10)  # each load takes long enough for all four to overlap
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    root = tmp_path / "cache"
    procs = [
        ctx.Process(target=_one_process, args=(server.base_url, str(root), barrier, results, 2))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    outcomes = [await asyncio.to_thread(results.get, True, 300) for _ in procs]
    for p in procs:
        await asyncio.to_thread(p.join, 30)
    assert outcomes == [("ok", "")] * PROCESSES
    assert [p.exitcode for p in procs] == [0] * PROCESSES

    store = await make_store()  # same user, same cache root: opens the file the four shared
    assert set(store.open_list(LICENSE, ACTIVE).keys) == world_keys(server, ACTIVE)
    path = store.cache.path
    await store.aclose()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
