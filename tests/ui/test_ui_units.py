"""Textual-free pieces of the UI: host matching, license filter, idle watch, PIN, CSV, row source."""

from __future__ import annotations

import csv

from growtui.data.index import ListIndex
from growtui.domain.collections import Collection, Family
from growtui.ui.kiosk import IdleWatch, pin_matches
from growtui.ui.export import export_path, write_csv
from growtui.ui.screens.license_picker import filter_licenses
from growtui.ui.screens.login import match_states
from growtui.ui.row_source import IndexRowSource

STATES = [
    {"abbreviation": "CA", "name": "California", "hostname": "ca.metrc.com"},
    {"abbreviation": "MI", "name": "Michigan", "hostname": "mi.metrc.com"},
    {"abbreviation": "CO", "name": "Colorado", "hostname": "co.metrc.com"},
]


def test_match_states_by_abbreviation_name_or_host():
    assert [s["abbreviation"] for s in match_states(STATES, "mich")] == ["MI"]
    assert [s["abbreviation"] for s in match_states(STATES, "co")][0] == "CO"  # exact abbreviation first
    assert len(match_states(STATES, "")) == 3
    assert match_states(STATES, "zz") == []


def test_filter_licenses_by_name_or_number():
    lics = [{"licenseNumber": "LIC-1", "licenseName": "North Farm"}, {"licenseNumber": "LIC-2", "licenseName": "South"}]
    assert filter_licenses(lics, "north") == lics[:1]
    assert filter_licenses(lics, "lic-2") == lics[1:]


def test_idle_watch_and_pin():
    now = [1000.0]
    watch = IdleWatch(2, clock=lambda: now[0])
    now[0] += 119
    assert not watch.expired()
    now[0] += 1
    assert watch.expired()
    watch.touch()
    assert not watch.expired()
    assert not IdleWatch(0, clock=lambda: now[0]).enabled
    assert pin_matches(" 4321 ", "4321") and not pin_matches("4321", None) and not pin_matches("1", "4321")


def test_csv_export_defuses_formulas(tmp_path):
    path = export_path("LIC-1", "packages/active", 0, root=tmp_path)
    assert path.parent == tmp_path and "packages-active" in path.name
    count = write_csv(path, ["Tag", "Note"], [["1A4", "=HYPERLINK(1)"], ["1A5", None]])
    assert count == 2
    rows = list(csv.reader(path.open()))
    assert rows == [["Tag", "Note"], ["1A4", "'=HYPERLINK(1)"], ["1A5", ""]]


def _index() -> ListIndex:
    coll = Collection(Family.STRAINS)
    n = len(ListIndex(coll, [], lambda k: None).columns)
    rows = [
        (i, f"TAG{i}", f"tag{i} strain{i % 3}", "onhold" if i == 2 else "", *([f"v{i}"] * n))
        for i in range(5)
    ]
    return ListIndex(coll, rows, lambda k: {"id": k})


def test_row_source_maps_view_positions_and_chosen_columns():
    index = _index()
    names = [c.name for c in index.columns]
    source = IndexRowSource(index, [names[-1]])
    assert list(source.columns) == [index.columns[-1].header]
    assert len(source) == source.total == 5
    source.filter("strain1")
    assert [source.row_id(i) for i in range(len(source))] == [1, 4]
    assert source.position_of(4) == 1 and source.position_of(2) is None
    source.filter("")
    source.sort(0, descending=True)
    assert source.row_id(0) == 4
    assert source.row_style_key(source.position_of(2)) == "onhold"
    assert source.view_rows()[0] == ["v4"]


def test_detail_fields_flatten_nested_data_and_put_values_first():
    from growtui.ui.widgets.detail import ordered_fields, summarize

    raw = {
        "index": "ACTIVE_PACKAGE",
        "note": "",
        "item": {"name": "Gelato [bold]Flower[/]", "category": "Buds"},
        "label": "1A4X",
        "tags": ["a", "b"],
        "sources": [{"id": 1}],
        "quantity": 3.5,
    }
    pairs = ordered_fields(raw)
    # Identity first; markup in API text stays literal text.
    assert pairs[:3] == [("label", "1A4X"), ("item.name", "Gelato [bold]Flower[/]"), ("quantity", "3.5")]
    assert ("tags", "a, b") in pairs and ("sources", '[{"id": 1}]') in pairs
    names = [name for name, _ in pairs]
    assert names.index("note") > names.index("item.category")  # empty values after the filled ones
    assert names[-1] == "index"  # upstream bookkeeping last
    history = {"descriptions": ["Packaged", "Moved"], "userName": "ana", "actualDate": "2026-01-02"}
    assert summarize(history) == "2026-01-02  ana  Packaged; Moved"
    lab = {"testTypeName": "THC", "testResultLevel": 21.5, "testPassed": False}
    assert summarize(lab) == "THC  21.5  FAIL"




async def test_palette_hits_show_license_names_literally():
    from types import SimpleNamespace

    from growtui.ui.commands import GrowCommands

    home = {"licenseNumber": "LIC-1", "licenseName": "Home"}
    odd = {"licenseNumber": "LIC-2", "licenseName": "Farm [bold]X[/] \\[y]"}
    app = SimpleNamespace(
        kiosk_mode=False, session=object(), license=home, licenses=[home, odd],
        open_license=lambda lic: None, action_switch_license=lambda: None, sign_out=lambda: None,
    )
    provider = GrowCommands(SimpleNamespace(app=app, focused=None))
    hits = [hit async for hit in provider.search("farm")]
    assert [h.match_display.plain for h in hits] == ["Switch license: LIC-2 Farm [bold]X[/] \\[y]"]


def test_key_bar_wraps_whole_items_to_the_width():
    from growtui.ui.widgets.keybar import wrap_keys

    items = [("space", "Mark"), ("a", "Mark all"), ("f2", "Scan"), ("1-7", "Lists")]
    assert wrap_keys(items, 80) == [items]
    lines = wrap_keys(items, 22)
    assert lines == [[("space", "Mark"), ("a", "Mark all")], [("f2", "Scan"), ("1-7", "Lists")]]
    assert all(len("  ".join(f"{k} {d}" for k, d in line)) <= 22 for line in lines)
    assert wrap_keys([], 80) == []
