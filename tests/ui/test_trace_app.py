"""``growtui --system trace`` in training, through the real app: the login screen renders Trace's
form (state, name, license, API key, token), a refused token is said in place, navigation offers
only the strains list (no empty screens for lists Trace lacks), the detail pane shows a strain's
state history, and create, update and deactivate go through the confirmation dialog into the
sandbox's state, with Trace's warnings shown to the user."""

from __future__ import annotations

import base64

from textual.widgets import Input, OptionList, Static

from growtui.config import Settings
from growtui.data.types import WriteStatus
from growtui.domain.collections import Collection, Family
from growtui.sandbox.trace.store import current_state
from growtui.ui.app import create_app
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.modals.forms.catalog import CreateStrainForm, DiscontinueStrainForm
from growtui.ui.modals.forms.declared import DeclaredForm
from growtui.ui.modals.message import MessageModal
from growtui.ui.modals.reauth import ReauthModal
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import FIXED_NOW, settle, wait_for

MAIN = "402R-00517"
STRAINS = Collection(Family.STRAINS)


def trace_app():
    return create_app(Settings(system="trace"), clock=lambda: FIXED_NOW, contain_errors=False)


def world_of(app):
    return app.backend.client.http._transport.app.state.world  # the in-process sandbox


def active(app) -> list[dict]:
    return [s for s in world_of(app).licenses[MAIN].strains.values() if current_state(s) == "active"]


async def signed_in_main(pilot) -> MainScreen:
    """Pick the first demo user (grower.co) on the real login screen and sign in."""
    app = pilot.app
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LoginScreen)
    demo = screen.query_one("#demo-users", OptionList)
    demo.focus()
    demo.highlighted = 0
    await pilot.press("enter")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    main = app.screen
    count = len(active(app))
    await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == count, f"{count} strains")
    return main


async def confirm(pilot, app) -> ConfirmModal:
    await pilot.press("ctrl+s")
    await settle(pilot)
    modal = app.screen
    assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID, getattr(modal, "verdict", modal)
    await pilot.press("y")
    return modal


async def test_sign_in_form_refusal_and_only_the_strains_list():
    app = trace_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert {"username", "license_number", "x-api-key", "token"} <= {i.id for i in screen.query(Input)}
        assert all(screen.query_one(f"#{n}", Input).password for n in ("x-api-key", "token"))

        # The grower's demo entry fills the form; a token Trace does not know is refused in place.
        demo = screen.query_one("#demo-users", OptionList)
        assert "grower.co" in str(demo.get_option_at_index(0).prompt)
        demo.focus()
        demo.highlighted = 0
        await pilot.press("enter")
        assert screen.hostname == "co" and screen.query_one("#license_number", Input).value == MAIN
        screen.query_one("#token", Input).value = base64.b64encode(b"sandbox-vendor-key:nobody").decode()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "refused the API key or token" in str(screen.query_one("#login-error", Static).render())
        assert screen.query_one("#token", Input).value == ""

    app = trace_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main = await signed_in_main(pilot)
        # Trace offers strains only: the other lists are not in the navigation at all.
        assert [s.title for s in main.sections] == ["Strains"] and main.collection == STRAINS
        bar = str(main.query_one("#sections", Static).render())
        assert "Strains" in bar and not any(t in bar for t in ("Plants", "Packages", "Transfers", "Items"))
        main.record_list.focus()
        await pilot.press("4", "1", "7")
        await settle(pilot)
        assert main.collection == STRAINS and app.screen is main

        # The detail pane: the strain's fields, then its state history from Trace.
        await pilot.press("d")
        await wait_for(pilot, lambda: "State history (" in main.detail.text, "the state history")
        first = active(app)[0]
        assert first["name"] in main.detail.text and "Strain created" in main.detail.text


