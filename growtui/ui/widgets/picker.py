"""PickerField: type to search one of the data store's pickers, then pick one row.

Typing searches upstream after a short pause (in a worker; the newest search wins). Down moves
into the results, Enter picks. The chosen row is ``chosen``; typing again clears it, so the field
never shows a name that is not what will be sent.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from growtui.domain.pickers import Picker
from growtui.ui import sources
from growtui.ui.common import describe_error, quiet_input
from growtui.ui.workers import Failed, run_background, upstream

SEARCH_DELAY = 0.25


class PickerField(Vertical):
    DEFAULT_CSS = """
    PickerField { height: auto; }
    PickerField > OptionList { height: auto; max-height: 6; display: none; }
    PickerField.-open > OptionList { display: block; }
    PickerField > .picker-chosen { color: $text-success; height: auto; }
    """

    class Picked(Message):
        def __init__(self, picker: PickerField, model: Any) -> None:
            super().__init__()
            self.picker = picker
            self.model = model

        @property
        def control(self) -> PickerField:
            return self.picker

    def __init__(self, picker: Picker, license_number: str, *, id: str, placeholder: str = "Type to search") -> None:
        super().__init__(id=id)
        self.picker = picker
        self.license_number = license_number
        self.placeholder = placeholder
        self.chosen: Any = None
        self.results: list[Any] = []
        self._timer: Timer | None = None
        self._quiet = False

    def compose(self) -> ComposeResult:
        yield quiet_input(placeholder=self.placeholder, id=f"{self.id}-input")
        yield OptionList(id=f"{self.id}-options", compact=True)
        yield Static(classes="picker-chosen")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def show(self, model: Any) -> None:
        """Show ``model`` as the choice without announcing it (restoring a draft)."""
        self.chosen = model
        with self.input.prevent(Input.Changed):
            self.input.value = sources.describe_choice(model)
        self.query_one(".picker-chosen", Static).update(Text(f"✓ {sources.describe_choice(model)}" if model else ""))
        self.remove_class("-open")

    def choose(self, model: Any) -> None:
        """Set the chosen row and tell the form (Picked)."""
        self.chosen = model
        self.query_one(".picker-chosen", Static).update(Text(f"✓ {sources.describe_choice(model)}" if model else ""))
        self.remove_class("-open")
        self.post_message(self.Picked(self, model))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self._quiet:
            return
        if self.chosen is not None:
            self.choose(None)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.search(event.value))

    def search(self, text: str) -> None:
        run_background(self, self._search(text), group=f"picker-{self.id}", exclusive=True)

    async def _search(self, text: str) -> None:
        def failed(exc: Exception) -> None:  # shown in place; the form keeps working
            self.query_one(".picker-chosen", Static).update(Text(f"Search failed: {describe_error(exc)}"))

        rows = await upstream(
            self.app, sources.search(self.app, self.license_number, self.picker, text),
            retry=lambda: self.search(text), failed=failed,
        )
        if isinstance(rows, Failed):
            return
        self.results = rows
        options = self.options
        options.clear_options()
        options.add_options([Option(Text(sources.describe_choice(m))) for m in rows] or
                            [Option(Text("(no match)"), disabled=True)])
        self.add_class("-open")

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.input.has_focus and self.has_class("-open") and self.results:
            event.stop()
            self.options.focus()
            self.options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.results):
            model = self.results[event.option_index]
            self._quiet = True
            with self.input.prevent(Input.Changed):
                self.input.value = sources.describe_choice(model)
            self._quiet = False
            self.choose(model)
            self.input.focus()
