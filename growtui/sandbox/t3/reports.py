"""Cheap extras of §7/§9 item 24: unpaged ``…/report`` routes (JSON or CSV).

Reports take the collection grammar's ``filter``/``filterLogic``/``sort`` plus ``contentType``
(json|csv, or the Accept header), ``fieldnames`` (comma-separated or repeated) and
``prependCsvMetadata``. JSON: ``{generatedAt, filters, filterLogic, sort, licenseNumber, data}``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from starlette.responses import Response

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.query import Query, known_fields, run_query
from growtui.sandbox.t3.route_table import Collection, Family, SubCollection
from growtui.sandbox.t3.store import LicenseState, Obj, classify

routes = Routes()

REPORTS = (
    "harvests/active", "harvests/inactive", "items", "packages/active", "packages/intransit",
    "plantbatches/active", "plants/flowering", "plants/vegetative", "strains",
)  # fmt: skip


Rows = Callable[[Ctx, Query], list[Obj]]


def _report_route(key: str, rows_of: Rows) -> None:
    def handler(ctx: Ctx) -> Any:
        lic = ctx.license
        query = Query.from_params(ctx.params)
        rows = rows_of(ctx, query)
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
    routes.get(f"/v2/{key}/report", secret_key=True)(handler)


def _collection_rows(key: str) -> Rows:
    coll = Collection.parse(key)

    def rows(ctx: Ctx, query: Query) -> list[Obj]:
        lic = ctx.license
        return [lic.emit(coll, o, ctx.retrieved_at) for o in run_query(lic.members(coll), query, known_fields(coll))]

    return rows


# --- transferred packages and manifests -------------------------------------------------------
# Both report MetrcTransferredPackage rows, whose model requires receivedDateTime and grossWeight:
# (inferred) they cover packages whose delivery was received; no gross weight recorded reads 0.


def _received(lic: LicenseState, transfers: Iterable[Obj]) -> Iterator[tuple[Obj, Obj]]:
    """(transfer row, delivery package) for every package of a received delivery."""
    for transfer in transfers:
        if transfer.get("receivedDateTime"):
            for pkg in lic.delivery_packages.get(transfer["deliveryId"], []):
                yield transfer, pkg


def transferred_package(lic: LicenseState, transfer: Obj, pkg: Obj, retrieved_at: str) -> Obj:
    """A ``MetrcTransferredPackage`` (reference §5.8) for ``pkg`` on ``transfer``'s delivery."""
    state = pkg.get("shipmentPackageState")
    row = {
        "id": pkg["packageId"], "packageId": pkg["packageId"],
        "recipientFacilityLicenseNumber": transfer["recipientFacilityLicenseNumber"],
        "recipientFacilityName": transfer["recipientFacilityName"], "manifestNumber": str(transfer["manifestNumber"]),
        "packageLabel": pkg["packageLabel"], "sourceHarvestNames": pkg.get("sourceHarvestNames"),
        "sourcePackageLabels": pkg.get("sourcePackageLabels"), "productName": pkg.get("productName") or "",
        "productCategoryName": pkg.get("productCategoryName") or "", "itemStrainName": pkg.get("itemStrainName") or "",
        "labTestingStateName": pkg.get("labTestingStateName"), "shippedQuantity": pkg["shippedQuantity"],
        "shippedUnitOfMeasureAbbreviation": pkg["shippedUnitOfMeasureAbbreviation"],
        "grossWeight": pkg.get("grossWeight") or 0, "grossUnitOfWeightAbbreviation": pkg.get("grossUnitOfWeightAbbreviation") or "g",
        "shipperWholesalePrice": pkg.get("shipperWholesalePrice"), "receivedQuantity": pkg.get("receivedQuantity") or 0,
        "receivedUnitOfMeasureAbbreviation": pkg.get("receivedUnitOfMeasureAbbreviation") or pkg["shippedUnitOfMeasureAbbreviation"],
        "receiverWholesalePrice": pkg.get("receiverWholesalePrice"),
        "shipmentPackageStateName": state if state in ("Accepted", "Rejected") else "Pending",
        "actualDepartureDateTime": transfer.get("actualDepartureDateTime"), "receivedDateTime": transfer["receivedDateTime"],
        "processingJobTypeName": None, "externalId": pkg.get("externalId"),
    }  # fmt: skip
    return lic.emit(SubCollection.DELIVERY_PACKAGES, row, retrieved_at)


def _transferred_rows(ctx: Ctx, query: Query) -> list[Obj]:
    lic = ctx.license
    rows = [transferred_package(lic, t, p, ctx.retrieved_at) for t, p in _received(lic, lic.outgoing.values())]
    return run_query(rows, query, None)


def _flat(prefix: str, obj: Obj | None) -> Obj:
    return {f"{prefix}.{k}": v for k, v in (obj or {}).items() if not isinstance(v, (dict, list))}


def _manifest_rows(direction: str) -> Rows:
    """One row per received package, flattened with ``transfer.``/``transporter.``/
    ``transporterDetails.``/``delivery.``/``package.`` keys (``T3IncomingTransferManifest``)."""
    family = Family.TRANSFERS_INCOMING if direction == "incoming" else Family.TRANSFERS_OUTGOING

    def rows(ctx: Ctx, query: Query) -> list[Obj]:
        lic = ctx.license
        out = []
        for transfer, pkg in _received(lic, getattr(lic, direction).values()):
            state = classify(family, transfer)
            coll = Collection(family, state) if state else Collection(Family.TRANSFERS_REJECTED)
            delivery_id = transfer["deliveryId"]
            number = transfer["manifestNumber"]
            delivery = next((d for d in lic.deliveries.get(number, []) if d["id"] == delivery_id), None)
            carriers = lic.delivery_transporters.get(delivery_id) or [None]
            details = [d for d in lic.transporter_details.get(number, []) if d.get("shipmentDeliveryId") == delivery_id] or [None]
            row = {
                **_flat("transfer", lic.emit(coll, transfer, ctx.retrieved_at)),
                **_flat("transporter", carriers[0] and lic.emit(SubCollection.DELIVERY_TRANSPORTERS, carriers[0], ctx.retrieved_at)),
                **_flat("transporterDetails", details[0] and lic.emit(SubCollection.TRANSFER_TRANSPORTER_DETAILS, details[0], ctx.retrieved_at)),
                **_flat("delivery", delivery and lic.emit(SubCollection.TRANSFER_DELIVERIES, delivery, ctx.retrieved_at)),
                **_flat("package", transferred_package(lic, transfer, pkg, ctx.retrieved_at)),
            }
            out.append(row)
        return run_query(out, query, None)

    return rows


for _key in REPORTS:
    _report_route(_key, _collection_rows(_key))
_report_route("packages/transferred", _transferred_rows)
_report_route("transfers/incoming/manifest", _manifest_rows("incoming"))
_report_route("transfers/outgoing/manifest", _manifest_rows("outgoing"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


