"""T3Backend.documents against the real sandbox: COA and manifest PDFs, T3-rendered label PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from t3_sandbox_helpers import CA_MAIN, fresh_app, signed_in

from growtui.backends.base import BackendError, DocumentSource
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.documents import DocumentKind, LabelSize

ACTIVE = Collection(Family.PACKAGES, "active")
OUTGOING = Collection(Family.TRANSFERS_OUTGOING, "active")


@pytest.fixture(scope="module")
def app():
    return fresh_app()


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def _rows(backend, collection, size=200):
    return (await backend.fetch_page(CA_MAIN, collection, 1, size)).rows


async def test_coa_of_a_tested_package_is_its_lab_pdf(app):
    async with signed_in(app) as backend:
        assert isinstance(backend, DocumentSource)
        for raw in await _rows(backend, ACTIVE):
            results = (await backend.fetch_sub(CA_MAIN, SubCollection.PACKAGE_LAB_RESULTS, raw["id"])).rows
            if any(r.get("labTestResultDocumentFileId") for r in results):
                break
        else:
            pytest.fail("the seed has no tested package")
        files = await backend.documents(CA_MAIN, DocumentKind.COA, ACTIVE, [raw])
        ids = {r["labTestResultDocumentFileId"] for r in results if r.get("labTestResultDocumentFileId")}
        assert len(files) == len(ids) >= 1
        assert files[0].media_type == "application/pdf" and files[0].name.endswith(".pdf")
        assert raw["label"] in text_of(files[0].data)


async def test_untested_package_has_no_coa(app):
    async with signed_in(app) as backend:
        for raw in await _rows(backend, ACTIVE):
            results = (await backend.fetch_sub(CA_MAIN, SubCollection.PACKAGE_LAB_RESULTS, raw["id"])).rows
            if not results:
                break
        else:
            pytest.skip("every seeded package is tested")
        assert await backend.documents(CA_MAIN, DocumentKind.COA, ACTIVE, [raw]) == []


async def test_manifest_pdf_names_its_number(app):
    async with signed_in(app) as backend:
        rows = [r for r in await _rows(backend, OUTGOING) if r.get("manifestNumber")][:2]
        assert rows, "the seed has no outgoing transfer"
        files = await backend.documents(CA_MAIN, DocumentKind.MANIFEST, OUTGOING, rows + rows)
        assert len(files) == len({r["manifestNumber"] for r in rows})  # one per manifest, not per row
        assert f"Transfer manifest {rows[0]['manifestNumber']}" in text_of(files[0].data)


async def test_label_pdf_is_rendered_by_t3_with_every_tag(app):
    async with signed_in(app) as backend:
        rows = (await _rows(backend, ACTIVE))[:3]
        (pdf,) = await backend.documents(CA_MAIN, DocumentKind.LABELS, ACTIVE, rows, size=LabelSize(4, 2))
        reader = PdfReader(io.BytesIO(pdf.data))
        assert len(reader.pages) == 3  # one 4x2 label per page of the thermal roll
        assert float(reader.pages[0].mediabox.width) == pytest.approx(4 * 72)
        text = text_of(pdf.data)
        assert all(r["label"] in text for r in rows)


async def test_labels_t3_cannot_lay_out_are_left_to_growtui(app):
    async with signed_in(app) as backend:
        rows = (await _rows(backend, ACTIVE))[:1]
        odd = LabelSize(3.0, 1.5)  # no T3 layout of this size
        assert await backend.documents(CA_MAIN, DocumentKind.LABELS, ACTIVE, rows, size=odd) == []
        inactive = Collection(Family.PACKAGES, "inactive")
        assert await backend.documents(CA_MAIN, DocumentKind.LABELS, inactive, rows) == []


async def test_a_missing_document_is_a_clear_error(app):
    async with signed_in(app) as backend:
        with pytest.raises(BackendError) as caught:
            await backend.client.get_file(
                "/v2/packages/labresults/document",
                [("licenseNumber", CA_MAIN), ("packageId", 1), ("labTestResultDocumentFileId", 999999999)],
                token=backend._token(), license_number=CA_MAIN,
            )
        assert caught.value.status == 404
