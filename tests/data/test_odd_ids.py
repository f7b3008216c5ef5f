"""Ids as upstream gives them: an id past 64 bits is cached (as its text) and a row with nothing to
key it by is counted and logged, never dropped silently (issue 15, defect 7)."""

from __future__ import annotations

import logging

from .conftest import ACTIVE, LICENSE, world_keys

HUGE = 2**63 + 5


async def test_ids_past_64_bits_and_rows_without_an_id(server, make_store, caplog):
    lic = server.world.licenses[LICENSE]
    huge, nameless, labelled = sorted(world_keys(server, ACTIVE))[:3]
    saved = {i: dict(lic.packages[i]) for i in (huge, nameless, labelled)}
    with server.world.lock:
        lic.packages[huge]["id"] = HUGE
        lic.packages[nameless].update(id=None, label=None)
        lic.packages[labelled]["id"] = None  # still keyed by its tag label
        lic.bump()
    store = await make_store()
    try:
        with caplog.at_level(logging.WARNING, logger="growtui.data.sync"):
            result = await store.refresh(LICENSE, ACTIVE)
        assert result.unkeyed == 1
        assert result.cached == result.total - 1  # every row but the one with nothing to key it by
        assert any("1 row(s) with no id and no label" in r.getMessage() for r in caplog.records)
        keys = set(store.open_list(LICENSE, ACTIVE).keys)
        assert str(HUGE) in keys
        assert f"label:{saved[labelled]['label']}" in keys
        assert store.model(LICENSE, ACTIVE, HUGE).raw["id"] == HUGE  # the raw JSON keeps the number
        assert store.cache.locate(LICENSE, ACTIVE.family, HUGE) == ACTIVE.key
    finally:
        with server.world.lock:
            for i, obj in saved.items():
                lic.packages[i].clear()
                lic.packages[i].update(obj)
            lic.bump()
        await store.aclose()
