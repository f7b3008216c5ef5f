"""A lot's lab results against the OpenTHC sandbox over HTTP (the packages' "Lab results" list):
the samples taken from the lot (``/lab/sample``), their results (``/lab/result``, each read in
detail for its metrics) and each metric by name (``/lab/metric``); a sample still waiting for a
result is a line of its own; the raw sample, result and metric are kept in each line."""

from __future__ import annotations

from decimal import Decimal

from growtui.domain.collections import SubCollection
from tests.backends.openthc.conftest import CODE
from tests.backends.openthc.test_openthc_backend_writes import gram_lots, lic

LAB = SubCollection.PACKAGE_LAB_RESULTS


def lot_with_a_result(server) -> dict:
    return next(x for x in lic(server).inventory.values() if x.get("lab_result"))


async def lab_lines(backend, lot_id: str) -> list:
    rows = (await backend.fetch_sub(CODE, LAB, lot_id)).rows
    return [backend.to_domain(LAB, raw) for raw in rows]


async def test_a_tested_lot_shows_each_metric_of_its_result(signed_in, server):
    lot = lot_with_a_result(server)
    result = lic(server).results[lot["lab_result"]["id"]]
    lines = await lab_lines(signed_in, lot["id"])
    assert [x.test_type for x in lines] == ["THC", "CBD"] and lines[0].result_level == Decimal("21.3456")
    assert all(x.package_id == lot["id"] and x.lab_test_result_id == result["id"] and x.test_passed for x in lines)
    assert lines[0].raw["metric"] == result["metric_list"][0] and lines[0].raw["lab_result"]["id"] == result["id"]


async def test_a_sample_waiting_for_its_result_and_an_untested_lot(signed_in, server):
    lot = next(x for x in gram_lots(server, 5) if not x.get("lab_result"))
    assert await lab_lines(signed_in, lot["id"]) == []
    answer = await signed_in.client.write("POST", f"/inventory/{lot['id']}/sample", {"qty": "2", "type": "Lab"})
    [line] = await lab_lines(signed_in, lot["id"])
    assert line.test_type == "sample" and line.raw["status"] == "awaiting result" and line.test_passed is None
    assert line.raw["lab_sample"]["id"] == answer.data["id"]
