"""The transfer builder end to end against the sandbox: pickers, scans, send, draft survival."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Select

from growtui.sandbox.t3.transfer_writes import transferable_packages
from growtui.ui.modals.confirm import ConfirmModal
from growtui.ui.widgets import picker as picker_module
from growtui.ui.widgets.picker import PickerField
from growtui.ui.screens.main import MainScreen
from growtui.ui.screens.transfer_builder import TransferBuilderScreen

from .conftest import Rig, confirm, make_rig, open_list, settle, wait_for


@pytest.fixture(autouse=True)
def quick_search(monkeypatch):
    monkeypatch.setattr(picker_module, "SEARCH_DELAY", 0.02)  # the pause before searching


async def pick(pilot, picker_id: str, text: str) -> None:
    screen = pilot.app.screen
    picker = screen.query_one(f"#{picker_id}", PickerField)
    picker.input.focus()
    await pilot.press(*text)
    # the search waits for typing to pause, then fills the options
    await wait_for(pilot, lambda: picker.options.option_count > 0, f"{picker_id} options")
    await pilot.press("down", "enter")
    await pilot.pause()
    assert picker.chosen is not None, f"nothing picked in {picker_id}"


async def scan(pilot, tag: str) -> None:
    """A scan: the tag lands in the scan field, then the scanner's CR (typing 24 keys through
    Pilot one by one is slow; ScanInput's burst handling has its own tests)."""
    field = pilot.app.screen.query_one("#scan")
    field.focus()
    field.value = tag
    await pilot.press("enter")
    await settle(pilot, 2)


async def fill_trip(pilot, rig: Rig, type_name: str = "Transfer") -> TransferBuilderScreen:
    builder = pilot.app.screen
    assert isinstance(builder, TransferBuilderScreen)
    await settle(pilot)
    ttype = next(t for t in rig.lic.transfer_types.values() if t["name"] == type_name)
    builder.query_one("#transfer_type", Select).value = ttype["id"]
    builder.query_one("#driver", Select).value = next(iter(rig.lic.drivers))
    builder.query_one("#vehicle", Select).value = next(iter(rig.lic.vehicles))
    await pilot.pause()
    await pick(pilot, "recipient", "Bay")
    await pick(pilot, "transporter", "a")
    builder.query_one("#planned_route", Input).value = "I-80"
    builder.query_one("#phone_number", Input).value = "916-555-0100"
    await pilot.pause()
    return builder


def manifests_with(rig: Rig, tags: list[str]) -> dict[str, list[str]]:
    """manifest number -> tags on it, for every outgoing delivery holding one of ``tags``."""
    out: dict[str, list[str]] = {}
    for delivery_id, rows in rig.lic.delivery_packages.items():
        labels = [r.get("packageLabel") or r.get("label") for r in rows]
        if set(labels) & set(tags):
            out.setdefault(rig.lic.outgoing[delivery_id]["manifestNumber"], []).extend(labels)
    return out


async def test_transfer_built_by_scanning_is_created_upstream_and_opened():
    rig = make_rig()
    eligible = [p["label"] for p in transferable_packages(rig.lic)][:2]
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")
        await pilot.press("t")
        builder = await fill_trip(pilot, rig)
        draft_key = builder.draft_key
        for tag in eligible:
            await scan(pilot, tag)
        await scan(pilot, eligible[0])  # a duplicate is refused
        assert "already on this transfer" in builder.scan_notice
        assert [ln.label for ln in builder.draft.dest.lines] == eligible
        assert builder.query_one("#tb-totals").render().plain.startswith("This destination: 2 packages")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not builder.errors, builder.errors
        await confirm(pilot)
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        # The new manifest was found by re-query and opened in outgoing transfers.
        manifest = rig.app.store.journal.entries()[0].details["manifest_numbers"][0]
        assert main.collection is not None and main.collection.key == "transfers/outgoing/active"
        assert main.detail_visible
        row = main.source.index.raw(main.record_list.cursor_id)
        assert row["manifestNumber"] == manifest
    assert manifests_with(rig, eligible) == {manifest: eligible}
    by_label = {p["label"]: p for p in rig.lic.packages.values()}
    assert all(by_label[tag]["isInTransit"] for tag in eligible)
    # Sent: the local draft is gone.
    assert builder.drafts.load(draft_key) is None


async def test_unknown_and_ineligible_tags_are_refused_with_a_reason():
    rig = make_rig()
    eligible, burst_a, burst_b = (p["label"] for p in transferable_packages(rig.lic)[:3])
    on_hold = next(p["label"] for p in rig.lic.packages.values() if p.get("isOnHold"))
    finished = next(p["label"] for p in rig.lic.packages.values() if p.get("isFinished"))
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        await settle(pilot)
        builder = pilot.app.screen
        await scan(pilot, "1A4FF0100000000000999999")
        assert "not a package of this license" in builder.scan_notice
        await scan(pilot, on_hold)
        assert "on hold" in builder.scan_notice
        await scan(pilot, finished)
        assert "finished" in builder.scan_notice
        await scan(pilot, "NOTATAG")
        assert builder.scan_notice.startswith("NOTATAG:")
        assert builder.draft.dest.lines == []
        # Picking from the eligible-packages route adds a line; Del on the table removes it.
        await pick(pilot, "pick-package", eligible[-4:])
        await settle(pilot)
        assert [ln.label for ln in builder.draft.dest.lines] == [eligible]
        builder.query_one("#lines").focus()
        await pilot.press("delete")
        assert builder.draft.dest.lines == []
        # Two scans arriving as one burst (as over SSH): both tags land whole, in order.
        builder.query_one("#scan").focus()
        for ch in f"{burst_a}\r{burst_b}\r":
            pilot.app.post_message(events.Key("enter" if ch == "\r" else ch, ch))
        await wait_for(pilot, lambda: len(builder.draft.dest.lines) == 2, "both scans")
        assert sorted(ln.label for ln in builder.draft.dest.lines) == sorted([burst_a, burst_b])


