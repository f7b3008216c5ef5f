"""Converting and splitting lots through the real app (training sandbox), with the write
registry's forms and the same confirmation as every write: V converts the marked lots (a part of
one, all of the other) into one lot of a typed product, S splits a portion off the lot under the
cursor, X destroys a lot with its reason; each asserted in the sandbox's state."""

from __future__ import annotations

from decimal import Decimal

from tests.ui.conftest import wait_for
from tests.ui.test_openthc_app import openthc_app
from tests.ui.test_openthc_writes import confirm, form_for, on_lots


def gram_lots_in_list_order(main, lots) -> list[dict]:
    index = main.source.index
    keys = [index.key(i) for i in range(len(index))]
    return [lots[k] for k in keys if lots[k]["uom"] == "g" and lots[k]["qty"] > 10]


async def in_list(pilot, main, lot_id: str) -> None:
    """Wait for the refresh after a write to show ``lot_id``: until then a refresh may still move the cursor."""
    await wait_for(pilot, lambda: main.record_list.source.position_of(lot_id) is not None, f"lot {lot_id} listed")


async def test_convert_and_split_reach_the_sandbox():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lic = await on_lots(pilot)
        a, b = gram_lots_in_list_order(main, lic.inventory)[:2]
        qa, qb = a["qty"], b["qty"]
        for lot in (a, b):
            main.record_list.toggle_mark(lot["id"])
        before = set(lic.inventory)

        await form_for(pilot, app, "V", "ConvertPackages")
        modal = await confirm(pilot, app, takes="2.5 g, all", product="bulk trim", output="7 g")
        assert modal._payload[0]["POST"] == "/inventory"
        await wait_for(pilot, lambda: len(lic.inventory) == len(before) + 1, "the converted lot")
        [made] = [x for k, x in lic.inventory.items() if k not in before]
        assert lic.products[made["product"]["id"]]["name"] == "Bulk Trim" and made["qty"] == Decimal(7)
        assert a["qty"] == qa - Decimal("2.5") and b["qty"] == 0

        await wait_for(pilot, lambda: not main.record_list.marks, "the marks cleared after the write")
        await in_list(pilot, main, made["id"])
        assert main.record_list.move_to_id(a["id"])
        before = set(lic.inventory)
        await form_for(pilot, app, "S", "SplitPackage")
        await confirm(pilot, app, portion="1.2345")  # a bare number is in the lot's own unit
        await wait_for(pilot, lambda: len(lic.inventory) == len(before) + 1, "the split-off lot")
        [part] = [x for k, x in lic.inventory.items() if k not in before]
        assert part["qty"] == Decimal("1.2345") and part["product"] == a["product"]
        assert a["qty"] == qa - Decimal("2.5") - Decimal("1.2345")

        await in_list(pilot, main, part["id"])  # the split's refresh has landed: the cursor stays put
        c = gram_lots_in_list_order(main, lic.inventory)[-1]
        assert main.record_list.move_to_id(c["id"])
        await form_for(pilot, app, "X", "DestroyLots")
        await confirm(pilot, app, reason_code="waste", reason_text="mould on the top shelf")
        await wait_for(pilot, lambda: c.get("destroyed_at") is not None, "the lot destroyed")
        assert c["qty"] == 0 and c["destroy"]["reason_text"] == "mould on the top shelf"
