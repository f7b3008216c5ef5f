"""Plants: create from a clone lot, modify, collect raw and net, commit into a lot, two-step delete."""

from __future__ import annotations

import pytest

from tests.sandbox.openthc.othc_helpers import PROCESSOR, data, lot_of, named, sign_in


def _new_plants(othc, count: int = 3) -> tuple[list[dict], dict]:
    clones = lot_of(othc, "Clone")
    veg = named(othc, "/section", "Veg Room")
    made = data(othc.post("/plant", data={"source": clones["id"], "section": veg["id"], "qty": str(count)}))
    return made, clones


def test_create_from_a_source_lot(othc):
    made, clones = _new_plants(othc, 3)
    assert len(made) == 3 and all(p["variety"]["id"] == clones["variety"]["id"] for p in made)
    assert data(othc.get(f"/inventory/{clones['id']}"))["qty"] == clones["qty"] - 3
    assert {p["id"] for p in made} <= {p["id"] for p in data(othc.get("/plant"))}


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("no source", {"source": ""}),
        ("a lot that is not seeds or clones", {"source": "FLOWER"}),
        ("more plants than clones", {"qty": "100000"}),
        ("fractional plants", {"qty": "1.5"}),
        ("unknown section", {"section": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
        ("unknown variety", {"variety": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
    ],
)
def test_bad_plant_create_is_400(othc, case, change):
    clones = lot_of(othc, "Clone")
    body = {"source": clones["id"], "section": named(othc, "/section", "Veg Room")["id"], "qty": "1", **change}
    if body["source"] == "FLOWER":
        body["source"] = lot_of(othc, "Bulk Flower")["id"]
    assert othc.post("/plant", data=body).status_code == 400, case


def test_only_a_grower_license_grows(anon):
    sign_in(anon, "grower", PROCESSOR.id)
    r = anon.post("/plant", data={"source": "x", "section": "y", "qty": "1"})
    assert r.status_code == 403 and r.json()["data"] is None


def test_modify_variety_and_section(othc):
    plant = _new_plants(othc, 1)[0][0]
    flower = named(othc, "/section", "Flower Room A")
    og = named(othc, "/variety", "OG Kush")
    changed = data(othc.post(f"/plant/{plant['id']}", data={"section": flower["id"], "variety": og["id"]}))
    assert changed["section"] == {"id": flower["id"]} and changed["variety"] == {"id": og["id"], "name": "OG Kush"}
    assert othc.post(f"/plant/{plant['id']}", data={}).status_code == 400


def test_collect_raw_then_net_then_commit_into_a_lot(othc):
    plants, _ = _new_plants(othc, 2)
    first = data(othc.post(f"/plant/{plants[0]['id']}/collect", data={"type": "raw", "qty": "1.5", "uom": "kg"}), 201)
    group = first["id"]
    assert first["qty"] == 1500.0 and first["uom"] == "g" and first["plant"] == {"id": plants[0]["id"]}
    data(othc.post(f"/plant/{plants[1]['id']}/collect", data={"collect_id": group, "type": "raw", "qty": "2", "uom": "lb"}), 201)
    for plant in plants:
        data(othc.post(f"/plant/{plant['id']}/collect", data={"collect_id": group, "type": "net", "qty": "100.25"}), 201)
    summary = data(othc.get(f"/plant-collect/{group}"))
    assert summary["raw"] == 2407.1847 and summary["net"] == 200.5 and summary["type"] == "net"
    committed = data(othc.post(f"/plant-collect/{group}/commit", data={"type": "net"}))
    lot = data(othc.get(f"/inventory/{committed['inventory']['id']}"))
    assert lot["qty"] == 200.5 and lot["uom"] == "g" and lot["variety"]["id"] == plants[0]["variety"]["id"]
    assert othc.post(f"/plant-collect/{group}/commit", data={}).status_code == 409
    r = othc.post(f"/plant/{plants[0]['id']}/collect", data={"collect_id": group, "type": "net", "qty": "1"})
    assert r.status_code == 409


@pytest.mark.parametrize(
    ("case", "body"),
    [
        ("no type", {"qty": "1"}),
        ("wet is not a collect type", {"type": "wet", "qty": "1"}),
        ("litres are not a collect unit", {"type": "raw", "qty": "1", "uom": "l"}),
        ("no qty", {"type": "raw"}),
        ("bad date", {"type": "raw", "qty": "1", "date": "tuesday"}),
        ("unknown group", {"type": "raw", "qty": "1", "collect_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
    ],
)
def test_bad_collect_is_400(othc, case, body):
    plant = data(othc.get("/plant"))[0]
    assert othc.post(f"/plant/{plant['id']}/collect", data=body).status_code == 400, case


def test_commit_without_net_weight_is_400(othc):
    plant = data(othc.get("/plant"))[0]
    group = data(othc.post(f"/plant/{plant['id']}/collect", data={"type": "raw", "qty": "10"}), 201)["id"]
    assert othc.post(f"/plant-collect/{group}/commit", data={}).status_code == 400
    assert data(othc.post(f"/plant-collect/{group}/commit", data={"qty": "1", "uom": "oz"}))["inventory"]["id"]


def test_two_step_delete_of_a_plant(othc):
    plant = data(othc.get("/plant"))[0]
    assert data(othc.delete(f"/plant/{plant['id']}"), 202)["stat"] == 410
    assert othc.post(f"/plant/{plant['id']}/collect", data={"type": "raw", "qty": "1"}).status_code == 409
    assert othc.delete(f"/plant/{plant['id']}").status_code == 410
    assert plant["id"] not in {p["id"] for p in data(othc.get("/plant"))}
    assert othc.delete(f"/plant/{plant['id']}").status_code == 423
