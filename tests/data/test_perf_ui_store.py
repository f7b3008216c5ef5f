"""DataStore's list reads after a real load from the sandbox: opened with its first rows
(``open_list(first=)``), read whole in a worker thread (``read_list``) or at once (``open_list()``),
a list is the same rows in the same order, with the server's keys. (The partial state of a list
bigger than its width sample: test_perf_ui_open.py.)"""

from __future__ import annotations

import asyncio

from growtui.data.index import WIDTH_SAMPLE

from .conftest import ACTIVE, LICENSE, world_keys


async def test_first_rows_then_filled_whole_and_read_apart_are_one_list(server, make_store):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE, full=True)
    whole = store.open_list(LICENSE, ACTIVE)
    assert set(whole.keys) == world_keys(server, ACTIVE) and len(whole) > 100
    # Fewer rows than a list measures its widths on: every row is read at once, complete.
    assert len(whole) < WIDTH_SAMPLE
    opened = store.open_list(LICENSE, ACTIVE, first=20)
    apart = await asyncio.to_thread(store.read_list, LICENSE, ACTIVE)
    for index in (opened, apart):
        assert index.complete and index.keys == whole.keys
        assert [index.row(p) for p in range(len(whole))] == [whole.row(p) for p in range(len(whole))]
    await store.aclose()
