"""Trace credentials: both headers required; 401 for missing, malformed or unknown, 403 for a
suspended company or a license the account does not hold."""

from __future__ import annotations

import base64

import httpx
import pytest

from growtui.sandbox.trace.runner import headers_for
from growtui.sandbox.trace.seed import kmp_token

from tests.sandbox.trace.trace_helpers import MAIN, STRAINS

GOOD = headers_for("grower.co")
TOKEN = GOOD["Authorization"]


def _get(server, headers: dict, path: str = STRAINS, license_number: str = MAIN) -> httpx.Response:
    return httpx.get(server.base_url + path, params={"license_number": license_number}, headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("case", "headers"),
    [
        ("no headers", {}),
        ("no x-api-key", {"Authorization": TOKEN}),
        ("no Authorization", {"x-api-key": GOOD["x-api-key"]}),
        ("Bearer scheme", {**GOOD, "Authorization": TOKEN.replace("KMP-JSON", "Bearer")}),
        ("no token= part", {**GOOD, "Authorization": "KMP-JSON " + TOKEN.split("=", 1)[1]}),
        ("token not base64", {**GOOD, "Authorization": "KMP-JSON token=***"}),
        ("token without colon", {**GOOD, "Authorization": "KMP-JSON token=" + base64.b64encode(b"justone").decode()}),
        ("wrong api key", {**GOOD, "x-api-key": "not-a-key"}),
        ("wrong user key", {**GOOD, "Authorization": "KMP-JSON token=" + kmp_token("sandbox-vendor-key", "guess")}),
        ("another account's api key", {**GOOD, "x-api-key": headers_for("nursery.mi")["x-api-key"]}),
    ],
)
def test_bad_or_missing_credentials_are_401(trace_server, case, headers):
    r = _get(trace_server, headers)
    assert r.status_code == 401, case
    assert r.json()["results"] is None and r.json()["warnings"][0]["detail"]


def test_a_bad_body_never_hides_a_401(trace_server):
    r = httpx.post(trace_server.base_url + STRAINS, content=b"{not json", timeout=10)
    assert r.status_code == 401


def test_suspended_company_is_403(trace_server):
    r = _get(trace_server, headers_for("suspended.or"), path="/or/v1/config/strains", license_number="050-10045AB")
    assert r.status_code == 403


def test_license_of_another_account_is_403(trace_server):
    r = _get(trace_server, GOOD, path="/mi/v1/config/strains", license_number="AU-G-000311")
    assert r.status_code == 403
    assert "AU-G-000311" in r.json()["warnings"][0]["detail"]


def test_the_right_credentials_work(trace_server):
    assert _get(trace_server, GOOD).status_code == 200