async def test_create_update_and_deactivate_reach_the_sandbox():
    app = trace_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main = await signed_in_main(pilot)
        strains = world_of(app).licenses[MAIN].strains

        # Create, through the strain form and the confirmation (Trace has no dry run).
        main.record_list.focus()
        await pilot.press("plus")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateStrainForm)
        for field, value in (("name", "Floor Test Kush"), ("thc_level", "22.5"), ("cbd_level", "0.3"),
                             ("indica_percentage", "70"), ("sativa_percentage", "30")):
            form.query_one(f"#{field}", Input).value = value
        modal = await confirm(pilot, app)
        assert modal._payload["POST"] == "/co/v1/config/strains" and modal._payload["body"]["license_number"] == MAIN
        await wait_for(pilot, lambda: any(s["name"] == "Floor Test Kush" for s in strains.values()), "the new strain")
        made = next(s for s in strains.values() if s["name"] == "Floor Test Kush")
        assert made["cannabinoids"] == {"cbd_percent": 0.3, "thc_percent": 22.5}
        assert made["contents"] == {"indica_percent": 70, "sativa_percent": 30}
        await settle(pilot)

        # Update the strain under the cursor: one percentage only, so Trace warns (not 100).
        target = main.record_list.cursor_id
        main.record_list.focus()
        await pilot.press("equals_sign")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeclaredForm) and form.SPEC.kind == "UpdateStrain"
        form.query_one("#indica_percentage", Input).value = "85"
        await confirm(pilot, app)
        await wait_for(pilot, lambda: strains[target]["contents"]["indica_percent"] == 85, "the new indica %")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageModal), "the warning")
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "warnings from upstream" in shown and "not 100" in shown
        await pilot.press("escape")
        await settle(pilot)

        # A state change with its reason: recorded with who and why; the strain leaves the list.
        main.record_list.move_to_id(target)
        main.record_list.focus()
        await pilot.press("equals_sign")
        await settle(pilot)
        form = app.screen
        form.query_one("#state", Input).value = "inactive"
        form.query_one("#reason", Input).value = "Mother plants retired"
        await confirm(pilot, app)
        await wait_for(pilot, lambda: current_state(strains[target]) == "inactive", "the inactive state")
        entry = strains[target]["entity_state"][-1]
        assert entry["reason"] == "Mother plants retired" and entry["actioned_by"] == "grower.co"
        await wait_for(pilot, lambda: main.source is not None and main.source.index.position(target) is None,
                       "the inactive strain gone from the list")

        # Deactivate the strain under the cursor (x): Trace marks it deleted.
        await settle(pilot)
        victim = main.record_list.cursor_id
        assert victim is not None and victim != target
        main.record_list.focus()
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, DiscontinueStrainForm)
        modal = await confirm(pilot, app)
        assert "DELETE" in modal._payload
        await wait_for(pilot, lambda: current_state(strains[victim]) == "deleted", "the deactivated strain")
        kinds = {e.kind: e.status for e in app.store.journal.entries(license=MAIN)}
        assert kinds == {"CreateStrain": WriteStatus.SENT, "UpdateStrain": WriteStatus.SENT,
                         "DiscontinueStrain": WriteStatus.SENT}


async def test_a_refused_token_asks_for_the_key_and_token_again_and_carries_on():
    app = trace_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main = await signed_in_main(pilot)
        account = world_of(app).accounts["grower.co"]
        account.user_key = "grower-co-new-user-key"  # Trace issued a new token; the old one is refused
        main.record_list.focus()
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ReauthModal), "the sign-in prompt")
        modal = app.screen
        asked = {i.id for i in modal.query(Input)}
        assert asked == {"reauth-x-api-key", "reauth-token"}  # state, name and license are reused
        modal.query_one("#reauth-x-api-key", Input).value = account.api_key
        modal.query_one("#reauth-token", Input).value = base64.b64encode(
            f"{account.vendor_key}:{account.user_key}".encode()).decode()
        modal.query_one("#reauth-token", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main, "the main screen again")
        await wait_for(pilot, lambda: main.collection not in main.refreshing, "the retried refresh")
        assert len(main.source.index) == len(active(app))
