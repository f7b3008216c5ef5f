"""A lot's lab results in the detail pane through the real app (training sandbox): d on a lot the
lab has tested lists its result's metrics by name, level and verdict, as the sandbox holds them."""

from __future__ import annotations

from tests.ui.conftest import wait_for
from tests.ui.test_openthc_app import openthc_app
from tests.ui.test_openthc_writes import on_lots


async def test_the_detail_of_a_tested_lot_lists_its_lab_results():
    app = openthc_app()
    async with app.run_test(size=(120, 34)) as pilot:
        main, lic = await on_lots(pilot)
        lot = next(x for x in lic.inventory.values() if x.get("lab_result"))
        [thc, cbd] = lic.results[lot["lab_result"]["id"]]["metric_list"]
        main.record_list.move_to_id(lot["id"])
        await pilot.press("d")
        await wait_for(pilot, lambda: "Lab results (2)" in main.detail.text, "the lot's lab results")
        assert f"test=THC  qom={thc['qom']}  uom=percent  status=pass" in main.detail.text
        assert f"test=CBD  qom={cbd['qom']}" in main.detail.text
