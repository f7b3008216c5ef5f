"""Create a package from one or more source packages (split / repackage).

Item comes from the source-items picker (default: the first source's item), location, tag and
unit from the create inputs. Each source's quantity is parsed in the unit typed (default: the
source's own unit), converted, and checked against what the source holds; a source can be
finished on the package date. More sources are added by scanning their tag (checked against the
source-packages route).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from growtui.domain.actions import CreatePackage, FieldError, Ingredient
from growtui.domain.models import Item, Package, PackageCreateInputs
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.tags import normalize_tag
from growtui.domain.units import Quantity, QuantityParseError, Unit, UnitMismatch, parse_quantity
from growtui.domain.writes import BY_KIND
from growtui.ui import sources
from growtui.ui.modals.forms.form import ActionForm, FormField, Invalid, text_input
from growtui.ui.widgets.picker import PickerField
from growtui.ui.common import describe_error
from growtui.ui.widgets.scan_input import ScanInput
from growtui.ui.workers import Failed, background


@dataclass
class Source:
    """One source package and its row's controls (read directly: no query before mount)."""

    package: Package
    row: int  # widget id suffix (stable while rows are added)
    qty: Input = field(init=False)
    finish: Checkbox = field(init=False)

    def __post_init__(self) -> None:
        pkg = self.package
        self.qty = text_input(f"ing-{self.row}-qty", placeholder=pkg.quantity.unit.value if pkg.quantity else "qty")
        self.finish = Checkbox("finish", id=f"ing-{self.row}-finish", compact=True)

    def row_widget(self) -> Horizontal:
        pkg = self.package
        held = f"holds {pkg.quantity}" if pkg.quantity is not None else "quantity unknown"
        return Horizontal(
            Label(Text(f"{pkg.label} ({held})"), classes="ing-label"),
            self.qty,
            self.finish,
            classes="ingredient-row",
            id=f"ing-{self.row}",
        )


def parse_day(text: str, what: str, *, optional: bool = False) -> date | None:
    text = text.strip()
    if not text and optional:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what}: use YYYY-MM-DD, e.g. 2026-11-23.") from None


def check_draw(source: Package, used: Quantity) -> str | None:
    """Why ``used`` cannot be taken from ``source`` (units differ, more than it holds), or None."""
    held = source.quantity
    if held is None:
        return None
    try:
        if used.compare(held) > 0:
            return f"{source.label} holds only {held} (asked {used.to(held.unit)})."
    except UnitMismatch:
        return f"{source.label} is counted in {held.unit.value}; {used.unit.value} does not convert."
    return None