async def test_draft_survives_a_restart_and_wholesale_needs_prices():
    first = make_rig()
    eligible = [p["label"] for p in transferable_packages(first.lic)][:3]
    async with first.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        builder = await fill_trip(pilot, first, "Wholesale Manifest")
        assert builder.query_one("#field-line_price").display  # Wholesale: price per line
        await scan(pilot, eligible[0])
        await pilot.press("ctrl+n")  # a second destination on the same manifest
        await pick(pilot, "recipient", "a")
        await scan(pilot, eligible[1])
        # the draft is written shortly after the last change
        await wait_for(pilot, lambda: builder._save_timer is None, "the draft to be saved")
    # A new app instance (the same user's data dir): the draft comes back as it was.
    second = make_rig()
    async with second.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        await settle(pilot)
        builder = pilot.app.screen
        assert isinstance(builder, TransferBuilderScreen)
        assert len(builder.draft.destinations) == 2
        assert [ln.label for d in builder.draft.destinations for ln in d.lines] == eligible[:2]
        assert builder.query_one("#planned_route", Input).value == "I-80"
        # Wholesale without prices cannot be sent: the form says so next to the lines.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("wholesale price" in e.message for e in builder.errors)
        assert not isinstance(pilot.app.screen, ConfirmModal)
        # Price the line of this destination, and the first one's.
        table = builder.query_one("#lines")
        table.focus()
        builder.query_one("#line_price", Input).value = "100"
        await pilot.pause()
        await pilot.press("ctrl+left")
        builder.query_one("#line_price", Input).value = "80.50"
        await pilot.pause()
        assert not [e for e in builder.revalidate() if "price" in e.message]
        # Save it as a template (through the same confirmation and dry run).
        builder.query_one("#template_name", Input).value = "Weekly run"
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot)
        await confirm(pilot)
        assert pilot.app.screen is builder  # still open: the transfer itself is not sent yet
    templates = [t for t in second.lic.transfer_templates.values() if t.get("name") == "Weekly run"]
    assert len(templates) == 1


async def test_a_transfer_sent_in_doubt_keeps_its_draft_until_the_outbox_settles_it():
    rig = make_rig()
    tag = transferable_packages(rig.lic)[0]["label"]
    rig.world.ops.add_fault("504", next=1, method="POST", path="/v2/transfers/create")
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        await fill_trip(pilot, rig)
        await scan(pilot, tag)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot)
        await pilot.press("escape")  # the "answer was lost" message
        await settle(pilot)
        await pilot.press("t")  # the draft is back, flagged: Ctrl+S warns before a second send
        await settle(pilot)
        builder = pilot.app.screen
        assert isinstance(builder, TransferBuilderScreen) and builder.in_doubt()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is builder
        await pilot.press("escape", "w", "r")  # the Outbox re-reads upstream: it was applied
        await settle(pilot)
        await pilot.press("escape", "t")
        await settle(pilot)
        builder = pilot.app.screen
        assert builder.draft.is_empty()  # cleared, since the transfer exists
    assert len(manifests_with(rig, [tag])) == 1


async def test_a_departure_in_the_past_is_refused_before_sending():
    rig = make_rig()
    tag = transferable_packages(rig.lic)[0]["label"]
    sent_before = len(rig.lic.outgoing)
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        builder = await fill_trip(pilot, rig)
        await scan(pilot, tag)
        builder.query_one("#departure", Input).value = "2020-01-06 08:00"
        builder.query_one("#arrival", Input).value = "2020-01-06 10:00"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is builder and not isinstance(pilot.app.screen, ConfirmModal)
        assert any("2020-01-06 08:00 is in the past" in e.message for e in builder.errors)
        assert len(rig.lic.outgoing) == sent_before


async def test_a_later_good_scan_never_hides_why_earlier_ones_were_refused():
    rig = make_rig()
    eligible = transferable_packages(rig.lic)[0]["label"]
    on_hold = next(p["label"] for p in rig.lic.packages.values() if p.get("isOnHold"))
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        await settle(pilot)
        builder = pilot.app.screen
        await scan(pilot, on_hold)
        await scan(pilot, eligible)
        await wait_for(pilot, lambda: len(builder.draft.dest.lines) == 1, "the good scan")
        shown = str(builder.query_one("#scan-notice").render())
        assert f"Added {eligible}." in shown
        assert "Not added (1):" in shown and on_hold in shown and "on hold" in shown
