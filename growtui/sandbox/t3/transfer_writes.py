"""Transfer writes: ``transfers/create`` and ``transfers/templates/create`` (t3-api.md §6.2, §5.8).

One body entry is one manifest; each of its destinations becomes one delivery and one row of
``transfers/outgoing/active`` (rows share the transfer ``id`` and ``manifestNumber`` and differ
by ``deliveryId``, so ``lic.outgoing`` is keyed by ``deliveryId``). Creating a transfer fills
the deliveries, delivery packages, transporters and transporter-details sub-collections and puts
its packages in transit. Templates are validated the same way (minus package eligibility and
time checks, since a template is replayed later) and kept in ``lic.transfer_templates``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.route_table import Collection, Family
from growtui.sandbox.t3.mutation_checks import (
    Apply,
    Invalid,
    Unit,
    as_list,
    as_object,
    iso_z,
    opt_id,
    opt_number,
    opt_str,
    plain,
    positive,
    req_datetime,
    req_id,
    req_list,
    req_str,
    to_wire_number,
    units_by_id,
)
from growtui.sandbox.t3.package_writes import describe, find_package, package_state
from growtui.sandbox.t3.seed import delivery_package
from growtui.sandbox.t3.store import LicenseState, Obj, classify, iso

# Lab states that may not leave the building (retests and remediation must happen first).
BLOCKED_LAB_STATES = frozenset({"TestFailed", "RetestFailed"})
DETAIL_FIELDS = (
    "driverName",
    "driverOccupationalLicenseNumber",
    "driverLicenseNumber",
    "vehicleMake",
    "vehicleModel",
    "vehicleLicensePlateNumber",
)


# ---------------------------------------------------------------------------------------------
# eligibility (shared with GET /v2/transfers/create/packages)


def packages_on_open_transfers(lic: LicenseState) -> dict[int, str]:
    """package id -> manifest number, for packages on outgoing transfers not yet received."""
    out: dict[int, str] = {}
    for row in lic.outgoing.values():
        if classify(Family.TRANSFERS_OUTGOING, row) != "active":
            continue
        for dp in lic.delivery_packages.get(row.get("deliveryId"), ()):
            out[int(dp["packageId"])] = str(row.get("manifestNumber"))
    return out


def transfer_block(pkg: Obj, on_transfer: Mapping[int, str]) -> str | None:
    """Why ``pkg`` cannot go on a new transfer, or None if it can."""
    state = package_state(pkg)
    if state == "intransit":
        return "is already in transit"
    if state != "active":
        return f"is {state}"
    manifest = on_transfer.get(pkg["id"])
    if manifest is not None:
        return f"is already on transfer {manifest}"
    lab = pkg.get("labTestingStateName")
    if lab in BLOCKED_LAB_STATES:
        return f"failed lab testing ({lab})"
    if pkg.get("productRequiresRemediation"):
        return "requires remediation"
    if not pkg.get("quantity"):
        return "is empty"
    return None


def transferable_packages(lic: LicenseState) -> list[Obj]:
    on_transfer = packages_on_open_transfers(lic)
    active = lic.members(Collection(Family.PACKAGES, "active"))
    return [p for p in active if transfer_block(p, on_transfer) is None]


# ---------------------------------------------------------------------------------------------
# validated request model


@dataclass
class _Line:
    pkg: Obj
    wholesale_price: Decimal | None
    gross_weight: Decimal | None
    gross_unit: Unit | None


@dataclass
class _Detail:
    values: dict[str, str | None]


@dataclass
class _Transporter:
    facility: Obj
    phone: str
    details: list[_Detail]


@dataclass
class _Destination:
    recipient: Obj
    transfer_type: Obj
    planned_route: str
    invoice_number: str | None
    departure: datetime
    arrival: datetime
    gross_weight: Decimal | None
    gross_unit: Unit | None
    transporters: list[_Transporter] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)


class _Checker:
    """Validates destinations against one license; ``template`` relaxes what a template may defer."""

    def __init__(self, lic: LicenseState, *, template: bool) -> None:
        self.lic = lic
        self.template = template
        self.units = units_by_id(lic.units.values())
        self.on_transfer = {} if template else packages_on_open_transfers(lic)
        self.used: dict[int, str] = {}  # package id -> where it was first used in this request

    def destinations(self, entry: Mapping[str, Any], where: str) -> list[_Destination]:
        return [
            self.destination(as_object(raw, f"{where}, destination {d}"), f"{where}, destination {d}")
            for d, raw in enumerate(req_list(entry, "destinations", where), 1)
        ]

    def destination(self, raw: Mapping[str, Any], where: str) -> _Destination:
        lic = self.lic
        recipient_id = req_id(raw, "recipientId", where)
        recipient = lic.destinations.get(recipient_id)
        if recipient is None:
            raise Invalid(f"{where}: recipient facility {recipient_id} is not an available destination")
        type_id = req_id(raw, "transferTypeId", where)
        ttype = lic.transfer_types.get(type_id)
        if ttype is None:
            raise Invalid(f"{where}: transfer type {type_id} does not exist")
        route = req_str(raw, "plannedRoute", where)
        invoice = opt_str(raw, "invoiceNumber", where)
        if ttype.get("requiresInvoiceNumber") and not (invoice or "").strip():
            raise Invalid(f"{where}: transfer type {ttype['name']!r} requires an invoiceNumber")
        departure = req_datetime(raw, "estimatedDepartureDateTime", where)
        arrival = req_datetime(raw, "estimatedArrivalDateTime", where)
        if arrival <= departure:
            raise Invalid(
                f"{where}: estimatedArrivalDateTime {iso_z(arrival)} must be after "
                f"estimatedDepartureDateTime {iso_z(departure)}"
            )
        weight, unit = self.gross(raw, where, bool(ttype.get("requiresDestinationGrossWeight")))
        dest = _Destination(recipient, ttype, route, invoice, departure, arrival, weight, unit)
        transporters = raw.get("transporters")
        if transporters is None and ttype.get("transporterFieldsEnabled", True):
            raise Invalid(f"{where}: transporters is required for transfer type {ttype['name']!r}")
        if transporters is not None:
            for t, traw in enumerate(req_list(raw, "transporters", where), 1):
                at = f"{where}, transporter {t}"
                dest.transporters.append(self.transporter(as_object(traw, at), at))
        for p, praw in enumerate(req_list(raw, "packages", where), 1):
            at = f"{where}, package {p}"
            dest.lines.append(self.line(as_object(praw, at), at, ttype))
        return dest

    def transporter(self, raw: Mapping[str, Any], where: str) -> _Transporter:
        ident = req_id(raw, "transporterId", where)
        facility = self.lic.transporter_facilities.get(ident)
        if facility is None:
            raise Invalid(f"{where}: transporter facility {ident} is not an available transporter")
        phone = req_str(raw, "phoneNumberForQuestions", where)
        details: list[_Detail] = []
        for d, draw in enumerate(req_list(raw, "transporterDetails", where), 1):
            at = f"{where}, driver {d}"
            detail = as_object(draw, at)
            values: dict[str, str | None] = {name: req_str(detail, name, at) for name in DETAIL_FIELDS}
            values["driverLayoverLeg"] = opt_str(detail, "driverLayoverLeg", at)
            details.append(_Detail(values))
        return _Transporter(facility, phone, details)

    def line(self, raw: Mapping[str, Any], where: str, ttype: Obj) -> _Line:
        pkg = find_package(self.lic, req_id(raw, "id", where), where)
        first = self.used.get(pkg["id"])
        if first is not None:
            raise Invalid(f"{where}: {describe(pkg)} is already in this request ({first})")
        self.used[pkg["id"]] = where
        if not self.template:
            reason = transfer_block(pkg, self.on_transfer)
            if reason is not None:
                raise Invalid(f"{where}: {describe(pkg)} {reason} and cannot be transferred")
        price = opt_number(raw, "wholesalePrice", where)
        if ttype.get("transactionType") == "Wholesale":
            if price is None:
                raise Invalid(
                    f"{where}: transfer type {ttype['name']!r} is Wholesale; "
                    f"wholesalePrice is required for {describe(pkg)}"
                )
            if price < 0:
                raise Invalid(f"{where}: wholesalePrice must not be negative, not {plain(price)}")
            self.price_bounds(price, ttype, where)
        weight, unit = self.gross(raw, where, bool(ttype.get("requiresPackagesGrossWeight")))
        return _Line(pkg, price, weight, unit)

    @staticmethod
    def price_bounds(price: Decimal, ttype: Obj, where: str) -> None:
        low, high = ttype.get("minimumWholesalePrice"), ttype.get("maximumWholesalePrice")
        if low is not None and price < Decimal(str(low)):
            raise Invalid(f"{where}: wholesalePrice {plain(price)} is below the minimum {low} for {ttype['name']!r}")
        if high is not None and price > Decimal(str(high)):
            raise Invalid(f"{where}: wholesalePrice {plain(price)} is above the maximum {high} for {ttype['name']!r}")

    def gross(self, raw: Mapping[str, Any], where: str, required: bool) -> tuple[Decimal | None, Unit | None]:
        weight = opt_number(raw, "grossWeight", where)
        unit_id = opt_id(raw, "grossUnitOfWeightId", where)
        if required and (weight is None or unit_id is None):
            raise Invalid(f"{where}: this transfer type requires grossWeight and grossUnitOfWeightId")
        if weight is not None:
            positive(weight, "grossWeight", where)
        unit = None
        if unit_id is not None:
            unit = self.units.get(unit_id)
            if unit is None:
                raise Invalid(f"{where}: unit of measure {unit_id} does not exist")
            if unit.quantity_type != "WeightBased":
                raise Invalid(f"{where}: grossUnitOfWeightId must be a weight unit, not {unit.abbreviation}")
        return weight, unit


# ---------------------------------------------------------------------------------------------
# transfers/create


def plan_transfers_create(lic: LicenseState, body: Any, user: str) -> Apply:
    checker = _Checker(lic, template=False)
    manifests = [
        checker.destinations(as_object(raw, f"Transfer {n}"), f"Transfer {n}")
        for n, raw in enumerate(as_list(body, "transfers/create"), 1)
    ]

    def apply() -> None:
        for destinations in manifests:
            _create_manifest(lic, destinations, user)

    return apply


def _create_manifest(lic: LicenseState, destinations: list[_Destination], user: str) -> None:
    world = lic.world
    now = iso(world.now())
    manifest = world.next_manifest()
    transfer_id = world.next_id()
    package_count = sum(len(d.lines) for d in destinations)
    all_pkgs = [line.pkg for d in destinations for line in d.lines]
    facilities = ", ".join(_facility_label(d.recipient) for d in destinations)
    details: list[Obj] = []
    for number, dest in enumerate(destinations, 1):
        delivery_id = world.next_id()
        first = dest.transporters[0] if dest.transporters else None
        first_detail = first.details[0].values if first else {}
        row: Obj = dict.fromkeys(schema.TRANSFER)
        row.update(
            id=transfer_id,
            manifestNumber=manifest,
            shipmentLicenseTypeName="Licensed",
            shipperFacilityLicenseNumber=lic.license_number,
            shipperFacilityName=lic.license_name,
            transporterFacilityLicenseNumber=first.facility["licenseNumber"] if first else "",
            transporterFacilityName=first.facility["facilityName"] if first else "",
            driverName=first_detail.get("driverName", ""),
            driverOccupationalLicenseNumber=first_detail.get("driverOccupationalLicenseNumber", ""),
            driverVehicleLicenseNumber=first_detail.get("driverLicenseNumber", ""),
            vehicleMake=first_detail.get("vehicleMake", ""),
            vehicleModel=first_detail.get("vehicleModel", ""),
            vehicleLicensePlateNumber=first_detail.get("vehicleLicensePlateNumber", ""),
            deliveryFacilities=facilities,
            deliveryCount=len(destinations),
            receivedDeliveryCount=0,
            packageCount=package_count,
            receivedPackageCount=0,
            containsPlantPackage=any(p.get("packageType") == "ImmaturePlant" for p in all_pkgs),
            containsProductPackage=any(p.get("packageType") != "ImmaturePlant" for p in all_pkgs),
            containsTradeSample=any(bool(p.get("isTradeSample")) for p in all_pkgs),
            containsDonation=any(bool(p.get("isDonation")) for p in all_pkgs),
            containsTestingSample=any(bool(p.get("isTestingSample")) for p in all_pkgs),
            containsProductRequiresRemediation=False,
            containsRemediatedProductPackage=any(bool(p.get("containsRemediatedProduct")) for p in all_pkgs),
            editCount=0,
            canEdit=True,
            canEditOutgoingInactive=False,
            isVoided=False,
            createdDateTime=now,
            createdByUserName=user,
            deliveryId=delivery_id,
            recipientFacilityId=dest.recipient["id"],
            recipientFacilityLicenseNumber=dest.recipient["licenseNumber"],
            recipientFacilityName=dest.recipient["facilityName"],
            shipmentTypeName="Transfer",
            shipmentTransactionTypeName=_transaction_name(dest.transfer_type),
            estimatedDepartureDateTime=iso_z(dest.departure),
            estimatedArrivalDateTime=iso_z(dest.arrival),
            deliveryPackageCount=len(dest.lines),
            deliveryReceivedPackageCount=0,
            rejectedPackagesReturned=False,
            transporterAllApprovalDate=now,
            destinationsAllApprovalDate=now,
            transportersAutomaticallyApproved=True,
            destinationsAutomaticallyApproved=True,
            approvalRejectedByUser="",
            PDFDocumentFileSystemId=0,
            invoiceNumber=dest.invoice_number or "",
            lineNumber=number,
        )
        lic.outgoing[delivery_id] = row
        lic.touch(row)
        lic.deliveries.setdefault(manifest, []).append(_delivery(dest, manifest, number, delivery_id))
        lic.delivery_packages[delivery_id] = [_delivery_package(line) for line in dest.lines]
        lic.delivery_transporters[delivery_id] = [
            _transporter_row(dest, t, d, now) for t in dest.transporters for d in t.details
        ]
        for t in dest.transporters:
            for d in t.details:
                details.append(_detail_row(transfer_id, delivery_id, t, d, len(details) + 1))
        for line in dest.lines:
            line.pkg.update(isInTransit=True, inTransitStatus="InTransit", transferManifestNumber=manifest)
            lic.touch(line.pkg)
            lic.add_history(
                "packages",
                line.pkg["id"],
                [f"Added to transfer {manifest} for {_facility_label(dest.recipient)}"],
                user,
            )
    lic.transporter_details[manifest] = details
    lic.add_history(
        "transfers", manifest, [f"Transfer {manifest} created with {package_count} package(s) to {facilities}"], user
    )


def _facility_label(facility: Obj) -> str:
    return f"{facility['licenseNumber']} ({facility['facilityName']})"


def _transaction_name(ttype: Obj) -> str:
    return str(ttype.get("transactionTypeName") or ttype.get("transactionType") or "Standard")


def _delivery(dest: _Destination, manifest: str, number: int, delivery_id: int) -> Obj:
    row: Obj = dict.fromkeys(schema.TRANSFER_DELIVERY)
    row.update(
        id=delivery_id,
        manifestNumber=int(manifest),  # an int in MetrcTransferDelivery (§5.8), as the seed serves it
        deliveryNumber=number,
        estimatedDepartureDateTime=iso_z(dest.departure),
        estimatedArrivalDateTime=iso_z(dest.arrival),
        deliveryPackageCount=len(dest.lines),
        deliveryReceivedPackageCount=0,
        grossWeight=to_wire_number(dest.gross_weight) if dest.gross_weight is not None else None,
        grossUnitOfWeightId=dest.gross_unit.id if dest.gross_unit else None,
        grossUnitOfWeightAbbreviation=dest.gross_unit.abbreviation if dest.gross_unit else None,
        plannedRoute=dest.planned_route,
        recipientFacilityId=dest.recipient["id"],
        recipientFacilityLicenseNumber=dest.recipient["licenseNumber"],
        recipientFacilityName=dest.recipient["facilityName"],
        rejectedPackagesReturned=False,
        shipmentTransactionTypeName=_transaction_name(dest.transfer_type),
        shipmentTypeName="Transfer",
        recipientAutoApproval=False,
        PDFDocumentFileSystemId=0,
        invoiceNumber=dest.invoice_number or "",
    )
    return row


def _delivery_package(line: _Line) -> Obj:
    return delivery_package(
        line.pkg,
        False,
        wholesale_price=to_wire_number(line.wholesale_price) if line.wholesale_price is not None else None,
        gross_weight=to_wire_number(line.gross_weight) if line.gross_weight is not None else None,
        gross_unit=line.gross_unit.abbreviation if line.gross_unit else "",
    )


def _transporter_row(dest: _Destination, t: _Transporter, d: _Detail, now: str) -> Obj:
    row: Obj = dict.fromkeys(schema.TRANSFER_TRANSPORTER)
    row.update(
        transporterFacilityLicenseNumber=t.facility["licenseNumber"],
        transporterFacilityName=t.facility["facilityName"],
        transporterDirectionName="Outbound",
        transporterApprovalDate=now,
        transporterAutoApproval=True,
        **_driver_fields(d),
        isLayover=bool(d.values["driverLayoverLeg"]),
        estimatedDepartureDateTime=iso_z(dest.departure),
        estimatedArrivalDateTime=iso_z(dest.arrival),
    )
    return row


def _driver_fields(d: _Detail) -> Obj:
    """Driver and vehicle as both the transporter and the transporter-details rows carry them."""
    v = d.values
    return {
        "driverName": v["driverName"],
        "driverOccupationalLicenseNumber": v["driverOccupationalLicenseNumber"],
        "driverVehicleLicenseNumber": v["driverLicenseNumber"],
        "driverLayoverLeg": v["driverLayoverLeg"],
        "vehicleMake": v["vehicleMake"],
        "vehicleModel": v["vehicleModel"],
        "vehicleLicensePlateNumber": v["vehicleLicensePlateNumber"],
    }


def _detail_row(transfer_id: int, delivery_id: int, t: _Transporter, d: _Detail, line: int) -> Obj:
    row: Obj = dict.fromkeys(schema.TRANSPORTER_DETAILS)
    row.update(
        shipmentPlanId=transfer_id,
        shipmentDeliveryId=delivery_id,
        transporterDirection="Outbound",
        transporterFacilityId=t.facility["id"],
        lineNumber=line,
        **_driver_fields(d),
        isVoided=False,
        receivedDeliveryCount=0,
    )
    return row


# ---------------------------------------------------------------------------------------------
# transfers/templates/create


def plan_templates_create(lic: LicenseState, body: Any, user: str) -> Apply:
    checker = _Checker(lic, template=True)
    names = {str(t.get("name", "")).casefold(): t for t in lic.transfer_templates.values()}
    templates: list[Obj] = []
    for n, raw in enumerate(as_list(body, "transfers/templates/create"), 1):
        where = f"Template {n}"
        entry = as_object(raw, where)
        name = req_str(entry, "name", where).strip()
        if name.casefold() in names:
            raise Invalid(f"{where}: a transfer template named {name!r} already exists")
        checker.destinations(entry, where)
        template = {"name": name, "destinations": copy.deepcopy(entry["destinations"])}
        names[name.casefold()] = template
        templates.append(template)

    def apply() -> None:
        now = iso(lic.world.now())
        for template in templates:
            template.update(id=lic.world.next_id(), createdDateTime=now, createdByUserName=user)
            lic.add("transfer_templates", template)

    return apply
