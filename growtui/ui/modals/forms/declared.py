"""DeclaredForm: the form of a write kind that declares its inputs in the registry
(``WriteSpec.inputs`` and ``WriteSpec.build``), so a new kind needs no form code here.

A kind that takes its rows by scan (``Rows.SCANNED``: moving plants or packages) also gets a scan
field under its inputs: type or scan the room first, then tags one after another; each joins the
rows with a running count (Ctrl+Z takes the last back), and one confirmation sends them all. A tag
that is not in the lists the write can take, or already taken, is refused on the spot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from growtui.domain.actions import Action
from growtui.domain.collections import FAMILY_STATES
from growtui.domain.writes import Rows, WriteSpec
from growtui.ui.modals.forms.form import ActionForm, FormField, text_input
from growtui.ui.widgets.scan_input import ScanInput

SHOWN = 6  # tags listed in the form; the confirmation lists them all


class DeclaredForm(ActionForm):
    BINDINGS = [Binding("ctrl+z", "undo_scan", "Undo last scan", show=False)]

    def __init__(self, license_number: str, spec: WriteSpec, rows: Sequence[Any]) -> None:
        super().__init__(license_number)
        self.SPEC = spec
        self.rows = list(rows)
        self.scanning = spec.applies.rows is Rows.SCANNED

    def form_fields(self) -> ComposeResult:
        yield Static(id="form-rows")
        for field in self.SPEC.inputs:
            yield FormField(field.label, text_input(field.name, placeholder=field.placeholder), name=field.name)
        if self.scanning:
            yield FormField("Scan", ScanInput(id="form-scan", placeholder="scan tags one after another"), name="scan")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_rows()
        if self.SPEC.inputs:
            self.query_one(f"#{self.SPEC.inputs[0].name}").focus()

    def _show_rows(self) -> None:
        labels = [str(getattr(r, "label", "") or getattr(r, "name", "")) for r in self.rows]
        if self.scanning:
            text = f"{len(labels)} to {self.SPEC.confirm_label.lower()}" + (
                f": {', '.join(labels[-SHOWN:])}" + (" (newest last)" if len(labels) > SHOWN else "")
                if labels else " yet: scan their tags")
        else:
            text = f"{len(labels)} selected: " + ", ".join(labels[:SHOWN]) + (
                f" and {len(labels) - SHOWN} more" if len(labels) > SHOWN else "")
        self.query_one("#form-rows", Static).update(Text(text))
        self.query_one("#form-rows", Static).display = bool(labels) or self.scanning

    # -- scanning rows in ---------------------------------------------------------------------------

    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()
        found, problem = self._find(event.tag)
        holder = self.query_one("#field-scan", FormField)
        if found is None:
            holder.set_error(problem)
            self.app.bell()
            return
        holder.set_error("")
        self.rows.append(found)
        self._show_rows()
        self.revalidate()

    def _find(self, tag: str) -> tuple[Any, str]:
        if any(getattr(r, "label", None) == tag for r in self.rows):
            return None, f"{tag} is already in this move."
        store, keep = self.app.store, self.SPEC.applies.keep
        for family in sorted(self.SPEC.lists or ()):
            for collection in FAMILY_STATES[family]:
                index = store.open_list(self.license_number, collection)
                position = index.find_label(tag)
                if position is None:
                    continue
                row = store.model(self.license_number, collection, index.key(position))
                if row is not None and (keep is None or keep(row)):
                    return row, ""
                return None, f"{tag} cannot be taken: it is {collection.state or collection.family.value}."
        return None, f"{tag} is not in this license's cached lists (refresh them, or check the tag)."

    def action_undo_scan(self) -> None:
        if self.scanning and self.rows:
            taken = self.rows.pop()
            self.notify(f"{getattr(taken, 'label', '')} taken back.")
            self._show_rows()
            self.revalidate()

    def build(self) -> Action:
        assert self.SPEC.build is not None
        values = {f.name: self.query_one(f"#{f.name}", Input).value.strip() for f in self.SPEC.inputs}
        return self.SPEC.build(self.rows, values)
