"""Floor work as plain intents (issue 11): moving plants and packages between rooms, finishing
packages. Metrc names rooms (locations) and objects by tag, so the intents carry labels and names;
``validate`` is the client's own check (Metrc has no dry run, so it is all the confirmation has).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from growtui.domain.actions import FieldError, _check_packages, _plural, _tag_lines


def _check_day(day: date | None, path: str = "actual_date") -> list[FieldError]:
    return [] if day is not None else [FieldError(path, "Type the date as YYYY-MM-DD.")]


def parse_day(text: str, today: date | None = None) -> date | None:
    """A typed date (YYYY-MM-DD); blank means today; None when it is not a date."""
    text = text.strip()
    if not text:
        return today or date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class MovePackages:
    package_ids: tuple[int, ...]
    labels: tuple[str, ...]
    location: str  # the room's name, as Metrc writes take it
    sublocation: str = ""
    move_date: date | None = None

    def summary(self) -> str:
        return f"Move {_plural(len(self.package_ids), 'package')} to {self.location}"

    def detail_lines(self) -> list[str]:
        where = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"To: {where}", f"Date: {self.move_date}", *_tag_lines(self.package_ids, self.labels)]

    def validate(self) -> list[FieldError]:
        errors = _check_packages(self.package_ids, self.labels) + _check_day(self.move_date, "move_date")
        if not self.location.strip():
            errors.append(FieldError("location", "Type or scan the destination room."))
        return errors


@dataclass(frozen=True, slots=True)
class FinishPackages:
    package_ids: tuple[int, ...]
    labels: tuple[str, ...]
    actual_date: date | None = None

    def summary(self) -> str:
        return f"Finish {_plural(len(self.package_ids), 'package')}"

    def detail_lines(self) -> list[str]:
        return [f"Date: {self.actual_date}", *_tag_lines(self.package_ids, self.labels)]

    def validate(self) -> list[FieldError]:
        return _check_packages(self.package_ids, self.labels) + _check_day(self.actual_date)


@dataclass(frozen=True, slots=True)
class MovePlants:
    plant_ids: tuple[int, ...]
    labels: tuple[str, ...]
    location: str
    sublocation: str = ""
    actual_date: date | None = None

    def summary(self) -> str:
        return f"Move {_plural(len(self.plant_ids), 'plant')} to {self.location}"

    def detail_lines(self) -> list[str]:
        where = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"To: {where}", f"Date: {self.actual_date}", *self.labels]

    def validate(self) -> list[FieldError]:
        errors = _check_day(self.actual_date)
        if not self.plant_ids:
            errors.append(FieldError("plant_ids", "Select at least one plant."))
        if len(set(self.plant_ids)) != len(self.plant_ids):
            errors.append(FieldError("plant_ids", "A plant is listed twice."))
        if not self.location.strip():
            errors.append(FieldError("location", "Type or scan the destination room."))
        return errors
