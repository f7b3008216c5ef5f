"""Package writes end to end: main screen → form → confirmation (dry run) → sandbox state."""

from __future__ import annotations

from decimal import Decimal

from textual import events
from textual.widgets import Input, Select

from growtui.backends.base import Capability
from growtui.data.types import WriteStatus
from growtui.domain.collections import Collection, Family
from growtui.ui.modals.confirm import SCAN_REJECTED, ConfirmModal, Verdict
from growtui.ui.modals.message import MessageModal
from growtui.ui.modals.forms.create_package import CreatePackageForm
from growtui.ui.write_commands import palette_commands
from growtui.ui.modals.forms.packages import AddNoteForm, UnfinishForm

from .conftest import confirm, make_rig, open_list, settle, wait_for, wait_verdict


async def note_form_on_first_rows(pilot, rows: int = 2) -> tuple[AddNoteForm, list[int]]:
    main = await open_list(pilot, "4")
    await pilot.press(*["space"] * rows)  # mark rows (the cursor moves down after each mark)
    marked = sorted(main.record_list.marks)
    await pilot.press("n")
    form = pilot.app.screen
    assert isinstance(form, AddNoteForm)
    return form, marked


async def test_note_on_marked_packages_lands_upstream_and_is_journaled():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        form, marked = await note_form_on_first_rows(pilot)
        await pilot.press("ctrl+s")  # empty note: refused in place, nothing sent
        assert "Write a note." in form.query_one("#field-note").error
        assert not isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press(*"moved", "space", *"to", "space", *"vault")
        assert form.query_one("#field-note").error == ""
        await pilot.press("enter")  # Enter (or a scanner's CR) never sends
        await settle(pilot)
        assert pilot.app.screen is form
        await pilot.press("ctrl+s")
        modal = await wait_verdict(pilot)
        assert modal._summary == "Add note to 2 packages"
        assert modal.query_one("#confirm").disabled is False
        await confirm(pilot)
        assert not isinstance(pilot.app.screen, (ConfirmModal, AddNoteForm))
        entry = rig.app.store.journal.entries()[0]
    assert {pid: rig.lic.packages[pid].get("note") for pid in marked} == {pid: "moved to vault" for pid in marked}
    assert entry.kind == "AddNote" and entry.status is WriteStatus.SENT


async def test_writes_are_offered_per_list_and_backend_capability():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")
        titles = [title for title, _, _ in palette_commands(main)]
        assert "Add a note to the selected packages" in titles and "Create a strain" not in titles
        backend = rig.app.backend
        backend.capabilities = frozenset(backend.capabilities - {Capability.PACKAGE_NOTE})
        main.refresh_bindings()
        await pilot.press("n")
        assert pilot.app.screen is main  # not offered: nothing opens
        assert "Add a note to the selected packages" not in [t for t, _, _ in palette_commands(main)]


async def test_invalid_request_cannot_be_confirmed_and_enter_or_a_scan_never_confirms():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        form, marked = await note_form_on_first_rows(pilot, rows=1)
        await pilot.press(*"hello")
        rig.lic.packages[marked[0]]["isFinished"] = True  # upstream changed meanwhile
        rig.lic.bump()
        await pilot.press("ctrl+s")
        modal = await wait_verdict(pilot)
        assert modal.verdict is Verdict.INVALID
        await pilot.press("y")
        await wait_for(pilot, lambda: "Cannot confirm" in modal.notice, "the refusal")
        assert pilot.app.screen is modal
        # Valid again upstream, so only the keys stand between the dialog and a write.
        rig.lic.packages[marked[0]]["isFinished"] = False
        rig.lic.bump()
        modal.set_verdict(Verdict.VALID)
        await pilot.press("enter")
        assert pilot.app.screen is modal and "Enter does not confirm" in modal.notice
        for ch in "1A4FF0100000000000000009y\r":  # a scanner burst, "y" and CR included
            pilot.app.post_message(events.Key("enter" if ch == "\r" else ch, ch))
        # rejected, and no confirmation pending from the "y" inside the burst
        await wait_for(pilot, lambda: modal.notice == SCAN_REJECTED and modal._pending is None, "the rejection")
        assert pilot.app.screen is modal
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is form  # cancelled: back in the form, text kept
        assert form.query_one("#note", Input).value == "hello"
        assert rig.app.store.journal.entries() == []  # nothing was sent
    assert rig.lic.packages[marked[0]].get("note") in (None, "")


