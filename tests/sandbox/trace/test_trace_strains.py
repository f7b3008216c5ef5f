"""Trace strains over real HTTP: paging, one strain, each write's state change, each bad input."""

from __future__ import annotations

import pytest

from growtui.sandbox.trace.store import STATES

from tests.sandbox.trace.trace_helpers import MAIN, STRAINS, new_strain


def _list(trace, **params) -> dict:
    r = trace.get(STRAINS, params={"license_number": MAIN, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_paging_walks_every_active_strain_once(trace):
    first = _list(trace)
    assert len(first["results"]) == 100 and first["total"] > 100  # default limit is 100
    assert first["previous"] is None and first["count"] == f"records 1-100 of {first['total']}"
    seen = [s["id"] for s in first["results"]]
    url = first["next"]
    while url:
        page = trace.get(url).json()
        assert page["previous"] is not None
        seen += [s["id"] for s in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == first["total"]
    assert all(s["entity_state"][-1]["state"] == "active" for s in first["results"])


def test_limit_offset_and_entity_state_filter(trace):
    page = _list(trace, limit=7, offset=3)
    assert len(page["results"]) == 7 and page["count"].startswith("records 4-10 of")
    assert page["results"][0]["id"] == _list(trace)["results"][3]["id"]
    deleted = _list(trace, entity_state="deleted")
    assert deleted["results"] and all(s["entity_state"][-1]["state"] == "deleted" for s in deleted["results"])
    beyond = _list(trace, offset=10_000)
    assert beyond["results"] == [] and beyond["next"] is None


def test_limit_above_the_cap_is_capped_with_a_warning(trace):
    page = _list(trace, limit=5000)
    assert page["warnings"][0]["type"] == "limit"


def test_one_strain_with_its_history(trace):
    strain = _list(trace, entity_state="third_party_tested")["results"][0]
    r = trace.get(f"{STRAINS}/{strain['id']}", params={"license_number": MAIN})
    assert r.status_code == 200
    one = r.json()["results"]
    assert one == strain and [e["state"] for e in one["entity_state"]] == ["active", "third_party_tested"]
    assert set(one["entity_state"][0]) == {"state", "date", "reason", "actioned_by"}


def test_create_then_read_back(trace):
    r = trace.post(STRAINS, json=new_strain())
    assert r.status_code == 200, r.text
    created = r.json()["results"]
    assert created["name"] == "Sandbox Sunrise" and created["entity_state"][0]["state"] == "active"
    assert created["entity_state"][0]["actioned_by"] == "grower.co"
    back = trace.get(f"{STRAINS}/{created['id']}", params={"license_number": MAIN}).json()["results"]
    assert back == created
    assert created["id"] in {s["id"] for s in _list(trace, limit=1000)["results"]}


def test_create_accepts_the_samples_license_object_and_warns(trace):
    body = new_strain(contents={"indica_percent": 50, "sativa_percent": 40}, colour="green")
    body["license"] = {"license_number": body.pop("license_number")}
    r = trace.post(STRAINS, json=body)
    assert r.status_code == 200
    types = {w["type"] for w in r.json()["warnings"]}
    assert types == {"contents", "ignored_field"}


def test_update_changes_fields_and_appends_history(trace):
    sid = trace.post(STRAINS, json=new_strain()).json()["results"]["id"]
    change = {
        "license_number": MAIN,
        "name": "Sandbox Sunset",
        "cannabinoids": {"thc_percent": 25},
        "entity_state": [{"state": "in_house_tested", "date": "2026-01-02T03:04:05Z", "reason": "lab", "actioned_by": "qa"}],
    }
    r = trace.put(f"{STRAINS}/{sid}", json=change)
    assert r.status_code == 200, r.text
    back = trace.get(f"{STRAINS}/{sid}", params={"license_number": MAIN}).json()["results"]
    assert back["name"] == "Sandbox Sunset"
    assert back["cannabinoids"] == {"cbd_percent": 0.4, "thc_percent": 25.0}  # partial update keeps the rest
    assert [e["state"] for e in back["entity_state"]] == ["active", "in_house_tested"]
    assert sid not in {s["id"] for s in _list(trace, limit=1000)["results"]}  # no longer "active"


def test_delete_deactivates_once(trace):
    sid = trace.post(STRAINS, json=new_strain()).json()["results"]["id"]
    r = trace.request("DELETE", f"{STRAINS}/{sid}", json={"license_number": MAIN})
    assert r.status_code == 200 and r.json()["results"] == {"id": sid, "deleted": True}
    back = trace.get(f"{STRAINS}/{sid}", params={"license_number": MAIN}).json()["results"]
    assert back["entity_state"][-1]["state"] == "deleted"
    assert sid in {s["id"] for s in _list(trace, entity_state="deleted", limit=1000)["results"]}
    again = trace.request("DELETE", f"{STRAINS}/{sid}", json={"license_number": MAIN}).json()
    assert again["results"] == {"id": sid, "deleted": False} and again["warnings"][0]["type"] == "already_deleted"
    assert trace.put(f"{STRAINS}/{sid}", json={"license_number": MAIN, "name": "Zombie"}).status_code == 400


GOOD_HISTORY = {"state": "active", "date": "2026-01-01T00:00:00Z", "reason": "r", "actioned_by": "me"}


@pytest.mark.parametrize(
    ("case", "over"),
    [
        ("no license_number", {"license_number": None}),
        ("no name", {"name": None}),
        ("blank name", {"name": "  "}),
        ("name not text", {"name": 42}),
        ("no cannabinoids", {"cannabinoids": None}),
        ("thc missing", {"cannabinoids": {"cbd_percent": 1}}),
        ("thc as text", {"cannabinoids": {"cbd_percent": 1, "thc_percent": "20"}}),
        ("thc over 100", {"cannabinoids": {"cbd_percent": 1, "thc_percent": 101}}),
        ("indica as bool", {"contents": {"indica_percent": True, "sativa_percent": 50}}),
        ("no contents", {"contents": None}),
        ("bad gender", {"gender": "hermaphrodite"}),
        ("breeder not text", {"breeder": 7}),
        ("history not a list", {"entity_state": {"state": "active"}}),
        ("unknown state", {"entity_state": [{**GOOD_HISTORY, "state": "flowering"}]}),
        ("history without reason", {"entity_state": [{k: v for k, v in GOOD_HISTORY.items() if k != "reason"}]}),
        ("history bad date", {"entity_state": [{**GOOD_HISTORY, "date": "yesterday"}]}),
        ("duplicate name", {"name": "Blue Dream"}),
    ],
)
def test_create_bad_input_is_400(trace, case, over):
    body = {k: v for k, v in new_strain(**over).items() if v is not None}
    r = trace.post(STRAINS, json=body)
    assert r.status_code == 400, case
    assert r.json()["results"] is None and r.json()["warnings"][0]["type"] == "error"


def test_update_may_not_set_deleted(trace):
    sid = trace.post(STRAINS, json=new_strain()).json()["results"]["id"]
    r = trace.put(f"{STRAINS}/{sid}", json={"license_number": MAIN, "entity_state": [{**GOOD_HISTORY, "state": "deleted"}]})
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("case", "path", "params"),
    [
        ("state outside the documented list", "/tx/v1/config/strains", {"license_number": MAIN}),
        ("upper-case state", "/CO/v1/config/strains", {"license_number": MAIN}),
        ("license in another state", "/ok/v1/config/strains", {"license_number": MAIN}),
        ("no license_number", STRAINS, {}),
        ("limit not a number", STRAINS, {"license_number": MAIN, "limit": "ten"}),
        ("limit zero", STRAINS, {"license_number": MAIN, "limit": 0}),
        ("negative offset", STRAINS, {"license_number": MAIN, "offset": -1}),
        ("unknown entity_state", STRAINS, {"license_number": MAIN, "entity_state": "flowering"}),
    ],
)
def test_bad_query_is_400(trace, case, path, params):
    assert trace.get(path, params=params).status_code == 400, case


def test_bad_bodies_are_400(trace):
    assert trace.post(STRAINS, content=b"{oops").status_code == 400
    assert trace.post(STRAINS, json=[new_strain()]).status_code == 400


def test_unknown_strain_is_404(trace):
    assert trace.get(f"{STRAINS}/0" * 1, params={"license_number": MAIN}).status_code == 404


def test_every_documented_state_is_routed(trace_server):
    assert len(STATES) == 22 and "ca" in STATES and "me" in STATES and "tx" not in STATES
