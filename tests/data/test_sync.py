"""Full loads and incremental refreshes against the real sandbox over HTTP."""

from __future__ import annotations

import pytest

from growtui.backends.base import ReauthRequired
from growtui.data.types import SyncProgress
from growtui.domain.collections import Collection

from .conftest import ACTIVE, CREDS, INACTIVE, LICENSE, world_keys


def cached_keys(store, collection: Collection) -> set:
    return set(store.open_list(LICENSE, collection).keys)


async def test_full_load_is_exact_and_reports_progress(server, make_store):
    store = await make_store()
    seen: list[SyncProgress] = []
    result = await store.refresh(LICENSE, ACTIVE, progress=seen.append)
    expected = world_keys(server, ACTIVE)
    assert result.total == len(expected) == result.cached
    assert cached_keys(store, ACTIVE) == expected
    pages = -(-len(expected) // 50)
    # One request per page, one catch-up request per sibling list and one count probe.
    assert result.requests == pages + len(ACTIVE.siblings) + 1
    assert result.passes == 1
    assert seen[-1].pages_done == seen[-1].pages_total
    assert seen[-1].rows_done == seen[-1].rows_total == len(expected)
    assert store.cache_age(LICENSE, ACTIVE) < 5
    assert store.cache_age(LICENSE, INACTIVE) is None
    await store.aclose()


@pytest.mark.parametrize(
    "fault, count",
    [("500", 4), ("503", 4), ("504", 3), ("reset", 3)],
)
async def test_full_load_exact_under_faults(server, make_store, fault, count):
    store = await make_store()
    server.world.ops.add_fault(fault, next=count, path="/v2/packages/active")
    result = await store.refresh(LICENSE, ACTIVE, full=True)
    assert server.world.ops.stats()["faults_served"].get(fault) == count
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    assert result.cached == len(world_keys(server, ACTIVE))
    await store.aclose()


async def test_full_load_exact_under_429s(server, make_store):
    store = await make_store(concurrency=8)
    server.world.ops.set_rate_limit(4, 0.5)  # someone else is using the user's budget
    await store.refresh(LICENSE, ACTIVE, full=True)
    assert server.world.ops.stats()["rate_limited"] > 0
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    await store.aclose()


async def test_token_expiry_mid_load_propagates_then_resumes(server, make_store):
    store = await make_store(concurrency=2)
    armed = []

    def expire_after_three_pages(p: SyncProgress) -> None:
        if p.pages_done >= 3 and not armed:
            armed.append(server.world.ops.add_fault("expire_tokens", next=1))

    # Pages are counted once written, and fetching runs ahead of writing: the latency keeps the
    # load's next requests behind the third page's commit, so the fault lands mid-load.
    server.world.ops.set_latency(200)
    with pytest.raises(ReauthRequired):
        await store.refresh(LICENSE, ACTIVE, progress=expire_after_three_pages)
    server.world.ops.set_latency(0)
    partial = len(store.open_list(LICENSE, ACTIVE))
    assert 0 < partial < len(world_keys(server, ACTIVE))
    assert store.cache_age(LICENSE, ACTIVE) is None  # not complete yet
    await store.login(CREDS)  # the UI asks for the password again
    result = await store.refresh(LICENSE, ACTIVE)
    pages = -(-len(world_keys(server, ACTIVE)) // 50)
    # resumed: the stored pages were not fetched again (a whole load is pages + catch-up + probe)
    assert result.requests < pages + len(ACTIVE.siblings) + 1
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    await store.aclose()


def finish(server, ids):
    lic = server.world.licenses[LICENSE]
    with server.world.lock:
        for i in ids:
            pkg = lic.packages[i]
            pkg["isFinished"] = True
            pkg["finishedDate"] = "2026-03-01T10:00:00.000Z"
            lic.touch(pkg)


def unfinish(server, ids):
    lic = server.world.licenses[LICENSE]
    with server.world.lock:
        for i in ids:
            pkg = lic.packages[i]
            pkg["isFinished"] = False
            pkg["finishedDate"] = None
            lic.touch(pkg)


async def test_incremental_picks_up_changes_and_moves(server, make_store):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    await store.refresh(LICENSE, INACTIVE)
    moved = sorted(world_keys(server, ACTIVE))[:3]
    noted = sorted(world_keys(server, ACTIVE))[3:10]
    lic = server.world.licenses[LICENSE]
    try:
        finish(server, moved)
        with server.world.lock:
            for i in noted:
                lic.packages[i]["note"] = "trimmed again"
                lic.touch(lic.packages[i])
        result = await store.refresh(LICENSE, ACTIVE)
        assert result.incremental
        assert result.requests <= 2 * len(ACTIVE.siblings)
        assert result.requests == len(ACTIVE.siblings)  # 10 changes: one page per sibling
        active, inactive = cached_keys(store, ACTIVE), cached_keys(store, INACTIVE)
        assert active == world_keys(server, ACTIVE) and inactive == world_keys(server, INACTIVE)
        assert set(moved) <= inactive and not set(moved) & active
        idx = store.open_list(LICENSE, ACTIVE)
        assert idx.raw(noted[0])["note"] == "trimmed again"
        # The other loaded sibling was refreshed by the same requests.
        assert store.cache_age(LICENSE, INACTIVE) < 5
    finally:
        unfinish(server, moved)
    await store.aclose()


async def test_full_reload_removes_rows_gone_upstream(server, make_store):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    gone = sorted(world_keys(server, ACTIVE))[-2:]
    try:
        finish(server, gone)  # they leave active; inactive is not loaded, so only a full load notices
        await store.refresh(LICENSE, ACTIVE, full=True)
        assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
        assert not set(gone) & cached_keys(store, ACTIVE)
    finally:
        unfinish(server, gone)
    await store.aclose()


async def test_licenses_are_cached_for_offline_use(server, make_store):
    store = await make_store()
    online = await store.licenses()
    assert LICENSE in [lic.number for lic in online]
    server.world.ops.add_fault("503", next=50, path="/v2/licenses")
    offline = await store.licenses()
    assert [lic.number for lic in offline] == [lic.number for lic in online]
    await store.aclose()


async def test_sub_collection_reads_all_pages(server, make_store):
    from growtui.domain.collections import SubCollection

    store = await make_store(page_size=2)
    pkg_id = sorted(world_keys(server, ACTIVE))[0]
    rows = await store.sub_collection(LICENSE, SubCollection.PACKAGE_HISTORY, pkg_id)
    assert len(rows) >= 1
    await store.aclose()


async def test_incremental_with_more_changes_than_a_page(server, make_store):
    store = await make_store(page_size=20)
    await store.refresh(LICENSE, ACTIVE)
    changed = sorted(world_keys(server, ACTIVE))[:45]
    lic = server.world.licenses[LICENSE]
    with server.world.lock:
        for i in changed:
            lic.packages[i]["note"] = "bulk change"
            lic.touch(lic.packages[i])
    result = await store.refresh(LICENSE, ACTIVE)
    # 45 changed rows at 20 per page: 3 pages for active, 1 for each other sibling.
    assert result.requests == 3 + len(ACTIVE.siblings) - 1
    idx = store.open_list(LICENSE, ACTIVE)
    assert all(idx.raw(i)["note"] == "bulk change" for i in changed)
    await store.aclose()


async def test_model_maps_a_cached_row_to_the_domain(server, make_store):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    key = sorted(world_keys(server, ACTIVE))[0]
    model = store.model(LICENSE, ACTIVE, key)
    assert model is not None and model.raw["id"] == key
    assert model.raw["item"]["name"]  # the nested item was put back together
    assert store.model(LICENSE, ACTIVE, -1) is None
    await store.aclose()
