"""Plants made from a seed or clone lot, and plants' variety or room changed (OpenTHC, issue 13;
seed 002 "Plants :: Create" and "Plants :: Modify"). Varieties and rooms are typed by name, as the
strains and rooms lists name them; a blank variety on create means the lot's own."""

from __future__ import annotations

from dataclasses import dataclass

from growtui.domain.actions import FieldError, _plural
from growtui.domain.units import Quantity


@dataclass(frozen=True, slots=True)
class CreatePlantsFromLot:
    lot_id: str
    lot_label: str
    count: int | str  # a str says why the text is not a count (``typed_count``)
    location: str  # the room (section), by name
    variety: str = ""  # blank: the lot's variety
    holding: Quantity | None = None  # what the lot holds now, where known

    def summary(self) -> str:
        return f"Plant {_plural(self.count, 'plant') if isinstance(self.count, int) else '?'} from lot {self.lot_label}"

    def detail_lines(self) -> list[str]:
        return [f"From lot: {self.lot_label} (holds {self.holding})", f"Plants: {self.count}",
                f"Variety: {self.variety or 'the lot’s own'}", f"Room: {self.location}"]

    def validate(self) -> list[FieldError]:
        errors = []
        if isinstance(self.count, str):
            errors.append(FieldError("count", self.count))
        elif self.holding is not None and self.holding.value < self.count:
            errors.append(FieldError("count", f"Lot {self.lot_label} holds {self.holding}; fewer plants, please."))
        if not self.location.strip():
            errors.append(FieldError("location", "Type the room the plants go to."))
        return errors


@dataclass(frozen=True, slots=True)
class ModifyPlants:
    plant_ids: tuple[str, ...]
    labels: tuple[str, ...]
    variety: str = ""  # blank keeps each plant's variety
    location: str = ""  # blank keeps each plant's room

    def summary(self) -> str:
        return f"Change {_plural(len(self.plant_ids), 'plant')}"

    def detail_lines(self) -> list[str]:
        return [*(f"{what}: {value}" for what, value in (("Variety", self.variety), ("Room", self.location)) if value),
                *(f"  {label}" for label in self.labels)]

    def validate(self) -> list[FieldError]:
        errors = [] if self.plant_ids else [FieldError("", "Choose the plants to change.")]
        if not self.variety.strip() and not self.location.strip():
            errors.append(FieldError("variety", "Type a new variety or a new room (blank keeps it)."))
        return errors
