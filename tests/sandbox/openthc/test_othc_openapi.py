"""Every OpenTHC sandbox answer a backend would use, validated against the published OpenAPI
description in ../shared/upstream/openthc-api (see openapi_spec.py for how, and for each noted
deviation and self-contradiction). Skipped where ../shared is absent."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from growtui.sandbox.openthc.runner import OpenTHCConfig, serve_in_thread
from tests.sandbox.openthc.othc_helpers import PROCESSOR, RETAIL, data, lot_of, named, sign_in

pytest.importorskip("yaml", reason="pyyaml is in the [test] extra")
from tests.sandbox.openthc.openapi_spec import ENTRY, Recorded, Spec  # noqa: E402

pytestmark = pytest.mark.skipif(not ENTRY.exists(), reason=f"the OpenTHC OpenAPI description is not at {ENTRY} (no ../shared here)")

UNKNOWN = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
# every (method, template) the scenario must reach: a backend's whole vocabulary
EXPECTED = {
    ("POST", "/auth/open"), ("GET", "/auth/ping"), ("GET", "/auth/shut"), ("GET", "/license"),
    ("GET", "/section"), ("POST", "/section"), ("GET", "/section/{id}"), ("POST", "/section/{id}"), ("DELETE", "/section/{id}"),
    ("GET", "/variety"), ("POST", "/variety"), ("GET", "/variety/{id}"), ("POST", "/variety/{id}"), ("DELETE", "/variety/{id}"),
    ("GET", "/product"), ("POST", "/product"), ("GET", "/product/{id}"), ("GET", "/product/type"),
    ("GET", "/inventory"), ("POST", "/inventory"), ("GET", "/inventory/{id}"), ("PATCH", "/inventory/{id}"),
    ("DELETE", "/inventory/{id}"), ("POST", "/inventory/{id}/adjust"), ("POST", "/inventory/{id}/destroy"),
    ("GET", "/plant"), ("POST", "/plant"), ("GET", "/plant/{id}"), ("POST", "/plant/{id}"), ("DELETE", "/plant/{id}"),
    ("POST", "/plant/{id}/collect"), ("GET", "/plant-collect/{id}"), ("POST", "/plant-collect/{id}/commit"),
    ("POST", "/inventory/{id}/sample"), ("GET", "/lab/sample"), ("GET", "/lab/sample/{id}"), ("DELETE", "/lab/sample/{id}"),
    ("GET", "/lab/metric"), ("GET", "/lab/result"), ("POST", "/lab/result"), ("GET", "/lab/result/{id}"),
    ("GET", "/b2b"), ("POST", "/b2b"), ("GET", "/b2b/outgoing"), ("GET", "/b2b/outgoing/{id}"), ("POST", "/b2b/outgoing/{id}"),
    ("POST", "/b2b/outgoing/{id}/item"), ("POST", "/b2b/outgoing/{id}/commit"), ("DELETE", "/b2b/outgoing/{id}"),
    ("GET", "/b2b/incoming"), ("GET", "/b2b/incoming/{id}"), ("POST", "/b2b/incoming/{id}/commit"),
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec()


@pytest.fixture
def recorded() -> Iterator[tuple[list[Recorded], callable]]:
    """Clients whose every answer is recorded; meta ``{}`` (the spec-conformant switch: ping's and
    Response_Failure's schemas say object, Response_General allows an array, the reference server
    sends ``[]``)."""
    log: list[Recorded] = []

    def record(response: httpx.Response) -> None:
        response.read()
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else response.text
        log.append(Recorded(response.request.method, response.request.url.path, response.status_code, body))

    with serve_in_thread(OpenTHCConfig(lots=16, plants=8, empty_meta="object")) as server:
        clients: list[httpx.Client] = []

        def client() -> httpx.Client:
            c = httpx.Client(base_url=server.base_url, timeout=10, event_hooks={"response": [record]})
            clients.append(c)
            return c

        yield log, client
        for c in clients:
            c.close()


def _scenario(c: httpx.Client, other: httpx.Client, anon: httpx.Client) -> None:
    """One pass over every route and answer kind a backend meets (success, 400/401/403/404/409)."""
    sign_in(c)
    data(c.get("/auth/ping"))
    data(c.get("/license"))
    # config
    section = data(c.post("/section", data={"name": "Spec Room", "type": "inventory"}), 201)
    data(c.get(f"/section/{section['id']}"))
    data(c.post(f"/section/{section['id']}", data={"name": "Spec Room 2"}))
    variety = data(c.post("/variety", data={"name": "Spec Kush", "type": "Indica"}), 201)
    c.post("/variety", data={"name": "Spec Kush"})  # 409
    data(c.get(f"/variety/{variety['id']}"))
    data(c.post(f"/variety/{variety['id']}", data={"type": "Hybrid"}))
    flower_type = next(t for t in data(c.get("/product/type")) if t["name"] == "Flower")
    product = data(c.post("/product", data={"name": "Spec Flower", "type": flower_type["id"]}), 201)
    data(c.get(f"/product/{product['id']}"))
    for path in ("/section", "/variety", "/product", "/lab/metric", "/b2b", "/b2b/outgoing", "/b2b/incoming"):
        data(c.get(path))
    # inventory
    lot = data(c.post("/inventory", json={"product": product["id"], "section": section["id"], "variety": variety["id"], "qty": 2, "uom": "kg"}), 201)
    c.post("/inventory", json={"product": UNKNOWN, "section": section["id"], "qty": 1})  # 400
    data(c.get("/inventory"))
    data(c.get(f"/inventory/{lot['id']}"))
    c.get(f"/inventory/{UNKNOWN}")  # 404
    split = data(c.post("/inventory", json={"source": lot["id"], "output": 100}), 201)
    data(c.post("/inventory", json={"source": [{"id": lot["id"], "qty": 50}, split["id"]], "output": {"product": product["id"], "qty": 140}}), 201)
    data(c.post(f"/inventory/{lot['id']}/adjust", data={"qty": "1500"}), 202)
    data(c.patch(f"/inventory/{lot['id']}", json={"section": named(c, "/section", "Vault")["id"]}))
    trim = lot_of(c, "Bulk Trim")
    data(c.post(f"/inventory/{trim['id']}/destroy", data={"reason_code": "waste", "reason_text": "mould"}))
    # lab
    sample = data(c.post(f"/inventory/{lot['id']}/sample", data={"qty": "5"}), 201)
    data(c.get("/lab/sample"))
    data(c.get(f"/lab/sample/{sample['id']}"))
    metric = {"lab_metric_id": "018NY6XC00LM49CV7QP9KM9QH9", "qom": 20.5, "uom": "percent", "status": "pass"}
    result = data(c.post("/lab/result", json={"lab_sample": sample["id"], "metric_list": [metric]}), 201)
    data(c.get("/lab/result"))
    data(c.get(f"/lab/result/{result['id']}"))
    # plants
    clones = lot_of(c, "Clone")
    veg = named(c, "/section", "Veg Room")
    plants = data(c.post("/plant", data={"source": clones["id"], "section": veg["id"], "qty": "2"}))
    data(c.get("/plant"))
    data(c.get(f"/plant/{plants[0]['id']}"))
    data(c.post(f"/plant/{plants[0]['id']}", data={"section": named(c, "/section", "Flower Room A")["id"]}))
    group = data(c.post(f"/plant/{plants[0]['id']}/collect", data={"type": "raw", "qty": "900"}), 201)["id"]
    data(c.post(f"/plant/{plants[1]['id']}/collect", data={"collect_id": group, "type": "net", "qty": "120.5"}), 201)
    data(c.get(f"/plant-collect/{group}"))
    data(c.post(f"/plant-collect/{group}/commit", data={"type": "net"}))
    c.post(f"/plant-collect/{group}/commit", data={})  # 409
    # b2b
    transfer = data(c.post("/b2b", data={"type": "outgoing", "target": RETAIL.id}), 201)
    data(c.get(f"/b2b/outgoing/{transfer['id']}"))
    data(c.post(f"/b2b/outgoing/{transfer['id']}", data={"arrive_at": "2026-12-05T10:00:00Z"}))
    data(c.post(f"/b2b/outgoing/{transfer['id']}/item", data={"inventory": lot["id"], "unit_count": "10", "unit_price": "2"}))
    data(c.post(f"/b2b/outgoing/{transfer['id']}/commit"))
    incoming = data(c.get("/b2b/incoming"))[0]
    data(c.get(f"/b2b/incoming/{incoming['id']}"))
    data(c.post(f"/b2b/incoming/{incoming['id']}/commit"))
    data(c.post(f"/b2b/incoming/{incoming['id']}/accept"), 409)
    # two-step deletes, each to the locked state
    draft = data(c.post("/b2b", data={"type": "outgoing", "target": RETAIL.id}), 201)
    spare = data(c.post("/section", data={"name": "Spare"}), 201)
    for path in (f"/section/{spare['id']}", f"/variety/{variety['id']}", f"/inventory/{split['id']}", f"/plant/{plants[1]['id']}",
                 f"/lab/sample/{sample['id']}", f"/lab/result/{result['id']}", f"/b2b/outgoing/{draft['id']}"):
        for status in (202, 410, 423):
            assert c.delete(path).status_code == status, path
    # refusals: 401 (no session), 403 (wrong key; a Processor growing plants)
    anon.get("/inventory")
    anon.post("/auth/open", data={"service-key": "x", "company": "y", "license": "z", "license-key": "k"})
    sign_in(other, "grower", PROCESSOR.id)
    other.post("/plant", data={"source": lot["id"], "section": section["id"], "qty": "1"})
    data(c.get("/auth/shut"))
    c.get("/auth/ping")  # 401 after shut


def test_every_answer_matches_the_published_openapi(spec, recorded):
    log, client = recorded
    _scenario(client(), client(), client())
    reached = {(r.method, spec.template(r.path)) for r in log}
    assert EXPECTED <= reached, f"the scenario no longer reaches {sorted(EXPECTED - reached)}"
    assert {r.status for r in log} >= {200, 201, 202, 400, 401, 403, 404, 409, 410, 423}
    problems = [p for r in log for p in spec.problems(r)]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_wrong_shape(spec):
    """The check can fail: a lot without its required product, a section of an unknown type."""
    assert spec.problems(Recorded("GET", "/inventory/X", 200, {"data": {"id": "X"}, "meta": {}}))
    assert spec.problems(Recorded("GET", "/section", 200, {"data": [{"id": "S", "type": "garage"}], "meta": {}}))
    assert spec.problems(Recorded("POST", "/plant/X/collect", 200, {"data": {}, "meta": {}}))  # undeclared 200
    assert spec.problems(Recorded("GET", "/section", 200, [{"id": "S"}]))  # no envelope
    assert not spec.problems(Recorded("GET", "/section", 200, {"data": [{"id": "S", "type": "crop"}], "meta": {}}))
