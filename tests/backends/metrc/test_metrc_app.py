"""``growtui --system metrc`` in training, through the real app: the login screen renders Metrc's
key form, a demo user fills it, the facilities become licenses, the lists load from the Metrc
sandbox, a note goes through the confirmation (no dry run) into the sandbox's state, and floor work (move,
destroy with waste) goes from the declared forms into the sandbox."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from growtui.config import Settings
from growtui.data.types import WriteStatus
from growtui.domain.collections import Collection, Family
from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.seed import MAIN
from growtui.ui.app import create_app
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.modals.forms.declared import DeclaredForm
from growtui.ui.modals.forms.form import FormField
from growtui.ui.modals.forms.harvest import HarvestForm
from growtui.ui.modals.forms.packages import AddNoteForm
from growtui.ui.screens.license_picker import LicensePickerScreen
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import FIXED_NOW, settle, wait_for

ACTIVE = Collection(Family.PACKAGES, "active")


def metrc_app():
    return create_app(Settings(sandbox_packages=40, system="metrc"), clock=lambda: FIXED_NOW,
                      contain_errors=False)


async def choose_state(pilot, screen: LoginScreen) -> None:
    screen.query_one("#host", Input).value = "colorado"
    screen.query_one("#host", Input).focus()
    await pilot.pause()
    await pilot.press("enter")


async def test_training_sign_in_lists_and_a_note_reach_the_metrc_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert {"vendorKey", "userKey"} <= {i.id for i in screen.query(Input)}
        assert all(screen.query_one(f"#{n}", Input).password for n in ("vendorKey", "userKey"))
        banner = str(screen.query_one("#training-banner", Static).render())
        assert "built-in Metrc" in banner and "T3" not in banner  # says which system it trains on

        # A wrong user key is refused in place, and the key is not kept in the widget.
        await choose_state(pilot, screen)
        screen.query_one("#vendorKey", Input).value = "sbx-vendor-growtui-0001"
        screen.query_one("#userKey", Input).value = "sbx-user-nobody-0000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "refused the keys" in str(screen.query_one("#login-error", Static).render())
        assert screen.query_one("#userKey", Input).value == ""

        # The first demo user (the grower) fills the state and both keys.
        demo = screen.query_one("#demo-users", OptionList)
        assert "Sandbox Grower" in str(demo.get_option_at_index(0).prompt)
        demo.focus()
        demo.highlighted = 0
        await pilot.press("enter")
        assert screen.hostname == "sandbox-api-co.metrc.com"  # the demo user's state: nothing to type
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, LicensePickerScreen), "the license picker")
        picker = app.screen
        assert {lic.number for lic in picker.shown} >= {MAIN.number}
        picker.query_one("#license-filter", Input).value = MAIN.number
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        main = app.screen
        world = app.backend.client.http._transport.app.state.world  # the in-process sandbox
        fac = world.facilities[MAIN.number]
        for key, resource, state in (("", "plants", "vegetative"), ("4", "packages", "active")):
            if key:
                main.record_list.focus()
                await pilot.press(key)
            expected = len(members(fac, resource, state))
            await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == expected,
                           f"{expected} {resource} ({state})")

        # A note on the row under the cursor: Metrc has no dry run, so the client's checks decide.
        main.record_list.focus()
        await pilot.press("space")
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddNoteForm)
        form.query_one("#note").value = "Weighed after cure"
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID
        (method,) = [k for k in modal._payload if k != "body"]
        assert method == "PUT" and modal._payload["body"][0]["Note"] == "Weighed after cure"
        label = modal._payload["body"][0]["PackageLabel"]
        await pilot.press("y")
        await wait_for(pilot, lambda: any(p["Note"] == "Weighed after cure" for p in fac.packages.values()),
                       "the note in the sandbox")
        assert next(p for p in fac.packages.values() if p["Label"] == label)["Note"] == "Weighed after cure"
        (entry,) = app.store.journal.entries(license=MAIN.number)
        assert entry.kind == "AddNote" and entry.status is WriteStatus.SENT


async def open_main(pilot, app) -> tuple[MainScreen, dict]:
    """The first demo user signed in on the main facility: its main screen and sandbox facility."""
    await settle(pilot)
    screen = app.screen
    demo = screen.query_one("#demo-users", OptionList)
    demo.focus()
    demo.highlighted = 0
    await pilot.press("enter")
    await choose_state(pilot, screen)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, LicensePickerScreen), "the license picker")
    app.screen.query_one("#license-filter", Input).value = MAIN.number
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    main = app.screen
    main.record_list.focus()
    return main, app.backend.client.http._transport.app.state.world.facilities[MAIN.number]


async def test_move_packages_by_room_through_the_declared_form_reaches_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main, fac = await open_main(pilot, app)
        await pilot.press("4")
        expected = len(members(fac, "packages", "active"))
        await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == expected, "packages")
        # A packages room none of the active packages is in yet, so the move is visible.
        used = {p["LocationName"] for p in members(fac, "packages", "active")}
        room = next(loc["Name"] for loc in fac.locations.values() if loc["ForPackages"] and loc["Name"] not in used)
        main.record_list.focus()
        await pilot.press("space", "down", "space", "m")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeclaredForm) and form.SPEC.kind == "MovePackages"
        form.query_one("#location", Input).value = room
        form.query_one("#date", Input).value = "2026-11-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID
        body = modal._payload["body"]
        assert len(body) == 2 and {r["Location"] for r in body} == {room} and body[0]["MoveDate"] == "2026-11-20"
        labels = {r["Label"] for r in body}
        assert any(p["LocationName"] != room for p in fac.packages.values() if p["Label"] in labels)
        await pilot.press("y")
        await wait_for(pilot, lambda: all(p["LocationName"] == room for p in fac.packages.values()
                                          if p["Label"] in labels), "the packages in their new room")


TYPED = {"method": "Compost", "material_mixed": "Soil", "reason": "Pest Infestation", "date": "2026-11-20"}


async def test_destroy_marked_plants_with_their_waste_reaches_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 32)) as pilot:
        main, fac = await open_main(pilot, app)
        await pilot.press("1")
        expected = len(members(fac, "plants", "vegetative"))
        await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == expected, "plants")
        main.record_list.focus()
        await pilot.press("space", "down", "space", "X")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeclaredForm) and form.SPEC.kind == "DestroyPlants"
        for name, value in TYPED.items():
            form.query_one(f"#{name}", Input).value = value
        form.query_one("#waste", Input).value = "3 ea"  # not a weight: refused before anything is sent
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "not a weight" in form.query_one("#field-waste", FormField).error
        form.query_one("#waste", Input).value = "0.5 kg"
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID
        assert "DELETE" in modal._payload
        body = modal._payload["body"]
        assert [r["WasteWeight"] for r in body] == [0.25, 0.25] and {r["WasteUnitOfMeasureName"] for r in body} == {"Kilograms"}
        ids = {r["Id"] for r in body}
        await pilot.press("y")
        await wait_for(pilot, lambda: all(fac.plants[i]["DestroyedDate"] == "2026-11-20" for i in ids),
                       "the plants destroyed in the sandbox")


async def test_harvest_at_the_scale_scan_weigh_enter_lands_one_harvest_in_the_sandbox():
    app = metrc_app()
    async with app.run_test(size=(110, 40)) as pilot:
        main, fac = await open_main(pilot, app)
        await pilot.press("1", "right_square_bracket")  # Plants, then Flowering
        flowering = members(fac, "plants", "flowering")
        await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == len(flowering),
                       "flowering plants")
        main.record_list.focus()
        await pilot.press("h")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HarvestForm)
        room = next(loc["Name"] for loc in fac.locations.values() if loc["ForHarvests"])
        form.query_one("#harvest_name", Input).value = "Scale Test 2026-11-20"
        form.query_one("#drying_location", Input).value = room
        form.query_one("#date", Input).value = "2026-11-20"
        vegetative = members(fac, "plants", "vegetative")[0]["Label"]
        first, second = flowering[0]["Label"], flowering[1]["Label"]

        # Keys back to back, as a scanner and a scale send them: tag, CR, reading, CR.
        form.query_one("#plant-tag", Input).focus()
        await pilot.press(*vegetative, "enter")  # refused before it is weighed
        await settle(pilot)
        assert "not a flowering plant" in form.query_one("#field-plant", FormField).error
        await pilot.press(*first, "enter", *"412.5", "enter", *second, "enter", *"0.5 kg", "enter")
        await settle(pilot)
        assert [(w.label, str(w.weight)) for w in form.weighed] == [(first, "412.5 g"), (second, "500 g")]
        assert "2 plants, 912.5 g wet in all" in str(form.query_one("#weighed-list", Static).render())
        await pilot.press(*first, "enter")  # the same plant again: refused
        await settle(pilot)
        assert "already weighed" in form.query_one("#field-plant", FormField).error

        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID
        body = modal._payload["body"]
        assert [(r["Plant"], r["Weight"], r["UnitOfWeight"]) for r in body] == [
            (first, 412.5, "Grams"), (second, 500.0, "Grams")]
        await pilot.press("y")
        await wait_for(pilot, lambda: any(h["Name"] == "Scale Test 2026-11-20" for h in fac.harvests.values()),
                       "the harvest in the sandbox")
        harvest = next(h for h in fac.harvests.values() if h["Name"] == "Scale Test 2026-11-20")
        assert harvest["PlantCount"] == 2 and harvest["TotalWetWeight"] == 912.5
        assert {fac.plants[p["Id"]]["State"] for p in flowering[:2]} == {"Harvested"}


async def test_scan_first_move_room_then_tags_with_a_running_count():
    app = metrc_app()
    async with app.run_test(size=(110, 40)) as pilot:
        main, fac = await open_main(pilot, app)
        await pilot.press("4")
        active = members(fac, "packages", "active")
        await wait_for(pilot, lambda: main.source is not None and len(main.source.index) == len(active), "packages")
        await pilot.press("right_square_bracket", "right_square_bracket")  # Inactive, so it is cached too
        inactive = members(fac, "packages", "inactive")
        await wait_for(pilot, lambda: len(main.source.index) == len(inactive), "inactive packages")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await wait_for(pilot, lambda: len(main.source.index) == len(active), "active packages again")
        main.record_list.focus()
        await pilot.press("m")  # nothing marked: the form opens empty, for scanning
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeclaredForm) and form.rows == []
        used = {p["LocationName"] for p in active}
        room = next(loc["Name"] for loc in fac.locations.values() if loc["ForPackages"] and loc["Name"] not in used)
        form.query_one("#location", Input).value = room
        form.query_one("#date", Input).value = "2026-11-20"
        form.query_one("#form-scan", Input).focus()
        a, b, c = (p["Label"] for p in active[:3])
        await pilot.press(*a, "enter", *b, "enter", *c, "enter", *b, "enter")  # back to back, b twice
        await settle(pilot)
        assert [r.label for r in form.rows] == [a, b, c]
        assert "already in this move" in form.query_one("#field-scan", FormField).error
        await pilot.press(*inactive[0]["Label"], "enter")  # finished: refused with the reason
        await settle(pilot)
        assert "cannot be taken" in form.query_one("#field-scan", FormField).error
        await pilot.press("ctrl+z")  # c back out
        await settle(pilot)
        assert "2 to move" in str(form.query_one("#form-rows", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal.verdict is Verdict.VALID
        assert [r["Label"] for r in modal._payload["body"]] == [a, b]
        await pilot.press("y")
        await wait_for(pilot, lambda: {fac.by_label("packages", t)["LocationName"] for t in (a, b)} == {room},
                       "the two packages in the room")
        assert fac.by_label("packages", c)["LocationName"] != room
