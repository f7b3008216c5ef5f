"""Converting, splitting and destroying lots against the OpenTHC sandbox over HTTP: the sources lose what was
taken (a source taken whole loses what the list showed), the output lot is of the typed product,
a split's new lot is of the source's product; quantities go in the typed unit to 4 decimals.
What growtui can tell is wrong is refused before sending; a 400 or 409 from OpenTHC is a plain
refusal carrying its reason, with nothing applied."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.openthc.backend import PACKAGES
from growtui.domain.lot_work import ConvertPackages, DestroyLots, SplitPackage, typed_amount, typed_takes
from growtui.domain.units import Quantity, Unit
from tests.backends.openthc.conftest import CODE
from tests.backends.openthc.test_openthc_backend_writes import gram_lots, lic


def held(lot) -> Quantity:
    return Quantity(Decimal(str(lot["qty"])), Unit.G)


def convert(lots, takes: str, product: str, output: str) -> ConvertPackages:
    holdings = tuple(held(x) for x in lots)
    return ConvertPackages(tuple(x["id"] for x in lots), tuple(x["id"][-6:] for x in lots),
                           typed_takes(takes, holdings), product, typed_amount(output, Unit.G, "Output"), holdings)


def split(lot, portion: str) -> SplitPackage:
    return SplitPackage(lot["id"], lot["id"][-6:], typed_amount(portion, Unit.G, "Portion"), held(lot))


def made_since(server, before: set[str]) -> list[dict]:
    return [x for k, x in lic(server).inventory.items() if k not in before]


async def test_convert_takes_parts_and_wholes_into_one_lot_of_the_product(signed_in, server):
    a, b = gram_lots(server, 2)
    qa, qb = held(a).value, held(b).value
    before = set(lic(server).inventory)
    result = await signed_in.submit(CODE, convert([a, b], "0.0105 kg, all", "  bulk   trim ", "30.5 g"), dry_run=False)
    [made] = made_since(server, before)
    trim = next(p for p in lic(server).products.values() if p["name"] == "Bulk Trim")
    assert "Inventory Converted" in result.message
    assert made["product"]["id"] == trim["id"] and made["qty"] == Decimal("30.5")
    assert a["qty"] == qa - Decimal("10.5") and b["qty"] == 0
    assert made["source_list"] == [{"id": a["id"], "qty": Decimal("10.5")}, {"id": b["id"], "qty": qb}]


async def test_split_slices_a_portion_into_a_new_lot_of_the_same_product(signed_in, server):
    lot = gram_lots(server, 1)[0]
    q = held(lot).value
    before = set(lic(server).inventory)
    result = await signed_in.submit(CODE, split(lot, "12.3456"), dry_run=False)
    [made] = made_since(server, before)
    assert "Inventory Split" in result.message and made["qty"] == Decimal("12.3456")
    assert made["product"] == lot["product"] and lot["qty"] == q - Decimal("12.3456")


@pytest.mark.parametrize("action, why", [
    (lambda lots: convert(lots, "1 g", "Bulk Trim", "1 g"), "one amount per source"),
    (lambda lots: convert(lots, f"{held(lots[0]).value + 1} g, all", "Bulk Trim", "1 g"), "is more than that"),
    (lambda lots: convert(lots, "1 l, all", "Bulk Trim", "1 g"), "another kind of unit"),
    (lambda lots: convert(lots, "", "Bulk Trim", "1.23456 g"), "more than 4 decimal places"),
    (lambda lots: convert(lots, "", "Bulk Trim", "0 g"), "more than zero"),
    (lambda lots: convert(lots, "", "Bulk Trimmings", "1 g"), "no product named 'Bulk Trimmings'"),
    (lambda lots: convert(lots, "", "Clone", "5 g"), "Clone is counted in ea; 5 g is another kind of unit"),
    (lambda lots: convert(lots, "", "", "1 g"), "Type the output's product"),
    (lambda lots: convert(lots, "", "Bulk Trim", "1 stone"), "Unknown unit"),
    (lambda lots: split(lots[0], f"{held(lots[0]).value} g"), "a split leaves some behind"),
    (lambda lots: split(lots[0], "-1 g"), "cannot be negative"),
])
async def test_what_growtui_can_tell_is_wrong_is_never_sent(signed_in, server, action, why):
    lots = gram_lots(server, 2)
    before = {k: dict(x) for k, x in lic(server).inventory.items()}
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action(lots), dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and not err.value.in_doubt and err.value.status is None
    assert why in err.value.message
    assert {k: dict(x) for k, x in lic(server).inventory.items()} == before


async def test_a_400_from_openthc_is_a_plain_refusal_and_nothing_changes(signed_in, server):
    lot = gram_lots(server, 1)[0]
    action = split(lot, "5 g")
    lot["qty"] = Decimal(2)  # used elsewhere since the list was read: OpenTHC refuses the portion
    before = set(lic(server).inventory)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action, dry_run=False)
    assert err.value.status == 400 and not err.value.in_doubt and "more than Inventory" in err.value.message
    assert lot["qty"] == 2 and not made_since(server, before)


async def test_a_409_for_a_source_marked_meanwhile_is_a_plain_refusal(signed_in, server):
    a, b = gram_lots(server, 2)
    action = convert([a, b], "", "Bulk Trim", "5 g")
    b["stat"] = 410
    qa = a["qty"]
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action, dry_run=False)
    assert err.value.status == 409 and not err.value.in_doubt and "marked for deletion" in err.value.message
    assert a["qty"] == qa


async def test_destroy_empties_each_lot_with_its_reason_and_a_reason_is_needed(signed_in, server):
    lots = gram_lots(server, 2)
    held = [x["qty"] for x in lots]
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, DestroyLots(tuple(x["id"] for x in lots), ("a", "b"), "", " "), dry_run=False)
    assert err.value.status is None and "Give a reason code" in err.value.message and not any(x.get("destroyed_at") for x in lots)
    result = await signed_in.submit(CODE, DestroyLots(tuple(x["id"] for x in lots), ("a", "b"), "waste", "mould"), dry_run=False)
    assert "Inventory Destroyed" in result.message
    assert [(x["qty"], x["destroy"]["qty"], x["destroy"]["reason_text"]) for x in lots] == [(0, h, "mould") for h in held]
    listed = {r["id"] for r in (await signed_in.fetch_page(CODE, PACKAGES, 1, 500)).rows}
    assert not listed & {x["id"] for x in lots}
