"""DeclaredForm: the form of a write kind that declares its inputs in the registry
(``WriteSpec.inputs`` and ``WriteSpec.build``), so a new kind needs no form code here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from growtui.domain.actions import Action
from growtui.domain.writes import WriteSpec
from growtui.ui.modals.forms.form import ActionForm, FormField, text_input


class DeclaredForm(ActionForm):
    def __init__(self, license_number: str, spec: WriteSpec, rows: Sequence[Any]) -> None:
        super().__init__(license_number)
        self.SPEC = spec
        self.rows = list(rows)

    def form_fields(self) -> ComposeResult:
        if self.rows:
            labels = [str(getattr(r, "label", "") or getattr(r, "name", "")) for r in self.rows]
            shown = ", ".join(labels[:6]) + (f" and {len(labels) - 6} more" if len(labels) > 6 else "")
            yield Static(Text(f"{len(labels)} selected: {shown}"), id="form-rows")
        for field in self.SPEC.inputs:
            yield FormField(field.label, text_input(field.name, placeholder=field.placeholder), name=field.name)

    def on_mount(self) -> None:
        super().on_mount()
        if self.SPEC.inputs:
            self.query_one(f"#{self.SPEC.inputs[0].name}").focus()

    def build(self) -> Action:
        assert self.SPEC.build is not None
        values = {f.name: self.query_one(f"#{f.name}", Input).value.strip() for f in self.SPEC.inputs}
        return self.SPEC.build(self.rows, values)
