"""Quantities: stored in g, L or ea, rounded to 4 decimals; input in the listed units (format.ad).

Weights: g, mg, kg, lb, oz. Volumes: l, ml, fl oz. Counts: ea. Arithmetic is Decimal so adding
and removing 4-decimal amounts never drifts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

FOUR = Decimal("0.0001")
# input unit -> (base unit, factor to base)
INPUT_UNITS: dict[str, tuple[str, Decimal]] = {
    "g": ("g", Decimal(1)),
    "mg": ("g", Decimal("0.001")),
    "kg": ("g", Decimal(1000)),
    "lb": ("g", Decimal("453.59237")),
    "oz": ("g", Decimal("28.349523125")),
    "l": ("l", Decimal(1)),
    "ml": ("l", Decimal("0.001")),
    "fl oz": ("l", Decimal("0.0295735295625")),
    "ea": ("ea", Decimal(1)),
}


class UnitError(ValueError):
    pass


def q4(value: Decimal) -> Decimal:
    return value.quantize(FOUR, rounding=ROUND_HALF_EVEN)


def parse_qty(raw: Any, name: str = "qty") -> Decimal:
    """A finite, non-negative number (JSON number or form text)."""
    if isinstance(raw, bool) or raw is None or raw == "":
        raise UnitError(f"{name} is required and must be a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise UnitError(f"{name} must be a number, not {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise UnitError(f"{name} must be a finite number of at least 0")
    return value


def to_base(qty: Decimal, uom: Any, base: str) -> Decimal:
    """``qty`` in ``uom`` (default: the base unit itself) as the base unit, to 4 decimals."""
    unit = (str(uom).strip().lower() if uom not in (None, "") else base)
    if unit == "L":
        unit = "l"
    if unit not in INPUT_UNITS:
        raise UnitError(f"uom {uom!r} is not one of {', '.join(INPUT_UNITS)}")
    unit_base, factor = INPUT_UNITS[unit]
    if unit_base != base:
        raise UnitError(f"uom {uom!r} measures {unit_base}, but this quantity is counted in {base}")
    return q4(qty * factor)


def wire(qty: Decimal) -> float:
    """A stored quantity as a JSON number (4 decimals)."""
    return float(q4(qty))
