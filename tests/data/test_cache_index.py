"""Cache + ListIndex on a real SQLite file (no backend needed)."""

from __future__ import annotations

import json
import stat

import pytest

from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path, safe_name
from growtui.data.columns import COLUMNS, RowMaker, RowReader, row_key
from growtui.data.index import ListIndex
from growtui.domain.collections import Collection, Family

ACTIVE = Collection.parse("packages/active")
INACTIVE = Collection.parse("packages/inactive")


def pkg(i: int, **over):
    row = {
        "id": i,
        "label": f"1A4FF01000000220000{i:05d}",
        "item": {"name": f"Item {i % 7}", "strainName": "Blue Dream" if i % 2 else "OG Kush"},
        "locationName": f"Vault {i % 3}",
        "quantity": float(i % 50) + 0.5,
        "unitOfMeasureAbbreviation": "g",
        "labTestingStateName": "TestPassed",
        "packagedDate": "2026-01-02",
        "lastModified": f"2026-02-{1 + i % 28:02d}T10:00:00.000Z",
    }
    row.update(over)
    return row


@pytest.fixture
def cache(tmp_path):
    c = Cache(cache_path(tmp_path, AccountKey.of("https://api.trackandtrace.tools", "ca.metrc.com", "Grower")), raw_paths)
    yield c
    c.close()


def test_file_is_private_and_named_safely(tmp_path):
    path = cache_path(tmp_path / "cache", AccountKey.of("http://../..", "ca.metrc.com", "../evil user"))
    assert path.parent.parent == tmp_path / "cache"
    assert "/" not in path.name and ".." not in path.name
    c = Cache(path, raw_paths)
    c.store_rows("LIC-1", ACTIVE, [pkg(1)])
    c.close()
    for p in path.parent.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert safe_name("  ") == "_"


def test_rows_unique_per_family_and_move_between_siblings(cache):
    cache.store_rows("LIC-1", ACTIVE, [pkg(i) for i in range(10)], seen=1)
    assert cache.count("LIC-1", ACTIVE) == 10
    # Package 3 shows up finished: it moves, it is not duplicated.
    cache.store_rows("LIC-1", INACTIVE, [pkg(3, isFinished=True, finishedDate="2026-03-01")])
    assert cache.count("LIC-1", ACTIVE) == 9
    assert cache.count("LIC-1", INACTIVE) == 1
    assert cache.locate("LIC-1", Family.PACKAGES, 3) == "packages/inactive"
    # Same ids under another license are other objects.
    cache.store_rows("LIC-2", ACTIVE, [pkg(3)])
    assert cache.count("LIC-1", INACTIVE) == 1 and cache.count("LIC-2", ACTIVE) == 1


def test_remove_unseen_only_drops_rows_a_full_load_missed(cache):
    cache.store_rows("LIC-1", ACTIVE, [pkg(i) for i in range(5)], seen=1)
    cache.store_rows("LIC-1", ACTIVE, [pkg(i) for i in range(3)], seen=2)
    # An incremental write (seen=None) does not count as seen by load 2.
    cache.store_rows("LIC-1", ACTIVE, [pkg(4)])
    assert cache.remove_unseen("LIC-1", ACTIVE, 2) == 2
    assert sorted(ListIndex(ACTIVE, cache.display_rows("LIC-1", ACTIVE), cache.raw).keys) == [0, 1, 2]


def test_float_ids_are_the_same_object(cache):
    cache.store_rows("LIC-1", ACTIVE, [pkg(7)])
    cache.store_rows("LIC-1", ACTIVE, [pkg(7, id=7.0, quantity=1.0)])
    assert cache.count("LIC-1", ACTIVE) == 1
    assert cache.raw("LIC-1", Family.PACKAGES, 7)["quantity"] == 1.0


def test_transfer_rows_keyed_per_delivery():
    outgoing = RowReader(Family.TRANSFERS_OUTGOING, raw_paths(Family.TRANSFERS_OUTGOING))
    packages = RowReader(Family.PACKAGES, raw_paths(Family.PACKAGES))
    assert row_key(outgoing, {"id": 5, "deliveryId": 9.0}) == "5/9"
    assert row_key(packages, {"label": "X"}) == "label:X"
    assert row_key(packages, {}) is None


def test_display_cells_are_precomputed_and_lenient():
    maker = RowMaker(Family.PACKAGES, raw_paths(Family.PACKAGES))
    row = maker.make(pkg(1, quantity="12.50", packagedDate="0001-01-01T00:00:00", item=None,
                         labTestingStateName="TestFailed"))
    cols = [c.name for c in COLUMNS[Family.PACKAGES]]
    cells = dict(zip(cols, row.cells))
    assert cells["quantity"] == 12.5 and cells["packaged"] is None and cells["item"] is None
    assert row.style == "labfail"
    assert row.search == row.search.lower() and "1a4ff" in row.search
    # Markup-looking API text is kept verbatim as data.
    odd = maker.make(pkg(2, locationName="[bold]Vault[/]"))
    assert "[bold]Vault[/]" in odd.cells


