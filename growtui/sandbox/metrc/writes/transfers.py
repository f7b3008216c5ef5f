"""Outgoing transfer templates (§9.5): the only way v2 creates a licensed outgoing transfer.
``POST``/``PUT`` (with ``TransferTemplateId``) ``/transfers/v2/templates/outgoing``, ``DELETE …/{id}``,
and the template reads (list, deliveries, delivery packages).
A template does not move packages: they stay active until a manifest is made from it in Metrc."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc.errors import MetrcError, RowError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.seed import FACILITIES
from growtui.sandbox.metrc.writes import rows as r
from growtui.sandbox.metrc.wire import parse_when, stamp

routes = Routes()
Plan = Callable[[], Any]
Obj = dict[str, Any]
TRANSFER_TYPES = ("Transfer", "Wholesale")
_LOCAL = "%Y-%m-%dT%H:%M:%S.000"  # Estimated* times carry no offset (§7)


def _moment(row: r.Row, key: str) -> datetime:
    raw = r.text(row, key)
    try:
        return parse_when(raw or "")
    except ValueError:
        raise RowError(f"{key} '{raw}' is not a valid date and time.") from None


def _recipient(ctx: Ctx, number: str | None) -> tuple[str, str]:
    known = {f.number: f.name for f in FACILITIES}
    if number not in known:
        raise RowError(f"Recipient facility {number} does not exist.")
    if number == ctx.facility.license_number:
        raise RowError("A facility cannot transfer to itself.")
    return number, known[number]


def _destination(ctx: Ctx, dest: Any) -> tuple[Obj, list[tuple[Obj, str | None]]]:
    if not isinstance(dest, dict):
        raise RowError("Each destination must be an object.")
    recipient = _recipient(ctx, r.text(dest, "RecipientLicenseNumber"))
    kind = r.text(dest, "TransferTypeName")
    if kind not in TRANSFER_TYPES:
        raise RowError(f'The transfer type "{kind}" is invalid. Valid values are: {", ".join(TRANSFER_TYPES)}.')
    route = r.text(dest, "PlannedRoute")
    depart, arrive = _moment(dest, "EstimatedDepartureDateTime"), _moment(dest, "EstimatedArrivalDateTime")
    if arrive < depart:
        raise RowError("EstimatedArrivalDateTime must be after EstimatedDepartureDateTime.")
    packages = dest.get("Packages")
    if not isinstance(packages, list) or not packages:
        raise RowError("Packages was not specified.")
    picked = []
    for p in packages:
        if not isinstance(p, dict):
            raise RowError("Each package must be an object.")
        pkg = r.package(ctx, p, "PackageLabel")
        r.claim(ctx, "template_packages", pkg["Id"], f"Package {pkg['Label']} appears more than once in this request.")
        gross = p.get("GrossUnitOfWeightName")
        picked.append((pkg, r.unit(p, "GrossUnitOfWeightName", "WeightBased") if gross else None))
    plan = {"recipient": recipient, "kind": kind, "route": route, "depart": depart.strftime(_LOCAL), "arrive": arrive.strftime(_LOCAL),
            "invoice": r.text(dest, "InvoiceNumber", required=False)}  # fmt: skip
    return plan, picked


def _template(ctx: Ctx, row: r.Row, existing: Obj | None) -> Plan:
    """Validate a template row; the plan stores it (``existing``: replace that template's content)."""
    name = r.text(row, "Name")
    destinations = row.get("Destinations")
    if not isinstance(destinations, list) or not destinations:
        raise RowError("Destinations was not specified.")
    plans = [_destination(ctx, d) for d in destinations]
    driver = {k: r.text(row, k, required=False) for k in ("DriverName", "DriverOccupationalLicenseNumber", "DriverLicenseNumber",
                                                          "VehicleMake", "VehicleModel", "VehicleLicensePlateNumber")}  # fmt: skip

    def apply() -> int:
        fac, wid, me = ctx.facility, ctx.world.next_id, (ctx.facility.license_number, ctx.facility.name)
        first = plans[0][0]
        total = sum(len(picked) for _, picked in plans)
        if existing is not None:
            _drop_deliveries(ctx, existing["Id"])
        template = shapes.transfer(existing["Id"] if existing else wid(), 0, "", me, first["recipient"], stamp(ctx.world.now()), first["depart"], first["arrive"], total)
        template.update(Name=name, ManifestNumber=None, DeliveryCount=len(plans), **{k: v or "" for k, v in driver.items() if k != "DriverLicenseNumber"})
        template["DriverVehicleLicenseNumber"] = driver["DriverLicenseNumber"] or ""
        for number, (plan, picked) in enumerate(plans, start=1):
            d = shapes.delivery(wid(), number, None, plan["recipient"], plan["depart"], plan["arrive"], len(picked), plan["route"], template["Id"])
            d.update(ShipmentTypeName=plan["kind"], ShipmentTransactionType="Wholesale" if plan["kind"] == "Wholesale" else "Standard", InvoiceNumber=plan["invoice"], _Template=True)
            template["DeliveryId"] = template["DeliveryId"] or d["Id"]
            fac.add("deliveries", d, touched=False)
            for pkg, gross in picked:
                fac.add("delivery_packages", shapes.delivery_package(d["Id"], pkg, fac.items[pkg["_ItemId"]], "Shipped", gross), touched=False)
        if existing is not None:
            existing.clear()
            existing.update(template)
            fac.touch(existing)
            return existing["Id"]
        return fac.add("templates", template)["Id"]

    return apply


def _drop_deliveries(ctx: Ctx, template_id: int) -> None:
    fac = ctx.facility
    for d in [d for d in fac.deliveries.values() if d["_TransferId"] == template_id]:
        for key in [k for k, p in fac.delivery_packages.items() if p["_DeliveryId"] == d["Id"]]:
            del fac.delivery_packages[key]
        del fac.deliveries[d["Id"]]


@routes.write("POST", "/transfers/v2/templates/outgoing", ids=True)
def create_template(ctx: Ctx, row: r.Row) -> Plan:
    return _template(ctx, row, None)


@routes.write("PUT", "/transfers/v2/templates/outgoing", ids=False)
def update_template(ctx: Ctx, row: r.Row) -> Plan:
    tid = row.get("TransferTemplateId")
    existing = ctx.facility.templates.get(tid) if isinstance(tid, int) else None
    if existing is None:
        raise RowError(f"Transfer template {tid} does not exist in the current Facility.")
    r.claim(ctx, "templates", tid, f"Transfer template {tid} appears more than once in this request.")
    return _template(ctx, row, existing)


@routes.delete("/transfers/v2/templates/outgoing/{template_id:int}")
def delete_template(ctx: Ctx, template_id: int) -> None:
    if ctx.facility.templates.pop(template_id, None) is None:
        raise MetrcError(404, f"Transfer template {template_id} was not found.")
    _drop_deliveries(ctx, template_id)


@routes.get("/transfers/v2/templates/outgoing")
def templates(ctx: Ctx) -> dict[str, Any]:
    return ctx.page("templates", list(ctx.facility.templates.values()), windowed=True)


@routes.get("/transfers/v2/templates/outgoing/{template_id:int}/deliveries")
def template_deliveries(ctx: Ctx, template_id: int) -> dict[str, Any]:
    fac = ctx.facility
    if template_id not in fac.templates:
        raise MetrcError(404, f"Transfer template {template_id} was not found.")
    return ctx.page("deliveries", [d for d in fac.deliveries.values() if d["_TransferId"] == template_id], windowed=False)


@routes.get("/transfers/v2/templates/outgoing/deliveries/{delivery_id:int}/packages")
def template_delivery_packages(ctx: Ctx, delivery_id: int) -> dict[str, Any]:
    fac = ctx.facility
    d = fac.deliveries.get(delivery_id)
    if d is None or not d.get("_Template"):
        raise MetrcError(404, f"Template delivery {delivery_id} was not found.")
    return ctx.page("delivery_packages", [p for p in fac.delivery_packages.values() if p["_DeliveryId"] == delivery_id], windowed=False)
