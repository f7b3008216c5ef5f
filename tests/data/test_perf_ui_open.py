"""Opening a big list with its first rows (Cache.display_window, ListIndex.opening, DataStore.open_list
with ``first``): the partial index answers exactly what the whole one does, and once filled it is the
whole one. Real SQLite files, rows from the T3 mapping."""

from __future__ import annotations

import pytest

from growtui.data.index import ListIndex
from growtui.domain.collections import Collection, Family
from tests.data.test_cache_index import cache as empty_cache  # noqa: F401  (a fixture)
from tests.data.test_cache_index import pkg

ACTIVE = Collection.parse("packages/active")
INACTIVE = Collection.parse("packages/inactive")
LIC = "LIC-1"
N = 1000


@pytest.fixture
def cache(empty_cache):
    # Two lists interleaved in one table, so a list's rowids have gaps (as siblings have).
    for start in range(0, N, 100):
        empty_cache.store_rows(LIC, ACTIVE, [pkg(i, isOnHold=i % 10 == 4) for i in range(start, start + 100)])
        empty_cache.store_rows(LIC, INACTIVE, [pkg(10_000 + i, isFinished=True) for i in range(start, start + 10)])
    return empty_cache


def loader(cache):
    return lambda key: cache.raw(LIC, Family.PACKAGES, key)


def whole(cache) -> ListIndex:
    return ListIndex(ACTIVE, cache.display_rows(LIC, ACTIVE), loader(cache))


def opening(cache, head=50, samples=20):
    reads = []

    def read_all():
        reads.append(1)
        return cache.display_rows(LIC, ACTIVE, apart=True)

    window = cache.display_window(LIC, ACTIVE, head, samples)
    return ListIndex.opening(ACTIVE, window.count, window.head, window.sample, read_all, loader(cache)), reads


def test_window_holds_the_head_and_a_sample_spread_over_the_list(cache):
    rows = cache.display_rows(LIC, ACTIVE)
    window = cache.display_window(LIC, ACTIVE, 30, 20)
    assert window.count == len(rows) == N
    assert window.head == rows[:30]
    at = [rows.index(r) for r in window.sample]  # every sampled row is one of the list's rows
    assert at == sorted(at) and len(set(at)) == len(at)
    # The rowids have gaps (INACTIVE is interleaved): about 20 rows, from the top to the bottom.
    assert 15 <= len(at) <= 25 and at[0] < N // 10 and at[-1] > N - N // 10
    assert cache.display_rows(LIC, ACTIVE, apart=True) == rows
    whole_list = cache.display_window(LIC, ACTIVE, 30, N - 30)  # short enough: read whole
    assert whole_list.head == rows and whole_list.sample == []
    empty = cache.display_window(LIC, Collection.parse("plants/vegetative"), 30, 20)
    assert empty.count == 0 and empty.head == [] and empty.sample == []


def test_partial_index_shows_its_rows_without_reading_the_rest(cache):
    full = whole(cache)
    index, reads = opening(cache)
    assert not index.complete and len(index) == len(full) == N
    assert len(index.view) == N
    for pos in (0, 1, 49):  # head rows
        assert index.row(pos) == full.row(pos)
        assert (index.key(pos), index.label(pos), index.style(pos)) == (full.key(pos), full.label(pos), full.style(pos))
    assert index.position(full.key(7)) == 7  # a row already read
    assert index.find_label(full.label(3).lower()) == 3
    assert reads == []


@pytest.mark.parametrize("ask", [
    lambda ix: ix.row(777),
    lambda ix: ix.key(777),
    lambda ix: ix.position(777),
    lambda ix: ix.find_label(pkg(777)["label"]),
    lambda ix: ix.filter("runtz"),
    lambda ix: ix.sort("quantity"),
    lambda ix: ix.keys,
])
def test_anything_beyond_the_read_rows_fills_the_index_first(cache, ask):
    full = whole(cache)
    index, reads = opening(cache)
    ask(index)
    ask(full)
    assert reads == [1] and index.complete
    assert index.view == full.view
    assert index.keys == full.keys and index.labels == full.labels
    assert [index.row(p) for p in range(N)] == [full.row(p) for p in range(N)]


def test_a_label_among_the_first_rows_is_found_without_reading_the_rest(cache):
    cache.store_rows(LIC, ACTIVE, [pkg(3, label="DUPLICATE-TAG"), pkg(620, label="DUPLICATE-TAG")])
    full = whole(cache)
    index, reads = opening(cache)
    assert index.find_label("duplicate-tag") == full.find_label("duplicate-tag") == 3
    assert reads == []


def test_widths_are_measured_on_the_same_rows_before_and_after_the_rest_is_read(cache):
    index, reads = opening(cache)
    before = list(index.width_rows())
    assert reads == [] and len(before) > 50  # the 50 head rows and the sample
    index.fill()
    assert list(index.width_rows()) == before
    index.filter("vault 1")  # a filter narrows the view: measured on what it shows
    assert list(index.width_rows()) == [index.row(p) for p in index.view]


def test_filled_index_equals_the_whole_one(cache):
    full = whole(cache)
    index, reads = opening(cache)
    index.fill()
    index.fill()
    assert reads == [1]
    for ix in (index, full):
        ix.filter("vault 1")
        ix.sort("strain", descending=True)
    assert index.view == full.view and len(index) == len(full)
    assert index.find_label(full.label(999)) == 999


def test_rows_written_after_the_window_show_once_filled(cache):
    index, _ = opening(cache)
    cache.store_rows(LIC, ACTIVE, [pkg(N + i) for i in range(5)])
    index.fill()
    assert len(index) == N + 5 and index.view == list(range(N + 5))
    assert index.position(N + 4) == N + 4


def test_equal_texts_are_read_as_one_object_and_numbers_keep_their_type(cache):
    cache.store_rows(LIC, ACTIVE, [pkg(1, quantity=1), pkg(2, quantity=1.0)])
    for rows in (cache.display_rows(LIC, ACTIVE), cache.display_rows(LIC, ACTIVE, apart=True)):
        one, two = rows[1], rows[2]
        unit, qty = 4 + 3, 4 + 2  # Unit and Qty cells of a package row
        assert one[unit] == "g" and one[unit] is two[unit]
        assert one[4] is one[1]  # the tag cell is the label
        assert type(one[qty]) is int and type(two[qty]) is float
