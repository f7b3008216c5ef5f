"""Harvest at the scale: scan a plant's tag, the scale types its wet weight, Enter; repeat.

Each reading lands on the plant scanned just before it, the running count and total stay in
view, and Ctrl+Z takes the last reading back. A tag that is not a flowering plant of this license
(or not one of the marked plants) is refused at once with the reason, before it is weighed.
Readings arrive like scans (text then CR, at typing speed), so both inputs handle Enter in their
own key handler, in order with the characters (see widgets/scan_input.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from growtui.domain.collections import Collection, Family
from growtui.domain.floor import parse_day
from growtui.domain.plant_changes import HarvestPlants, WeighedPlant, typed_weight
from growtui.domain.units import Dimension, Unit, UnitError, format_decimal
from growtui.domain.writes import BY_KIND
from growtui.ui.modals.forms.form import ActionForm, FormField, text_input
from growtui.ui.widgets.scan_input import ScanInput

FLOWERING = Collection(Family.PLANTS, "flowering")
SHOWN = 6  # readings listed under the total (the newest last); all go in the confirmation


class ReadingInput(ScanInput):
    """A scale's reading: posted as typed (not normalised like a tag) when Enter arrives."""

    def take(self, raw: str) -> None:
        if raw.strip():
            self.post_message(self.Scanned(self, raw.strip()))


class HarvestForm(ActionForm):
    SPEC = BY_KIND["HarvestPlants"]
    BINDINGS = [Binding("ctrl+z", "undo_reading", "Undo last weight")]

    def __init__(self, license_number: str, marked: Sequence[Any] = ()) -> None:
        super().__init__(license_number)
        self.marked = {p.id for p in marked}
        self.weighed: list[WeighedPlant] = []
        self.pending: Any = None  # the plant scanned, waiting for its weight

    def form_fields(self) -> ComposeResult:
        yield FormField("Harvest name", text_input("harvest_name", placeholder="e.g. Gelato 2026-11-20"),
                        name="harvest_name")
        yield FormField("Drying room", text_input("drying_location", placeholder="type or scan the room"),
                        name="drying_location")
        yield FormField("Sublocation", text_input("drying_sublocation", placeholder="optional"),
                        name="drying_sublocation")
        yield FormField("Date", text_input("date", placeholder="YYYY-MM-DD; blank for today"), name="date")
        yield FormField("Unit", text_input("unit", value="g", placeholder="the scale's unit: g, kg, oz, lb"),
                        name="unit")
        yield FormField("Plant", ScanInput(id="plant-tag", placeholder="scan the plant's tag"), name="plant")
        yield FormField("Wet weight", ReadingInput(id="wet-weight", placeholder="the scale types it; Enter"),
                        name="weight")
        yield FormField("Weighed", Static(id="weighed-list"), name="weighed")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_readings()
        self.query_one("#harvest_name").focus()

    # -- scan, weigh, repeat ----------------------------------------------------------------------

    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()
        if event.control.id == "plant-tag":
            self._plant_scanned(event.tag)
        elif event.control.id == "wet-weight":
            self._weighed(event.tag)

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def _refuse(self, field: str, message: str) -> None:
        self._field(field).set_error(message)
        self.app.bell()

    def _plant_scanned(self, tag: str) -> None:
        plant, problem = self._flowering_plant(tag)
        if plant is None:
            self._refuse("plant", problem)
            return
        self.pending = plant
        self._field("plant").set_error("")
        self._field("weight").set_error("")
        self.query_one("#plant-tag", ScanInput).placeholder = f"{plant.label}: now weigh it"
        self.query_one("#wet-weight").focus()

    def _flowering_plant(self, tag: str) -> tuple[Any, str]:
        store = self.app.store
        index = store.open_list(self.license_number, FLOWERING)
        position = index.find_label(tag)
        if position is None and store.cache_age(self.license_number, FLOWERING) is None:
            return None, "Flowering plants are not loaded yet: open Plants, Flowering (] ) first."
        if position is None:
            return None, f"{tag} is not a flowering plant of this license (harvest takes flowering plants)."
        plant = store.model(self.license_number, FLOWERING, index.key(position))
        if plant is None:
            return None, f"{tag} could not be read from the cache; refresh the list."
        if self.marked and plant.id not in self.marked:
            return None, f"{tag} is not one of the {len(self.marked)} marked plants."
        if any(w.plant_id == plant.id for w in self.weighed):
            return None, f"{tag} is already weighed (Ctrl+Z takes the last reading back)."
        return plant, ""

    def _unit(self) -> Unit | None:
        unit = Unit.lookup(self.query_one("#unit").value)  # type: ignore[attr-defined]
        return unit if unit is not None and unit.dimension is Dimension.WEIGHT else None

    def _weighed(self, reading: str) -> None:
        if self.pending is None:
            self._refuse("weight", "Scan the plant first, then weigh it.")
            self.query_one("#plant-tag").focus()
            return
        unit = self._unit()
        if unit is None:
            self._refuse("unit", "Type the scale's unit: g, kg, oz or lb.")
            return
        weight = typed_weight(reading, unit)
        if isinstance(weight, str):
            self._refuse("weight", weight)
            return
        if weight.value <= 0:
            self._refuse("weight", "A wet weight is more than zero: weigh it again.")
            return
        try:
            weight = weight.to(unit)
        except UnitError as exc:  # pragma: no cover - both are weights
            self._refuse("weight", str(exc))
            return
        self.weighed.append(WeighedPlant(self.pending.id, self.pending.label, weight))
        self.pending = None
        self._field("weight").set_error("")
        self.query_one("#plant-tag", ScanInput).placeholder = "scan the next plant's tag"
        self._show_readings()
        self.revalidate()
        self.query_one("#plant-tag").focus()

    def action_undo_reading(self) -> None:
        if self.weighed:
            taken = self.weighed.pop()
            self.notify(f"{taken.label} ({taken.weight}) taken back.")
            self._show_readings()
            self.revalidate()

    def _show_readings(self) -> None:
        action = self.build()
        total = action.total()
        lines = [f"{len(self.weighed)} plant{'s' if len(self.weighed) != 1 else ''}"
                 + (f", {total} wet in all" if total is not None else ", none weighed yet")
                 + (f" · {len(self.marked) - len(self.weighed)} marked to go" if self.marked else "")]
        lines += [f"  {w.label}  {format_decimal(w.weight.value)} {w.weight.unit.value}" for w in self.weighed[-SHOWN:]]
        self.query_one("#weighed-list", Static).update(Text("\n".join(lines)))

    def build(self) -> HarvestPlants:
        def typed(name: str) -> str:
            return self.query_one(f"#{name}").value.strip()  # type: ignore[attr-defined]

        return HarvestPlants(tuple(self.weighed), typed("harvest_name"), typed("drying_location"),
                             typed("drying_sublocation"), parse_day(typed("date"), self.today()))
