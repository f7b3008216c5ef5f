"""A full load plus one incremental refresh equals the server's set, whatever changes mid-load and
whatever the local clock says (issue 15, defects 3 and 4)."""

from __future__ import annotations

from growtui.data.types import SyncProgress
from growtui.sandbox.t3.ops import skew_clock

from .conftest import ACTIVE, LICENSE, world_keys
from .test_sync import cached_keys, unfinish


async def test_rows_leaving_mid_load_do_not_hide_the_rows_behind_them(server, make_store):
    """60 packages finish after page ~3 of 9: the rows behind them shift into pages already read."""
    store = await make_store(concurrency=1)
    before = world_keys(server, ACTIVE)
    armed = []

    def leave_after_two_pages(p: SyncProgress) -> None:
        if p.pages_done == 2 and not armed:
            armed.append(server.world.ops.add_fault("leave", next=1, path="/v2/packages/active", count=60))

    try:
        await store.refresh(LICENSE, ACTIVE, progress=leave_after_two_pages)
        assert server.world.ops.stats()["faults_served"].get("leave") == 1
        gone = before - world_keys(server, ACTIVE)
        assert len(gone) == 60
        await store.refresh(LICENSE, ACTIVE)  # one incremental refresh
        assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
        assert not gone & cached_keys(store, ACTIVE)
    finally:
        unfinish(server, before - world_keys(server, ACTIVE))
    await store.aclose()


async def test_refresh_uses_the_server_clock_not_the_local_one(server, make_store):
    """The kiosk's clock is 10 minutes ahead of the server's: a refresh still finds all 50 changes."""
    skew_clock(server.world, -600)
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    changed = sorted(world_keys(server, ACTIVE))[:50]
    lic = server.world.licenses[LICENSE]
    with server.world.lock:
        for i in changed:
            lic.packages[i]["note"] = "seen by the server clock"
            lic.touch(lic.packages[i])
    result = await store.refresh(LICENSE, ACTIVE)
    assert result.incremental
    idx = store.open_list(LICENSE, ACTIVE)
    assert sum(idx.raw(i)["note"] == "seen by the server clock" for i in changed) == 50
    await store.aclose()
