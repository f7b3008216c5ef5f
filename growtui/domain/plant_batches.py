"""Plant batch floor work (issue 11): new plantings, tagging batch plants into a growth phase,
destroying batch plants with their waste. Batches are named, not tagged, in Metrc's writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from growtui.domain.actions import FieldError, _plural
from growtui.domain.floor import _check_day
from growtui.domain.plant_changes import GROWTH_PHASES
from growtui.domain.tags import tag_problem
from growtui.domain.units import Quantity

BATCH_TYPES = ("Seed", "Clone")
MAX_COUNT = 10_000  # plants in one write: far past any room, short of pasted garbage


def typed_count(text: str) -> int | str:
    """A plant count as typed ("12"); the message to show when it is not one."""
    text = text.strip().replace(",", "")
    if not text.isdigit() or not 0 < int(text) <= MAX_COUNT:
        return f"Type how many plants, a whole number from 1 to {MAX_COUNT:,}."
    return int(text)


def typed_batch_type(text: str) -> str:
    folded = text.strip().lower()
    return next((t for t in BATCH_TYPES if folded and t.lower().startswith(folded)), text.strip())


def _check_count(count: int | str, left: int | None = None) -> list[FieldError]:
    if isinstance(count, str):
        return [FieldError("count", count)]
    if left is not None and count > left:
        return [FieldError("count", f"The batch has {left} untagged plant(s) left.")]
    return []


def _need(**named: str) -> list[FieldError]:
    return [FieldError(name, f"Type the {name.replace('_', ' ')}.") for name, value in named.items() if not value.strip()]


@dataclass(frozen=True, slots=True)
class CreatePlantings:
    name: str
    batch_type: str  # Seed or Clone
    count: int | str
    strain: str
    location: str
    sublocation: str = ""
    actual_date: date | None = None

    def summary(self) -> str:
        return f"Plant batch {self.name}: {self.count} {self.batch_type.lower()}s of {self.strain}"

    def detail_lines(self) -> list[str]:
        room = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"Batch: {self.name}", f"Type: {self.batch_type}", f"Count: {self.count}", f"Strain: {self.strain}",
                f"Room: {room}", f"Date: {self.actual_date}"]

    def validate(self) -> list[FieldError]:
        errors = _check_count(self.count) + _check_day(self.actual_date, "date")
        errors += _need(name=self.name, strain=self.strain, location=self.location)
        if self.batch_type not in BATCH_TYPES:
            errors.append(FieldError("batch_type", "Type Seed or Clone (or S / C)."))
        return errors


@dataclass(frozen=True, slots=True)
class BatchGrowthPhase:
    """Tag ``count`` plants of a batch into a phase: Metrc takes the starting tag and uses the
    next ``count`` tags in sequence."""

    batch_id: int
    batch_name: str
    count: int | str
    starting_tag: str
    phase: str
    location: str
    sublocation: str = ""
    growth_date: date | None = None
    untagged: int | None = None  # plants of the batch not tagged yet, where known

    def summary(self) -> str:
        return f"Tag {self.count} plants of {self.batch_name} into {self.phase}"

    def detail_lines(self) -> list[str]:
        room = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"Batch: {self.batch_name}", f"Plants: {self.count}, tags from {self.starting_tag} on",
                f"Phase: {self.phase}", f"Room: {room}", f"Date: {self.growth_date}"]

    def validate(self) -> list[FieldError]:
        errors = _check_count(self.count, self.untagged) + _check_day(self.growth_date, "date")
        if (issue := tag_problem(self.starting_tag)) is not None:
            errors.append(FieldError("starting_tag", issue.message))
        if self.phase not in GROWTH_PHASES:
            errors.append(FieldError("phase", f"Type {' or '.join(GROWTH_PHASES)} (or its first letter)."))
        return errors + _need(location=self.location)


@dataclass(frozen=True, slots=True)
class DestroyBatchPlants:
    batch_id: int
    batch_name: str
    count: int | str
    waste: Quantity | str
    method: str
    material_mixed: str
    reason: str
    note: str = ""
    actual_date: date | None = None
    untagged: int | None = None

    def summary(self) -> str:
        return f"Destroy {_plural(self.count, 'plant') if isinstance(self.count, int) else self.count} of {self.batch_name}"

    def detail_lines(self) -> list[str]:
        return [f"Batch: {self.batch_name}", f"Plants: {self.count}",
                f"Reason: {self.reason}" + (f" ({self.note})" if self.note else ""),
                f"Waste: {self.waste}, {self.method}, mixed with {self.material_mixed}", f"Date: {self.actual_date}"]

    def validate(self) -> list[FieldError]:
        errors = _check_count(self.count, self.untagged) + _check_day(self.actual_date)
        if isinstance(self.waste, str):
            errors.append(FieldError("waste", self.waste))
        return errors + _need(method=self.method, material_mixed=self.material_mixed, reason=self.reason)
