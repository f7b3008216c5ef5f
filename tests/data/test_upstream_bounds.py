"""Nothing upstream sends can exhaust the client: a page count from a hostile `total` is refused,
bodies are read with a size limit (after decompression), and a long history is read through the
one bounded concurrency limit (issue 15, defect 6)."""

from __future__ import annotations

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.domain.collections import SubCollection

from .conftest import ACTIVE, LICENSE, world_keys
from .test_sync import cached_keys


async def test_a_total_of_a_trillion_is_refused_not_planned(server, make_store):
    store = await make_store()
    server.world.ops.add_fault("huge_total", next=1, path="/v2/packages/active")
    with pytest.raises(BackendError) as caught:
        await store.refresh(LICENSE, ACTIVE)
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert "1,000,000,000,000 rows" in caught.value.message
    assert store.cache_age(LICENSE, ACTIVE) is None  # nothing half-done is taken for a load
    await store.refresh(LICENSE, ACTIVE)  # the next honest answer loads normally
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    await store.aclose()


@pytest.mark.parametrize("fault", ["gzip_bomb", "huge_body"])
async def test_bodies_past_the_limit_are_refused_and_the_cache_kept(server, make_store, fault):
    """80 MB of valid JSON (an empty page): read whole, it would have emptied the list."""
    store = await make_store()
    server.world.ops.add_fault(fault, next=1, path="/v2/packages/active")
    with pytest.raises(BackendError) as caught:
        await store.backend.fetch_page(LICENSE, ACTIVE, 1, 50)
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert "larger than 64 MB" in caught.value.message
    await store.refresh(LICENSE, ACTIVE)
    server.world.ops.add_fault(fault, next=1, path="/v2/packages/active")
    await store.refresh(LICENSE, ACTIVE, full=True)  # the refused page is asked for again
    assert server.world.ops.stats()["faults_served"] == {fault: 2}
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    await store.aclose()


async def test_a_long_history_is_read_through_the_concurrency_limit(server, make_store):
    store = await make_store(page_size=10, concurrency=3)
    lic = server.world.licenses[LICENSE]
    pkg = sorted(world_keys(server, ACTIVE))[0]
    with server.world.lock:
        for n in range(300):
            lic.add_history("packages", pkg, [f"event {n}"], "grower.ca")
    server.world.ops.set_latency(20)  # requests overlap, so fan-out would show in max_in_flight
    server.world.ops.reset_counters()
    try:
        rows = await store.sub_collection(LICENSE, SubCollection.PACKAGE_HISTORY, pkg)
    finally:
        with server.world.lock:
            del lic.history[("packages", pkg)][:300]
            lic.bump()
    assert len(rows) >= 300
    assert server.world.ops.stats()["requests"] >= 30
    assert server.world.ops.stats()["max_in_flight"] <= 3
    await store.aclose()


async def test_a_hostile_total_on_a_short_page_does_not_plan_more_pages(server, make_store):
    """Reconciling reads the matching rows: one short page is all there is, whatever `total` says."""
    from growtui.data.types import WriteStatus
    from growtui.domain.actions import AddNote

    store = await make_store()
    ids = tuple(sorted(world_keys(server, ACTIVE))[60:62])
    server.world.ops.add_fault("504", next=1, method="POST")  # applied, then a gateway page
    outcome = await store.submit(LICENSE, AddNote(ids, (), "bounded reconcile"))
    assert outcome.status is WriteStatus.IN_DOUBT
    server.world.ops.reset_counters()
    server.world.ops.add_fault("huge_total", rate=1.0, path="/v2/packages")
    settled = await store.reconcile(outcome.entry_id)
    assert settled.status is WriteStatus.APPLIED
    assert server.world.ops.stats()["requests"] < 20  # not 2 billion
    await store.aclose()
