"""Lab samples and results; B2B outgoing (create, add items, commit) and incoming (accept)."""

from __future__ import annotations

import pytest

from tests.sandbox.openthc.othc_helpers import MAIN, RETAIL, data, lot_of, sign_in

THC = "018NY6XC00LM49CV7QP9KM9QH9"


def test_sample_then_result_links_the_lot(othc):
    lot = lot_of(othc, "Bulk Flower")
    sample = data(othc.post(f"/inventory/{lot['id']}/sample", data={"qty": "2.5"}), 201)
    assert sample["origin"]["inventory"]["id"] == lot["id"] and sample["qty"] == 2.5
    assert data(othc.get(f"/inventory/{lot['id']}"))["qty"] == round(lot["qty"] - 2.5, 4)
    assert sample["id"] in {s["id"] for s in data(othc.get("/lab/sample"))}
    metric = {"lab_metric_id": THC, "qom": 22.123456, "uom": "percent", "lod": 0.1, "loq": 0.2, "status": "pass"}
    result = data(othc.post("/lab/result", json={"lab_sample": {"id": sample["id"]}, "metric_list": [metric]}), 201)
    assert result["metric_list"][0]["qom"] == 22.1235 and result["metric_list"][0]["lab_result_id"] == result["id"]
    assert data(othc.get(f"/inventory/{lot['id']}"))["lab_result"] == {"id": result["id"]}
    assert data(othc.get(f"/lab/result/{result['id']}")) == result


@pytest.mark.parametrize(
    ("case", "metric"),
    [
        ("unknown metric", {"lab_metric_id": "nope", "qom": 1, "uom": "percent"}),
        ("percent over 100", {"lab_metric_id": THC, "qom": 101, "uom": "percent"}),
        ("bad uom", {"lab_metric_id": THC, "qom": 1, "uom": "grams"}),
        ("bad status", {"lab_metric_id": THC, "qom": 1, "uom": "percent", "status": "ok"}),
        ("qom text", {"lab_metric_id": THC, "qom": "high", "uom": "percent"}),
    ],
)
def test_bad_result_is_400(othc, case, metric):
    sample = data(othc.get("/lab/sample"))[0]
    assert othc.post("/lab/result", json={"lab_sample": sample["id"], "metric_list": [metric]}).status_code == 400, case
    assert othc.post("/lab/result", json={"lab_sample": sample["id"], "metric_list": []}).status_code == 400


def test_sample_two_step_delete(othc):
    sample = data(othc.get("/lab/sample"))[0]
    assert othc.delete(f"/lab/sample/{sample['id']}").status_code == 202
    assert othc.delete(f"/lab/sample/{sample['id']}").status_code == 410
    assert othc.delete(f"/lab/sample/{sample['id']}").status_code == 423


def test_outgoing_create_add_items_commit_then_incoming_accept(othc_server, othc):
    lot = lot_of(othc, "Bulk Flower")
    made = data(othc.post("/b2b", data={"type": "outgoing", "target": RETAIL.id, "depart_at": "2026-12-04T09:00:00Z"}), 201)
    assert made["type"] == "outgoing" and made["source"]["id"] == MAIN.id and made["target"]["id"] == RETAIL.id
    assert othc.post(f"/b2b/outgoing/{made['id']}/commit").status_code == 400  # no items yet
    after = data(othc.post(f"/b2b/outgoing/{made['id']}/item", data={"inventory": lot["id"], "unit_count": "25.5", "unit_price": "3.10"}))
    assert after[0]["item_list"][0]["unit_count"] == 25.5
    r = othc.post(f"/b2b/outgoing/{made['id']}/item", data={"inventory": lot["id"], "unit_count": str(lot["qty"])})
    assert r.status_code == 400  # more than the lot has left beside the first item
    data(othc.post(f"/b2b/outgoing/{made['id']}/commit"))
    assert data(othc.get(f"/inventory/{lot['id']}"))["qty"] == round(lot["qty"] - 25.5, 4)
    assert othc.post(f"/b2b/outgoing/{made['id']}/commit").status_code == 409
    assert othc.post(f"/b2b/outgoing/{made['id']}/item", data={"inventory": lot["id"], "unit_count": "1"}).status_code == 409
    assert othc.delete(f"/b2b/outgoing/{made['id']}").status_code == 409  # committed: not voidable

    with othc.__class__(base_url=othc_server.base_url, timeout=10) as retail:
        sign_in(retail, "retail")
        incoming = data(retail.get(f"/b2b/incoming/{made['id']}"))
        assert incoming["type"] == "incoming"
        accepted = data(retail.post(f"/b2b/incoming/{made['id']}/commit"))
        new_lot = data(retail.get(f"/inventory/{accepted['item_list'][0]['received']['inventory']['id']}"))
        assert new_lot["qty"] == 25.5 and new_lot["license"] == {"id": RETAIL.id}
        assert retail.post(f"/b2b/incoming/{made['id']}/commit").status_code == 409


def test_seeded_incoming_is_accepted_into_new_lots(othc):
    incoming = data(othc.get("/b2b/incoming"))[0]
    before = len(data(othc.get("/inventory")))
    accepted = data(othc.post(f"/b2b/incoming/{incoming['id']}/accept"))
    assert accepted["status"] == "accepted"
    assert len(data(othc.get("/inventory"))) == before + len(incoming["item_list"])


def test_open_outgoing_two_step_delete(othc):
    draft = data(othc.get("/b2b/outgoing"))[0]
    assert data(othc.delete(f"/b2b/outgoing/{draft['id']}"), 202)["stat"] == 410
    assert othc.delete(f"/b2b/outgoing/{draft['id']}").status_code == 410
    assert draft["id"] not in {t["id"] for t in data(othc.get("/b2b/outgoing"))}
    assert othc.delete(f"/b2b/outgoing/{draft['id']}").status_code == 423


@pytest.mark.parametrize(
    ("case", "body"),
    [
        ("no target", {"type": "outgoing"}),
        ("unknown target", {"type": "outgoing", "target": "010PENTHC0SANDB0XL1CENSE0Z"}),
        ("to itself", {"type": "outgoing", "target": MAIN.id}),
        ("incoming type", {"type": "incoming", "target": RETAIL.id}),
        ("bad date", {"type": "outgoing", "target": RETAIL.id, "depart_at": "soon"}),
    ],
)
def test_bad_b2b_create_is_400(othc, case, body):
    assert othc.post("/b2b", data=body).status_code == 400, case


def test_bad_item_is_400(othc):
    draft = data(othc.get("/b2b/outgoing"))[0]
    lot = lot_of(othc, "Bulk Flower")
    for body in ({"unit_count": "1"}, {"inventory": lot["id"]}, {"inventory": lot["id"], "unit_count": "-2"}):
        assert othc.post(f"/b2b/outgoing/{draft['id']}/item", data=body).status_code == 400, body
