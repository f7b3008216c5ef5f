"""Plant floor work beyond moving (issue 11): a new growth phase, destroying plants with their
waste, harvesting them with their wet weights.

Metrc has no dry run, so ``validate`` is all the confirmation has: every typed value is parsed
here (a weight that is not a weight is refused next to its field) and ``detail_lines`` show what
each plant row will carry. A destroyed plant's waste is weighed once on the scale for the lot,
while Metrc takes a weight per plant: ``per_plant_weights`` splits the total so the rows add up
to exactly what was weighed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from growtui.domain.actions import FieldError, _plural
from growtui.domain.floor import _check_day
from growtui.domain.units import PLACES, Dimension, Quantity, Unit, UnitError, format_decimal, parse_quantity

GROWTH_PHASES = ("Vegetative", "Flowering")
_QUANTUM = Decimal(1).scaleb(-PLACES)


def typed_weight(text: str, default_unit: Unit | None = None) -> Quantity | str:
    """A weight as typed ("12.5 g", "1.2kg"; a scale's bare "412.5" in ``default_unit``); the
    message to show when it is not one."""
    try:
        quantity = parse_quantity(text, default_unit, what="Weight")
    except UnitError as exc:
        return str(exc)
    if quantity.dimension is not Dimension.WEIGHT:
        return f"{quantity} is not a weight: use g, kg, oz or lb."
    return quantity


def typed_phase(text: str) -> str:
    """"flower", "F", "Flowering" -> "Flowering"; unknown text is kept for ``validate`` to refuse."""
    folded = text.strip().lower()
    return next((p for p in GROWTH_PHASES if folded and p.lower().startswith(folded)), text.strip())


def _check_plants(plant_ids: tuple[int, ...]) -> list[FieldError]:
    if not plant_ids:
        return [FieldError("plant_ids", "Select at least one plant.")]
    if len(set(plant_ids)) != len(plant_ids):
        return [FieldError("plant_ids", "A plant is listed twice.")]
    return []


@dataclass(frozen=True, slots=True)
class ChangeGrowthPhase:
    plant_ids: tuple[int, ...]
    labels: tuple[str, ...]
    phase: str  # "Vegetative" or "Flowering", as Metrc names them
    location: str  # the room the plants are in after the change (Metrc requires one)
    sublocation: str = ""
    growth_date: date | None = None

    def summary(self) -> str:
        return f"Change {_plural(len(self.plant_ids), 'plant')} to {self.phase}"

    def detail_lines(self) -> list[str]:
        where = self.location + (f" / {self.sublocation}" if self.sublocation else "")
        return [f"New phase: {self.phase}", f"Room: {where}", f"Date: {self.growth_date}", *self.labels]

    def validate(self) -> list[FieldError]:
        errors = _check_plants(self.plant_ids) + _check_day(self.growth_date, "date")
        if self.phase not in GROWTH_PHASES:
            errors.append(FieldError("phase", f"Type {' or '.join(GROWTH_PHASES)} (or its first letter)."))
        if not self.location.strip():
            errors.append(FieldError("location", "Type or scan the room the plants are in."))
        return errors


def per_plant_weights(total: Decimal, count: int) -> list[Decimal]:
    """``total`` split over ``count`` plants to 4 places, the remainder on the last: sums exactly."""
    if count <= 0:
        return []
    share = (total / count).quantize(_QUANTUM, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


@dataclass(frozen=True, slots=True)
class DestroyPlants:
    plant_ids: tuple[int, ...]
    labels: tuple[str, ...]
    waste: Quantity | str  # the weighed waste of all these plants; a str is why the text is not one
    method: str  # a waste method Metrc lists ("Grinder", "Compost", ...)
    material_mixed: str  # what the waste was mixed with to make it unusable
    reason: str  # a plant waste reason Metrc lists ("Male Plants", "Contamination", ...)
    note: str = ""
    actual_date: date | None = None

    def summary(self) -> str:
        return f"Destroy {_plural(len(self.plant_ids), 'plant')}"

    def weights(self) -> list[Decimal]:
        assert isinstance(self.waste, Quantity)
        return per_plant_weights(self.waste.value, len(self.plant_ids))

    def detail_lines(self) -> list[str]:
        lines = [f"Reason: {self.reason}" + (f" ({self.note})" if self.note else ""),
                 f"Waste: {self.waste}, {self.method}, mixed with {self.material_mixed}",
                 f"Date: {self.actual_date}"]
        if isinstance(self.waste, Quantity) and self.plant_ids:
            unit = self.waste.unit.value
            lines += [f"{label}  {format_decimal(w)} {unit}" for label, w in zip(self.labels, self.weights())]
        return lines

    def validate(self) -> list[FieldError]:
        errors = _check_plants(self.plant_ids) + _check_day(self.actual_date)
        if isinstance(self.waste, str):
            errors.append(FieldError("waste", self.waste))
        for name, value, what in (("method", self.method, "waste method"), ("reason", self.reason, "reason"),
                                  ("material_mixed", self.material_mixed, "material the waste was mixed with")):
            if not value.strip():
                errors.append(FieldError(name, f"Type the {what}."))
        return errors


@dataclass(frozen=True, slots=True)
class WeighedPlant:
    plant_id: int
    label: str
    weight: Quantity  # wet weight, in the harvest's unit


@dataclass(frozen=True, slots=True)
class HarvestPlants:
    """Whole flowering plants cut into one harvest, each with the wet weight the scale showed."""

    weighed: tuple[WeighedPlant, ...]
    harvest_name: str
    drying_location: str
    drying_sublocation: str = ""
    actual_date: date | None = None

    @property
    def plant_ids(self) -> tuple[int, ...]:
        return tuple(w.plant_id for w in self.weighed)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(w.label for w in self.weighed)

    def total(self) -> Quantity | None:
        if not self.weighed:
            return None
        total = Quantity(Decimal(0), self.weighed[0].weight.unit)
        for w in self.weighed:
            total = total + w.weight
        return total

    def summary(self) -> str:
        return f"Harvest {_plural(len(self.weighed), 'plant')} into {self.harvest_name}, {self.total()} wet"

    def detail_lines(self) -> list[str]:
        room = self.drying_location + (f" / {self.drying_sublocation}" if self.drying_sublocation else "")
        return [f"Harvest: {self.harvest_name}", f"Drying room: {room}", f"Date: {self.actual_date}",
                f"Total: {self.total()}", *(f"{w.label}  {w.weight}" for w in self.weighed)]

    def validate(self) -> list[FieldError]:
        errors = _check_day(self.actual_date, "date")
        if not self.weighed:
            errors.append(FieldError("weighed", "Scan a plant and weigh it."))
        if len(set(self.plant_ids)) != len(self.plant_ids):
            errors.append(FieldError("weighed", "A plant is weighed twice."))
        if any(w.weight.dimension is not Dimension.WEIGHT or w.weight.value <= 0 for w in self.weighed):
            errors.append(FieldError("weighed", "Every plant needs a wet weight above zero."))
        if not self.harvest_name.strip():
            errors.append(FieldError("harvest_name", "Name the harvest (e.g. strain and date)."))
        if not self.drying_location.strip():
            errors.append(FieldError("drying_location", "Type or scan the drying room."))
        return errors
