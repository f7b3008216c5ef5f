"""Converting, splitting and destroying lots (OpenTHC, issue 13; seed 002 "Inventory / Convert"
and "Split", the OpenAPI's ``/inventory/{id}/destroy``).

Convert takes some (or all) of one or more source lots and makes one output lot of a product;
split slices a portion off one lot into a new lot of the same product. Quantities are typed with
their unit (g, mg, kg, lb, oz, l, ml, or ea for counted lots), at most 4 decimals, as OpenTHC keeps
them; a portion is taken in the lot's own kind of unit and never more than the lot holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from growtui.domain.actions import FieldError, _plural
from growtui.domain.units import Quantity, Unit, UnitError, parse_quantity

ALL = "all"


def typed_amount(text: str, default: Unit | None, what: str) -> Quantity | str:
    """A positive quantity as typed (a bare number is in ``default``), or why it is not one."""
    try:
        return parse_quantity(text, default, what=what, allow_zero=False)
    except UnitError as exc:
        return str(exc)


def typed_takes(text: str, holdings: tuple[Quantity | None, ...]) -> tuple[Quantity | str | None, ...]:
    """What is taken from each source, as typed: blank (all of every source) or one entry per
    source, comma-separated in list order, each an amount or ``all`` (None)."""
    if not text.strip():
        return tuple(None for _ in holdings)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(holdings):
        return (f"Type one amount per source ({len(holdings)}), separated by commas, or leave it blank for all.",)
    return tuple(None if p.lower() == ALL else typed_amount(p, h.unit if h else None, "Amount")
                 for p, h in zip(parts, holdings))


def portion_errors(path: str, label: str, amount: Quantity | str | None, held: Quantity | None) -> list[FieldError]:
    if amount is None:
        return []
    if isinstance(amount, str):
        return [FieldError(path, amount)]
    if held is None:
        return [FieldError(path, f"{label}: its quantity is not known; refresh the list.")]
    if not held.compatible(amount):
        return [FieldError(path, f"{label} holds {held}; {amount} is another kind of unit.")]
    if amount.compare(held) > 0:
        return [FieldError(path, f"{label} holds {held}; {amount} is more than that.")]
    return []


def take_lines(labels: tuple[str, ...], takes: tuple[Quantity | str | None, ...],
               holdings: tuple[Quantity | None, ...]) -> list[str]:
    """The confirmation's line per lot: what is taken from it (None: all it holds)."""
    return [f"  {label}: {take if take is not None else f'all ({held})'}"
            for label, take, held in zip(labels, takes, holdings)]


def takes_errors(labels: tuple[str, ...], takes: tuple[Quantity | str | None, ...],
                 holdings: tuple[Quantity | None, ...]) -> list[FieldError]:
    """What is wrong with the amounts taken from each lot (``typed_takes``); a lot taken whole
    needs its holding known, as that is the quantity sent."""
    if len(takes) != len(labels):
        return [FieldError("takes", str(takes[0]) if takes else "Type an amount per lot.")]
    return [e for label, take, held in zip(labels, takes, holdings)
            for e in portion_errors("takes", label, take if take is not None else held, held)]


@dataclass(frozen=True, slots=True)
class ConvertPackages:
    package_ids: tuple[str, ...]
    labels: tuple[str, ...]
    takes: tuple[Quantity | str | None, ...]  # per source; None: all of it
    product: str  # the output's product, by name
    output: Quantity | str
    holdings: tuple[Quantity | None, ...] = ()

    def summary(self) -> str:
        return f"Convert {_plural(len(self.package_ids), 'lot')} into {self.output} of {self.product}"

    def detail_lines(self) -> list[str]:
        return [f"Output: {self.output} of {self.product}", "Taken from:",
                *take_lines(self.labels, self.takes, self.holdings)]

    def validate(self) -> list[FieldError]:
        errors = [] if self.package_ids else [FieldError("", "Choose the source lots.")]
        errors += takes_errors(self.labels, self.takes, self.holdings)
        if not self.product.strip():
            errors.append(FieldError("product", "Type the output's product, as the Items list names it."))
        if isinstance(self.output, str):
            errors.append(FieldError("output", self.output))
        return errors


@dataclass(frozen=True, slots=True)
class SplitPackage:
    package_id: str
    label: str
    portion: Quantity | str  # sliced off into the new lot
    holding: Quantity | None = None

    def summary(self) -> str:
        return f"Split {self.portion} off lot {self.label}"

    def detail_lines(self) -> list[str]:
        return [f"From: {self.label} (holds {self.holding})", f"New lot: {self.portion} of the same product"]

    def validate(self) -> list[FieldError]:
        errors = portion_errors("portion", self.label, self.portion, self.holding)
        if not errors and isinstance(self.portion, Quantity) and self.holding is not None \
                and self.portion.compare(self.holding) == 0:
            errors.append(FieldError("portion", f"That is all of {self.label}; a split leaves some behind."))
        return errors


@dataclass(frozen=True, slots=True)
class DestroyLots:
    package_ids: tuple[str, ...]
    labels: tuple[str, ...]
    reason_code: str  # a short code (waste, mould …)
    reason_text: str = ""  # why, in words

    def summary(self) -> str:
        return f"Destroy {_plural(len(self.package_ids), 'lot')}"

    def detail_lines(self) -> list[str]:
        return [f"Reason: {self.reason_code} {self.reason_text}".rstrip(), "Each lot is emptied and leaves the lists.",
                *(f"  {label}" for label in self.labels)]

    def validate(self) -> list[FieldError]:
        errors = [] if self.package_ids else [FieldError("", "Choose the lots to destroy.")]
        if not self.reason_code.strip() and not self.reason_text.strip():
            errors.append(FieldError("reason_code", "Give a reason code or say why."))
        return errors
