"""Adjusting packages' quantities (issue 11): a signed change with the reason Metrc asks for.

The change is typed as people say it ("-2.5 g" lost to drying, "+1 ea" found in a count) and is
the same for every package taken; ``validate`` refuses what Metrc would refuse (no sign, no
reason, a package taken below zero, a unit of another kind than the package's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from growtui.domain.actions import FieldError, _check_packages, _plural, _tag_lines
from growtui.domain.floor import _check_day
from growtui.domain.units import Quantity, UnitError, parse_quantity


@dataclass(frozen=True, slots=True)
class Change:
    """A signed quantity as typed; ``problem`` says why the text is not one."""

    quantity: Quantity | None
    sign: int  # -1 or +1
    problem: str = ""

    @classmethod
    def parse(cls, text: str) -> Change:
        text = text.strip()
        sign = -1 if text.startswith("-") else 1 if text.startswith("+") else 0
        if sign == 0:
            return cls(None, 1, "Start with - (taken off) or + (added), e.g. -2.5 g.")
        try:
            return cls(parse_quantity(text[1:], what="Change", allow_zero=False), sign)
        except UnitError as exc:
            return cls(None, sign, str(exc))

    @property
    def signed(self) -> Decimal:
        assert self.quantity is not None
        return self.sign * self.quantity.value

    def __str__(self) -> str:
        return f"{'-' if self.sign < 0 else '+'}{self.quantity}" if self.quantity else self.problem


@dataclass(frozen=True, slots=True)
class AdjustPackages:
    package_ids: tuple[int, ...]
    labels: tuple[str, ...]
    change: Change
    reason: str  # an adjustment reason Metrc lists ("Drying", "Scale Variance", ...)
    note: str = ""
    adjustment_date: date | None = None
    holdings: tuple[Quantity | None, ...] = ()  # what each package holds now, where known

    def summary(self) -> str:
        return f"Adjust {_plural(len(self.package_ids), 'package')} by {self.change}"

    def detail_lines(self) -> list[str]:
        return [f"Change: {self.change} each", f"Reason: {self.reason}" + (f" ({self.note})" if self.note else ""),
                f"Date: {self.adjustment_date}", *_tag_lines(self.package_ids, self.labels)]

    def validate(self) -> list[FieldError]:
        errors = _check_packages(self.package_ids, self.labels) + _check_day(self.adjustment_date, "date")
        if self.change.quantity is None:
            errors.append(FieldError("change", self.change.problem))
        if not self.reason.strip():
            errors.append(FieldError("reason", "Type the adjustment reason (e.g. Drying, Scale Variance)."))
        if self.change.quantity is not None:
            errors += self._check_holdings(self.change.quantity)
        return errors

    def _check_holdings(self, change: Quantity) -> list[FieldError]:
        for label, held in zip(self.labels, self.holdings):
            if held is None:
                continue
            if not held.compatible(change):
                return [FieldError("change", f"{label} is counted in {held.unit.value}: adjust it in {held.unit.value}.")]
            if self.change.sign < 0 and held.compare(change) < 0:
                return [FieldError("change", f"{label} holds {held}: it cannot lose {change}.")]
        return []
