"""OpenTHC writes against the sandbox over HTTP: adjust (the lot's new quantity, in its own unit),
move lots and plants to a section typed by name, collect raw/net from plants into one group; a
refusal on the first request is a plain refusal, one after others applied is in doubt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.domain.floor import MovePackages, MovePlants
from growtui.domain.package_adjust import AdjustPackages, Change
from growtui.domain.plant_collect import CollectPlants
from growtui.domain.units import Quantity, Unit
from growtui.backends.openthc.backend import PACKAGES_MARKED
from tests.backends.openthc.conftest import CODE, GROWER

DAY = date(2026, 12, 1)


def lic(server):
    return server.world.licenses[GROWER]


def gram_lots(server, n=2):
    return [lot for lot in lic(server).inventory.values() if lot["uom"] == "g" and lot["stat"] == 200][:n]


def room(server, name):
    return next(s for s in lic(server).sections.values() if s["name"] == name)


def adjust(lots, change: str, reason="Scale Variance"):
    return AdjustPackages(tuple(x["id"] for x in lots), tuple(x["id"][-6:] for x in lots), Change.parse(change), reason,
                          "", DAY, tuple(Quantity(Decimal(str(x["qty"])), Unit.G) for x in lots))


async def test_adjust_sets_each_lots_new_quantity(signed_in, server):
    lots = gram_lots(server)
    before = [Decimal(str(x["qty"])) for x in lots]
    result = await signed_in.submit(CODE, adjust(lots, "-0.5 kg"), dry_run=False)
    assert [x["qty"] for x in lots] == [b - 500 for b in before] and "Inventory Adjusted" in result.message
    assert lots[0]["adjust"] == {"code": "Scale Variance"}


async def test_adjust_below_nothing_is_refused_before_sending(signed_in, server):
    lot = gram_lots(server, 1)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, adjust(lot, f"-{Decimal(str(lot[0]['qty'])) + 1} g"), dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and not err.value.in_doubt and "less than nothing" in err.value.message


async def test_move_lots_and_plants_to_a_room_typed_by_name(signed_in, server):
    lots, flower = gram_lots(server), room(server, "Flower Room B")
    await signed_in.submit(CODE, MovePackages(tuple(x["id"] for x in lots), ("a", "b"), "  flower   room b "), dry_run=False)
    assert all(x["section"]["id"] == flower["id"] for x in lots)
    plant = next(iter(lic(server).plants.values()))
    await signed_in.submit(CODE, MovePlants((plant["id"],), ("p",), "Flower Room B"), dry_run=False)
    assert plant["section"]["id"] == flower["id"]
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, MovePlants((plant["id"],), ("p",), "Attic"), dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and "no room (section) named 'Attic'" in err.value.message


async def test_collect_raw_from_plants_into_one_group(signed_in, server):
    plants = list(lic(server).plants.values())[:3]
    action = CollectPlants(tuple(p["id"] for p in plants), ("a", "b", "c"), "raw", Quantity(Decimal("1"), Unit.KG), DAY)
    await signed_in.submit(CODE, action, dry_run=False)
    [group] = server.world.collects.values()
    assert group["raw"] == Decimal(1000) and group["plant_list"] == [{"id": p["id"]} for p in plants]
    assert sum(e["qty"] for e in group["entries"]) == Decimal(1000)


async def test_a_first_refusal_is_refused_and_a_later_one_in_doubt(signed_in, server):
    lots = gram_lots(server, 2)
    lots[0]["stat"] = 410  # marked for deletion: OpenTHC answers 409
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, adjust(lots, "+1 g"), dry_run=False)
    assert err.value.status == 409 and not err.value.in_doubt and "marked for deletion" in err.value.message
    lots[0]["stat"], lots[1]["stat"] = 200, 410
    before = Decimal(str(lots[0]["qty"]))
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, adjust(lots, "+1 g"), dry_run=False)
    assert err.value.in_doubt and "Applied before it" in err.value.message and lots[0]["qty"] == before + 1


async def test_a_500_after_sending_is_in_doubt(signed_in, server):
    server.world.ops.add_fault("500", next=1)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, adjust(gram_lots(server, 1), "+1 g"), dry_run=False)
    assert err.value.in_doubt


async def test_two_step_delete_marks_then_confirms_and_never_in_one(signed_in, server):
    from growtui.domain.collections import Family
    from growtui.domain.deletion import ConfirmDeletion, MarkForDeletion

    lot = gram_lots(server, 1)[0]
    confirm = ConfirmDeletion(Family.PACKAGES, (lot["id"],), ("L",), "delete")
    with pytest.raises(BackendError) as err:  # not marked: nothing is sent
        await signed_in.submit(CODE, confirm, dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and not err.value.in_doubt and lot["stat"] == 200
    result = await signed_in.submit(CODE, MarkForDeletion(Family.PACKAGES, (lot["id"],), ("L",)), dry_run=False)
    assert lot["stat"] == 410 and "Delete Requested" in result.message
    with pytest.raises(BackendError) as err:  # marking again would confirm it: refused before sending
        await signed_in.submit(CODE, MarkForDeletion(Family.PACKAGES, (lot["id"],), ("L",)), dry_run=False)
    assert "marked for deletion now; nothing was sent" in err.value.message and lot["stat"] == 410
    with pytest.raises(BackendError):  # the typed word is part of the confirm
        await signed_in.submit(CODE, ConfirmDeletion(Family.PACKAGES, (lot["id"],), ("L",), "yes"), dry_run=False)
    result = await signed_in.submit(CODE, confirm, dry_run=False)
    assert lot["stat"] == 423 and "Delete Confirmed" in result.message
    assert lot["id"] not in {r["id"] for r in (await signed_in.fetch_page(CODE, PACKAGES_MARKED, 1, 500)).rows}


async def test_a_400_from_openthc_is_a_plain_refusal_with_its_reason(signed_in, server):
    plant = next(iter(lic(server).plants.values()))
    odd = CollectPlants((plant["id"],), ("p",), "moist", Quantity(Decimal("5"), Unit.G), DAY)  # past the form's check
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, odd, dry_run=False)
    assert err.value.status == 400 and err.value.kind is ErrorKind.VALIDATION and not err.value.in_doubt
    assert "type must be raw or net" in err.value.message and not server.world.collects
