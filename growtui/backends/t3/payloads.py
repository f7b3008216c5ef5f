"""Domain action intents -> T3 write requests: (path, JSON body) per the T3 spec's
request schemas.

The caller adds the ``licenseNumber`` and ``submit`` query params. Bodies follow the 0.6.0
schemas exactly: arrays for packages/notes, packages/unfinish, packages/create, strains/create,
transfers/create and transfers/templates/create; a single object for items/discontinue and
strains/discontinue. Numbers are JSON numbers (ints when whole, else floats rounded to 4
places), dates ``YYYY-MM-DD``, date-times ISO-8601. Optional fields are left out rather than
sent as null, because Metrc rejects nulls where it expects numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from growtui.domain.actions import (
    AddNote,
    CreatePackage,
    CreateStrain,
    CreateTransfer,
    DiscontinueItem,
    DiscontinueStrain,
    SaveTransferTemplate,
    TransferDestination,
    TransferPackage,
    TransferTransporter,
    Unfinish,
)
from growtui.domain.units import quantize

Json = dict[str, Any]


class PayloadError(ValueError):
    """The action lacks something T3 needs (usually an id the form should have picked)."""


def json_number(value: Decimal | int) -> int | float:
    """A Decimal as a JSON number: whole values as int, others rounded to 4 places as float."""
    if isinstance(value, int):
        return value
    if not value.is_finite():
        raise PayloadError(f"{value} is not a number T3 accepts")
    q = quantize(value)
    return int(q) if q == q.to_integral_value() else float(q)


def json_date(value: date) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def json_datetime(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _need(value: int | None, what: str) -> int:
    if value is None:
        raise PayloadError(f"T3 needs {what}; choose it from the list so its id is known.")
    return value


def _notes(action: AddNote) -> list[Json]:
    return [{"id": pid, "note": action.note} for pid in action.package_ids]


def _unfinish(action: Unfinish) -> list[Json]:
    return [{"id": pid} for pid in action.package_ids]


def _create_package(action: CreatePackage) -> list[Json]:
    ingredients: list[Json] = []
    for ing in action.ingredients:
        entry: Json = {
            "packageId": ing.package_id,
            "quantity": json_number(ing.quantity.value),
            "unitOfMeasureId": _need(ing.unit_of_measure_id, f"the unit id of {ing.label}'s quantity"),
        }
        finish = ing.finish_date(action.actual_date)
        if finish is not None:
            entry["finishDate"] = json_date(finish)
        ingredients.append(entry)
    body: Json = {
        "actualDate": json_date(action.actual_date),
        "ingredients": ingredients,
        "itemId": _need(action.item_id, "the item's id"),
        "locationId": _need(action.location_id, "the location's id"),
        "quantity": json_number(action.quantity.value),
        "tagId": _need(action.tag_id, f"the id of tag {action.tag}"),
        "unitOfMeasureId": _need(action.unit_of_measure_id, "the unit of measure's id"),
    }
    if action.note:
        body["note"] = action.note
    if action.production_batch_number:
        body["productionBatchNumber"] = action.production_batch_number
    for key, value in (
        ("expirationDate", action.expiration_date),
        ("useByDate", action.use_by_date),
        ("sellByDate", action.sell_by_date),
    ):
        if value is not None:
            body[key] = json_date(value)
    return [body]


def _create_strain(action: CreateStrain) -> list[Json]:
    return [
        {
            "name": action.name,
            "cbdLevel": json_number(action.cbd_level),
            "thcLevel": json_number(action.thc_level),
            "indicaPercentage": json_number(action.indica_percentage),
            "sativaPercentage": json_number(action.sativa_percentage),
            "testingStatus": action.testing_status,
        }
    ]


def _transporter(t: TransferTransporter) -> Json:
    details = []
    for d in t.details:
        detail: Json = {
            "driverName": d.driver_name,
            "driverOccupationalLicenseNumber": d.driver_occupational_license_number,
            "driverLicenseNumber": d.driver_license_number,
            "vehicleMake": d.vehicle_make,
            "vehicleModel": d.vehicle_model,
            "vehicleLicensePlateNumber": d.vehicle_license_plate_number,
        }
        if d.driver_layover_leg:
            detail["driverLayoverLeg"] = d.driver_layover_leg
        details.append(detail)
    return {
        "transporterId": _need(t.transporter_id, f"the id of transporter {t.name or '(unnamed)'}"),
        "phoneNumberForQuestions": t.phone_number,
        "transporterDetails": details,
    }


def _transfer_package(p: TransferPackage) -> Json:
    entry: Json = {"id": p.package_id}
    if p.wholesale_price is not None:
        entry["wholesalePrice"] = json_number(p.wholesale_price)
    if p.gross_weight is not None:
        entry["grossWeight"] = json_number(p.gross_weight.value)
        entry["grossUnitOfWeightId"] = _need(p.gross_unit_id, f"the unit id of {p.label}'s gross weight")
    return entry


def _destination(d: TransferDestination) -> Json:
    body: Json = {
        "recipientId": _need(d.recipient_id, "the destination facility's id"),
        "plannedRoute": d.planned_route,
        "transferTypeId": _need(d.transfer_type.id, "the transfer type's id"),
        "estimatedDepartureDateTime": json_datetime(d.estimated_departure),
        "estimatedArrivalDateTime": json_datetime(d.estimated_arrival),
        "transporters": [_transporter(t) for t in d.transporters],
        "packages": [_transfer_package(p) for p in d.packages],
    }
    if d.invoice_number:
        body["invoiceNumber"] = d.invoice_number
    if d.gross_weight is not None:
        body["grossWeight"] = json_number(d.gross_weight.value)
        body["grossUnitOfWeightId"] = _need(d.gross_unit_id, "the unit id of the gross weight")
    return body


def _create_transfer(action: CreateTransfer) -> list[Json]:
    return [{"destinations": [_destination(d) for d in action.destinations]}]


def _save_template(action: SaveTransferTemplate) -> list[Json]:
    return [{"name": action.name, "destinations": [_destination(d) for d in action.destinations]}]


_ROUTES: dict[type, tuple[str, Callable[[Any], Any]]] = {
    AddNote: ("/v2/packages/notes", _notes),
    Unfinish: ("/v2/packages/unfinish", _unfinish),
    CreatePackage: ("/v2/packages/create", _create_package),
    CreateStrain: ("/v2/strains/create", _create_strain),
    DiscontinueStrain: ("/v2/strains/discontinue", lambda a: {"id": a.strain_id}),
    DiscontinueItem: ("/v2/items/discontinue", lambda a: {"id": a.item_id}),
    CreateTransfer: ("/v2/transfers/create", _create_transfer),
    SaveTransferTemplate: ("/v2/transfers/templates/create", _save_template),
}

SUPPORTED_ACTIONS: tuple[type, ...] = tuple(_ROUTES)


def action_to_request(action: Any) -> tuple[str, Any]:
    """Return ``(path, json_body)`` for a domain action, e.g. ``("/v2/packages/notes", [...])``.

    Raises ``TypeError`` for an action T3 cannot express and ``PayloadError`` (a ValueError)
    when the action lacks an id T3 needs.
    """
    try:
        path, build = _ROUTES[type(action)]
    except KeyError:
        raise TypeError(f"T3 has no request for {type(action).__name__}") from None
    return path, build(action)
