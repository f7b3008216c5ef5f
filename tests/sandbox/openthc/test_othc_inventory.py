"""Inventory lots: create, convert, split, adjust, move, destroy, two-step delete, units, bad input."""

from __future__ import annotations

import pytest

from tests.sandbox.openthc.othc_helpers import data, lot_of, named


def _lot(othc, lot_id: str) -> dict:
    return data(othc.get(f"/inventory/{lot_id}"))


def test_create_counts_in_grams_to_four_decimals(othc):
    product = named(othc, "/product", "Bulk Flower")
    vault = named(othc, "/section", "Vault")
    variety = named(othc, "/variety", "Gelato")
    body = {"product": {"id": product["id"]}, "section": {"id": vault["id"]}, "variety": {"id": variety["id"]}, "qty": 1, "uom": "lb"}
    made = data(othc.post("/inventory", json=body), 201)
    assert made["qty"] == 453.5924 and made["uom"] == "g"
    assert _lot(othc, made["id"]) == made
    spec_form = {"source": None, "output": {"product_id": product["id"], "section_id": vault["id"], "qty": 2.5, "uom": "oz"}}
    assert data(othc.post("/inventory", json=spec_form), 201)["qty"] == 70.8738


def test_volumes_in_litres(othc):
    oil = named(othc, "/product", "Distillate")
    vault = named(othc, "/section", "Vault")
    made = data(othc.post("/inventory", json={"product": oil["id"], "section": vault["id"], "qty": 8, "uom": "fl oz"}), 201)
    assert made["qty"] == 0.2366 and made["uom"] == "l"
    r = othc.post("/inventory", json={"product": oil["id"], "section": vault["id"], "qty": 5, "uom": "g"})
    assert r.status_code == 400 and "measures g" in r.json()["meta"]["note"]


def test_convert_many_sources_into_one(othc):
    a, b = [lot for lot in data(othc.get("/inventory")) if lot["uom"] == "g" and lot["qty"] > 50][:2]
    trim = named(othc, "/product", "Bulk Trim")
    body = {"source": [{"id": a["id"], "qty": 10.5}, {"id": b["id"], "qty": 20}], "output": {"product": {"id": trim["id"]}, "qty": 30}}
    made = data(othc.post("/inventory", json=body), 201)
    assert made["product"]["id"] == trim["id"] and made["qty"] == 30.0
    assert [s["id"] for s in made["source_list"]] == [a["id"], b["id"]]
    assert _lot(othc, a["id"])["qty"] == round(a["qty"] - 10.5, 4)
    assert _lot(othc, b["id"])["qty"] == round(b["qty"] - 20, 4)


def test_split_slices_off_a_sub_lot(othc):
    lot = lot_of(othc, "Bulk Flower")
    made = data(othc.post("/inventory", json={"source": lot["id"], "output": 12.3456}), 201)
    assert made["qty"] == 12.3456 and made["product"] == lot["product"] and made["section"] == lot["section"]
    assert _lot(othc, lot["id"])["qty"] == round(lot["qty"] - 12.3456, 4)


def test_adjust_sets_the_new_quantity_202(othc):
    lot = lot_of(othc, "Bulk Flower")
    r = othc.post(f"/inventory/{lot['id']}/adjust", data={"qty": "55", "code": "audit", "note": "mis-count"})
    assert data(r, 202)["qty"] == 55.0
    assert _lot(othc, lot["id"])["qty"] == 55.0


def test_move_to_another_section(othc):
    lot = lot_of(othc, "Bulk Flower")
    dry = named(othc, "/section", "Dry Room")
    moved = data(othc.patch(f"/inventory/{lot['id']}", json={"section": dry["id"]}))
    assert moved["section"] == {"id": dry["id"]}
    assert lot["id"] in {x["id"] for x in data(othc.get("/inventory", params={"section": dry["id"]}))}


