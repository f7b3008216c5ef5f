"""Item and strain forms: discontinue an item, create or discontinue a strain."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from growtui.domain.collections import Collection, Family
from growtui.domain.actions import STRAIN_TESTING_STATUSES, CreateStrain, DiscontinueItem, DiscontinueStrain, FieldError
from growtui.domain.units import QuantityParseError, parse_decimal
from growtui.domain.writes import BY_KIND
from growtui.ui.modals.forms.form import ActionForm, FormField, Invalid, text_input
from growtui.ui.sections import section_of, state_title
from growtui.ui.workers import background

_PERCENT_FIELDS = (
    ("thc_level", "THC %", ""),
    ("cbd_level", "CBD %", ""),
    ("indica_percentage", "Indica %", "50"),
    ("sativa_percentage", "Sativa %", "50"),
)


PLANTS_GROWING = (Collection(Family.PLANTS, "vegetative"), Collection(Family.PLANTS, "flowering"))
ACTIVE_PACKAGES = Collection(Family.PACKAGES, "active")


class InUse(Static):
    """What still uses the item or strain about to be discontinued, counted in the cached lists
    (off the event loop): "12 active packages and 30 flowering plants use Gelato"."""

    DEFAULT_CSS = "InUse { color: $warning; height: auto; }"

    def __init__(self, license_number: str, column: str, name: str, lists: tuple[Collection, ...]) -> None:
        super().__init__(id="in-use")
        self.license_number, self.column, self.name_used, self.lists = license_number, column, name, lists
        self.counts: dict[Collection, int] | None = None

    def on_mount(self) -> None:
        self._count()

    @background(thread=True, group="in-use")
    def _count(self) -> None:
        cache = self.app.store.cache  # type: ignore[attr-defined]
        counts = {c: cache.count(self.license_number, c, self.column, self.name_used) for c in self.lists}
        self.app.call_from_thread(self._show, counts)

    def _show(self, counts: dict[Collection, int]) -> None:
        self.counts = counts
        used = [f"{n:,} {state_title(c).lower()} {section_of(c).title.lower()}" for c, n in counts.items() if n]
        if used:
            self.update(Text(f"In use: {', '.join(used)} (cached lists) still name {self.name_used}. "
                             "They keep it; nothing new can be made of it."))


class DiscontinueItemForm(ActionForm):
    SPEC = BY_KIND["DiscontinueItem"]

    def __init__(self, license_number: str, item_id: int, item_name: str) -> None:
        super().__init__(license_number)
        self.item_id = item_id
        self.item_name = item_name

    def form_fields(self) -> ComposeResult:
        yield FormField(
            "Item",
            Static(Text(f"{self.item_name} (id {self.item_id})")),
            name="item",
            hint="It disappears from the item list; packages of it are not changed.",
        )
        yield InUse(self.license_number, "item", self.item_name, (ACTIVE_PACKAGES,))

    def build(self) -> DiscontinueItem:
        return DiscontinueItem(self.item_id, self.item_name)


class DiscontinueStrainForm(ActionForm):
    SPEC = BY_KIND["DiscontinueStrain"]

    def __init__(self, license_number: str, strain_id: int, strain_name: str) -> None:
        super().__init__(license_number)
        self.strain_id = strain_id
        self.strain_name = strain_name

    def form_fields(self) -> ComposeResult:
        yield FormField("Strain", Static(Text(f"{self.strain_name} (id {self.strain_id})")), name="strain")
        yield InUse(self.license_number, "strain", self.strain_name, (ACTIVE_PACKAGES, *PLANTS_GROWING))

    def build(self) -> DiscontinueStrain:
        return DiscontinueStrain(self.strain_id, self.strain_name)


class CreateStrainForm(ActionForm):
    SPEC = BY_KIND["CreateStrain"]

    def form_fields(self) -> ComposeResult:
        yield FormField("Name", text_input("name", placeholder="Strain name"), name="name")
        for name, label, value in _PERCENT_FIELDS:
            yield FormField(label, text_input(name, value=value, placeholder="0-100"), name=name)
        yield FormField(
            "Testing status",
            Select([(s, s) for s in STRAIN_TESTING_STATUSES], value="None", allow_blank=False,
                   id="testing_status", compact=True),
            name="testing_status",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#name").focus()

    def build(self) -> CreateStrain:
        errors: list[FieldError] = []
        values: dict[str, Decimal] = {}
        for name, label, _ in _PERCENT_FIELDS:
            text = self.query_one(f"#{name}").value  # type: ignore[attr-defined]
            try:
                values[name] = parse_decimal(text, what=label)
            except QuantityParseError as exc:
                errors.append(FieldError(name, str(exc)))
                values[name] = Decimal("NaN")  # placeholder: the other fields still get checked
        action = CreateStrain(
            name=self.query_one("#name").value.strip(),  # type: ignore[attr-defined]
            testing_status=str(self.query_one("#testing_status", Select).value),
            **values,
        )
        if errors:
            raise Invalid(errors, partial=action)
        return action
