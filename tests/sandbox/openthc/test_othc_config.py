"""Sections, varieties, products: create, read, update, two-step delete, 400/404/409."""

from __future__ import annotations

import pytest

from tests.sandbox.openthc.othc_helpers import data, named


def test_section_create_read_update(othc):
    made = data(othc.post("/section", data={"name": "Flower Room C", "type": "crop"}), 201)
    assert made["type"] == "crop" and len(made["id"]) == 26
    assert data(othc.get(f"/section/{made['id']}"))["name"] == "Flower Room C"
    data(othc.post(f"/section/{made['id']}", data={"name": "Flower Room C2"}))
    assert named(othc, "/section", "Flower Room C2")["id"] == made["id"]
    quarantine = data(othc.post("/section", json={"name": "Hold", "flag_quarantine": "1"}), 201)
    assert quarantine["type"] == "inventory-quarantine"


def test_two_step_delete_of_a_section(othc):
    sid = data(othc.post("/section", data={"name": "Spare", "type": "inventory"}), 201)["id"]
    first = othc.delete(f"/section/{sid}")
    assert first.status_code == 202 and first.json()["meta"]["note"] == "Section Delete Requested"
    assert data(othc.get(f"/section/{sid}"))["stat"] == 410  # marked, still listed
    assert sid in {s["id"] for s in data(othc.get("/section"))}
    assert othc.post(f"/section/{sid}", data={"name": "x"}).status_code == 409  # marked objects do not change
    assert othc.delete(f"/section/{sid}").status_code == 410
    assert sid not in {s["id"] for s in data(othc.get("/section"))}
    assert othc.delete(f"/section/{sid}").status_code == 423
    assert othc.delete(f"/section/{sid}").status_code == 423


def test_a_section_in_use_cannot_be_deleted(othc):
    vault = named(othc, "/section", "Vault")
    r = othc.delete(f"/section/{vault['id']}")
    assert r.status_code == 409 and r.json()["data"] is None


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "X", "type": "garage"}])
def test_bad_section_is_400(othc, body):
    assert othc.post("/section", data=body).status_code == 400


def test_variety_create_and_duplicate_409(othc):
    made = data(othc.post("/variety", data={"name": "Sandbox Haze", "type": "Sativa"}), 201)
    again = othc.post("/variety", data={"name": "sandbox haze"})
    assert again.status_code == 409
    assert again.json()["data"] == {"id": made["id"]} and "CSC-030" in again.json()["meta"]["note"]
    assert othc.post("/variety", data={"name": "Bad", "type": "Shrub"}).status_code == 400
    data(othc.post(f"/variety/{made['id']}", data={"type": "Hybrid"}))
    assert data(othc.get(f"/variety/{made['id']}"))["type"] == "Hybrid"
    assert [named(othc, "/variety?q=haze", "Sandbox Haze")["id"]] == [made["id"]]


def test_product_create_and_read(othc):
    types = data(othc.get("/product/type"))
    flower = next(t for t in types if t["name"] == "Flower")
    made = data(othc.post("/product", data={"name": "House Flower", "type": flower["id"], "uom": "g"}), 201)
    assert data(othc.get(f"/product/{made['id']}"))["uom"] == "g"
    assert othc.post("/product", data={"name": "No Type"}).status_code == 400
    assert othc.post("/product", data={"name": "Odd", "type": flower["id"], "uom": "furlong"}).status_code == 400


@pytest.mark.parametrize("path", ["/section/", "/variety/", "/product/", "/inventory/", "/plant/", "/lab/sample/", "/b2b/outgoing/"])
def test_unknown_ids_are_404(othc, path):
    r = othc.get(path + "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert r.status_code == 404 and r.json()["data"] is None and "Not Found" in r.json()["meta"]["note"]
    assert othc.get(path + "four_zero_four").status_code == 404  # any string is a lookup


def test_licenses_of_the_company(othc):
    rows = data(othc.get("/license"))
    assert {r["type"]["name"] for r in rows} == {"Grower", "Processor"}
