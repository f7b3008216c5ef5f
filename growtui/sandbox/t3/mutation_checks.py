"""Pure checks shared by the sandbox's write routes: body shapes, field types, dates, units.

Everything here works on plain JSON values and raises ``Invalid`` with a message a person can act
on; the route layer turns that into T3's 400 envelope. Nothing here touches the store or HTTP.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any, TypeVar


class Invalid(Exception):
    """A request T3 would reject with 400; ``str(exc)`` is the human message."""


Apply = Callable[[], None]  # what a validated write returns: run it to change state


# ---------------------------------------------------------------------------------------------
# Body shapes and field types


def as_list(body: Any, what: str) -> list[Any]:
    """Array-bodied routes (§6.1): a non-empty JSON array."""
    if not isinstance(body, list):
        raise Invalid(f"{what} expects a JSON array of objects, not {_json_kind(body)}")
    if not body:
        raise Invalid(f"{what} expects at least one entry; the array is empty")
    return body


def as_object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where} must be a JSON object, not {_json_kind(value)}")
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _missing(obj: Mapping[str, Any], name: str) -> bool:
    return name not in obj or obj[name] is None


T = TypeVar("T")


def _required(value: T | None, name: str, where: str) -> T:
    """What an ``opt_*`` reader found, or the 400 that says the field is required."""
    if value is None:
        raise Invalid(f"{where}: {name} is required")
    return value


def req_id(obj: Mapping[str, Any], name: str, where: str) -> int:
    """An id: an integer, or a number with no fraction (some ids are typed ``number``, §6.4)."""
    return _required(opt_id(obj, name, where), name, where)


def opt_id(obj: Mapping[str, Any], name: str, where: str) -> int | None:
    if _missing(obj, name):
        return None
    value = obj[name]
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)  # json.loads accepts NaN/Infinity
        or value != int(value)
    ):
        raise Invalid(f"{where}: {name} must be a whole number id, not {value!r}")
    return int(value)


def req_number(obj: Mapping[str, Any], name: str, where: str) -> Decimal:
    return _required(opt_number(obj, name, where), name, where)


def opt_number(obj: Mapping[str, Any], name: str, where: str) -> Decimal | None:
    if _missing(obj, name):
        return None
    value = obj[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"{where}: {name} must be a number, not {value!r}")
    try:
        # str() first so 12.1 stays 12.1 rather than its binary expansion.
        number = Decimal(str(value))
    except InvalidOperation as exc:  # nan/inf never parse from JSON, but be safe
        raise Invalid(f"{where}: {name} must be a finite number") from exc
    if not number.is_finite():
        raise Invalid(f"{where}: {name} must be a finite number")
    return number


def positive(value: Decimal, name: str, where: str) -> Decimal:
    if value <= 0:
        raise Invalid(f"{where}: {name} must be greater than 0, not {plain(value)}")
    return value


def req_str(obj: Mapping[str, Any], name: str, where: str) -> str:
    value = opt_str(obj, name, where)
    return _required(value if value and value.strip() else None, name, where)  # blank counts as absent


def opt_str(obj: Mapping[str, Any], name: str, where: str) -> str | None:
    if _missing(obj, name):
        return None
    value = obj[name]
    if not isinstance(value, str):
        raise Invalid(f"{where}: {name} must be a string, not {_json_kind(value)}")
    return value


def req_list(obj: Mapping[str, Any], name: str, where: str, *, allow_empty: bool = False) -> list[Any]:
    if _missing(obj, name):
        raise Invalid(f"{where}: {name} is required")
    value = obj[name]
    if not isinstance(value, list):
        raise Invalid(f"{where}: {name} must be an array, not {_json_kind(value)}")
    if not value and not allow_empty:
        raise Invalid(f"{where}: {name} must not be empty")
    return value


def no_duplicates(ids: Iterable[int], what: str) -> None:
    seen: set[int] = set()
    for ident in ids:
        if ident in seen:
            raise Invalid(f"{what} {ident} appears more than once in this request")
        seen.add(ident)


# ---------------------------------------------------------------------------------------------
# Dates


def req_date(obj: Mapping[str, Any], name: str, where: str) -> date:
    return _required(opt_date(obj, name, where), name, where)


def opt_date(obj: Mapping[str, Any], name: str, where: str) -> date | None:
    """A ``date`` field: ``YYYY-MM-DD`` (a full ISO date-time is accepted and truncated)."""
    raw = opt_str(obj, name, where)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else parse_datetime(raw).date()
    except ValueError as exc:
        raise Invalid(f"{where}: {name} {raw!r} is not a date (expected YYYY-MM-DD)") from exc


def req_datetime(obj: Mapping[str, Any], name: str, where: str) -> datetime:
    raw = opt_str(obj, name, where)
    if raw is None:
        raise Invalid(f"{where}: {name} is required")
    try:
        return parse_datetime(raw)
    except ValueError as exc:
        raise Invalid(
            f"{where}: {name} {raw!r} is not an ISO-8601 date-time (e.g. 2025-01-31T14:00:00Z)"
        ) from exc


def parse_datetime(raw: str) -> datetime:
    """ISO-8601 with ``Z``, an offset, or nothing (read as UTC); always returns an aware UTC value."""
    parsed = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso_z(moment: datetime) -> str:
    """The wire form T3 uses for date-times: UTC with millisecond precision and a ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------------------------------------