async def test_upstream_rejection_keeps_the_form_and_what_was_typed():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        form, marked = await note_form_on_first_rows(pilot, rows=1)
        await pilot.press(*"recount")
        await pilot.press("ctrl+s")
        modal = await wait_verdict(pilot)
        assert modal.verdict is Verdict.VALID
        rig.lic.packages[marked[0]]["isFinished"] = True  # changes between dry run and send
        rig.lic.bump()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MessageModal), "the rejection message")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is form
        assert form.query_one("#note", Input).value == "recount"
        entry = rig.app.store.journal.entries()[0]
    assert entry.status is WriteStatus.REJECTED and "inactive" in entry.message


async def test_unfinish_a_finished_package():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4", state_steps=2)
        assert main.collection == Collection(Family.PACKAGES, "inactive")
        finished = next(p["id"] for p in rig.lic.packages.values()
                        if p.get("isFinished") and not p.get("isInTransit") and not p.get("isArchived"))
        assert main.record_list.move_to_id(finished)
        await pilot.press("f")
        assert isinstance(pilot.app.screen, UnfinishForm)
        await pilot.press("ctrl+s")
        await confirm(pilot)
    assert rig.lic.packages[finished]["isFinished"] is False


async def test_create_package_from_a_source_takes_the_quantity_from_it():
    rig = make_rig()
    usable = [p for p in rig.lic.packages.values()
              if not p.get("isFinished") and not p.get("isOnHold") and not p.get("isInTransit")
              and p["unitOfMeasureAbbreviation"] == "g" and p["quantity"] > 20]
    source, second = usable[0], usable[1]
    second_before = Decimal(str(second["quantity"]))
    before = Decimal(str(source["quantity"]))
    async with rig.app.run_test(size=(80, 24)) as pilot:
        main = await open_list(pilot, "4")
        assert main.record_list.move_to_id(source["id"])
        await pilot.press("p")
        form = pilot.app.screen
        assert isinstance(form, CreatePackageForm)
        await settle(pilot)
        tag = form.query_one("#tag", Input).value
        assert tag  # the first available tag from the create inputs
        here = next(loc["id"] for loc in rig.lic.locations.values() if loc["name"] == source["locationName"])
        assert form.query_one("#location", Select).value == here  # made where its source is
        vault = next(loc["id"] for loc in rig.lic.locations.values() if loc["name"] == "Vault")
        form.query_one("#location", Select).value = vault
        form.query_one("#quantity", Input).value = "5"
        qty = form.query_one("#ing-0-qty", Input)
        qty.value = f"{before + 1}"  # more than the source holds: refused next to the field
        await pilot.pause()
        assert "holds only" in form.query_one("#field-ingredients").error
        qty.value = "0.005 kg"  # converted: 5 g
        await pilot.pause()
        assert form.query_one("#field-ingredients").error == ""
        # A second source by scanning its tag; all of it is used and it is finished.
        add = form.query_one("#add-source")
        add.focus()
        add.value = second["label"]
        await pilot.press("enter")
        await settle(pilot)
        assert [s.package.label for s in form.sources] == [source["label"], second["label"]]
        form.sources[1].qty.value = f"{second['quantity']} g"
        form.sources[1].finish.value = True
        form.query_one("#quantity", Input).value = f"{Decimal(str(second['quantity'])) + 5}"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await confirm(pilot)
        assert main.source.index.raw(main.record_list.cursor_id)["label"] == tag  # highlighted
    created = [p for p in rig.lic.packages.values() if p["label"] == tag]
    assert len(created) == 1
    assert Decimal(str(created[0]["quantity"])) == second_before + 5
    assert Decimal(str(source["quantity"])) == before - 5
    assert second["quantity"] == 0 and second["isFinished"] is True
