"""OpenTHC sign-in: /auth/open (form), /auth/ping, /auth/shut, and every way a session is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.sandbox.openthc.othc_helpers import MAIN, RETAIL, data, sign_in, sign_in_form

GOOD = sign_in_form("grower")


def _note(r) -> str:
    body = r.json()
    assert body["data"] is None
    return body["meta"]["note"]


def test_open_answers_a_token_and_a_cookie(anon):
    r = anon.post("/auth/open", data=GOOD)
    token = data(r)
    assert isinstance(token, str) and len(token) >= 40
    assert r.json()["meta"]["license"] == {"id": MAIN.id}
    assert r.cookies.get("openthc") == token


@pytest.mark.parametrize("missing", ["service-key", "company", "license", "license-key"])
def test_open_without_a_field_is_400(anon, missing):
    r = anon.post("/auth/open", data={k: v for k, v in GOOD.items() if k != missing})
    assert r.status_code == 400 and missing in _note(r)


def test_open_for_another_engine_is_400(anon):
    assert anon.post("/auth/open", data={**GOOD, "cre": "biotrack"}).status_code == 400


@pytest.mark.parametrize(
    ("case", "change", "code"),
    [
        ("wrong service key", {"service-key": "nope"}, "CAO-098"),
        ("unknown company", {"company": "010PENTHC0SANDB0XC0MPANY0Z"}, "CAO-108"),
        ("another company's license", {"license": RETAIL.id}, "CAO-125"),
        ("wrong license key", {"license-key": "nope"}, "CAO-126"),
    ],
)
def test_open_with_wrong_credentials_is_403(anon, case, change, code):
    r = anon.post("/auth/open", data={**GOOD, **change})
    assert r.status_code == 403, case
    assert code in _note(r)


def test_object_routes_need_a_bearer(anon):
    r = anon.get("/inventory")
    assert r.status_code == 401 and "MAT-021" in _note(r)
    r = anon.get("/inventory", headers={"Authorization": "Bearer not-a-session"})
    assert r.status_code == 401


def test_ping_then_shut_ends_the_session(othc):
    assert data(othc.get("/auth/ping"))["license"] == {"id": MAIN.id}
    r = othc.get("/auth/shut")
    assert r.status_code == 200 and r.json()["meta"]["note"] == "Session Shut"
    assert othc.get("/auth/ping").status_code == 401
    assert othc.get("/section").status_code == 401
    assert othc.get("/auth/shut").status_code == 401


def test_an_expired_session_is_401(othc_server, othc):
    world = othc_server.world
    later = world.now() + timedelta(seconds=world.session_ttl_s + 1)
    world.clock = lambda: later
    r = othc.get("/section")
    assert r.status_code == 401 and "MAT-030" in _note(r)


def test_the_cookie_works_instead_of_the_header(anon):
    token = sign_in(anon)
    del anon.headers["Authorization"]
    anon.cookies.set("openthc", token)
    assert anon.get("/section").status_code == 200


def test_a_session_is_one_license(anon):
    sign_in(anon, "grower", "010PENTHC0SANDB0XL1CENSE0P")
    sections = {s["name"] for s in data(anon.get("/section"))}
    assert "Clone Room" not in sections  # the processor license has no crop rooms
