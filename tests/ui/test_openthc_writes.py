"""OpenTHC writes through the real app (training sandbox) and the same confirmation flow as every
other system: adjust a lot (a), move it to a room (m, the marked lot), collect raw weight from plants (C); each
asserted in the sandbox's state."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from growtui.ui.modals.confirm import ConfirmModal
from growtui.ui.modals.forms.declared import DeclaredForm
from tests.ui.conftest import settle, wait_for
from tests.ui.test_trace_app import confirm as send_confirmed  # Ctrl+S, a valid confirmation, y
from tests.ui.test_openthc_app import GROWER, PACKAGES, PLANTS, live, openthc_app, signed_in_main, world_of


async def open_list(pilot, main, key, collection, rows):
    # a write's confirmation may still be closing: a key pressed before would go to it
    await wait_for(pilot, lambda: pilot.app.screen is main, "the main screen again")
    main.record_list.focus()
    await pilot.press(key)
    await wait_for(pilot, lambda: main.collection == collection and main.source is not None
                   and len(main.source.index) == len(live(rows)), f"the list {collection}")
    await settle(pilot)


async def form_for(pilot, app, key, kind) -> DeclaredForm:
    await wait_for(pilot, lambda: hasattr(app.screen, "record_list"), "the main screen again")
    app.screen.record_list.focus()
    await pilot.press(key)
    await settle(pilot)
    form = app.screen
    assert isinstance(form, DeclaredForm) and form.SPEC.kind == kind, form
    return form


async def confirm(pilot, app, **typed: str) -> ConfirmModal:
    for name, value in typed.items():
        app.screen.query_one(f"#{name}", Input).value = value
    return await send_confirmed(pilot, app)


async def on_lots(pilot):
    """Signed in to the grower's license with its lots (Packages) open: (main screen, license state)."""
    main = await signed_in_main(pilot)
    lic = world_of(pilot.app).licenses[GROWER]
    await open_list(pilot, main, "4", PACKAGES, lic.inventory)
    return main, lic


async def test_adjust_move_and_collect_reach_the_sandbox():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lic = await on_lots(pilot)
        lot = lic.inventory[main.record_list.cursor_id]
        before = Decimal(str(lot["qty"]))

        await form_for(pilot, app, "a", "AdjustPackages")
        modal = await confirm(pilot, app, change=f"+2 {lot['uom']}", reason="Scale Variance")
        assert modal._payload[0]["POST"].endswith("/adjust") and modal._payload[0]["body"]["code"] == "Scale Variance"
        await wait_for(pilot, lambda: lot["qty"] == before + 2, "the adjusted quantity")

        vault = next(s for s in lic.sections.values() if s["name"] == "Vault")
        main.record_list.move_to_id(lot["id"])
        main.record_list.toggle_mark(lot["id"])  # moving takes the marked rows, then scanned ones
        await form_for(pilot, app, "m", "MovePackages")
        await confirm(pilot, app, location="vault")
        await wait_for(pilot, lambda: lot["section"]["id"] == vault["id"], "the lot in the Vault")

        await open_list(pilot, main, "1", PLANTS, lic.plants)
        plant = lic.plants[main.record_list.cursor_id]
        await form_for(pilot, app, "C", "CollectPlants")
        await confirm(pilot, app, collect_type="raw", weight="412.5 g")
        await wait_for(pilot, lambda: any(g["raw"] == Decimal("412.5") for g in world_of(app).collects.values()),
                       "the collect group")
        [group] = world_of(app).collects.values()
        assert group["plant_list"] == [{"id": plant["id"]}]
