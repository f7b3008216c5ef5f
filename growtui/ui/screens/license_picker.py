"""Pick a license: type to filter by name or number, Enter opens it."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from growtui.domain.models import License
from growtui.ui.common import ContainsErrors, license_name, license_number, plain, quiet_input


def filter_licenses(licenses: list[License], text: str) -> list[License]:
    needle = text.strip().lower()
    return [
        lic
        for lic in licenses
        if not needle or needle in license_number(lic).lower() or needle in license_name(lic).lower()
    ]


class LicensePickerScreen(ContainsErrors, Screen[Any]):
    """Dismisses with the chosen license, or None (Escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("enter", "choose", "Open", show=True, priority=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]
    AUTO_FOCUS = "#license-filter"

    def __init__(self, licenses: list[License], *, current: str | None = None) -> None:
        super().__init__(id="license-picker")
        self.licenses = licenses
        self.current = current
        self.shown: list[License] = list(licenses)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="license-box"):
            yield Label(f"Choose a license ({len(self.licenses)})", id="license-title")
            yield quiet_input(id="license-filter", placeholder="type to filter by name or number")
            yield OptionList(id="licenses", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = ("TRAINING · " if getattr(self.app, "training", False) else "") + "Choose a license"
        self.query_one(OptionList).can_focus = False
        self._show(self.licenses)
        numbers = [license_number(lic) for lic in self.shown]
        if self.current in numbers:
            self.query_one(OptionList).highlighted = numbers.index(self.current)

    def _show(self, licenses: list[License]) -> None:
        self.shown = licenses
        options = self.query_one(OptionList)
        width = max((len(license_number(lic)) for lic in licenses), default=0)
        options.set_options(
            Option(plain(f"{license_number(lic):<{width}}  {license_name(lic)}")) for lic in licenses
        )
        options.highlighted = 0 if licenses else None

    @on(Input.Changed, "#license-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(filter_licenses(self.licenses, event.value))

    @on(Input.Submitted, "#license-filter")
    def _submitted(self) -> None:
        self.action_choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_choose(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and self.shown:
            self.dismiss(self.shown[highlighted])

    def action_cancel(self) -> None:
        if getattr(self.app, "license", None) is None:
            # Nothing open behind us: back to the sign-in screen.
            self.app.sign_out()  # type: ignore[attr-defined]
            return
        self.dismiss(None)
