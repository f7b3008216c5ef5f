"""Collecting from plants (OpenTHC, issue 13): the raw (wet) or net (dry) weight taken from the
chosen plants into one collect group. The weight is weighed once for all of them and split so
the per-plant entries add up to exactly what was weighed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from growtui.domain.actions import FieldError, _plural
from growtui.domain.floor import _check_day
from growtui.domain.plant_changes import per_plant_weights
from growtui.domain.units import Quantity

COLLECT_TYPES = ("raw", "net")


def typed_collect_type(text: str) -> str:
    """"r", "Raw", "wet" -> "raw"; "n", "net", "dry" -> "net"; other text is kept for ``validate``."""
    folded = text.strip().lower()
    if folded and ("raw".startswith(folded) or folded == "wet"):
        return "raw"
    if folded and ("net".startswith(folded) or folded == "dry"):
        return "net"
    return text.strip()


@dataclass(frozen=True, slots=True)
class CollectPlants:
    plant_ids: tuple[str, ...]
    labels: tuple[str, ...]
    collect_type: str  # raw (wet) or net (dry)
    weight: Quantity | str  # all the chosen plants together; a str is why the text is not a weight
    collect_date: date | None = None

    def summary(self) -> str:
        return f"Collect {self.collect_type} {self.weight} from {_plural(len(self.plant_ids), 'plant')}"

    def shares(self) -> list[Decimal]:
        assert isinstance(self.weight, Quantity)
        return per_plant_weights(self.weight.value, len(self.plant_ids))

    def detail_lines(self) -> list[str]:
        lines = [f"Type: {self.collect_type}", f"Weight: {self.weight} in all", f"Date: {self.collect_date}"]
        if isinstance(self.weight, Quantity):
            unit = self.weight.unit
            lines += [f"  {label}: {share} {unit}" for label, share in zip(self.labels, self.shares())]
        return lines

    def validate(self) -> list[FieldError]:
        errors = _check_day(self.collect_date, "date")
        if not self.plant_ids:
            errors.append(FieldError("", "Choose the plants to collect from."))
        if self.collect_type not in COLLECT_TYPES:
            errors.append(FieldError("collect_type", "Type raw (wet weight) or net (dry weight)."))
        if not isinstance(self.weight, Quantity):
            errors.append(FieldError("weight", self.weight))
        elif self.weight.value <= 0:
            errors.append(FieldError("weight", "The weight must be more than 0."))
        return errors
