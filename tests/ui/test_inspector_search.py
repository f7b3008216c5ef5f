"""The record inspector (`J`), the raw JSON export (`E`) and deep search (`?`) in the real app on
the T3 sandbox: what they show is the cached upstream JSON, and a hit opens its row in its list."""

from __future__ import annotations

import json

from growtui.config import Settings
from growtui.domain.collections import Collection, Family
from growtui.sandbox.t3.runner import build_app
from growtui.ui.modals.deep_search import DeepSearchModal
from growtui.ui.modals.inspector import InspectorModal
from growtui.ui.wiring import sandbox_config
from tests.ui.conftest import SMALL, app_on, open_main, settle, wait_for

ACTIVE = Collection(Family.PACKAGES, "active")
HOSTILE = "\x1b]0;pwned\x07[b]wet[/b] \u202eevil"


def _sandbox():
    return build_app(sandbox_config(Settings(sandbox_packages=SMALL)))


async def _packages(pilot):
    main = await open_main(pilot)
    main.show_collection(ACTIVE)
    await settle(pilot)
    return main


async def test_j_shows_the_cached_json_and_finds_inside_it():
    sandbox = _sandbox()
    app = app_on(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        lic = sandbox.state.world.licenses[main.license_number]
        for pkg in lic.packages.values():
            lic.touch(pkg).update(note=HOSTILE)
        main.show_collection(ACTIVE)  # first opened now: loaded from the changed sandbox
        await settle(pilot)
        key = main.record_list.cursor_id
        cached = app.store.cache.raw(main.license_number, Family.PACKAGES, key)  # read from SQLite
        await pilot.press("J")
        await wait_for(pilot, lambda: isinstance(app.screen, InspectorModal), "the inspector")
        modal = app.screen
        # what is shown parses back to the cached object; only the bidi override is dropped
        # (control characters stay as JSON escapes, harmless text)
        assert cached["note"] == HOSTILE
        assert json.loads(modal.text) == json.loads(json.dumps(cached).replace("\\u202e", ""))
        assert modal.lines[:3] == json.dumps(cached, indent=2, ensure_ascii=False).splitlines()[:3]
        assert cached["label"] in modal.title_text
        shown = str(modal.query_one("#json").render())
        assert "[b]wet[/b]" in modal.text and not any(c in modal.text for c in "\x1b\x07\u202e")
        assert "\x1b" not in shown
        await pilot.press(*"name")  # every name, nested ones too, in any case
        expected = modal.text.casefold().count("name")
        assert expected >= 3 and len(modal.matches) == expected
        assert f"1 of {expected} matches" in str(modal.query_one("#count").render())
        await pilot.press("enter")  # next hit, and into the JSON, where n/N step
        assert modal.current == 1 and not modal.query_one("#find").has_focus
        await pilot.press("n")
        assert modal.current == 2
        assert f"3 of {expected} matches" in str(modal.query_one("#count").render())
        await pilot.press("N", "N", "N")
        assert modal.current == expected - 1  # wraps round
        assert modal.current_line == modal.text.count("\n", 0, modal.matches[-1])
        scroll = modal.query_one("#scroll")
        assert scroll.scroll_y > 0  # the last match is further down than the first screen
        assert scroll.scroll_y <= modal.current_line < scroll.scroll_y + scroll.size.height
        await pilot.press("enter")
        assert modal.current == 0
        await pilot.press("ctrl+r")
        assert modal.current == expected - 1
        await pilot.press("x")  # typing in the JSON goes on in the find field
        assert modal.query_one("#find").has_focus and modal.query_one("#find").value == "namex"
        assert modal.matches == [] and "no match" in str(modal.query_one("#count").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main, "the inspector to close")


async def test_e_exports_the_raw_rows_of_the_filtered_view():
    app = app_on(_sandbox())
    async with app.run_test(size=(80, 24)) as pilot:
        main = await _packages(pilot)
        total = len(main.source)
        first_tag = main.source.index.label(main.source.index.view[0])
        main.record_list.apply_filter(first_tag[-4:])
        keys = main.source.view_keys()
        assert 0 < len(keys) < total
        await pilot.press("E")
        await wait_for(pilot, lambda: main.last_export is not None, "the export")
        exported = json.loads(main.last_export.read_text())
        cache = app.store.cache  # the rows as stored in SQLite, in the list's order
        assert exported == [cache.raw(main.license_number, Family.PACKAGES, k) for k in keys]
        assert "item" in exported[0] and isinstance(exported[0]["item"], dict)  # nested, as upstream sent it
        assert main.last_export.suffix == ".json" and main.last_export.stat().st_mode & 0o777 == 0o600
        assert main.last_export.parent.stat().st_mode & 0o777 == 0o700


async def test_question_mark_finds_a_nested_value_in_another_list_and_opens_its_row():
    sandbox = _sandbox()
    app = app_on(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        lic = sandbox.state.world.licenses[main.license_number]
        target = next(iter(lic.packages.values()))
        lic.touch(target).update(note="Seal broken near the Zx9 vault door")
        for state in ACTIVE.siblings:  # first opened now: loaded from the changed sandbox
            main.show_collection(state)
            await settle(pilot)
        where = app.store.cache.locate(main.license_number, Family.PACKAGES, target["id"])
        main.show_collection(Collection(Family.ITEMS))  # somewhere else
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, DeepSearchModal), "deep search")
        modal = app.screen
        modal.query_one("#query").value = "zx9 SEAL"
        await wait_for(pilot, lambda: modal.searched == "zx9 SEAL", "the hits")
        assert [(h.collection, h.key) for h in modal.hits] == [(where, target["id"])]
        options = modal.query_one("#hits")
        assert "Packages" in str(options.get_option_at_index(0).prompt)
        shown = options.get_option_at_index(1).prompt
        marked = {shown.plain[span.start:span.end] for span in shown.spans if span.style == "reverse"}
        assert marked == {"zx9", "seal"}  # each word searched, marked where it matched
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is main, "the modal to close")
        assert main.collection == Collection.parse(where) and main.record_list.cursor_id == target["id"]


async def test_enter_before_the_hits_arrive_opens_the_first_hit():
    app = app_on(_sandbox())
    async with app.run_test(size=(80, 24)) as pilot:
        main = await _packages(pilot)
        key = main.source.row_id(3)
        tag = main.source.index.raw(key)["label"]
        main.show_collection(Collection(Family.ITEMS))
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, DeepSearchModal), "deep search")
        app.screen.query_one("#query").value = tag.lower()
        await pilot.press("enter")  # a scanner's CR, before the debounce has run a search
        await wait_for(pilot, lambda: app.screen is main, "the hit to open")
        assert main.collection == ACTIVE and main.record_list.cursor_id == key
