"""The cold-load path: rows kept as the JSON text upstream sent are stored as they came, with the
same display cells and the same raw row read back as rows given as dicts; the writer thread
batches pages. Real SQLite files and the real sandbox over loopback HTTP; no timings."""

from __future__ import annotations

import asyncio
import json

import pytest

from growtui.backends.base import JsonRows
from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path, db_key
from growtui.data.writer import PageWriter
from growtui.domain.collections import Collection

from .conftest import ACTIVE, LICENSE, world_keys

PLANTS = Collection.parse("plants/flowering")


def package(i: int, **over) -> dict:
    row = {
        "id": i,
        "label": f"1A4FF01000000220000{i:05d}",
        "item": {"id": 900 + i % 3, "name": f"Item {i % 3}", "strainName": "Blue Dream", "unit": "g"},
        "locationName": f"Vault {i % 3}",
        "quantity": 1.5 + i,
        "unitOfMeasureAbbreviation": "g",
        "labTestingStateName": "TestPassed",
        "lastModified": "2026-02-01T10:00:00.000Z",
    }
    row.update(over)
    return row


def as_text(rows: list[dict], *, indent: int | None = None) -> JsonRows:
    return JsonRows([json.dumps(r, indent=indent).encode() for r in rows])


def open_cache(tmp_path, name: str) -> Cache:
    return Cache(cache_path(tmp_path / name, AccountKey.of("https://t3.example", "ca.metrc.com", "u")), raw_paths)


def stored(cache: Cache, collection: Collection) -> tuple[list, dict]:
    rows = cache.display_rows(LICENSE, collection)
    return rows, {r[0]: cache.raw(LICENSE, collection.family, r[0]) for r in rows}


ODD_ROWS = [
    package(1),
    package(2),
    # the item's text also sits under "item" inside another object, before the real one
    {"wrapper": {"item": package(3)["item"]}, **package(3)},
    # a longer key ending in \"item" holding the same text
    {'a"item': package(4)["item"], **package(4)},
    package(5, item=None),
    package(6, item="not an object"),
    package(7, item={"name": "no id"}),
    package(2**70, item={"id": 2**65, "name": "huge"}),  # ids past 64 bits, the part's too
    {"label": "", "note": "no id and no label"},  # cannot be keyed: counted
    package(8, quantity="12.5", note="ünïcode ✓"),
]


@pytest.mark.parametrize("indent", [None, 1])
def test_json_text_rows_store_what_dict_rows_store(tmp_path, indent):
    as_dicts, as_json = open_cache(tmp_path, "d"), open_cache(tmp_path, "j")
    try:
        a = as_dicts.store_rows(LICENSE, ACTIVE, ODD_ROWS, seen=1)
        b = as_json.store_rows(LICENSE, ACTIVE, as_text(ODD_ROWS, indent=indent), seen=1)
        assert a == b and b.unkeyed == 1
        assert stored(as_dicts, ACTIVE) == stored(as_json, ACTIVE)
        _, raws = stored(as_json, ACTIVE)
        by_key = {db_key(r["id"]): r for r in ODD_ROWS if "id" in r}  # big ids as their text
        assert raws == by_key  # every row reads back as sent, its item put back
        # shared items are stored once
        (parts,) = as_json._read.execute("SELECT COUNT(*) FROM parts").fetchone()
        assert parts == 4  # items 900, 901, 902 and the huge one
    finally:
        as_dicts.close()
        as_json.close()


# Texts as no json.dumps writes them: the item is cut where the key holds it, wherever the key's
# text occurs first, or the row is stored whole (never a cut at the wrong place).
ITEM = '{"id": 77, "name": "Gelato 1 g", "strainName": "G\\u00e9lato \u2713"}'
SPACED_TEXTS = [
    # whitespace around the colon
    '{"id": 11, "label": "A11", "item" \t:\n ' + ITEM + "}",
    # "item" first as a nested key holding another object, then the top-level one
    '{"id": 12, "label": "A12", "box": {"item": {"id": 1}}, "item":' + ITEM + "}",
    # the same item nested after the top-level one (the cut is checked by decoding it)
    '{"id": 13, "label": "A13", "item":' + ITEM + ', "box": {"item": ' + ITEM + "}}",
    # the key's text inside a string value, and a key ending in \"item"
    '{"id": 14, "label": "A14", "note": "\\"item\\": x", "b\\"item": ' + ITEM + ', "item": ' + ITEM + "}",
    # ids past 64 bits, the item's too
    '{"id": 123456789012345678901234567890, "label": "A15", "item": {"id": -98765432109876543210, "n": 1}}',
]


def test_json_texts_json_dumps_does_not_write_store_what_their_dicts_store(tmp_path):
    as_dicts, as_json = open_cache(tmp_path, "d"), open_cache(tmp_path, "j")
    rows = [json.loads(t) for t in SPACED_TEXTS]
    try:
        a = as_dicts.store_rows(LICENSE, ACTIVE, rows, seen=1)
        b = as_json.store_rows(LICENSE, ACTIVE, JsonRows([t.encode() for t in SPACED_TEXTS]), seen=1)
        assert a == b and b.keys[-1] == "123456789012345678901234567890"
        assert stored(as_dicts, ACTIVE) == stored(as_json, ACTIVE)
        _, raws = stored(as_json, ACTIVE)
        assert list(raws.values()) == rows  # exact ids, unicode, nested items as sent
        texts = [bytes(t) for (t,) in as_json._read.execute("SELECT raw FROM raws ORDER BY rid")]
        assert [b'"$part"' in t for t in texts] == [True] * 5  # each item cut out, none stored whole
    finally:
        as_dicts.close()
        as_json.close()