# Quantities and units of measure

_QUANTITY_TYPE_WORD = {"WeightBased": "weight", "VolumeBased": "volume", "CountBased": "count"}
# Sandbox arithmetic (its own, not the client's): quantities convert through the license's
# UnitOfMeasure.toBaseFactor (§5.7) exactly, then keep 4 decimal places (half to even) so float
# noise in a factor never decides whether a package holds enough.
_PLACES = Decimal("0.0001")
_EXACT = Context(prec=40)


@dataclass(frozen=True, slots=True)
class Unit:
    """A license's ``UnitOfMeasure`` as the write routes need it."""

    id: int
    abbreviation: str
    quantity_type: str  # WeightBased | VolumeBased | CountBased
    to_base: Decimal | None  # toBaseFactor: size in the quantity type's base unit; None = unknown

    @classmethod
    def from_wire(cls, uom: Mapping[str, Any]) -> "Unit":
        factor = uom.get("toBaseFactor")
        try:
            to_base = Decimal(str(factor)) if factor is not None and not isinstance(factor, bool) else None
        except InvalidOperation:
            to_base = None
        if to_base is not None and (not to_base.is_finite() or to_base <= 0):
            to_base = None
        quantity_type = str(uom.get("quantityType") or "CountBased")
        return cls(int(uom["id"]), str(uom.get("abbreviation", "")), quantity_type, to_base)


def units_by_id(uoms: Iterable[Mapping[str, Any]]) -> dict[int, Unit]:
    return {int(u["id"]): Unit.from_wire(u) for u in uoms if not u.get("isArchived")}


def req_unit(units: Mapping[int, Unit], obj: Mapping[str, Any], name: str, where: str) -> Unit:
    ident = req_id(obj, name, where)
    unit = units.get(ident)
    if unit is None:
        raise Invalid(f"{where}: unit of measure {ident} does not exist")
    return unit


def unit_for_abbreviation(units: Mapping[int, Unit], abbreviation: str) -> Unit | None:
    for unit in units.values():
        if unit.abbreviation.lower() == abbreviation.lower():
            return unit
    return None


def whole_if_counted(quantity: Decimal, unit: Unit, name: str, where: str) -> Decimal:
    """Count-based quantities (``ea``) are whole: there is no half a pre-roll."""
    if unit.quantity_type == "CountBased" and quantity != quantity.to_integral_value():
        raise Invalid(f"{where}: {name} {plain(quantity)} {unit.abbreviation} must be a whole number")
    return quantity


def convert(quantity: Decimal, src: Unit, dst: Unit, where: str) -> Decimal:
    """``quantity`` in ``src`` expressed in ``dst`` (exact, then to 4 places);
    weight↔weight, volume↔volume, each↔each only."""
    if src.quantity_type != dst.quantity_type:
        raise Invalid(f"{where}: cannot convert {_unit_kind(src)} to {_unit_kind(dst)}")
    if src.id == dst.id:
        return quantity
    if src.to_base is None or dst.to_base is None:
        raise Invalid(f"{where}: cannot convert {src.abbreviation} to {dst.abbreviation}")
    return _quantize(_EXACT.divide(_EXACT.multiply(quantity, src.to_base), dst.to_base))


def _unit_kind(unit: Unit) -> str:
    return f"{unit.abbreviation} ({_QUANTITY_TYPE_WORD.get(unit.quantity_type, unit.quantity_type)})"


def plain(value: Decimal) -> str:
    """``Decimal`` as people write it: 12.5, 20, 0.125 (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def fmt_qty(value: Decimal, unit: Unit) -> str:
    return f"{plain(round_qty(value))} {unit.abbreviation}"


def round_qty(value: Decimal) -> Decimal:
    """Quantities are kept to 4 decimal places."""
    return _quantize(value).normalize()


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_EVEN, context=_EXACT)


def to_wire_number(value: Decimal) -> int | float:
    rounded = round_qty(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


# ---------------------------------------------------------------------------------------------
# submit


def is_submit(raw: str | None) -> bool:
    """§6.1: only the literal lowercase string ``true`` forwards; anything else is a dry run."""
    return raw == "true"
