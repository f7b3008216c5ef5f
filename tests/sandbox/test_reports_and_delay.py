"""Report routes (JSON/CSV), the manifest PDF, and eventual consistency of created objects."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from growtui.sandbox.t3.route_table import Collection
from growtui.sandbox.t3.runner import SandboxConfig
from tests.sandbox_fixtures import MAIN_LICENSE

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
NOW = [START]


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    NOW[0] = START  # a controllable world clock, reset per test
    return SandboxConfig(packages=120, visibility_delay_s=30.0, clock=lambda: NOW[0])


async def test_json_report_is_unpaged_and_filtered(asgi_client, auth_headers, sandbox_world):
    members = sandbox_world.licenses[MAIN_LICENSE].members(Collection.parse("packages/active"))
    params = {"licenseNumber": MAIN_LICENSE, "contentType": "json", "filter": "packageType__eq:Product", "sort": "label:desc"}
    body = (await asgi_client.get("/v2/packages/active/report", params=params, headers=auth_headers)).json()
    assert set(body) == {"generatedAt", "filters", "filterLogic", "sort", "licenseNumber", "data"}
    want = [p["label"] for p in members if p["packageType"] == "Product"]
    assert [r["label"] for r in body["data"]] == sorted(want, reverse=True)
    assert body["filters"] == ["packageType__eq:Product"] and body["data"][0]["index"] == "ACTIVE_PACKAGE"


async def test_csv_report_with_fieldnames(asgi_client, auth_headers, sandbox_world):
    params = {"licenseNumber": MAIN_LICENSE, "fieldnames": "name,thcLevel", "prependCsvMetadata": "false"}
    r = await asgi_client.get("/v2/strains/report", params=params, headers={**auth_headers, "Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["name", "thcLevel"] and len(rows) - 1 == len(sandbox_world.licenses[MAIN_LICENSE].strains)
    bad = await asgi_client.get("/v2/strains/report", params={"licenseNumber": MAIN_LICENSE, "contentType": "xlsx"}, headers=auth_headers)
    assert bad.status_code == 400


async def test_manifest_pdf(asgi_client, auth_headers, sandbox_world):
    manifest = next(iter(sandbox_world.licenses[MAIN_LICENSE].outgoing.values()))["manifestNumber"]
    r = await asgi_client.get("/v2/transfers/manifest", params={"licenseNumber": MAIN_LICENSE, "manifestNumber": manifest}, headers=auth_headers)
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-1.4") and r.content.rstrip().endswith(b"%%EOF")
    assert manifest.encode() in r.content


async def test_created_objects_show_up_after_the_visibility_delay(asgi_client, auth_headers, sandbox_world):
    lic = sandbox_world.licenses[MAIN_LICENSE]
    template = lic.members(Collection.parse("packages/active"))[0]
    new = {**template, "id": sandbox_world.next_id(), "label": "1A4FF0100000099999999999"}
    lic.add("packages", new)
    params = {"licenseNumber": MAIN_LICENSE, "filter": "label__eq:1A4FF0100000099999999999"}
    assert (await asgi_client.get("/v2/packages/active", params=params, headers=auth_headers)).json()["total"] == 0
    NOW[0] += timedelta(seconds=31)
    auth = {"Authorization": auth_headers["Authorization"]}
    assert (await asgi_client.get("/v2/packages/active", params=params, headers=auth)).json()["total"] == 1
