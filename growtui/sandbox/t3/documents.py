"""Files T3 serves (reference §7): the transfer manifest PDF, the lab-result document (the COA PDF)
and item photos (a list, then each image's bytes).

Documents are generated from the license's own records on request, so they always agree with
the JSON the same license serves.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

from starlette.responses import Response

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.pdf import Line, document, paginate
from growtui.sandbox.t3.store import LicenseState, Obj
from growtui.sandbox.t3.subs import lab_results, manifest_row, parent

routes = Routes()


def pdf_response(data: bytes, filename: str, disposition: str = "inline") -> Response:
    kind = "attachment" if disposition == "attachment" else "inline"
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'{kind}; filename="{filename}"'})


# --- transfer manifest ---------------------------------------------------------------------------


@routes.get("/v2/transfers/manifest")
def manifest_pdf(ctx: Ctx) -> Response:
    """The manifest of every delivery on ``manifestNumber`` (padded or not, as for its sub-lists)."""
    number, row = manifest_row(ctx)
    lic = ctx.license
    rows = [t for t in (*lic.outgoing.values(), *lic.incoming.values()) if t["manifestNumber"] == number]
    lines = [
        Line(f"Transfer manifest {number}", 16, bold=True),
        Line(f"Shipper: {row.get('shipperFacilityName')} ({row.get('shipperFacilityLicenseNumber')})"),
        Line(f"Created {row.get('createdDateTime')} by {row.get('createdByUserName')}"),
        Line(f"Type: {row.get('shipmentTypeName')} / {row.get('shipmentTransactionTypeName')}"),
    ]
    for n, delivery in enumerate(rows, 1):
        lines += [
            Line(""),
            Line(f"Delivery {n}: {delivery.get('recipientFacilityName')} ({delivery.get('recipientFacilityLicenseNumber')})", 12, bold=True),
            Line(f"Departs {delivery.get('estimatedDepartureDateTime')}, arrives {delivery.get('estimatedArrivalDateTime')}"),
        ]
        for carrier in lic.delivery_transporters.get(delivery.get("deliveryId"), []):
            lines.append(Line(f"Transporter {carrier.get('transporterFacilityName')}: driver {carrier.get('driverName')}, "
                              f"{carrier.get('vehicleMake')} {carrier.get('vehicleModel')} {carrier.get('vehicleLicensePlateNumber')}"))  # fmt: skip
        for pkg in lic.delivery_packages.get(delivery.get("deliveryId"), []):
            lines.append(Line(f"  {pkg.get('packageLabel')}  {pkg.get('productName')}  "
                              f"{pkg.get('shippedQuantity')} {pkg.get('shippedUnitOfMeasureAbbreviation')}", 9))  # fmt: skip
    pdf = document(paginate(lines), title=f"Manifest {number} - {lic.license_name}")
    return pdf_response(pdf, f"manifest-{number}.pdf")


# --- certificate of analysis ---------------------------------------------------------------------


@routes.get("/v2/packages/labresults/document")
def lab_result_document(ctx: Ctx) -> Response:
    """The COA behind ``labTestResultDocumentFileId`` for one package's results ("most will share just
    one or two lab test result document IDs", §7): 404 unless the package's results cite it."""
    lic = ctx.license
    pkg = parent(ctx, "packageId", lic.packages, "package")
    file_id = ctx.int_param("labTestResultDocumentFileId")
    tests = [r for r in lab_results(lic, pkg) if r.get("labTestResultDocumentFileId") == file_id]
    if not tests:
        raise ApiError(404, "NotFound", f"Package {pkg['label']} has no lab test result document {file_id}")
    return pdf_response(document(paginate(coa_lines(lic, pkg, tests)), title=f"COA {pkg['label']}"), f"coa-{pkg['label']}.pdf")


def coa_lines(lic: LicenseState, pkg: Obj, tests: list[Obj]) -> list[Line]:
    first = tests[0]
    lines = [
        Line("Certificate of Analysis", 16, bold=True),
        Line(f"Laboratory: {first['labFacilityName']} ({first['labFacilityLicenseNumber']})"),
        Line(f"Client: {lic.license_name} ({lic.license_number})"),
        Line(f"Package: {pkg['label']}  Product: {first.get('productName')}"),
        Line(f"Tested: {first.get('testPerformedDate')}  Result: {'PASSED' if first['overallPassed'] else 'FAILED'}"),
        Line(""),
    ]
    for t in tests:
        verdict = "pass" if t["testPassed"] else "FAIL"
        lines.append(Line(f"{t['testTypeName']}: {t['testResultLevel']} ({verdict})"))
    return lines


# --- item photos ---------------------------------------------------------------------------------

# MetrcItem image lists (lists of image file ids) and the fileType each photo carries
PHOTO_KINDS = (("productImages", "ItemProductImage"), ("labelImages", "ItemLabelImage"), ("packagingImages", "ItemPackagingImage"))


def item_photos(item: Obj) -> list[Obj]:
    """``MetrcItemPhoto`` rows for the images an item lists."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(item.get("name", "item")).lower()).strip("-")
    return [
        {"fileName": f"{slug}-{file_type}-{file_id}.png", "productId": item["id"], "imageFileId": int(file_id), "fileType": file_type}
        for field, file_type in PHOTO_KINDS
        for file_id in item.get(field) or ()
        if str(file_id).isdigit()
    ]


@routes.get("/v2/items/photos")
def photos(ctx: Ctx) -> dict[str, Any]:
    return ctx.paged("item-photos", item_photos(parent(ctx, "itemId", ctx.license.items, "item")))


@routes.get("/v2/items/photos/file")
def photo_file(ctx: Ctx) -> Response:
    item = parent(ctx, "itemId", ctx.license.items, "item")
    file_id = ctx.int_param("imageFileId")
    file_type = ctx.require_param("fileType")
    if not any(p["imageFileId"] == file_id and p["fileType"] == file_type for p in item_photos(item)):
        raise ApiError(404, "NotFound", f"Item {item['id']} has no {file_type} {file_id}")
    shade = zlib.crc32(str(file_id).encode())
    return Response(png(16, 16, (shade & 0x7F, 0x80 | (shade >> 8) & 0x7F, (shade >> 16) & 0x7F)), media_type="image/png")


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG (a real image any viewer opens)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
