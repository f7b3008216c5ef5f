"""What the sandbox serves beyond JSON lists: manifest and COA PDFs, item photos, labels, report
secret keys, manifest numbers however padded, and its OpenAPI description."""

from __future__ import annotations

import io
import re

import pytest

from growtui.sandbox.t3.route_table import ALL_COLLECTIONS, Collection, Family
from growtui.sandbox.t3.runner import SandboxConfig
from tests.sandbox_fixtures import CA_LOGIN, MAIN_LICENSE, bearer

pypdf = pytest.importorskip("pypdf", reason="pypdf is a [test] extra")

PARAMS = {"licenseNumber": MAIN_LICENSE}


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(packages=120)


@pytest.fixture
def lic(sandbox_world):
    return sandbox_world.licenses[MAIN_LICENSE]


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def outgoing_with_packages(lic):
    return next(t for t in lic.outgoing.values() if lic.delivery_packages.get(t["deliveryId"]))


@pytest.mark.parametrize("spelling", [str, lambda n: n.lstrip("0"), lambda n: "00" + n.lstrip("0")])
async def test_manifest_number_is_found_however_padded(asgi_client, auth_headers, lic, spelling):
    transfer = outgoing_with_packages(lic)
    number = spelling(transfer["manifestNumber"])
    for path in ("/v2/transfers/deliveries", "/v2/transfers/history", "/v2/transfers/transporter-details"):
        r = await asgi_client.get(path, params={**PARAMS, "manifestNumber": number}, headers=auth_headers)
        assert r.status_code == 200 and r.json()["data"], (path, number)
    r = await asgi_client.get("/v2/transfers/manifest", params={**PARAMS, "manifestNumber": number}, headers=auth_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pages, text = pdf_text(r.content)
    assert pages >= 1 and transfer["manifestNumber"] in text
    for pkg in lic.delivery_packages[transfer["deliveryId"]]:
        assert pkg["packageLabel"] in text


async def test_an_unknown_manifest_is_404_not_a_prefix_match(asgi_client, auth_headers):
    for number in ("9999999", "1x", ""):
        r = await asgi_client.get("/v2/transfers/deliveries", params={**PARAMS, "manifestNumber": number}, headers=auth_headers)
        assert r.status_code in (400, 404), number


async def test_lab_results_carry_dates_and_the_coa_is_a_pdf_of_them(asgi_client, auth_headers, lic):
    pkg = next(p for p in lic.packages.values() if p.get("labTestResultDocumentFileId"))
    rows = (await asgi_client.get("/v2/packages/labresults", params={**PARAMS, "packageId": pkg["id"]}, headers=auth_headers)).json()["data"]
    assert rows and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["testPerformedDate"]) for r in rows)
    doc = {**PARAMS, "packageId": pkg["id"], "labTestResultDocumentFileId": rows[0]["labTestResultDocumentFileId"]}
    r = await asgi_client.get("/v2/packages/labresults/document", params=doc, headers=auth_headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    _, text = pdf_text(r.content)
    assert "Certificate of Analysis" in text and pkg["label"] in text
    assert all(row["testTypeName"] in text for row in rows)
    wrong = {**doc, "labTestResultDocumentFileId": 1}
    assert (await asgi_client.get("/v2/packages/labresults/document", params=wrong, headers=auth_headers)).status_code == 404


async def test_super_packages_include_lab_results_with_dates(asgi_client, auth_headers):
    r = await asgi_client.get("/v2/packages/active/super", params={**PARAMS, "include": "labResults", "pageSize": 500}, headers=auth_headers)
    dates = [lab["testPerformedDate"] for row in r.json()["data"] for lab in row["labResults"]]
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)


async def test_item_photos_list_and_serve_png_files(asgi_client, auth_headers, lic):
    item = next(iter(lic.items.values()))
    photos = (await asgi_client.get("/v2/items/photos", params={**PARAMS, "itemId": item["id"]}, headers=auth_headers)).json()["data"]
    assert photos and {p["fileType"] for p in photos} <= {"ItemProductImage", "ItemLabelImage"}
    photo = photos[0]
    query = {**PARAMS, "itemId": item["id"], "imageFileId": photo["imageFileId"], "fileType": photo["fileType"]}
    r = await asgi_client.get("/v2/items/photos/file", params=query, headers=auth_headers)
    assert r.headers["content-type"] == "image/png" and r.content.startswith(b"\x89PNG\r\n\x1a\n")
    r = await asgi_client.get("/v2/items/photos/file", params={**query, "fileType": "ItemPackagingImage"}, headers=auth_headers)
    assert r.status_code == 404


def _labels_body(lic, template: str, tags: list[str], **extra):
    return {"labelTemplateLayoutId": template, "labelContentLayoutId": "PACKAGE_STANDARD", "data": tags, **extra}


async def test_label_pdf_has_a_label_per_tag_and_copy_on_the_templates_pages(asgi_client, auth_headers, lic):
    tags = [p["label"] for p in lic.members(Collection(Family.PACKAGES, "active"))[:3]]
    r = await asgi_client.post("/v2/files/labels/content-data/packages/active", json=_labels_body(lic, "THERMAL_4X2", tags), headers=auth_headers)
    content = r.json()["data"]
    assert [c["text1"] for c in content] == tags and all(c["text6"] == MAIN_LICENSE for c in content)
    body = {"labelTemplateLayoutId": "THERMAL_4X2", "labelContentLayoutId": "PACKAGE_STANDARD", "labelContentData": content,
            "renderingOptions": {"labelCopies": 2}, "disposition": "attachment"}  # fmt: skip
    r = await asgi_client.post("/v2/files/labels/generate", json=body, headers=auth_headers)
    assert r.headers["content-type"] == "application/pdf" and r.headers["content-disposition"].startswith("attachment")
    pages, text = pdf_text(r.content)
    assert pages == 6  # a thermal roll prints one label per page: 3 tags x 2 copies
    assert all(tag in text for tag in tags) and "WATERMARK" not in text
    sheet = await asgi_client.post("/v2/files/labels/generate", json={**body, "labelTemplateLayoutId": "LETTER_2X5"}, headers=auth_headers)
    assert pdf_text(sheet.content)[0] == 1  # ten labels to a letter sheet


