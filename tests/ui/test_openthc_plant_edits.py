"""Plants from a clone lot and plants changed, through the real app (training sandbox) with the
write registry's forms and the same confirmation: b on a clone lot (Packages) plants a count into
a room typed by name; shift+M on Plants changes the marked plants' variety. Each asserted in the
sandbox's state."""

from __future__ import annotations

from tests.ui.conftest import wait_for
from tests.ui.test_openthc_app import PLANTS, openthc_app
from tests.ui.test_openthc_writes import confirm, form_for, on_lots, open_list


async def test_plant_from_a_clone_lot_then_change_the_plants_variety():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lic = await on_lots(pilot)
        clones = next(x for x in lic.inventory.values() if lic.products[x["product"]["id"]]["name"] == "Clone")
        veg = next(s for s in lic.sections.values() if s["name"] == "Veg Room")
        held, before = clones["qty"], set(lic.plants)
        main.record_list.move_to_id(clones["id"])
        await form_for(pilot, app, "b", "CreatePlantsFromLot")
        await confirm(pilot, app, count="2", location="veg room")
        await wait_for(pilot, lambda: len(lic.plants) == len(before) + 2, "two new plants")
        made = [p for k, p in lic.plants.items() if k not in before]
        assert clones["qty"] == held - 2
        assert all(p["source"]["id"] == clones["id"] and p["section"]["id"] == veg["id"] for p in made)

        # the write's refresh of the plants list has stored them before it is opened
        await wait_for(pilot, lambda: all(app.store.model(main.license_number, PLANTS, p["id"]) for p in made),
                       "the new plants in the cache")
        await open_list(pilot, main, "1", PLANTS, lic.plants)
        variety = next(v for v in lic.varieties.values() if v["id"] != made[0]["variety"]["id"])
        for plant in made:
            main.record_list.toggle_mark(plant["id"])
        await form_for(pilot, app, "M", "ModifyPlants")
        await confirm(pilot, app, variety=variety["name"])
        await wait_for(pilot, lambda: all(p["variety"]["id"] == variety["id"] for p in made), "the new variety")
        assert all(p["section"]["id"] == veg["id"] for p in made)  # a blank room keeps it
