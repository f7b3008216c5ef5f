"""Lenient readers for raw upstream JSON: one value, one coercion, one default, never an exception.

Every backend reads through these. Metrc data (served directly, or passed through by T3) drifts in shape: ids arrive as ``123`` or
``123.0``, enums grow new values, ``null`` appears anywhere, dates come as ``YYYY-MM-DD`` or
ISO date-times and sometimes as sentinels like ``0001-01-01``. These helpers read what makes
sense and fall back to a default for anything else, so one odd row can never break a list.
Unknown enum values are kept as the string they are.

Two layers: ``*_value(v)`` coerce one JSON value (what the compiled row mappers call), and
``text(raw, key)``-style helpers read a field of an object (for hand-written mapping code).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from growtui.domain.units import Quantity, Unit

_EMPTY: Mapping[str, Any] = {}
_CACHE_LIMIT = 4096  # parsed-date memo: rows of one license share most of their dates


def as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


# ---------------------------------------------------------------------------------------------
# Value coercions


def text_value(v: Any) -> str:
    """A string; numbers become their text (manifestNumber may be an int); anything else ""."""
    if isinstance(v, str):
        return str(v)
    if v is None or isinstance(v, bool):
        return ""
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float) and math.isfinite(v):
        return str(int(v)) if v.is_integer() else repr(v)
    return ""


def int_value(v: Any) -> int | None:
    """``123``, ``123.0`` or ``"123"``; None for anything else (bools included)."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return int(v) if math.isfinite(v) and v.is_integer() else None
    if isinstance(v, str):
        s = v.strip()
        if s.isascii() and s.lstrip("+-").isdigit() and len(s) < 20:
            return int(s)
        try:
            f = float(s)
        except ValueError:
            return None
        return int(f) if math.isfinite(f) and f.is_integer() and abs(f) < 1e18 else None
    return None


def decimal_value(v: Any) -> Decimal | None:
    """An exact Decimal (floats via their shortest repr, so 12.5 stays 12.5); None if not finite."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)) if math.isfinite(v) else None
    if isinstance(v, str):
        try:
            d = Decimal(v.strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            return None
        return d if d.is_finite() else None
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    return None


def bool_value(v: Any, default: Any = False) -> Any:
    """true/false, "true"/"false", 1/0; anything else ``default``."""
    if v is True or v is False:
        return v
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "yes", "1"):
            return True
        if s in ("false", "no", "0"):
            return False
    elif isinstance(v, int | float):
        if v == 1:
            return True
        if v == 0:
            return False
    return default


def maybe_bool_value(v: Any) -> bool | None:
    """Like ``bool_value`` but None when unknown (a missing test result is not a failed one)."""
    return bool_value(v, None)


_MISS = object()
_DAYS: dict[str, date | None] = {}
_MOMENTS: dict[str, datetime | None] = {}


def day_value(v: Any) -> date | None:
    """``YYYY-MM-DD`` or a date-time (its calendar day); sentinels (year 1, year 0) -> None."""
    if not isinstance(v, str):
        return None
    found = _DAYS.get(v, _MISS)
    if found is _MISS:
        found = _parse_day(v)
        if len(_DAYS) >= _CACHE_LIMIT:
            _DAYS.clear()
        _DAYS[v] = found
    return found  # type: ignore[return-value]


def _parse_day(v: str) -> date | None:
    if len(v) < 10:
        return None
    try:
        d = date.fromisoformat(v[:10])
    except ValueError:
        return None
    return None if d.year <= 1 else d


def moment_value(v: Any) -> datetime | None:
    """An aware datetime. Naive values are taken as UTC so every value compares with every
    other; a bare date means midnight. Sentinels and junk -> None."""
    if not isinstance(v, str):
        return None
    found = _MOMENTS.get(v, _MISS)
    if found is _MISS:
        found = _parse_moment(v)
        if len(_MOMENTS) >= _CACHE_LIMIT:
            _MOMENTS.clear()
        _MOMENTS[v] = found
    return found  # type: ignore[return-value]


def _parse_moment(v: str) -> datetime | None:
    if len(v) < 10:
        return None
    try:
        dt = datetime.fromisoformat(v)
    except (ValueError, OverflowError):
        dt = _lenient_datetime(v)
        if dt is None:
            return None
    if dt.year <= 1:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _lenient_datetime(v: str) -> datetime | None:
    # Python 3.11 parses most ISO forms; this catches 7-digit .NET fractions ("…:22.1234567Z").
    s = v.strip()
    if "." in s:
        head, _, frac = s.partition(".")
        digits = "".join(ch for ch in frac if ch.isdigit())
        rest = frac[len(digits):]
        s = f"{head}.{digits[:6].ljust(6, '0')}{rest}" if digits else head + rest
    try:
        return datetime.fromisoformat(s)
    except (ValueError, OverflowError):
        return None


def strings_value(v: Any) -> tuple[str, ...]:
    """A list of strings (non-strings dropped); a bare non-empty string is one member."""
    if isinstance(v, str):
        return (str(v),) if v else ()
    if isinstance(v, list | tuple):
        return tuple(str(x) for x in v if isinstance(x, str))
    return ()


def objects_value(v: Any) -> tuple[Mapping[str, Any], ...]:
    """A list of objects; members that are not objects are dropped."""
    if isinstance(v, list | tuple):
        return tuple(x for x in v if isinstance(x, Mapping))
    return ()


_UNITS: dict[str, Unit | None] = {}


def unit_value(v: Any) -> Unit | None:
    """The domain unit for an abbreviation or name as upstream spells it; None if unknown."""
    if not isinstance(v, str):
        return None
    found = _UNITS.get(v, _MISS)
    if found is _MISS:
        found = Unit.lookup(v)
        if len(_UNITS) < 256:  # bounded: the memo is for the handful of real spellings
            _UNITS[str(v)] = found
    return found  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Field readers: raw object + key


def text(raw: Mapping[str, Any], key: str) -> str:
    return text_value(raw.get(key))


def integer(raw: Mapping[str, Any], key: str) -> int | None:
    return int_value(raw.get(key))


def number(raw: Mapping[str, Any], key: str) -> Decimal | None:
    return decimal_value(raw.get(key))


def flag(raw: Mapping[str, Any], key: str, default: bool = False) -> bool:
    return bool(bool_value(raw.get(key), default))


def optional_flag(raw: Mapping[str, Any], key: str) -> bool | None:
    return maybe_bool_value(raw.get(key))


def day(raw: Mapping[str, Any], key: str) -> date | None:
    return day_value(raw.get(key))


def moment(raw: Mapping[str, Any], key: str) -> datetime | None:
    return moment_value(raw.get(key))


def strings(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return strings_value(raw.get(key))


def objects(raw: Mapping[str, Any], key: str) -> tuple[Mapping[str, Any], ...]:
    return objects_value(raw.get(key))


def nested(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return as_mapping(raw.get(key))


def quantity(raw: Mapping[str, Any], value_key: str, unit_key: str) -> Quantity | None:
    """A (number, unit) pair as a Quantity; None if either is missing or the unit is unknown."""
    u = unit_value(raw.get(unit_key))
    if u is None:
        return None
    v = decimal_value(raw.get(value_key))
    return None if v is None else Quantity(v, u)