def test_destroy_zeroes_and_hides_the_lot(othc):
    lot = lot_of(othc, "Bulk Trim")
    assert othc.post(f"/inventory/{lot['id']}/destroy", data={}).status_code == 400
    gone = data(othc.post(f"/inventory/{lot['id']}/destroy", data={"reason_code": "waste", "reason_text": "mould"}))
    assert gone["qty"] == 0 and gone["destroyed_at"] and gone["destroy"]["qty"] == lot["qty"]
    assert lot["id"] not in {x["id"] for x in data(othc.get("/inventory"))}
    assert othc.post(f"/inventory/{lot['id']}/adjust", data={"qty": 1}).status_code == 409


def test_two_step_delete_of_a_lot(othc):
    lot = lot_of(othc, "Bulk Flower")
    first = othc.delete(f"/inventory/{lot['id']}")
    assert data(first, 202)["stat"] == 410 and first.json()["meta"]["note"] == "Inventory Delete Requested"
    assert othc.post(f"/inventory/{lot['id']}/adjust", data={"qty": 1}).status_code == 409
    assert othc.post("/inventory", json={"source": lot["id"], "output": 1}).status_code == 409
    second = othc.delete(f"/inventory/{lot['id']}")
    assert second.status_code == 410 and second.json()["meta"]["note"] == "Inventory Delete Confirmed"
    assert lot["id"] not in {x["id"] for x in data(othc.get("/inventory"))}
    assert _lot(othc, lot["id"])["stat"] == 423
    assert othc.delete(f"/inventory/{lot['id']}").status_code == 423


UNKNOWN = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
# each case: a body built from (product id, section id, a Bulk Flower lot)
BAD_POSTS = {
    "no product": lambda p, s, lot: {"section": s, "qty": 1},
    "unknown product": lambda p, s, lot: {"product": UNKNOWN, "section": s, "qty": 1},
    "no section": lambda p, s, lot: {"product": p, "qty": 1},
    "unknown variety": lambda p, s, lot: {"product": p, "section": s, "variety": UNKNOWN, "qty": 1},
    "qty text": lambda p, s, lot: {"product": p, "section": s, "qty": "lots"},
    "qty negative": lambda p, s, lot: {"product": p, "section": s, "qty": -1},
    "qty zero": lambda p, s, lot: {"product": p, "section": s, "qty": 0},
    "unknown uom": lambda p, s, lot: {"product": p, "section": s, "qty": 1, "uom": "stone"},
    "convert with no sources": lambda p, s, lot: {"source": [], "output": {"product": p, "qty": 1}},
    "convert a source twice": lambda p, s, lot: {"source": [lot["id"], lot["id"]], "output": {"product": p, "qty": 1}},
    "convert more than held": lambda p, s, lot: {"source": [{"id": lot["id"], "qty": lot["qty"] + 1}], "output": {"product": p, "qty": 1}},
    "convert without output product": lambda p, s, lot: {"source": [lot["id"]], "output": {"qty": 1}},
    "split more than held": lambda p, s, lot: {"source": lot["id"], "output": lot["qty"] + 1},
    "split of an unknown lot": lambda p, s, lot: {"source": UNKNOWN, "output": 1},
}


@pytest.mark.parametrize("case", sorted(BAD_POSTS))
def test_bad_inventory_post_is_400(othc, case):
    product = named(othc, "/product", "Bulk Flower")
    vault = named(othc, "/section", "Vault")
    body = BAD_POSTS[case](product["id"], vault["id"], lot_of(othc, "Bulk Flower"))
    r = othc.post("/inventory", json=body)
    assert r.status_code == 400, case
    assert r.json()["data"] is None and r.json()["meta"]["note"]


def test_bodies_that_are_not_objects_are_400(othc):
    assert othc.post("/inventory", content=b"{oops", headers={"content-type": "application/json"}).status_code == 400
    assert othc.post("/inventory", json=[1, 2]).status_code == 400
    lot = lot_of(othc, "Bulk Flower")
    assert othc.patch(f"/inventory/{lot['id']}", json={}).status_code == 400
    assert othc.post(f"/inventory/{lot['id']}/adjust", data={"qty": "x"}).status_code == 400