class CreatePackageForm(ActionForm):
    SPEC = BY_KIND["CreatePackage"]

    def __init__(self, license_number: str, packages: Sequence[Package]) -> None:
        super().__init__(license_number)
        self.sources = [Source(p, i) for i, p in enumerate(packages)]
        self._next_row = len(self.sources)
        self.inputs: PackageCreateInputs | None = None

    # -- layout ------------------------------------------------------------------------------------

    def form_fields(self) -> ComposeResult:
        rows = Vertical(*(source.row_widget() for source in self.sources), id="ingredient-rows")
        yield FormField("Sources (quantity used, finish the source?)", rows, name="ingredients")
        yield FormField("Add a source", ScanInput("Scan or type a source package tag", id="add-source"),
                        name="add_source")
        yield FormField("New tag", text_input("tag", placeholder="Tag for the new package"), name="tag")
        yield FormField("Item", PickerField(Picker.SOURCE_ITEMS, self.license_number, id="item"), name="item")
        yield FormField("Location", Select([], id="location", compact=True, prompt="Choose a location"), name="location")
        with Horizontal(id="qty-row"):
            yield FormField("Quantity", text_input("quantity", placeholder="e.g. 12.5"), name="quantity")
            yield FormField("Unit", Select([], id="unit", compact=True, prompt="Choose a unit"), name="unit")
        yield FormField("Date", text_input("actual_date", value=self.today().isoformat()), name="actual_date")
        yield FormField("Production batch (optional)", text_input("production_batch_number"),
                        name="production_batch_number")
        yield FormField("Expiration date (optional)", text_input("expiration_date", placeholder="YYYY-MM-DD"),
                        name="expiration_date")
        yield FormField("Note (optional)", text_input("note"), name="note")

    def on_mount(self) -> None:
        if self.sources:
            first = self.sources[0].package
            if first.item_id is not None:
                self.query_one("#item", PickerField).show(Item(id=first.item_id, name=first.item_name))
        super().on_mount()
        self.load_inputs()
        # What a person fills first: how much of the first source, or a source to scan. The tag,
        # item and date come suggested; focusing one would invite typing over it.
        (self.sources[0].qty if self.sources else self.query_one("#add-source")).focus()

    @background(exclusive=True, group="package-inputs")
    async def load_inputs(self) -> None:
        inputs = await sources.load_inputs(self, self.license_number, CreateForm.PACKAGE, "#form-errors", self.load_inputs)
        if isinstance(inputs, Failed):
            return
        assert isinstance(inputs, PackageCreateInputs)
        self.inputs = inputs
        locations = [(loc.name, loc.id) for loc in inputs.locations if loc.for_packages and not loc.is_archived]
        location_select = self.query_one("#location", Select)
        location_select.set_options(locations)
        # The new package is made where its sources are: their room when they share one.
        rooms = {s.package.location_name for s in self.sources}
        if len(rooms) == 1 and location_select.is_blank():
            room = rooms.pop()
            match = next((loc_id for name, loc_id in locations if name == room), None)
            if match is not None:
                location_select.value = match
        units = [(f"{u.name} ({u.abbreviation})", u.id) for u in inputs.units if u.unit is not None]
        unit_select = self.query_one("#unit", Select)
        unit_select.set_options(units)
        first = self.sources[0].package if self.sources else None
        if first is not None and first.quantity is not None:
            match = next((u.id for u in inputs.units if u.unit is first.quantity.unit), None)
            if match is not None:
                unit_select.value = match
        if not self.query_one("#tag", Input).value:
            free = next((t.label for t in inputs.tags if not t.is_used and not t.is_archived), "")
            self.query_one("#tag", Input).value = free
        self.revalidate()

    # -- adding sources by scan ----------------------------------------------------------------------

    @on(ScanInput.Scanned, "#add-source")
    def _scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()
        tag = normalize_tag(event.tag)
        if any(s.package.label == tag for s in self.sources):
            self._source_notice(f"{tag} is already a source.")
            return
        self.add_source(tag)

    @background(group="add-source")
    async def add_source(self, tag: str) -> None:
        try:
            model = await sources.find_by_label(self.app, self.license_number, Picker.SOURCE_PACKAGES, tag)
        except Exception as exc:  # noqa: BLE001
            self._source_notice(f"Could not check {tag}: {describe_error(exc)}")
            return
        if model is None:
            self._source_notice(f"{tag} cannot be used as a source (unknown, finished or on hold).")
            return
        source = Source(model, self._next_row)
        self._next_row += 1
        self.sources.append(source)
        await self.query_one("#ingredient-rows").mount(source.row_widget())
        self._source_notice("")
        self.revalidate()

    def _source_notice(self, text: str) -> None:
        if text:
            self.app.bell()
        self.query_one("#field-add_source", FormField).set_error(text)

    # -- the action ----------------------------------------------------------------------------------

    def _unit_ids(self) -> dict[Unit, int]:
        if self.inputs is None:
            return {}
        return {u.unit: u.id for u in self.inputs.units if u.unit is not None and u.id is not None}

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def build(self) -> CreatePackage:
        errors: list[FieldError] = []
        unit_ids = self._unit_ids()
        by_id = {u.id: u for u in (self.inputs.units if self.inputs else ())}
        actual: date = self.today()
        try:
            actual = parse_day(self._value("#actual_date"), "Date") or actual
        except ValueError as exc:
            errors.append(FieldError("actual_date", str(exc)))
        expiration = None
        try:
            expiration = parse_day(self._value("#expiration_date"), "Expiration date", optional=True)
        except ValueError as exc:
            errors.append(FieldError("expiration_date", str(exc)))

        unit_value = self.query_one("#unit", Select).value
        chosen_unit = by_id.get(unit_value) if isinstance(unit_value, int) else None
        quantity = Quantity(0, Unit.G)
        if chosen_unit is None or chosen_unit.unit is None:
            errors.append(FieldError("unit", "Choose a unit."))
        try:
            default = chosen_unit.unit if chosen_unit is not None else None
            quantity = parse_quantity(self._value("#quantity"), default, allow_zero=False)
        except QuantityParseError as exc:
            errors.append(FieldError("quantity", str(exc)))

        ingredients = []
        for i, source in enumerate(self.sources):
            ingredients.append(self._ingredient(i, source, unit_ids, errors))

        loc_value = self.query_one("#location", Select).value
        location_id = loc_value if isinstance(loc_value, int) else None
        location_name = next((n for n, v in self._location_options() if v == location_id), "")
        item: Any = self.query_one("#item", PickerField).chosen
        tag = normalize_tag(self._value("#tag"))
        tag_id = self._tag_id(tag, errors)
        action = CreatePackage(
            tag=tag,
            tag_id=tag_id,
            item_id=getattr(item, "id", None),
            item_name=getattr(item, "name", ""),
            location_id=location_id,
            location_name=location_name,
            quantity=quantity,
            unit_of_measure_id=chosen_unit.id if chosen_unit else None,
            ingredients=tuple(ingredients),
            actual_date=actual,
            production_batch_number=self._value("#production_batch_number").strip(),
            note=self._value("#note").strip(),
            expiration_date=expiration,
        )
        if errors:
            raise Invalid(errors, partial=action)
        return action

    def _location_options(self) -> list[tuple[str, int | None]]:
        if self.inputs is None:
            return []
        return [(loc.name, loc.id) for loc in self.inputs.locations]

    def _tag_id(self, tag: str, errors: list[FieldError]) -> int | None:
        if self.inputs is None or not tag:
            return None
        match = next((t for t in self.inputs.tags if t.label == tag), None)
        if match is None or match.is_used or match.is_archived:
            errors.append(FieldError("tag", f"{tag} is not one of this license's available package tags."))
            return None
        return match.id

    def _ingredient(self, i: int, source: Source, unit_ids: dict[Unit, int], errors: list[FieldError]) -> Ingredient:
        pkg = source.package
        where = f"ingredients[{i}]"
        text = source.qty.value
        finish = source.finish.value
        default_unit = pkg.quantity.unit if pkg.quantity is not None else None
        used = Quantity(0, default_unit or Unit.G)
        try:
            used = parse_quantity(text, default_unit, what=f"{pkg.label} quantity", allow_zero=False)
        except QuantityParseError as exc:
            errors.append(FieldError(f"{where}.quantity", str(exc)))
        else:
            problem = check_draw(pkg, used)
            if problem:
                errors.append(FieldError(f"{where}.quantity", problem))
        unit_id = unit_ids.get(used.unit)
        if unit_id is None and self.inputs is not None:
            errors.append(FieldError(f"{where}.quantity", f"{used.unit.value} is not a unit this license can use."))
        return Ingredient(pkg.id or 0, pkg.label, used, unit_id, finish)

    @on(Checkbox.Changed)
    def _finish_toggled(self) -> None:
        self.touched.add("ingredients")
        self.revalidate()
