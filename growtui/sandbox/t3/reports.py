"""Cheap extras of §7/§9 item 24: unpaged ``…/report`` routes (JSON or CSV) and a manifest PDF.

Reports take the collection grammar's ``filter``/``filterLogic``/``sort`` plus ``contentType``
(json|csv, or the Accept header), ``fieldnames`` (comma-separated or repeated) and
``prependCsvMetadata``. JSON: ``{generatedAt, filters, filterLogic, sort, licenseNumber, data}``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from starlette.responses import Response

from growtui.sandbox.t3.route_table import Collection
from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.query import Query, known_fields, run_query

routes = Routes()

REPORTS = (
    "harvests/active", "harvests/inactive", "items", "packages/active", "packages/intransit",
    "plantbatches/active", "plants/flowering", "plants/vegetative", "strains",
)  # fmt: skip


def _report_route(key: str) -> None:
    coll = Collection.parse(key)

    def handler(ctx: Ctx) -> Any:
        lic = ctx.license
        query = Query.from_params(ctx.params)
        rows = [lic.emit(coll, o, ctx.retrieved_at) for o in run_query(lic.members(coll), query, known_fields(coll))]
        names = [n.strip() for raw in ctx.params.getlist("fieldnames") for n in raw.split(",") if n.strip()]
        if names:
            rows = [{n: row.get(n) for n in names} for row in rows]
        kind = (ctx.params.get("contentType") or "").lower()
        if not kind:
            kind = "csv" if "text/csv" in ctx.request.headers.get("accept", "") else "json"
        if kind == "json":
            return {"generatedAt": ctx.retrieved_at, "filters": list(query.filters), "filterLogic": query.logic,
                    "sort": query.sort, "licenseNumber": lic.license_number, "data": rows}  # fmt: skip
        if kind != "csv":
            raise ApiError(400, "BadRequest", f"contentType must be json or csv, not {kind!r}")
        out = io.StringIO()
        if (ctx.params.get("prependCsvMetadata") or "true").lower() != "false":
            out.write(f"Generated At,{ctx.retrieved_at}\nLicense Number,{lic.license_number}\nReport,{key}\n\n")
        columns = names or (list(rows[0]) if rows else [])
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return Response(out.getvalue(), media_type="text/csv")

    handler.__name__ = f"{key.replace('/', '_')}_report"
    routes.get(f"/v2/{key}/report")(handler)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


for _key in REPORTS:
    _report_route(_key)


@routes.get("/v2/transfers/manifest")
def manifest_pdf(ctx: Ctx) -> Response:
    """A one-page PDF naming the manifest (enough for "download and open" flows)."""
    number = ctx.require_param("manifestNumber")
    lic = ctx.license
    if not any(t["manifestNumber"] == number for t in (*lic.outgoing.values(), *lic.incoming.values())):
        raise ApiError(404, "NotFound", f"No transfer with manifest {number} in license {lic.license_number}")
    return Response(tiny_pdf(f"Sandbox manifest {number} - {lic.license_name}"), media_type="application/pdf")


def tiny_pdf(text: str) -> bytes:
    """A valid single-page PDF showing ``text`` (ASCII; parentheses and backslashes escaped)."""
    safe = "".join(c for c in text if 32 <= ord(c) < 127).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
