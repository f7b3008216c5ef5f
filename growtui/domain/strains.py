"""Changing a strain in place (issue 13, Trace): new values for some fields and, optionally, a new
entry in the strain's state history. Blank means "keep": only what was typed is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from growtui.domain.actions import FieldError
from growtui.domain.units import format_decimal

# States a strain can be put in by an update ("deleted" only by deactivating it).
STRAIN_STATES = ("active", "inactive", "in_house_tested", "third_party_tested", "used")
PERCENT_FIELDS = (
    ("thc_level", "THC %"),
    ("cbd_level", "CBD %"),
    ("indica_percentage", "Indica %"),
    ("sativa_percentage", "Sativa %"),
)
_HUNDRED = Decimal(100)


def parse_percent(text: str) -> Decimal | None:
    """Blank -> None (keep); anything not a number -> NaN, which ``validate`` reports."""
    text = text.strip().rstrip("%").strip()
    if not text:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return Decimal("NaN")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class UpdateStrain:
    strain_id: int | str
    strain_name: str  # the name it has now (for people)
    name: str = ""  # a new name; "" keeps it
    thc_level: Decimal | None = None
    cbd_level: Decimal | None = None
    indica_percentage: Decimal | None = None
    sativa_percentage: Decimal | None = None
    state: str = ""  # a new state-history entry; "" adds none
    reason: str = ""  # why the state changed (recorded upstream with it)
    at: str = ""  # when the state changed, ISO 8601 UTC (stamped when the form builds the action)

    def summary(self) -> str:
        return f"Update strain {self.strain_name or self.strain_id}"

    def detail_lines(self) -> list[str]:
        lines = [f"Strain: {self.strain_name} (id {self.strain_id})"]
        if self.name:
            lines.append(f"New name: {self.name}")
        for attr, label in PERCENT_FIELDS:
            value = getattr(self, attr)
            if value is not None:
                lines.append(f"{label}: {format_decimal(value)}")
        if self.state:
            lines.append(f"State: {self.state} ({self.reason})")
        return lines

    def changes(self) -> bool:
        return bool(self.name or self.state) or any(getattr(self, a) is not None for a, _ in PERCENT_FIELDS)

    def validate(self) -> list[FieldError]:
        errors: list[FieldError] = []
        if not self.changes():
            errors.append(FieldError("", "Type at least one new value (blank keeps the current one)."))
        for attr, label in PERCENT_FIELDS:
            value = getattr(self, attr)
            if value is not None and (not value.is_finite() or not 0 <= value <= _HUNDRED):
                errors.append(FieldError(attr, f"{label} must be a number from 0 to 100."))
        indica, sativa = self.indica_percentage, self.sativa_percentage
        if indica is not None and sativa is not None and indica.is_finite() and sativa.is_finite():
            if indica + sativa != _HUNDRED:
                total = format_decimal(indica + sativa)
                errors.append(FieldError("sativa_percentage", f"Indica and sativa must add up to 100 (now {total})."))
        if self.state and self.state not in STRAIN_STATES:
            errors.append(FieldError("state", f"Choose one of: {', '.join(STRAIN_STATES)}."))
        if self.state and not self.reason.strip():
            errors.append(FieldError("reason", "Say why the state changes (it is recorded with it)."))
        return errors


def build_update(rows: Any, typed: Any) -> UpdateStrain:
    """The declared form's action: the strain under the cursor and what was typed."""
    row = rows[0]
    state = typed["state"].strip().lower().replace(" ", "_")
    return UpdateStrain(
        row.id, row.name, name=typed["name"].strip(),
        **{attr: parse_percent(typed[attr]) for attr, _ in PERCENT_FIELDS},
        state=state, reason=typed["reason"].strip(), at=now_iso() if state else "",
    )
