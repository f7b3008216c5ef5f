"""The transfer builder's state as plain data: what was typed, per destination, as strings.

Kept apart from the screen so it can be saved as a local draft (JSON) after every change and
turned into a ``CreateTransfer`` (``to_action``) with per-field messages for whatever does not
parse. Nothing here touches Textual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from growtui.domain.actions import (
    CreateTransfer,
    FieldError,
    SaveTransferTemplate,
    TransferDestination,
    TransferPackage,
    TransferTransporter,
    TransporterDetail,
)
from growtui.domain.models import TransferCreateInputs, TransferType
from growtui.domain.units import Dimension, Quantity, QuantityParseError, Unit, format_decimal, parse_decimal, parse_quantity

DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Destination fields a person types, in form order (ids of the builder's inputs).
TEXT_FIELDS = (
    "driver_name",
    "driver_occupational_license_number",
    "driver_license_number",
    "vehicle_make",
    "vehicle_model",
    "vehicle_license_plate_number",
    "phone_number",
    "planned_route",
    "departure",
    "arrival",
    "invoice_number",
    "gross_weight",
)


@dataclass
class LineDraft:
    package_id: int
    label: str
    item_name: str = ""
    quantity: str = ""  # "12.5 g", for the running totals
    wholesale_price: str = ""
    gross_weight: str = ""
    lab_testing_state: str = ""  # as upstream named it when scanned: a retailer may not take it


@dataclass
class DestinationDraft:
    transfer_type_id: int | None = None
    recipient: dict[str, Any] | None = None  # {id, name, license_number}
    transporter: dict[str, Any] | None = None
    driver_name: str = ""
    driver_occupational_license_number: str = ""
    driver_license_number: str = ""
    vehicle_make: str = ""
    vehicle_model: str = ""
    vehicle_license_plate_number: str = ""
    phone_number: str = ""
    planned_route: str = ""
    departure: str = ""
    arrival: str = ""
    invoice_number: str = ""
    gross_weight: str = ""
    lines: list[LineDraft] = field(default_factory=list)


@dataclass
class TransferDraft:
    destinations: list[DestinationDraft] = field(default_factory=lambda: [DestinationDraft()])
    current: int = 0
    template_name: str = ""
    in_doubt_entry: int | None = None  # journal id of a send of this draft whose fate is unknown

    # -- persistence -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TransferDraft:
        known_dest = {f.name for f in fields(DestinationDraft)}
        known_line = {f.name for f in fields(LineDraft)}
        dests = []
        for raw in data.get("destinations") or []:
            if not isinstance(raw, Mapping):
                continue
            values = {k: v for k, v in raw.items() if k in known_dest and k != "lines"}
            lines = [LineDraft(**{k: v for k, v in ln.items() if k in known_line})
                     for ln in raw.get("lines") or [] if isinstance(ln, Mapping) and "package_id" in ln]
            dests.append(DestinationDraft(**values, lines=lines))
        draft = cls(destinations=dests or [DestinationDraft()])
        draft.current = min(max(int(data.get("current") or 0), 0), len(draft.destinations) - 1)
        draft.template_name = str(data.get("template_name") or "")
        entry = data.get("in_doubt_entry")
        draft.in_doubt_entry = entry if isinstance(entry, int) else None
        return draft

    # -- editing ---------------------------------------------------------------------------------

    @property
    def dest(self) -> DestinationDraft:
        return self.destinations[self.current]

    def add_destination(self) -> DestinationDraft:
        """A new destination, copying the trip details (type, transporter, driver, times)."""
        prev = self.dest
        new = DestinationDraft(
            transfer_type_id=prev.transfer_type_id,
            transporter=prev.transporter,
            **{name: getattr(prev, name) for name in TEXT_FIELDS if name not in ("invoice_number", "gross_weight")},
        )
        self.destinations.append(new)
        self.current = len(self.destinations) - 1
        return new

    def remove_destination(self) -> None:
        if len(self.destinations) > 1:
            del self.destinations[self.current]
            self.current = min(self.current, len(self.destinations) - 1)

    def find_line(self, package_id: int) -> tuple[int, LineDraft] | None:
        for d, dest in enumerate(self.destinations):
            for line in dest.lines:
                if line.package_id == package_id:
                    return d, line
        return None

    def package_count(self) -> int:
        return sum(len(d.lines) for d in self.destinations)

    def is_empty(self) -> bool:
        return self.package_count() == 0 and all(d.recipient is None for d in self.destinations)


def totals(lines: Sequence[LineDraft]) -> str:
    """"3 packages · 1,200 g · 4 ea": the count, then the quantity summed per unit."""
    sums: dict[Unit, Decimal] = {}
    for line in lines:
        try:
            q = parse_quantity(line.quantity)
        except QuantityParseError:
            continue
        sums[q.unit] = sums.get(q.unit, Decimal(0)) + q.value
    parts = [f"{len(lines)} package{'s' if len(lines) != 1 else ''}"]
    parts.extend(f"{format_decimal(v)} {u.value}" for u, v in sums.items())
    return " · ".join(parts)


DEPARTURE_GRACE = timedelta(minutes=10)  # typing the form takes a while; a departure "now" stays valid


def parse_moment(text: str, what: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), DATETIME_FORMAT)
    except ValueError:
        raise ValueError(f"{what}: use YYYY-MM-DD HH:MM, e.g. 2026-11-23 14:30.") from None


class Builder:
    """Turns a TransferDraft into domain actions, collecting a FieldError per bad field."""

    def __init__(self, inputs: TransferCreateInputs | None, *, now: datetime | None = None) -> None:
        self.inputs = inputs
        self.now = now  # set for a transfer about to be sent: a departure before it is refused
        self.errors: list[FieldError] = []

    def _type(self, type_id: int | None) -> TransferType:
        types = self.inputs.transfer_types if self.inputs else ()
        return next((t for t in types if t.id == type_id), TransferType(id=None, name="(no type)"))

    def _weight_unit_id(self, unit: Unit) -> int | None:
        units = self.inputs.units if self.inputs else ()
        return next((u.id for u in units if u.unit is unit), None)

    def _weight(self, text: str, where: str) -> tuple[Quantity | None, int | None]:
        if not text.strip():
            return None, None
        try:
            q = parse_quantity(text, Unit.G, what="Gross weight", allow_zero=False)
        except QuantityParseError as exc:
            self.errors.append(FieldError(where, str(exc)))
            return None, None
        if q.unit.dimension is not Dimension.WEIGHT:
            return q, None  # the domain check names the problem
        return q, self._weight_unit_id(q.unit)

    def destination(self, d: int, dest: DestinationDraft) -> TransferDestination:
        where = f"destinations[{d}]"
        now = datetime(2000, 1, 1)
        departure = arrival = now
        try:
            departure = parse_moment(dest.departure, "Departure")
        except ValueError as exc:
            self.errors.append(FieldError(f"{where}.departure", str(exc)))
        else:
            if self.now is not None and departure < self.now - DEPARTURE_GRACE:
                self.errors.append(FieldError(
                    f"{where}.departure",
                    f"Departure {dest.departure.strip()} is in the past: a manifest is made before the load leaves.",
                ))
        try:
            arrival = parse_moment(dest.arrival, "Arrival")
        except ValueError as exc:
            self.errors.append(FieldError(f"{where}.estimated_arrival", str(exc)))
            arrival = departure.replace(year=departure.year + 1)  # placeholder: no second message
        packages = []
        for p, line in enumerate(dest.lines):
            price: Decimal | None = None
            if line.wholesale_price.strip():
                try:
                    price = parse_decimal(line.wholesale_price.lstrip("$"), what=f"{line.label} price")
                except QuantityParseError as exc:
                    self.errors.append(FieldError(f"{where}.packages[{p}].wholesale_price", str(exc)))
            weight, unit_id = self._weight(line.gross_weight, f"{where}.packages[{p}].gross_weight")
            packages.append(TransferPackage(line.package_id, line.label, price, weight, unit_id,
                                            lab_testing_state=line.lab_testing_state))
        detail = TransporterDetail(*(getattr(dest, n).strip() for n in TEXT_FIELDS[:6]))
        t = dest.transporter or {}
        transporter = TransferTransporter(
            t.get("id"), str(t.get("name") or ""), dest.phone_number.strip(), (detail,),
            str(t.get("license_number") or ""),
        )
        gross, gross_unit = self._weight(dest.gross_weight, f"{where}.gross_weight")
        r = dest.recipient or {}
        return TransferDestination(
            recipient_id=r.get("id"),
            recipient_name=str(r.get("name") or ""),
            transfer_type=self._type(dest.transfer_type_id),
            planned_route=dest.planned_route.strip(),
            estimated_departure=departure,
            estimated_arrival=arrival,
            packages=tuple(packages),
            transporters=(transporter,),
            recipient_license_number=str(r.get("license_number") or ""),
            invoice_number=dest.invoice_number.strip(),
            gross_weight=gross,
            gross_unit_id=gross_unit,
            recipient_facility_type=str(r.get("facility_type") or ""),
        )

    def transfer(self, draft: TransferDraft) -> CreateTransfer:
        return CreateTransfer(tuple(self.destination(d, dest) for d, dest in enumerate(draft.destinations)))

    def template(self, draft: TransferDraft) -> SaveTransferTemplate:
        return SaveTransferTemplate(draft.template_name.strip(), self.transfer(draft).destinations)
