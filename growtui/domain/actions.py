"""What a user asked the track-and-trace system to do, as plain immutable intents.

An action is built by a form, shown for confirmation (``summary`` + ``detail_lines``), checked
client-side (``validate``, pure, no IO) and handed to a backend, which turns it into its own
request (T3: ``growtui.backends.t3.payloads``). Actions carry both ids (what APIs like T3 want)
and labels/names (what people read and what Metrc-style APIs want).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from growtui.domain.models import TransferType
from growtui.domain.tags import tag_problem
from growtui.domain.transfers import is_retailer, phone_problem, retail_lab_problem
from growtui.domain.units import Dimension, Quantity, format_decimal

STRAIN_TESTING_STATUSES = ("None", "InHouse", "ThirdParty")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class FieldError:
    path: str  # "destinations[0].packages[2].wholesale_price"; "" for the whole action
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@runtime_checkable
class Action(Protocol):
    def summary(self) -> str: ...

    def detail_lines(self) -> list[str]: ...

    def validate(self) -> list[FieldError]: ...


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _check_packages(ids: tuple[int, ...], labels: tuple[str, ...]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not ids:
        errors.append(FieldError("package_ids", "Select at least one package."))
    if labels and len(labels) != len(ids):
        errors.append(FieldError("labels", f"{len(labels)} labels for {len(ids)} packages."))
    seen: set[int] = set()
    for i, pid in enumerate(ids):
        if pid in seen:
            errors.append(FieldError(f"package_ids[{i}]", f"{_name(labels, i, pid)} is listed twice."))
        seen.add(pid)
    return errors


def _name(labels: tuple[str, ...], i: int, pid: object) -> str:
    return labels[i] if i < len(labels) and labels[i] else f"Package {pid}"


def _tag_lines(ids: tuple[int, ...], labels: tuple[str, ...]) -> list[str]:
    return [_name(labels, i, pid) for i, pid in enumerate(ids)]


# ---------------------------------------------------------------------------------------------
# Packages


@dataclass(frozen=True, slots=True)
class AddNote:
    package_ids: tuple[int, ...]
    labels: tuple[str, ...]
    note: str

    def summary(self) -> str:
        return f"Add note to {_plural(len(self.package_ids), 'package')}"

    def detail_lines(self) -> list[str]:
        return [f"Note: {self.note}", *_tag_lines(self.package_ids, self.labels)]

    def validate(self) -> list[FieldError]:
        errors = _check_packages(self.package_ids, self.labels)
        if not self.note.strip():
            errors.append(FieldError("note", "Write a note."))
        return errors


@dataclass(frozen=True, slots=True)
class Unfinish:
    package_ids: tuple[int, ...]
    labels: tuple[str, ...] = ()

    def summary(self) -> str:
        return f"Unfinish {_plural(len(self.package_ids), 'package')}"

    def detail_lines(self) -> list[str]:
        return _tag_lines(self.package_ids, self.labels)

    def validate(self) -> list[FieldError]:
        return _check_packages(self.package_ids, self.labels)


@dataclass(frozen=True, slots=True)
class Ingredient:
    package_id: int
    label: str
    quantity: Quantity
    unit_of_measure_id: int | None = None  # the backend's id for quantity.unit (T3 needs it)
    finish: bool | date = False  # True: finish on the new package's date; a date: on that day
    available: Quantity | None = None  # the source's quantity on hand, when the form knows it

    def finish_date(self, actual_date: date) -> date | None:
        if self.finish is True:
            return actual_date
        return self.finish if isinstance(self.finish, date) else None


@dataclass(frozen=True, slots=True)
class CreatePackage:
    tag: str  # label of the new package's tag
    tag_id: int | None
    item_id: int | None
    item_name: str
    location_id: int | None
    location_name: str
    quantity: Quantity
    unit_of_measure_id: int | None
    ingredients: tuple[Ingredient, ...]
    actual_date: date
    production_batch_number: str = ""
    note: str = ""
    expiration_date: date | None = None
    use_by_date: date | None = None
    sell_by_date: date | None = None

    def summary(self) -> str:
        what = f"{self.quantity} of {self.item_name}" if self.item_name else str(self.quantity)
        return f"Create package {self.tag} ({what}) from {_plural(len(self.ingredients), 'package')}"

    def detail_lines(self) -> list[str]:
        lines = [
            f"New tag: {self.tag}",
            f"Item: {self.item_name}",
            f"Location: {self.location_name}",
            f"Quantity: {self.quantity}",
            f"Date: {self.actual_date.isoformat()}",
        ]
        if self.production_batch_number:
            lines.append(f"Production batch: {self.production_batch_number}")
        for label, when in (
            ("Expires", self.expiration_date),
            ("Use by", self.use_by_date),
            ("Sell by", self.sell_by_date),
        ):
            if when is not None:
                lines.append(f"{label}: {when.isoformat()}")
        if self.note:
            lines.append(f"Note: {self.note}")
        for ing in self.ingredients:
            finish = ing.finish_date(self.actual_date)
            suffix = f", finish {finish.isoformat()}" if finish else ""
            lines.append(f"  from {ing.label}: {ing.quantity}{suffix}")
        return lines

    def validate(self, today: date | None = None) -> list[FieldError]:
        """Client-side checks; pass ``today`` to also reject dates in the future."""
        errors: list[FieldError] = []
        problem = tag_problem(self.tag)
        if problem is not None:
            errors.append(FieldError("tag", problem.message))
        if self.item_id is None and not self.item_name:
            errors.append(FieldError("item", "Choose an item."))
        if self.location_id is None and not self.location_name:
            errors.append(FieldError("location", "Choose a location."))
        if self.quantity.value <= 0:
            errors.append(FieldError("quantity", "Quantity must be more than zero."))
        if today is not None and self.actual_date > today:
            errors.append(FieldError("actual_date", "The package date cannot be in the future."))
        for name in ("expiration_date", "use_by_date", "sell_by_date"):
            when = getattr(self, name)
            if when is not None and when < self.actual_date:
                errors.append(FieldError(name, "Must not be before the package date."))
        errors.extend(self._check_ingredients())
        return errors

    def _check_ingredients(self) -> list[FieldError]:
        if not self.ingredients:
            return [FieldError("ingredients", "Add at least one source package.")]
        errors: list[FieldError] = []
        seen: set[int] = set()
        for i, ing in enumerate(self.ingredients):
            where = f"ingredients[{i}]"
            if ing.package_id in seen:
                errors.append(FieldError(where, f"{ing.label or ing.package_id} is used twice."))
            seen.add(ing.package_id)
            if ing.label and ing.label == self.tag:
                errors.append(FieldError(where, "A package cannot be made from its own tag."))
            if ing.quantity.value <= 0:
                errors.append(FieldError(f"{where}.quantity", "Quantity used must be more than zero."))
            elif ing.available is not None:
                errors.extend(_check_available(ing.label, ing.quantity, ing.available, f"{where}.quantity"))
            finish = ing.finish_date(self.actual_date)
            if finish is not None and finish < self.actual_date:
                errors.append(FieldError(f"{where}.finish", "Finish date must not be before the package date."))
        return errors


def _check_available(label: str, used: Quantity, available: Quantity, where: str) -> list[FieldError]:
    if not used.compatible(available):
        message = f"{label} holds {available.dimension.value} ({available}); {used.unit.value} cannot be taken from it."
        return [FieldError(where, message)]
    if used.compare(available) > 0:
        return [FieldError(where, f"{label} has only {available}; {used} is more than that.")]
    return []


# ---------------------------------------------------------------------------------------------
# Items and strains


@dataclass(frozen=True, slots=True)
class DiscontinueItem:
    item_id: int
    item_name: str = ""

    def summary(self) -> str:
        return f"Discontinue item {self.item_name or self.item_id}"

    def detail_lines(self) -> list[str]:
        return [f"Item: {self.item_name} (id {self.item_id})"]

    def validate(self) -> list[FieldError]:
        return []


@dataclass(frozen=True, slots=True)
class CreateStrain:
    name: str
    thc_level: Decimal
    cbd_level: Decimal
    indica_percentage: Decimal
    sativa_percentage: Decimal
    testing_status: str = "None"  # None | InHouse | ThirdParty

    def summary(self) -> str:
        return f"Create strain {self.name}"

    def detail_lines(self) -> list[str]:
        return [
            f"Name: {self.name}",
            f"THC: {format_decimal(self.thc_level)}%  CBD: {format_decimal(self.cbd_level)}%",
            f"Indica {format_decimal(self.indica_percentage)}% / "
            f"Sativa {format_decimal(self.sativa_percentage)}%",
            f"Testing: {self.testing_status}",
        ]

    def validate(self) -> list[FieldError]:
        errors: list[FieldError] = []
        if not self.name.strip():
            errors.append(FieldError("name", "Enter a strain name."))
        for name in ("thc_level", "cbd_level", "indica_percentage", "sativa_percentage"):
            value = getattr(self, name)
            if not value.is_finite() or value < 0 or value > _HUNDRED:
                errors.append(FieldError(name, "Must be a percentage from 0 to 100."))
        if self.indica_percentage.is_finite() and self.sativa_percentage.is_finite():
            total = self.indica_percentage + self.sativa_percentage
            if total != _HUNDRED:
                message = f"Indica and sativa must add up to 100 (now {format_decimal(total)})."
                errors.append(FieldError("sativa_percentage", message))
        if self.testing_status not in STRAIN_TESTING_STATUSES:
            errors.append(FieldError("testing_status", f"Choose one of: {', '.join(STRAIN_TESTING_STATUSES)}."))
        return errors


@dataclass(frozen=True, slots=True)
class DiscontinueStrain:
    strain_id: int
    strain_name: str = ""

    def summary(self) -> str:
        return f"Discontinue strain {self.strain_name or self.strain_id}"

    def detail_lines(self) -> list[str]:
        return [f"Strain: {self.strain_name} (id {self.strain_id})"]

    def validate(self) -> list[FieldError]:
        return []


# ---------------------------------------------------------------------------------------------
# Transfers


@dataclass(frozen=True, slots=True)
class TransporterDetail:
    driver_name: str
    driver_occupational_license_number: str
    driver_license_number: str
    vehicle_make: str
    vehicle_model: str
    vehicle_license_plate_number: str
    driver_layover_leg: str = ""

    def validate(self, where: str) -> list[FieldError]:
        labels = {
            "driver_name": "driver name",
            "driver_occupational_license_number": "driver's occupational license number",
            "driver_license_number": "driver's license number",
            "vehicle_make": "vehicle make",
            "vehicle_model": "vehicle model",
            "vehicle_license_plate_number": "license plate",
        }
        return [
            FieldError(f"{where}.{name}", f"Enter the {label}.")
            for name, label in labels.items()
            if not getattr(self, name).strip()
        ]


@dataclass(frozen=True, slots=True)
class TransferTransporter:
    transporter_id: int | None
    name: str  # facility name, for people
    phone_number: str
    details: tuple[TransporterDetail, ...]
    license_number: str = ""

    def validate(self, where: str) -> list[FieldError]:
        errors: list[FieldError] = []
        if self.transporter_id is None:
            errors.append(FieldError(f"{where}.transporter", "Choose a transporter."))
        problem = phone_problem(self.phone_number)
        if problem:
            errors.append(FieldError(f"{where}.phone_number", problem))
        if not self.details:
            errors.append(FieldError(f"{where}.details", "Add the driver and vehicle."))
        for i, detail in enumerate(self.details):
            errors.extend(detail.validate(f"{where}.details[{i}]"))
        return errors


@dataclass(frozen=True, slots=True)
class TransferPackage:
    package_id: int
    label: str
    wholesale_price: Decimal | None = None
    gross_weight: Quantity | None = None
    gross_unit_id: int | None = None  # the backend's id for gross_weight.unit
    lab_testing_state: str = ""  # as upstream names it (TestPassed, NotSubmitted …); "" unknown


@dataclass(frozen=True, slots=True)
class TransferDestination:
    recipient_id: int | None
    recipient_name: str
    transfer_type: TransferType
    planned_route: str
    estimated_departure: datetime
    estimated_arrival: datetime
    packages: tuple[TransferPackage, ...]
    transporters: tuple[TransferTransporter, ...] = ()
    recipient_license_number: str = ""
    invoice_number: str = ""
    gross_weight: Quantity | None = None
    gross_unit_id: int | None = None
    recipient_facility_type: str = ""  # "Retailer", "Distributor" …; "" unknown

    def validate(self, where: str) -> list[FieldError]:
        errors: list[FieldError] = []
        ttype = self.transfer_type
        if self.recipient_id is None:
            errors.append(FieldError(f"{where}.recipient", "Choose a destination facility."))
        if ttype.id is None:
            errors.append(FieldError(f"{where}.transfer_type", "Choose a transfer type."))
        if not self.planned_route.strip():
            errors.append(FieldError(f"{where}.planned_route", "Describe the planned route."))
        if not _comparable(self.estimated_departure, self.estimated_arrival):
            errors.append(
                FieldError(f"{where}.estimated_arrival", "Give departure and arrival in the same time zone form.")
            )
        elif self.estimated_arrival <= self.estimated_departure:
            errors.append(FieldError(f"{where}.estimated_arrival", "Arrival must be after departure."))
        if ttype.requires_invoice_number and not self.invoice_number.strip():
            errors.append(FieldError(f"{where}.invoice_number", f"{ttype.name} needs an invoice number."))
        errors.extend(
            _check_weight(
                self.gross_weight, f"{where}.gross_weight", ttype.requires_destination_gross_weight, ttype.name
            )
        )
        if not self.packages:
            errors.append(FieldError(f"{where}.packages", "Add at least one package."))
        for i, pkg in enumerate(self.packages):
            errors.extend(self._check_package(pkg, f"{where}.packages[{i}]"))
        for i, transporter in enumerate(self.transporters):
            errors.extend(transporter.validate(f"{where}.transporters[{i}]"))
        return errors

    def _check_package(self, pkg: TransferPackage, where: str) -> list[FieldError]:
        ttype = self.transfer_type
        errors: list[FieldError] = []
        price = pkg.wholesale_price
        if price is None:
            if ttype.requires_wholesale_price:
                errors.append(FieldError(f"{where}.wholesale_price", f"{pkg.label}: enter a wholesale price."))
        elif not price.is_finite() or price < 0:
            errors.append(FieldError(f"{where}.wholesale_price", f"{pkg.label}: price cannot be negative."))
        else:
            low, high = ttype.minimum_wholesale_price, ttype.maximum_wholesale_price
            if low is not None and price < low:
                errors.append(FieldError(f"{where}.wholesale_price", f"{pkg.label}: price below the minimum {low}."))
            if high is not None and price > high:
                errors.append(FieldError(f"{where}.wholesale_price", f"{pkg.label}: price above the maximum {high}."))
        errors.extend(
            _check_weight(pkg.gross_weight, f"{where}.gross_weight", ttype.requires_packages_gross_weight, pkg.label)
        )
        refused, message = self._retail_lab(pkg)
        if refused:
            errors.append(FieldError(f"{where}.lab_testing_state", message))
        return errors

    def _retail_lab(self, pkg: TransferPackage) -> tuple[bool, str]:
        if not is_retailer(self.recipient_facility_type):
            return False, ""
        return retail_lab_problem(pkg.label or str(pkg.package_id), pkg.lab_testing_state)

    def warnings(self) -> list[str]:
        """What is allowed but should be looked at before sending (untested product to a retailer)."""
        return [message for pkg in self.packages for refused, message in [self._retail_lab(pkg)]
                if message and not refused]


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)


def _check_weight(weight: Quantity | None, where: str, required: bool, whose: str) -> list[FieldError]:
    if weight is None:
        return [FieldError(where, f"{whose}: enter the gross weight.")] if required else []
    if weight.unit.dimension is not Dimension.WEIGHT:
        return [FieldError(where, f"Gross weight must be a weight, not {weight.unit.value}.")]
    if weight.value <= 0:
        return [FieldError(where, "Gross weight must be more than zero.")]
    return []


def _check_destinations(destinations: tuple[TransferDestination, ...]) -> list[FieldError]:
    if not destinations:
        return [FieldError("destinations", "Add at least one destination.")]
    errors: list[FieldError] = []
    first_seen: dict[int, str] = {}
    for d, dest in enumerate(destinations):
        errors.extend(dest.validate(f"destinations[{d}]"))
        for p, pkg in enumerate(dest.packages):
            where = f"destinations[{d}].packages[{p}]"
            if pkg.package_id in first_seen:
                errors.append(FieldError(where, f"{pkg.label or pkg.package_id} is already on this transfer."))
            else:
                first_seen[pkg.package_id] = where
    return errors


def _transfer_lines(destinations: tuple[TransferDestination, ...]) -> list[str]:
    lines: list[str] = []
    for dest in destinations:
        who = dest.recipient_name or str(dest.recipient_id)
        if dest.recipient_license_number:
            who += f" ({dest.recipient_license_number})"
        lines.append(f"To {who}: {dest.transfer_type.name}")
        lines.append(
            f"  depart {dest.estimated_departure.isoformat(timespec='minutes')}, "
            f"arrive {dest.estimated_arrival.isoformat(timespec='minutes')}"
        )
        for t in dest.transporters:
            for detail in t.details:
                lines.append(
                    f"  via {t.name}: {detail.driver_name}, {detail.vehicle_make} {detail.vehicle_model} "
                    f"({detail.vehicle_license_plate_number})"
                )
        for pkg in dest.packages:
            extra = f"  ${format_decimal(pkg.wholesale_price, 2)}" if pkg.wholesale_price is not None else ""
            lines.append(f"  {pkg.label}{extra}")
        lines.extend(f"  Warning: {message}" for message in dest.warnings())
    return lines


def _package_count(destinations: tuple[TransferDestination, ...]) -> int:
    return sum(len(d.packages) for d in destinations)


@dataclass(frozen=True, slots=True)
class CreateTransfer:
    destinations: tuple[TransferDestination, ...]

    def summary(self) -> str:
        n = _package_count(self.destinations)
        if len(self.destinations) == 1:
            dest = self.destinations[0]
            to = dest.recipient_name or str(dest.recipient_id)
        else:
            to = _plural(len(self.destinations), "destination")
        return f"Create transfer of {_plural(n, 'package')} to {to}"

    def detail_lines(self) -> list[str]:
        return _transfer_lines(self.destinations)

    def validate(self) -> list[FieldError]:
        return _check_destinations(self.destinations)


@dataclass(frozen=True, slots=True)
class SaveTransferTemplate:
    name: str
    destinations: tuple[TransferDestination, ...] = field(default=())

    def summary(self) -> str:
        n = _package_count(self.destinations)
        return (
            f'Save transfer template "{self.name}" '
            f"({_plural(len(self.destinations), 'destination')}, {_plural(n, 'package')})"
        )

    def detail_lines(self) -> list[str]:
        return _transfer_lines(self.destinations)

    def validate(self) -> list[FieldError]:
        errors = [] if self.name.strip() else [FieldError("name", "Name the template.")]
        return errors + _check_destinations(self.destinations)
