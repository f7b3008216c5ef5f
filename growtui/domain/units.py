"""Quantities with units: exact Decimal arithmetic, parsing of what people type, display.

Track-and-trace systems record weights and volumes to 4 decimal places (OpenTHC stores g/L to
4 places; Metrc quantities are decimals), so every converted result is quantized to 4 places
with banker's rounding. Weight converts to weight and volume to volume; "each" never converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from enum import StrEnum

PLACES = 4
_QUANTUM = Decimal(1).scaleb(-PLACES)  # Decimal("0.0001")
_CTX = Context(prec=40)  # wide enough that conversions of any sane quantity are exact pre-rounding
_MAX_VALUE = Decimal("1e12")  # beyond any real inventory; guards against pasted garbage


class UnitError(ValueError):
    """Base class for every unit/quantity problem; ``str(exc)`` is written for people."""


class UnknownUnit(UnitError):
    pass


class UnitMismatch(UnitError):
    """Raised when converting between dimensions (a weight to a volume, a count to a weight)."""


class QuantityParseError(UnitError):
    pass


class Dimension(StrEnum):
    WEIGHT = "weight"
    VOLUME = "volume"
    COUNT = "count"


class Unit(StrEnum):
    G = "g"
    MG = "mg"
    KG = "kg"
    OZ = "oz"
    LB = "lb"
    ML = "ml"
    L = "l"
    FL_OZ = "fl oz"  # US fluid ounce (Metrc's "Fluid Ounces": tinctures, oils)
    EA = "ea"

    @property
    def dimension(self) -> Dimension:
        return _DIMENSION[self]

    @property
    def metrc_name(self) -> str:
        """The name Metrc and T3 use ("Grams", "Each")."""
        return _METRC_NAME[self]

    @classmethod
    def lookup(cls, text: object) -> Unit | None:
        """The unit for an abbreviation or name ("g", "Grams", "lbs", "EACH"); None if unknown."""
        if not isinstance(text, str):
            return None
        return _ALIASES.get(text.strip().lower().rstrip("."))

    @classmethod
    def parse(cls, text: str) -> Unit:
        unit = cls.lookup(text)
        if unit is None:
            known = ", ".join(u.value for u in cls)
            raise UnknownUnit(f"Unknown unit {text!r}. Use one of: {known}.")
        return unit


_DIMENSION = {
    Unit.G: Dimension.WEIGHT,
    Unit.MG: Dimension.WEIGHT,
    Unit.KG: Dimension.WEIGHT,
    Unit.OZ: Dimension.WEIGHT,
    Unit.LB: Dimension.WEIGHT,
    Unit.ML: Dimension.VOLUME,
    Unit.L: Dimension.VOLUME,
    Unit.FL_OZ: Dimension.VOLUME,
    Unit.EA: Dimension.COUNT,
}

# Size of one unit in its dimension's base unit (grams, millilitres, each). Exact by definition:
# the international avoirdupois pound is 453.59237 g and the ounce is 1/16 of it; the US fluid
# ounce is 1/128 of a gallon of 231 cubic inches, 29.5735295625 ml.
_IN_BASE = {
    Unit.G: Decimal(1),
    Unit.MG: Decimal("0.001"),
    Unit.KG: Decimal(1000),
    Unit.OZ: Decimal("28.349523125"),
    Unit.LB: Decimal("453.59237"),
    Unit.ML: Decimal(1),
    Unit.L: Decimal(1000),
    Unit.FL_OZ: Decimal("29.5735295625"),
    Unit.EA: Decimal(1),
}

_METRC_NAME = {
    Unit.G: "Grams",
    Unit.MG: "Milligrams",
    Unit.KG: "Kilograms",
    Unit.OZ: "Ounces",
    Unit.LB: "Pounds",
    Unit.ML: "Milliliters",
    Unit.L: "Liters",
    Unit.FL_OZ: "Fluid Ounces",
    Unit.EA: "Each",
}

_ALIASES: dict[str, Unit] = {}
for _unit, _names in {
    Unit.G: ("g", "gr", "gm", "gms", "gram", "grams", "gramme", "grammes"),
    Unit.MG: ("mg", "milligram", "milligrams", "milligramme", "milligrammes"),
    Unit.KG: ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    Unit.OZ: ("oz", "ozs", "ounce", "ounces"),
    Unit.LB: ("lb", "lbs", "pound", "pounds"),
    Unit.ML: ("ml", "mls", "milliliter", "milliliters", "millilitre", "millilitres"),
    Unit.L: ("l", "lt", "ltr", "liter", "liters", "litre", "litres"),
    Unit.FL_OZ: ("fl oz", "floz", "fl.oz", "fl. oz", "fl ozs", "fluid ounce", "fluid ounces", "fl ounce", "fl ounces"),
    Unit.EA: ("ea", "each", "ct", "count", "unit", "units", "pc", "pcs", "piece", "pieces"),
}.items():
    for _name in _names:
        _ALIASES[_name] = _unit


def quantize(value: Decimal) -> Decimal:
    """Round to 4 decimal places, half to even (the precision track-and-trace systems keep)."""
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN, context=_CTX)


def convert(value: Decimal, from_unit: Unit, to_unit: Unit) -> Decimal:
    """Convert exactly, then quantize. Raises UnitMismatch across dimensions."""
    if from_unit.dimension is not to_unit.dimension:
        raise UnitMismatch(
            f"Cannot convert {from_unit.value} ({from_unit.dimension.value}) to "
            f"{to_unit.value} ({to_unit.dimension.value})."
        )
    if from_unit is to_unit:
        return quantize(value)
    in_base = _CTX.multiply(value, _IN_BASE[from_unit])
    return quantize(_CTX.divide(in_base, _IN_BASE[to_unit]))


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    unit: Unit

    def __post_init__(self) -> None:
        if type(self.value) is not Decimal:  # ints (and floats via str) are accepted for convenience
            object.__setattr__(self, "value", _to_decimal(self.value))

    @property
    def dimension(self) -> Dimension:
        return self.unit.dimension

    def to(self, unit: Unit) -> Quantity:
        return Quantity(convert(self.value, self.unit, unit), unit)

    def quantized(self) -> Quantity:
        return Quantity(quantize(self.value), self.unit)

    def compatible(self, other: Quantity) -> bool:
        return self.unit.dimension is other.unit.dimension

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(quantize(self.value + other.to(self.unit).value), self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(quantize(self.value - other.to(self.unit).value), self.unit)

    def compare(self, other: Quantity) -> int:
        """-1, 0 or 1, comparing in this quantity's unit. Raises UnitMismatch across dimensions."""
        theirs = other.to(self.unit).value
        mine = quantize(self.value)
        return (mine > theirs) - (mine < theirs)

    @classmethod
    def parse(cls, text: str, default_unit: Unit | None = None) -> Quantity:
        return parse_quantity(text, default_unit)

    def display(self, places: int = PLACES) -> str:
        return f"{format_decimal(self.value, places)} {self.unit.value}"

    def __str__(self) -> str:
        return self.display()


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a quantity")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # 12.5 -> Decimal("12.5"), not the binary expansion
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


