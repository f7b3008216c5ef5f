"""Transfers warn before they hurt (issue 16): the phone number for questions is checked, and
packages not passed testing going to a retailer are warned about in the builder and in the
confirmation (no reference documents a state's rule for that), while failed ones are refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from growtui.domain.actions import CreateTransfer, TransferDestination, TransferPackage, TransferTransporter, TransporterDetail
from growtui.domain.models import TransferType
from growtui.sandbox.t3.transfer_writes import transferable_packages
from growtui.ui.modals.confirm import ConfirmModal
from growtui.ui.widgets import picker as picker_module
from tests.ui.actions.conftest import make_rig, open_list, wait_verdict
from tests.ui.actions.test_transfer_builder import fill_trip, scan
from tests.ui.conftest import settle, wait_for


@pytest.fixture(autouse=True)
def quick_search(monkeypatch):
    monkeypatch.setattr(picker_module, "SEARCH_DELAY", 0.02)


def phone_error(builder) -> str:
    return builder.query_one("#field-phone_number").error


async def test_the_phone_number_for_questions_is_checked():
    rig = make_rig()
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        builder = await fill_trip(pilot, rig)
        await pilot.press("ctrl+s")  # every problem shows from here on
        await settle(pilot)
        for typed, problem in (("555-0100", "at least 10 digits"), ("call the office", "is not a phone number"),
                               ("916-555-0100 x12", ""), ("+1 (916) 555-0100", "")):
            builder.query_one("#phone_number", Input).value = typed
            await settle(pilot, 1)
            assert (problem in phone_error(builder)) if problem else phone_error(builder) == "", (typed, phone_error(builder))


async def test_untested_packages_to_a_retailer_are_warned_about_before_sending():
    rig = make_rig()
    ready = transferable_packages(rig.lic)
    untested = next(p["label"] for p in ready if p.get("labTestingStateName") == "NotSubmitted")
    passed = next(p["label"] for p in ready if p.get("labTestingStateName") == "TestPassed")
    async with rig.app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, "4")
        await pilot.press("t")
        builder = await fill_trip(pilot, rig)  # to Bay Area Wellness Dispensary, a Retailer
        assert builder.draft.dest.recipient["facility_type"] == "Retailer"
        await scan(pilot, passed)
        assert "Warning" not in str(builder.query_one("#tb-errors").render())
        await scan(pilot, untested)
        shown = str(builder.query_one("#tb-errors").render())
        assert f"Warning: {untested} has not passed lab testing (NotSubmitted)" in shown
        assert passed not in shown
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "the confirmation")
        modal = await wait_verdict(pilot)
        assert any(untested in line and "Warning" in line for line in modal._details)  # a warning, not a refusal
        assert not builder.errors


def test_a_package_that_failed_testing_is_refused_for_a_retailer_only():
    moment = datetime(2026, 12, 4, 9, 0)

    def transfer(facility_type: str, lab: str) -> CreateTransfer:
        detail = TransporterDetail("Ann", "OL-1", "DL-1", "Ford", "Transit", "7ABC123")
        return CreateTransfer((TransferDestination(
            1, "Shop", TransferType(2, "Transfer"), "I-80", moment, moment.replace(hour=11),
            (TransferPackage(9, "1A4FF0100000000000000009", lab_testing_state=lab),),
            (TransferTransporter(3, "Haulers", "916-555-0100", (detail,)),),
            recipient_facility_type=facility_type,
        ),))

    refused = [e for e in transfer("Retailer", "TestFailed").validate() if "failed lab testing" in e.message]
    assert refused and refused[0].path.endswith("lab_testing_state")
    assert not [e for e in transfer("Distributor", "TestFailed").validate() if "lab testing" in e.message]
    assert not transfer("Retailer", "TestPassed").validate() and not transfer("Retailer", "NotSubmitted").validate()
    assert transfer("Retailer", "NotSubmitted").destinations[0].warnings()
