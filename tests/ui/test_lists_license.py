"""A license shows the lists it can have (issue 16): a distributor opens on Packages, not on an
empty Plants list, and lists it cannot have are hidden. T3 says so through the license's
permission views, Metrc through its facility's FacilityType. When the lookup fails every list
shows and nothing alarming is said: the floor is never held up by it."""

from __future__ import annotations

import httpx

from growtui.backends.base import Credentials
from growtui.backends.http import RetryPolicy
from growtui.backends.t3.backend import T3Backend
from growtui.config import Settings
from growtui.domain.collections import Collection, Family
from growtui.sandbox.metrc.seed import DISPENSARY, MAIN, SANDBOX_HOST, USERS, VENDOR_KEY
from growtui.sandbox.t3.runner import SandboxConfig, build_app
from growtui.ui.app import create_app
from growtui.ui.common import license_number
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import FIXED_NOW, SMALL, app_on, make_app, open_main, settle, wait_for

DISTRIBUTOR = "C11-0000456-LIC"
GROW_FAMILIES = {Family.PLANTS, Family.PLANT_BATCHES, Family.HARVESTS}


def families_offered(main: MainScreen) -> set[Family]:
    return {c.family for s in main.sections for c in s.collections}


async def open_license(pilot, number: str) -> MainScreen:
    app = pilot.app
    app.open_license(next(lic for lic in app.licenses if license_number(lic) == number))
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.license_number == number
                   and app.screen.collection is not None, f"license {number} open")
    await settle(pilot)
    return app.screen


async def test_a_distributor_license_opens_on_packages_with_no_plant_lists():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        grower = await open_main(pilot)  # the cultivation license: everything, Plants first
        assert grower.collection.family is Family.PLANTS
        assert GROW_FAMILIES <= families_offered(grower)

        main = await open_license(pilot, DISTRIBUTOR)
        assert main.collection == Collection(Family.PACKAGES, "active")
        assert not GROW_FAMILIES & families_offered(main)
        bar = str(main.query_one("#sections").render())
        assert "Packages" in bar and "Plants" not in bar and "Harvests" not in bar and "Batches" not in bar
        assert "Opening" not in main.status.plain
        await pilot.press("1")  # the Plants key opens nothing here, and says why
        await settle(pilot)
        assert main.collection.family is Family.PACKAGES
        assert "This license has no Plants list." in main.status.plain


async def test_when_the_lookup_fails_every_list_shows_and_nothing_alarming_is_said():
    sandbox = build_app(SandboxConfig(packages=SMALL, faults="503:x50~/v2/permissions/views"))
    backend = T3Backend(base_url="http://sandbox", transport=httpx.ASGITransport(app=sandbox),
                        retry=RetryPolicy(max_attempts=1))
    app = create_app(Settings(sandbox_packages=SMALL), backend=backend, clock=lambda: FIXED_NOW,
                     contain_errors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        main = await open_license(pilot, DISTRIBUTOR)
        assert main.collection.family is Family.PLANTS  # all lists, the first one open
        assert GROW_FAMILIES <= families_offered(main)
        assert "503" not in main.status.plain and "Opening" not in main.status.plain
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_what_a_license_was_said_to_have_opens_at_once_next_time_even_if_the_lookup_fails():
    sandbox = build_app(SandboxConfig(packages=SMALL))
    app = app_on(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        await open_license(pilot, DISTRIBUTOR)
        grower = license_number(app.licenses[0])
        await open_license(pilot, grower)
        sandbox.state.world.ops.add_fault("503", next=50, path="/v2/permissions/views")
        main = await open_license(pilot, DISTRIBUTOR)  # remembered: Packages, no plant lists
        assert main.collection == Collection(Family.PACKAGES, "active")
        assert not GROW_FAMILIES & families_offered(main)
        assert sandbox.state.world.ops.faults_served  # the lookup did fail this time


async def test_a_metrc_store_opens_on_packages_and_a_cultivation_on_plants():
    app = create_app(Settings(sandbox_packages=40, system="metrc"), clock=lambda: FIXED_NOW, contain_errors=False)
    budtender = next(key for key, (_, specs, _) in USERS.items() if specs == (DISPENSARY,))
    grower = next(key for key, (_, specs, _) in USERS.items() if MAIN in specs)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 1)
        for key, number, family in ((budtender, DISPENSARY.number, Family.PACKAGES),
                                    (grower, MAIN.number, Family.PLANTS)):
            app.session = await app.store.login(Credentials(hostname=SANDBOX_HOST, vendorKey=VENDOR_KEY, userKey=key))
            app.licenses = await app.store.licenses()
            main = await open_license(pilot, number)
            assert main.collection.family is family
            assert bool(GROW_FAMILIES & families_offered(main)) == (family is Family.PLANTS)