def make_index(cache, n=1000):
    cache.store_rows("LIC-1", ACTIVE, [pkg(i) for i in range(n)], seen=1)
    return ListIndex(ACTIVE, cache.display_rows("LIC-1", ACTIVE), lambda k: cache.raw("LIC-1", Family.PACKAGES, k))


def test_index_filter_sort_find(cache):
    idx = make_index(cache)
    assert len(idx) == 1000 and len(idx.view) == 1000
    assert idx.find_label("1a4ff0100000022000000042 ") == idx.position(42)
    assert idx.find_label("nope") is None
    idx.filter("BLUE")
    assert len(idx.view) == 500 and all(idx.row(p)[4] == "Blue Dream" for p in idx.view)
    idx.filter("blue dream vault")  # every word, in any cell: Blue Dream in a Vault
    assert idx.view and all(idx.row(p)[4] == "Blue Dream" and "Vault" in idx.row(p)[5] for p in idx.view)
    idx.filter("blue dream nowhere")
    assert idx.view == []
    idx.filter("vault 1")
    narrowed = list(idx.view)
    idx.filter("vault 1 ")  # trailing space is ignored
    assert idx.view == narrowed
    idx.filter("")
    idx.sort("quantity", descending=True)
    qty = [idx.row(p)[2] for p in idx.view]
    assert qty == sorted(qty, reverse=True)
    idx.filter("og kush")  # the filter keeps the sort order
    qty = [idx.row(p)[2] for p in idx.view]
    assert qty == sorted(qty, reverse=True) and len(qty) == 500
    assert idx.raw(idx.key(idx.view[0]))["id"] == idx.key(idx.view[0])
    with pytest.raises(KeyError):
        idx.sort("nope")


def test_sort_puts_empty_cells_last(cache):
    cache.store_rows("LIC-1", ACTIVE, [pkg(1, locationName=None), pkg(2, locationName="b"),
                                       pkg(3, locationName="A")], seen=1)
    idx = ListIndex(ACTIVE, cache.display_rows("LIC-1", ACTIVE), cache.raw)
    for desc in (False, True):
        idx.sort("location", descending=desc)
        assert idx.key(idx.view[-1]) == 1
    idx.sort("location")
    assert [idx.key(p) for p in idx.view] == [3, 2, 1]


def test_empty_index(cache):
    idx = ListIndex(ACTIVE, cache.display_rows("LIC-1", ACTIVE), cache.raw)
    assert len(idx) == 0 and idx.view == []
    idx.filter("x"); idx.sort("label")
    assert idx.view == []


def test_column_change_recomputes_display(tmp_path, monkeypatch):
    path = cache_path(tmp_path, AccountKey.of("https://api.trackandtrace.tools", "ca.metrc.com", "u"))
    c = Cache(path, raw_paths)
    c.store_rows("LIC-1", ACTIVE, [pkg(1)])
    c._write.execute("UPDATE objects SET search='stale'")
    c._write.execute("UPDATE meta SET value='old' WHERE name='columns'")
    c.close()
    c = Cache(path, raw_paths)
    (search,) = c._read.execute("SELECT search FROM objects").fetchone()
    assert search != "stale" and "1a4ff" in search
    c.close()


def test_values_roundtrip(cache):
    cache.put_value("licenses", [{"licenseNumber": "LIC-1"}])
    assert cache.get_value("licenses") == [{"licenseNumber": "LIC-1"}]
    assert cache.get_value("missing") is None
    assert json.dumps(cache.sync_state("LIC-1", ACTIVE).last_any) == "null"


def test_shared_nested_item_is_stored_once_and_restored(cache):
    item = {"id": 5, "name": "Bud 5", "strainName": "OG Kush", **{f"f{i}": i for i in range(50)}}
    rows = [pkg(i, item=dict(item)) for i in range(3)]
    cache.store_rows("LIC-1", ACTIVE, rows)
    (parts,) = cache._read.execute("SELECT COUNT(*) FROM parts").fetchone()
    assert parts == 1
    for row in rows:
        assert cache.raw("LIC-1", Family.PACKAGES, row["id"]) == row
    # The display cells still come from the nested item.
    idx = ListIndex(ACTIVE, cache.display_rows("LIC-1", ACTIVE), cache.raw)
    assert idx.row(0)[1] == "Bud 5"


from hypothesis import given, settings
from hypothesis import strategies as st

from growtui.data.columns import compile_cells, reference_cells

_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["", "0001-01-01T00:00:00", "2026-03-01T10:20:30.000Z", "12.5", "2026-03-01"]),
)
_value = st.one_of(_scalar, st.lists(_scalar, max_size=2),
                   st.dictionaries(st.sampled_from(["name", "strainName", "id"]), _scalar, max_size=3))


@settings(max_examples=150, deadline=None)
@given(family=st.sampled_from(list(COLUMNS)), data=st.data())
def test_compiled_cells_equal_the_plain_definition(family, data):
    columns, paths = COLUMNS[family], raw_paths(family)
    keys = sorted({paths[c.field].split(".")[0] for c in columns})
    raw = data.draw(st.fixed_dictionaries({}, optional={k: _value for k in keys}))
    assert compile_cells(columns, paths)(raw) == reference_cells(columns, paths, raw)