async def test_label_requests_are_checked(asgi_client, auth_headers, lic):
    r = await asgi_client.post("/v2/files/labels/content-data/packages/active", json=_labels_body(lic, "THERMAL_4X2", ["NOPE"]), headers=auth_headers)
    assert r.status_code == 400 and "NOPE" in r.json()["error"]["message"]
    r = await asgi_client.post("/v2/files/labels/content-data/packages/active", json=_labels_body(lic, "A0_POSTER", ["x"]), headers=auth_headers)
    assert r.status_code == 400 and "THERMAL_4X2" in r.json()["error"]["message"]
    body = {"labelTemplateLayoutId": "THERMAL_4X2", "labelContentLayoutId": "PACKAGE_STANDARD",
            "labelContentData": [{"text1": "x"}], "renderingOptions": {"labelCopies": 100_000}}  # fmt: skip
    assert (await asgi_client.post("/v2/files/labels/generate", json=body, headers=auth_headers)).status_code == 400


async def test_free_users_get_watermarked_labels(asgi_client, sandbox_world):
    body = {"labelTemplateLayoutId": "THERMAL_2X1", "labelContentLayoutId": "PACKAGE_COMPACT", "labelContentData": [{"text1": "TAG1", "text2": "Item"}]}
    r = await asgi_client.post("/v2/files/labels/generate", json=body, headers=bearer(sandbox_world, "free.ca"))
    assert r.status_code == 200 and "WATERMARK" in pdf_text(r.content)[1]


async def test_report_secret_key_replaces_the_previous_one(asgi_client, auth_headers):
    first = (await asgi_client.post("/v2/auth/secretkey", json=CA_LOGIN)).json()["secretKey"]
    report = {**PARAMS, "contentType": "json"}
    assert (await asgi_client.get("/v2/strains/report", params={**report, "secretKey": first})).status_code == 200
    second = (await asgi_client.post("/v2/auth/secretkey", json=CA_LOGIN)).json()["secretKey"]
    assert (await asgi_client.get("/v2/strains/report", params={**report, "secretKey": first})).status_code == 401
    assert (await asgi_client.get("/v2/strains/report", params={**report, "secretKey": second})).status_code == 200
    assert (await asgi_client.get("/v2/strains", params={**PARAMS, "secretKey": second})).status_code == 401  # reports only
    bad = {**CA_LOGIN, "password": "wrong"}
    assert (await asgi_client.post("/v2/auth/secretkey", json=bad)).status_code == 401


async def test_transfer_reports_list_received_packages(asgi_client, auth_headers, lic):
    received = {p["packageLabel"] for t in lic.outgoing.values() if t.get("receivedDateTime") for p in lic.delivery_packages[t["deliveryId"]]}
    body = (await asgi_client.get("/v2/packages/transferred/report", params={**PARAMS, "contentType": "json"}, headers=auth_headers)).json()
    assert {row["packageLabel"] for row in body["data"]} == received
    body = (await asgi_client.get("/v2/transfers/outgoing/manifest/report", params={**PARAMS, "contentType": "json"}, headers=auth_headers)).json()
    assert {row["package.packageLabel"] for row in body["data"]} == received
    assert all(row["transfer.manifestNumber"] == row["package.manifestNumber"] for row in body["data"])


async def test_openapi_description_lists_every_served_route_without_sign_in(asgi_client, sandbox_app):
    r = await asgi_client.get("/v2/spec/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.0")
    served = {(route.path, m.lower()) for route in sandbox_app.routes for m in (route.methods or ()) if m != "HEAD"}
    assert {(path, m) for path, item in spec["paths"].items() for m in item} == served

    def names(path: str, method: str = "get") -> set[str]:
        return {p["name"] for p in spec["paths"][path][method]["parameters"]}

    # how t3api-utils picks collections: a page parameter, no parent id, not a report or create helper
    for coll in ALL_COLLECTIONS:
        assert {"licenseNumber", "page", "pageSize", "filter"} <= names(coll.path)
    assert {"packageId", "page"} <= names("/v2/packages/history")
    assert "page" not in names("/v2/transfers/manifest") and "manifestNumber" in names("/v2/transfers/manifest")
    assert "secretKey" in names("/v2/items/report") and "submit" in names("/v2/packages/notes", "post")
    assert "licenseNumber" not in names("/v2/auth/credentials", "post")


async def test_openapi_required_parameters_are_the_ones_routes_ask_for(asgi_client, auth_headers):
    """Leaving out a documented required parameter is a 400 that names it: the description and the
    handlers agree."""
    spec = (await asgi_client.get("/v2/spec/openapi.json")).json()
    checked = 0
    for path, item in spec["paths"].items():
        op = item.get("get")
        required = [p["name"] for p in (op or {}).get("parameters", []) if p["required"] and p["name"] != "licenseNumber"]
        if not required:
            continue
        r = await asgi_client.get(path, params=PARAMS, headers=auth_headers)
        assert r.status_code == 400 and required[0] in r.json()["error"]["message"], (path, r.text)
        checked += 1
    assert checked >= 15