def test_a_part_rewritten_by_a_later_page_is_what_rows_read(tmp_path):
    cache = open_cache(tmp_path, "c")
    try:
        cache.store_rows(LICENSE, ACTIVE, as_text([package(1)]))
        renamed = package(4, item={**package(1)["item"], "name": "Renamed"})
        cache.store_rows(LICENSE, ACTIVE, as_text([renamed]))
        assert cache.raw(LICENSE, ACTIVE.family, 1)["item"]["name"] == "Renamed"
        assert [r[5] for r in cache.display_rows(LICENSE, ACTIVE)] == ["Item 1", "Renamed"]  # c1: the item
    finally:
        cache.close()


def test_rows_of_a_family_without_parts_keep_their_text(tmp_path):
    cache = open_cache(tmp_path, "c")
    text = b'{"id": 5, "label": "1A4FF0300000022000000005", "strainName": "Gelato", "extra": [1, 2.50, null]}'
    try:
        cache.store_rows(LICENSE, PLANTS, JsonRows([text]))
        (blob,) = cache._read.execute("SELECT raw FROM raws").fetchone()
        assert bytes(blob) == text
        assert cache.raw(LICENSE, PLANTS.family, 5)["extra"] == [1, 2.5, None]
    finally:
        cache.close()


async def test_the_writer_batches_pages_that_queue_up(tmp_path):
    cache = open_cache(tmp_path, "c")
    writer = PageWriter(cache)
    pages = [as_text([package(p * 100 + i) for i in range(50)]) for p in range(12)]
    try:
        results = await asyncio.gather(*(writer.store(LICENSE, ACTIVE, rows, 7) for rows in pages))
        assert [len(r.keys) for r in results] == [50] * 12
        assert cache.count_seen(LICENSE, ACTIVE, 7) == 600
        assert 1 <= writer.batches < 12  # pages queued while one was written went in together
    finally:
        cache.close()


async def test_a_held_writer_leaves_the_cpu_to_the_ui_between_rows_then_goes_on(tmp_path):
    """The UI holds the writer on a key or a click: the thread waits out the hold between rows
    (checked every PAUSE_EVERY rows) and stores every row after it. A fake clock: no timings."""
    from growtui.data.cache import PAUSE_EVERY

    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # the writer's wait, as the clock sees it
        slept.append(seconds)
        now[0] += seconds

    cache = open_cache(tmp_path, "c")
    writer = PageWriter(cache, clock=lambda: now[0], sleep=sleep)
    try:
        writer.hold(0.15)
        page = await writer.store(LICENSE, ACTIVE, as_text([package(i) for i in range(3 * PAUSE_EVERY)]), 7)
        assert slept == [pytest.approx(0.15)]  # one wait, until the hold ran out
        assert len(page.keys) == 3 * PAUSE_EVERY and cache.count_seen(LICENSE, ACTIVE, 7) == 3 * PAUSE_EVERY
        writer.hold(0.05)
        writer.hold(0.01)  # a shorter hold never cuts a longer one
        await writer.store(LICENSE, ACTIVE, as_text([package(1000)]), 7)
        assert slept[1:] == [pytest.approx(0.05)]
        await writer.store(LICENSE, ACTIVE, as_text([package(1001)]), 7)  # not held: no wait
        assert len(slept) == 2
    finally:
        cache.close()


async def test_a_page_the_writer_cannot_store_fails_only_its_own_sync(tmp_path):
    cache = open_cache(tmp_path, "c")
    writer = PageWriter(cache)
    try:
        with pytest.raises(AttributeError):
            await writer.store(LICENSE, ACTIVE, [object()], None)  # not a row at all
        page = await writer.store(LICENSE, ACTIVE, as_text([package(1)]), None)
        assert page.keys == [1]
    finally:
        cache.close()


async def test_a_load_keeps_the_pages_as_sent(make_store, server):
    """Through the T3 backend: pages arrive as JsonRows and the cache holds exactly upstream's
    rows, each as the sandbox sent it."""
    store = await make_store()
    page = await store.backend.fetch_page(LICENSE, ACTIVE, 1, 50)
    assert isinstance(page.rows, JsonRows) and page.rows == [json.loads(t) for t in page.rows.raw]
    await store.refresh(LICENSE, ACTIVE, full=True)
    keys = [r[0] for r in store.cache.display_rows(LICENSE, ACTIVE)]
    assert set(keys) == world_keys(server, ACTIVE)

    def sent(row: dict) -> dict:  # the time the sandbox stamps on each answer differs
        return {k: v for k, v in row.items() if k != "retrievedAt"}

    for text in page.rows.raw:
        row = json.loads(text)
        assert sent(store.cache.raw(LICENSE, ACTIVE.family, row["id"])) == sent(row)
