"""Plants from a seed or clone lot, and plants' variety or room changed, against the OpenTHC
sandbox over HTTP: the plants exist with the lot as their source, the lot holds that many fewer;
varieties and rooms go by name; OpenTHC's 400 for a lot that is not seeds or clones is a plain
refusal, and what growtui can tell is wrong is never sent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.domain.plant_batches import typed_count
from growtui.domain.plant_edits import CreatePlantsFromLot, ModifyPlants
from growtui.domain.units import Quantity, Unit
from tests.backends.openthc.conftest import CODE
from tests.backends.openthc.test_openthc_backend_writes import gram_lots, lic, room


def clone_lot(server) -> dict:
    products = lic(server).products
    return next(x for x in lic(server).inventory.values() if products[x["product"]["id"]]["name"] == "Clone")


def plant_from(lot, count: str, location="Veg Room", variety="", unit=Unit.EA) -> CreatePlantsFromLot:
    return CreatePlantsFromLot(lot["id"], lot["id"][-6:], typed_count(count), location, variety,
                               Quantity(Decimal(str(lot["qty"])), unit))


async def test_plants_from_a_clone_lot(signed_in, server):
    lot, veg = clone_lot(server), room(server, "Veg Room")
    held, before = lot["qty"], set(lic(server).plants)
    result = await signed_in.submit(CODE, plant_from(lot, "3", " veg  room"), dry_run=False)
    made = [p for k, p in lic(server).plants.items() if k not in before]
    assert "Plants Created" in result.message and len(made) == 3 and lot["qty"] == held - 3
    assert all(p["source"] == {"id": lot["id"]} and p["section"] == {"id": veg["id"]} for p in made)
    assert all(p["variety"]["id"] == lot["variety"]["id"] for p in made)


async def test_change_plants_variety_and_room_by_name(signed_in, server):
    plants = list(lic(server).plants.values())[:2]
    variety = next(v for v in lic(server).varieties.values() if v["id"] != plants[0]["variety"]["id"])
    flower = room(server, "Flower Room A")
    await signed_in.submit(CODE, ModifyPlants(tuple(p["id"] for p in plants), ("a", "b"), variety["name"].upper(),
                                              "flower room a"), dry_run=False)
    assert all(p["variety"]["id"] == variety["id"] and p["section"]["id"] == flower["id"] for p in plants)
    keep = plants[0]["section"]
    await signed_in.submit(CODE, ModifyPlants((plants[0]["id"],), ("a",), "", "Veg Room"), dry_run=False)
    assert plants[0]["variety"]["id"] == variety["id"] and plants[0]["section"] != keep


@pytest.mark.parametrize("action, why", [
    (lambda s: plant_from(clone_lot(s), "many"), "whole number"),
    (lambda s: plant_from(clone_lot(s), str(int(clone_lot(s)["qty"]) + 1)), "fewer plants"),
    (lambda s: plant_from(clone_lot(s), "2", "Attic"), "no room (section) named 'Attic'"),
    (lambda s: plant_from(clone_lot(s), "2", variety="Purple Nothing"), "no variety named 'Purple Nothing'"),
    (lambda s: ModifyPlants((next(iter(lic(s).plants)),), ("a",), "", ""), "Type a new variety or a new room"),
])
async def test_what_growtui_can_tell_is_wrong_is_never_sent(signed_in, server, action, why):
    plants = dict(lic(server).plants)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action(server), dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and err.value.status is None and why in err.value.message
    assert lic(server).plants == plants


async def test_a_lot_that_is_not_seeds_or_clones_is_refused_by_openthc(signed_in, server):
    flower = gram_lots(server, 1)[0]
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, plant_from(flower, "1", unit=Unit.G), dry_run=False)
    assert err.value.status == 400 and not err.value.in_doubt and "is not a live seed or clone lot" in err.value.message