# A number as people type it: optional sign (so we can say "negative" instead of "not a number"),
# digits with optional thousands commas, optional fraction; or a bare ".5".
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?"
_QUANTITY_RE = re.compile(rf"^\s*({_NUMBER})\s*([A-Za-z][A-Za-z .]*?)?\s*$")
_SPECIAL = re.compile(r"^\s*[+-]?(nan|s?nan|inf|infinity)\b", re.IGNORECASE)


def parse_decimal(text: str, *, what: str = "Quantity", allow_zero: bool = True) -> Decimal:
    """A non-negative decimal from user input ("1,000", "12.5", ".25"); at most 4 places."""
    value, unit_text = _split(text, what)
    if unit_text:
        raise QuantityParseError(f"{what} {text.strip()!r} should be a plain number.")
    return _check_value(value, text, what, allow_zero)


def parse_quantity(
    text: str, default_unit: Unit | None = None, *, what: str = "Quantity", allow_zero: bool = True
) -> Quantity:
    """Parse "12.5 g", "3.5oz", "1,000" (with ``default_unit``), "2 Pounds"."""
    number, unit_text = _split(text, what)
    value = _check_value(number, text, what, allow_zero)  # number problems first: "-0.5" is negative
    if unit_text:
        unit = Unit.lookup(unit_text)
        if unit is None:
            known = ", ".join(u.value for u in Unit)
            raise QuantityParseError(f"Unknown unit {unit_text!r} in {text.strip()!r}. Use one of: {known}.")
    elif default_unit is not None:
        unit = default_unit
    else:
        raise QuantityParseError(f"{what} {text.strip()!r} needs a unit, e.g. \"12.5 g\".")
    return Quantity(value, unit)


def _split(text: object, what: str) -> tuple[str, str]:
    if not isinstance(text, str) or not text.strip():
        raise QuantityParseError(f"{what} is empty. Enter a number such as 12.5.")
    if _SPECIAL.match(text):
        raise QuantityParseError(f"{what} {text.strip()!r} is not a finite number.")
    match = _QUANTITY_RE.match(text)
    if not match or not re.search(r"\d", match.group(1)):
        if re.match(r"^\s*[+-]?\d+,\d{1,2}\s*[A-Za-z]*\s*$", text):
            raise QuantityParseError(f"{what} {text.strip()!r}: use a dot for decimals (12.5, not 12,5).")
        raise QuantityParseError(f"{what} {text.strip()!r} is not a number.")
    return match.group(1), (match.group(2) or "").strip()


def _check_value(number: str, text: str, what: str, allow_zero: bool) -> Decimal:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numerals
        raise QuantityParseError(f"{what} {text.strip()!r} is not a number.") from None
    if value < 0:
        raise QuantityParseError(f"{what} cannot be negative ({text.strip()!r}).")
    if value == 0 and not allow_zero:
        raise QuantityParseError(f"{what} must be more than zero.")
    if value > _MAX_VALUE:
        raise QuantityParseError(f"{what} {text.strip()!r} is too large.")
    if -value.as_tuple().exponent > PLACES:  # type: ignore[operator]
        raise QuantityParseError(f"{what} {text.strip()!r} has more than {PLACES} decimal places.")
    return value + 0  # normalises "-0" and "+5" to 0 and 5


def format_decimal(value: Decimal, places: int = PLACES, *, grouping: bool = True) -> str:
    """Round to ``places`` and drop trailing zeros: 1234.5000 -> "1,234.5", 3.0 -> "3"."""
    if not value.is_finite():
        return str(value)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=_CTX)
    text = f"{rounded:,f}" if grouping else f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
