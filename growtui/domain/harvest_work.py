"""Harvest floor work after the cut (issue 11): record waste, package from a harvest, finish and
unfinish. Weight packaged or wasted comes off the harvest upstream; the checks here catch what
can be caught before sending (a weight that is not one, more than the harvest still holds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from growtui.domain.actions import FieldError, _plural
from growtui.domain.floor import _check_day
from growtui.domain.tags import tag_problem
from growtui.domain.units import Quantity

HARVEST_WASTE_TYPES = ("Plant Material", "Fibrous", "Root Ball")  # Metrc's /harvests/v2/waste/types


def typed_waste_type(text: str) -> str:
    folded = text.strip().lower()
    return next((t for t in HARVEST_WASTE_TYPES if folded and t.lower().startswith(folded)), text.strip())


def _check_weight(weight: Quantity | str, held: Quantity | None) -> list[FieldError]:
    if isinstance(weight, str):
        return [FieldError("weight", weight)]
    if held is not None and held.compatible(weight) and held.compare(weight) < 0:
        return [FieldError("weight", f"The harvest holds {held}: {weight} is more than that.")]
    return []


@dataclass(frozen=True, slots=True)
class HarvestWaste:
    harvest_id: int
    harvest_name: str
    waste_type: str
    weight: Quantity | str
    actual_date: date | None = None
    held: Quantity | None = None  # the harvest's current weight, where known

    def summary(self) -> str:
        return f"Record {self.weight} of {self.waste_type} waste from {self.harvest_name}"

    def detail_lines(self) -> list[str]:
        return [f"Harvest: {self.harvest_name}", f"Waste: {self.weight} {self.waste_type}", f"Date: {self.actual_date}"]

    def validate(self) -> list[FieldError]:
        errors = _check_weight(self.weight, self.held) + _check_day(self.actual_date, "date")
        if self.waste_type not in HARVEST_WASTE_TYPES:
            errors.append(FieldError("waste_type", f"Type one of: {', '.join(HARVEST_WASTE_TYPES)}."))
        return errors


@dataclass(frozen=True, slots=True)
class HarvestPackage:
    """One new package from a harvest: its weight comes off the harvest (Metrc's Ingredients)."""

    harvest_id: int
    harvest_name: str
    tag: str
    item: str
    weight: Quantity | str
    location: str
    sublocation: str = ""
    actual_date: date | None = None
    held: Quantity | None = None

    def summary(self) -> str:
        return f"Package {self.weight} of {self.harvest_name} as {self.item}"

    def detail_lines(self) -> list[str]:
        room = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"From harvest: {self.harvest_name}", f"New tag: {self.tag}", f"Item: {self.item}",
                f"Weight: {self.weight}", f"Room: {room}", f"Date: {self.actual_date}"]

    def validate(self) -> list[FieldError]:
        errors = _check_weight(self.weight, self.held) + _check_day(self.actual_date, "date")
        if (issue := tag_problem(self.tag)) is not None:
            errors.append(FieldError("tag", issue.message))
        if not self.item.strip():
            errors.append(FieldError("item", "Type the item the package holds."))
        if not self.location.strip():
            errors.append(FieldError("location", "Type or scan the package's room."))
        return errors


@dataclass(frozen=True, slots=True)
class FinishHarvests:
    harvest_ids: tuple[int, ...]
    names: tuple[str, ...]
    actual_date: date | None = None

    def summary(self) -> str:
        return f"Finish {_plural(len(self.harvest_ids), 'harvest')}"

    def detail_lines(self) -> list[str]:
        return [f"Date: {self.actual_date}", *self.names]

    def validate(self) -> list[FieldError]:
        errors = _check_day(self.actual_date, "date")
        return errors + ([] if self.harvest_ids else [FieldError("harvest_ids", "Select at least one harvest.")])


@dataclass(frozen=True, slots=True)
class UnfinishHarvests:
    harvest_ids: tuple[int, ...]
    names: tuple[str, ...]

    def summary(self) -> str:
        return f"Unfinish {_plural(len(self.harvest_ids), 'harvest')}"

    def detail_lines(self) -> list[str]:
        return list(self.names)

    def validate(self) -> list[FieldError]:
        return [] if self.harvest_ids else [FieldError("harvest_ids", "Select at least one harvest.")]
