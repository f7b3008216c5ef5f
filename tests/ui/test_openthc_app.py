"""``growtui --system openthc`` in training, through the real app: the login screen renders
OpenTHC's form (engine, company, license, service and license keys), a refused license key is said
in place, and a demo sign-in shows the sandbox's plants, lots (packages), products (items), varieties
(strains) and incoming B2B transfers."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from growtui.config import Settings
from growtui.domain.collections import Collection, Family
from growtui.ui.app import create_app
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import FIXED_NOW, settle, wait_for

GROWER = "010PENTHC0SANDB0XL1CENSE0G"
PLANTS, PACKAGES = Collection(Family.PLANTS, "vegetative"), Collection(Family.PACKAGES, "active")


def openthc_app():
    return create_app(Settings(system="openthc"), clock=lambda: FIXED_NOW, contain_errors=False)


def world_of(app):
    return app.backend.client.http._transport.app.state.world  # the in-process sandbox


def live(rows: dict) -> list[dict]:
    return [r for r in rows.values() if r.get("stat", 200) == 200 and not r.get("destroyed_at")]


async def pick_demo(pilot) -> LoginScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    demo = screen.query_one("#demo-users", OptionList)
    demo.focus()
    demo.highlighted = 0
    await pilot.press("enter")
    return screen


async def signed_in_main(pilot) -> MainScreen:
    """Pick the first demo company (Sandbox Grow Co, its cultivation license) and sign in."""
    app = pilot.app
    await pick_demo(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    return app.screen


async def test_sign_in_form_and_a_refused_license_key():
    app = openthc_app()
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await pick_demo(pilot)
        assert {"company", "license", "service-key", "license-key"} <= {i.id for i in screen.query(Input)}
        assert all(screen.query_one(f"#{n}", Input).password for n in ("service-key", "license-key"))
        assert screen.hostname == "openthc" and screen.query_one("#license", Input).value == GROWER
        screen.query_one("#license-key", Input).value = "not-the-license-key"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Invalid License Key" in str(screen.query_one("#login-error", Static).render())
        assert screen.query_one("#license-key", Input).value == ""


async def test_demo_sign_in_shows_plants_lots_and_varieties():
    app = openthc_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main = await signed_in_main(pilot)
        lic = world_of(app).licenses[GROWER]
        assert [s.title for s in main.sections] == ["Plants", "Packages", "Items", "Strains", "Transfers"]
        b2b = world_of(app).b2b.values()
        want = {Family.PLANTS: len(live(lic.plants)), Family.PACKAGES: len(live(lic.inventory)),
                Family.STRAINS: len(live(lic.varieties)), Family.ITEMS: len(live(lic.products)),
                Family.TRANSFERS_INCOMING: len([t for t in b2b if t["_target"] == GROWER])}
        for key in ("1", "4", "5", "6", "7"):
            main.record_list.focus()
            await pilot.press(key)
            count = want[main.collection.family]
            await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == count,
                           f"{count} rows of {main.collection}")
        main.record_list.focus()
        await pilot.press("4")
        await wait_for(pilot, lambda: main.collection == PACKAGES and main.source is not None
                       and len(main.source.index) == want[Family.PACKAGES], "the lots")
        await pilot.press("d")
        await settle(pilot)
        room_names = {s["name"] for s in lic.sections.values()}
        assert any(name in main.detail.text for name in room_names)


async def test_the_engine_list_is_openthc_s_even_after_a_t3_training_session():
    """Every training sandbox has the same address: T3's state list kept by an earlier T3
    session must not be offered as OpenTHC's engines (it was: Metrc states under "Engine")."""
    app = openthc_app()
    t3_states = [{"abbreviation": "CA", "name": "California", "hostname": "ca.metrc.com"}]
    app.ui_state.set_states("t3", app.backend.base_url, t3_states)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        hosts = {s["hostname"] for s in screen.states}
        assert "openthc" in hosts and "ca.metrc.com" not in hosts
        # Each demo account is named, with its engine (it read only "(2 licenses)").
        first = str(screen.query_one("#demo-users", OptionList).get_option_at_index(0).prompt)
        assert first.startswith("Sandbox Grow Co  openthc"), first
        # OpenTHC has no one-time codes: no key offers to make one.
        assert not screen.check_action("demo_otp", ())
