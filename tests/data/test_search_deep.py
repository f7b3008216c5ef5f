"""Deep search over a real cache file: nested values and shared parts found, every word must match,
rewritten and removed rows never answer with old text, other licenses never answer."""

from __future__ import annotations

import pytest

from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path
from growtui.data.search import MAX_TEXT, DeepSearch, line_of
from growtui.domain.collections import Collection, Family

ACTIVE = Collection(Family.PACKAGES, "active")
ON_HOLD = Collection(Family.PACKAGES, "onhold")
PLANTS = Collection(Family.PLANTS, "flowering")


def package(i: int, *, note: str = "", location: str = "Vault", strain: str = "Gelato") -> dict:
    return {
        "id": i, "label": f"1A4FF01000000220000{i:05d}", "quantity": 10.5 + i, "note": note,
        "location": {"name": location}, "item": {"id": len(strain), "name": f"{strain} Flower", "strainName": strain},
        "labResults": [{"testTypeName": "THC", "testResultLevel": 21.7}], "isOnHold": False,
    }


@pytest.fixture
def cache(tmp_path):
    c = Cache(cache_path(tmp_path, AccountKey.of("https://api.example", "ca.metrc.com", "grower")), raw_paths)
    yield c
    c.close()


@pytest.fixture
def deep(cache):
    d = DeepSearch(cache.path)
    yield d
    d.close()


def found(deep, text, license="LIC-1"):
    deep.catch_up()
    hits, _ = deep.search(license, text)
    return {(h.collection, h.key) for h in hits}


def test_nested_values_and_shared_parts_are_searched(cache, deep):
    cache.store_rows("LIC-1", ACTIVE, [package(1), package(2, strain="Blue Dream")])
    assert found(deep, "blue dream") == {("packages/active", 2)}  # from the item stored once as a part
    assert found(deep, "21.7") == {("packages/active", 1), ("packages/active", 2)}  # inside a list
    assert found(deep, "VAULT gelato") == {("packages/active", 1)}  # any case, every word
    assert found(deep, "gelato nowhere") == set()
    assert found(deep, "label") == set()  # keys are not values
    cache.store_rows("LIC-1", ACTIVE, [package(3, note="100% dry, lot_7")])
    assert found(deep, "100%") == {("packages/active", 3)}  # % and _ are text, not wildcards
    assert found(deep, "t_7") == {("packages/active", 3)} and found(deep, "o_") == set()


def test_hits_name_their_collection_and_label(cache, deep):
    cache.store_rows("LIC-1", ACTIVE, [package(1)])
    cache.store_rows("LIC-1", ON_HOLD, [package(2, note="damp corner")])
    cache.store_rows("LIC-1", PLANTS, [{"id": 9, "label": "1A4FF03000000220000000009", "strainName": "Gelato"}])
    deep.catch_up()
    hits, more = deep.search("LIC-1", "gelato")
    assert [h.collection for h in hits] == ["packages/active", "packages/onhold", "plants/flowering"] and not more
    assert hits[2].label == "1A4FF03000000220000000009" and "gelato" in hits[2].context


def test_rewritten_and_removed_rows_answer_with_their_new_text(cache, deep):
    cache.store_rows("LIC-1", ACTIVE, [package(1, note="wet"), package(2, note="wet")])
    assert found(deep, "wet") == {("packages/active", 1), ("packages/active", 2)}
    cache.store_rows("LIC-1", ACTIVE, [package(1, note="dry")], seen=5)
    assert found(deep, "wet") == {("packages/active", 2)}
    assert found(deep, "dry") == {("packages/active", 1)}
    cache.remove_unseen("LIC-1", ACTIVE, seen=5)  # row 2 gone upstream
    assert found(deep, "wet") == set()
    cache.store_rows("LIC-1", ACTIVE, [package(2, note="back again")])  # the same key, re-added
    assert found(deep, "back again") == {("packages/active", 2)} and found(deep, "wet") == set()


def test_rows_written_by_another_process_are_found(cache, deep, tmp_path):
    deep.catch_up()
    other = Cache(cache.path, raw_paths)  # a second growtui on the same account
    other.store_rows("LIC-1", ACTIVE, [package(3, note="from the other window")])
    other.close()
    assert found(deep, "other window") == {("packages/active", 3)}


def test_other_licenses_never_answer(cache, deep):
    cache.store_rows("LIC-2", ACTIVE, [package(1)])
    assert found(deep, "gelato") == set()
    assert found(deep, "gelato", license="LIC-2") == {("packages/active", 1)}


def test_answers_are_bounded(cache, deep):
    cache.store_rows("LIC-1", ACTIVE, [package(i) for i in range(1, 31)])
    deep.catch_up()
    hits, more = deep.search("LIC-1", "gelato", limit=10)
    assert len(hits) == 10 and more
    assert len(line_of({"note": "x" * (MAX_TEXT * 2)})) == MAX_TEXT
