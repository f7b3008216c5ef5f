"""Transfer builder: one manifest, one or more destinations, packages added by scanning.

The transfer type (from the create inputs) decides which fields matter: wholesale prices for
Wholesale, gross weights when the type requires them, the invoice number when required.
Destination and transporter come from the paged picker routes (type to search); driver and
vehicle from the inputs or typed. Every scanned tag is checked against the eligible-packages
route: duplicates, ineligible and unknown tags are refused with a message and a bell.

Everything typed lives in a ``TransferDraft`` saved locally after each change, so a crash or an
accidental quit loses nothing; the draft is discarded once the transfer is sent (or on Ctrl+D).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Select, Static

from growtui.data.drafts import DraftKey, DraftStore
from growtui.data.types import WriteStatus
from growtui.domain.actions import FieldError
from growtui.domain.collections import Family
from growtui.domain.models import Package, TransferCreateInputs, TransferType
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.tags import tag_problem
from growtui.ui import sources
from growtui.ui.modals.forms.form import FormField, text_input
from growtui.ui.widgets.picker import PickerField
from growtui.ui.common import describe_error
from growtui.ui.transfer_draft import (
    DATETIME_FORMAT,
    TEXT_FIELDS,
    Builder,
    DestinationDraft,
    LineDraft,
    TransferDraft,
    totals,
)
from growtui.ui.widgets.scan_input import ScanInput
from growtui.ui.write_flow import WriteFlow, client_errors
from growtui.ui.workers import Failed, background, upstream

if TYPE_CHECKING:
    from growtui.data.types import WriteOutcome
    from growtui.ui.app import GrowApp

SAVE_DELAY = 0.3
# Domain error paths that name a field by another name than the builder's widget.
_FIELD_ALIAS = {"estimated_arrival": "arrival", "estimated_departure": "departure", "packages": "lines",
                "details": "driver_name", "wholesale_price": "lines"}
_STATE_WORDS = {"onhold": "is on hold", "inactive": "is finished or inactive", "intransit": "is already in transit"}
_LABELS = {
    "driver_name": "Driver name",
    "driver_occupational_license_number": "Driver occupational license",
    "driver_license_number": "Driver's license",
    "vehicle_make": "Vehicle make",
    "vehicle_model": "Vehicle model",
    "vehicle_license_plate_number": "License plate",
    "phone_number": "Phone for questions",
    "planned_route": "Planned route",
    "departure": "Departure (YYYY-MM-DD HH:MM)",
    "arrival": "Arrival (YYYY-MM-DD HH:MM)",
    "invoice_number": "Invoice number",
    "gross_weight": "Gross weight of the delivery",
}


def error_field(path: str, known: set[str]) -> str:
    """The builder field a domain error path points at ("destinations[0].transporters[0]
    .details[0].driver_name" -> "driver_name")."""
    names = [n for n in re.split(r"[.\[\]]+", path) if n and not n.isdigit()]
    for name in reversed(names):
        name = _FIELD_ALIAS.get(name, name)
        if name in known:
            return name
    return ""


REFUSALS_SHOWN = 6  # under the scan field; the count says how many there were in all


class TransferBuilderScreen(Screen[None]):
    app: "GrowApp"

    BINDINGS = [
        Binding("ctrl+s,f10", "submit", "Review & send", priority=True),
        Binding("ctrl+t", "save_template", "Save template", priority=True),
        Binding("ctrl+n", "new_destination", "New destination", priority=True),
        Binding("ctrl+right", "switch_destination(1)", "Next dest", priority=True),
        Binding("ctrl+left", "switch_destination(-1)", "Prev dest", show=False, priority=True),
        Binding("ctrl+d", "discard", "Discard draft", priority=True),
        Binding("f2", "scan", "Scan"),
        Binding("escape", "close", "Close (draft kept)"),
    ]

    def __init__(self, license_number: str, *, packages: list[Package] | None = None,
                 drafts: DraftStore | None = None) -> None:
        super().__init__(id="transfer-builder")
        self.license_number = license_number
        self.initial_packages = list(packages or [])
        self.drafts = drafts or DraftStore()
        self.draft = TransferDraft()
        self.inputs: TransferCreateInputs | None = None
        self.errors: list[FieldError] = []
        self.flow: WriteFlow | None = None
        self.sending = False
        self.show_all = False
        self.touched: set[str] = set()
        self._save_timer: Timer | None = None
        self._loading = False  # widgets being filled from the draft: not user changes
        self.scan_notice = ""  # why the last scan was refused ("" after a good one)
        self.refusals: list[str] = []  # every refused scan since the builder opened, with why
        self.sent = False
        self._doubt_acknowledged = False
        self._draft_key: DraftKey | None = None

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="tb-title")
        with VerticalScroll(id="tb-body"):
            yield FormField("Transfer type", Select([], id="transfer_type", compact=True, prompt="Choose a transfer type"),
                            name="transfer_type")
            yield FormField("Destination", PickerField(Picker.DESTINATIONS, self.license_number, id="recipient",
                                                       placeholder="Type part of the facility name"),
                            name="recipient")
            yield FormField("Transporter", PickerField(Picker.TRANSPORTERS, self.license_number, id="transporter",
                                                       placeholder="Type part of the transporter name"),
                            name="transporter")
            with Horizontal(classes="tb-pair"):
                yield FormField("Driver", Select([], id="driver", compact=True, prompt="Pick or type below"),
                                name="driver")
                yield FormField("Vehicle", Select([], id="vehicle", compact=True, prompt="Pick or type below"),
                                name="vehicle")
            for pair in (TEXT_FIELDS[0:2], TEXT_FIELDS[2:4], TEXT_FIELDS[4:6], TEXT_FIELDS[6:8],
                         TEXT_FIELDS[8:10], TEXT_FIELDS[10:12]):
                with Horizontal(classes="tb-pair"):
                    for name in pair:
                        yield FormField(_LABELS[name], text_input(name), name=name)
            lines: DataTable[Any] = DataTable(id="lines", cursor_type="row", zebra_stripes=False)
            yield FormField("Packages (scan, paste or type tags; Del removes a line)",
                            ScanInput("Scan a package tag", id="scan", tags_only=False),  # refusals shown in place below
                            name="lines")
            yield Static(id="scan-notice")
            yield FormField("…or pick one", PickerField(Picker.TRANSFER_PACKAGES, self.license_number, id="pick-package",
                                                        placeholder="Type part of a tag to list eligible packages"),
                            name="pick_package")
            yield lines
            with Horizontal(classes="tb-pair", id="line-editor"):
                yield FormField("Wholesale price of the line", text_input("line_price", placeholder="e.g. 120.00"),
                                name="line_price")
                yield FormField("Gross weight of the line", text_input("line_gross", placeholder="e.g. 30 g"),
                                name="line_gross")
            yield Static(id="tb-totals")
            yield FormField("Template name (Ctrl+T saves the transfer as a template)", text_input("template_name"),
                            name="template_name")
        yield Static(id="tb-errors")
        yield Footer()

    @property
    def field_names(self) -> set[str]:
        return {f.field for f in self.query(FormField)}

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.add_columns("Tag", "Item", "Quantity", "Price", "Gross")
        restored = self.drafts.load(self.draft_key)
        if restored is not None:
            self.draft = TransferDraft.from_json(restored.data)
            when = datetime.fromtimestamp(restored.saved_at).strftime("%H:%M")
            self.notify(f"Draft restored (saved {when}). Ctrl+D discards it.", markup=False)
            self._check_in_doubt()
        else:
            self._default_times(self.draft.dest)
        self._load_widgets()
        self.load_inputs()
        for pkg in self.initial_packages:
            self.add_package(pkg.label)
        self.query_one("#scan", ScanInput).focus()

    def _check_in_doubt(self) -> None:
        """A draft whose last send is in doubt must not be sent again blindly: say so, or drop
        the draft when the Outbox has since found that the transfer was created."""
        entry_id = self.draft.in_doubt_entry
        if entry_id is None:
            return
        try:
            status = self.app.store.journal.get(entry_id).status
        except Exception:  # noqa: BLE001 - another user's journal, or gone: nothing to warn about
            self.draft.in_doubt_entry = None
            return
        if status is WriteStatus.APPLIED:
            self.drafts.discard(self.draft_key)
            self.draft = TransferDraft()
            self._default_times(self.draft.dest)
            self.notify("This draft's transfer was created (see the Outbox); the draft is cleared.")
        elif status in (WriteStatus.IN_DOUBT, WriteStatus.PENDING):
            self.notify(f"The last send of this draft is IN DOUBT (Outbox #{entry_id}). "
                        "Check it there before sending again.", severity="warning", timeout=15, markup=False)
        else:
            self.draft.in_doubt_entry = None

    @property
    def draft_key(self) -> DraftKey:
        # Fixed at the first use: a save on the way out after sign-out still goes to this account.
        if self._draft_key is None:
            account = self.app.account
            assert account is not None  # the builder opens only from a signed-in license
            self._draft_key = DraftKey(account, self.license_number, "transfer")
        return self._draft_key

    def _default_times(self, dest: DestinationDraft) -> None:
        now = datetime.fromtimestamp(self.app.clock()).replace(second=0, microsecond=0)
        start = now + timedelta(minutes=60 - now.minute)  # the next full hour
        dest.departure = dest.departure or start.strftime(DATETIME_FORMAT)
        dest.arrival = dest.arrival or (start + timedelta(hours=2)).strftime(DATETIME_FORMAT)

    # -- create inputs -----------------------------------------------------------------------------

    @background(exclusive=True, group="transfer-inputs")
    async def load_inputs(self) -> None:
        inputs = await sources.load_inputs(self, self.license_number, CreateForm.TRANSFER, "#tb-errors", self.load_inputs)
        if isinstance(inputs, Failed):
            return
        assert isinstance(inputs, TransferCreateInputs)
        self.inputs = inputs
        self._loading = True
        with self.prevent(Select.Changed):
            self.query_one("#transfer_type", Select).set_options([(t.name, t.id) for t in inputs.transfer_types])
            self.query_one("#driver", Select).set_options(
                [(d.name, d.id) for d in inputs.drivers if not d.is_archived])
            self.query_one("#vehicle", Select).set_options(
                [(f"{v.make} {v.model} ({v.license_plate_number})", v.id) for v in inputs.vehicles
                 if not v.is_archived])
        for dest in self.draft.destinations:
            dest.phone_number = dest.phone_number or inputs.default_phone
        self._loading = False
        self._load_widgets()

    def transfer_type(self) -> TransferType | None:
        if self.inputs is None:
            return None
        return next((t for t in self.inputs.transfer_types if t.id == self.draft.dest.transfer_type_id), None)

    # -- draft <-> widgets ---------------------------------------------------------------------------

    def _load_widgets(self) -> None:
        """Show the current destination's draft in the widgets (no change events)."""
        dest = self.draft.dest
        self._loading = True
        with self.prevent(Input.Changed, Select.Changed):
            for name in TEXT_FIELDS:
                self.query_one(f"#{name}", Input).value = getattr(dest, name)
            self.query_one("#template_name", Input).value = self.draft.template_name
            ttype = self.query_one("#transfer_type", Select)
            known = {t.id for t in self.inputs.transfer_types} if self.inputs else set()
            if dest.transfer_type_id in known:
                ttype.value = dest.transfer_type_id
            else:
                ttype.clear()
            for picker_id, chosen in (("recipient", dest.recipient), ("transporter", dest.transporter)):
                self.query_one(f"#{picker_id}", PickerField).show(SimpleNamespace(**chosen) if chosen else None)
        self._loading = False
        self._refresh_lines()
        self._apply_type()
        self.revalidate()

    def _capture(self) -> None:
        """Read the widgets into the current destination's draft."""
        if self._loading:
            return
        dest = self.draft.dest
        for name in TEXT_FIELDS:
            setattr(dest, name, self.query_one(f"#{name}", Input).value)
        self.draft.template_name = self.query_one("#template_name", Input).value
        value = self.query_one("#transfer_type", Select).value
        dest.transfer_type_id = value if isinstance(value, int) else None
        for picker_id in ("recipient", "transporter"):
            model = self.query_one(f"#{picker_id}", PickerField).chosen
            chosen = None
            if model is not None:
                chosen = {"id": getattr(model, "id", None), "name": getattr(model, "name", ""),
                          "license_number": getattr(model, "license_number", ""),
                          "facility_type": getattr(model, "facility_type", "")}
            setattr(dest, picker_id, chosen)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(PickerField.Picked)
    def _changed(self, event: Any) -> None:
        if self._loading:
            return
        control = event.control
        if isinstance(control, PickerField) and control.id == "pick-package":
            if event.model is not None:
                self.add_package(event.model.label)
            return
        if any(isinstance(a, PickerField) and a.id == "pick-package" for a in control.ancestors):
            return  # typing a search, not the transfer
        if isinstance(control, Input) and control.id in ("line_price", "line_gross"):
            self._edit_line(control.id, control.value)
        elif isinstance(control, Input) and control.id == "scan":
            return
        elif isinstance(control, Select) and control.id in ("driver", "vehicle"):
            self._fill_from_inputs(control.id, control.value)
        holder = next((a for a in control.ancestors_with_self if isinstance(a, FormField)), None)
        if holder is not None:
            self.touched.add(holder.field)
        self._capture()
        if isinstance(control, Select) and control.id == "transfer_type":
            self._apply_type()
        self.revalidate()
        self.schedule_save()

    def _fill_from_inputs(self, which: str, value: Any) -> None:
        if self.inputs is None or not isinstance(value, int):
            return
        if which == "driver":
            d = next((d for d in self.inputs.drivers if d.id == value), None)
            if d is not None:
                self.query_one("#driver_name", Input).value = d.name
                self.query_one("#driver_occupational_license_number", Input).value = d.occupational_license_number
                self.query_one("#driver_license_number", Input).value = d.drivers_license_number
        else:
            v = next((v for v in self.inputs.vehicles if v.id == value), None)
            if v is not None:
                self.query_one("#vehicle_make", Input).value = v.make
                self.query_one("#vehicle_model", Input).value = v.model
                self.query_one("#vehicle_license_plate_number", Input).value = v.license_plate_number

    def _apply_type(self) -> None:
        """Show the fields the chosen transfer type needs."""
        ttype = self.transfer_type()
        wholesale = bool(ttype and ttype.requires_wholesale_price)
        pkg_gross = bool(ttype and ttype.requires_packages_gross_weight)
        self.query_one("#field-line_price").display = wholesale
        self.query_one("#field-line_gross").display = pkg_gross
        self.query_one("#line-editor").display = wholesale or pkg_gross
        self.query_one("#field-gross_weight").display = bool(ttype and ttype.requires_destination_gross_weight)
        invoice = self.query_one("#field-invoice_number", FormField)
        invoice.query_one(".field-label", Static).update(
            Text("Invoice number" + ("" if ttype and ttype.requires_invoice_number else " (optional)")))
        self._refresh_title()

    def _refresh_title(self) -> None:
        n = len(self.draft.destinations)
        ttype = self.transfer_type()
        self.query_one("#tb-title", Static).update(Text(
            f"New transfer · destination {self.draft.current + 1} of {n}"
            + (f" · {ttype.name}" if ttype else "")
            + " · Ctrl+N adds a destination, Ctrl+←/→ switches"
        ))

    # -- saving the draft ----------------------------------------------------------------------------

    def schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_draft)

    def _cancel_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_draft(self) -> None:
        self._cancel_save()
        if self.sent or (self.draft.is_empty() and not self.draft.template_name):
            return
        try:
            self.drafts.save(self.draft_key, self.draft.to_json(), now=self.app.clock())
        except OSError as exc:
            self.query_one("#tb-errors", Static).update(Text(f"Draft not saved: {describe_error(exc)}"))

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self.save_draft()

    # -- package lines -------------------------------------------------------------------------------

    def action_scan(self) -> None:
        self.query_one("#scan", ScanInput).focus()

    @on(ScanInput.Scanned, "#scan")
    def _scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()
        self.add_package(event.tag)

    def refuse(self, message: str) -> None:
        self.app.bell()
        self.scan_notice = message
        self.refusals.append(message)
        self._show_scans()

    def _show_scans(self, added: str = "") -> None:
        """The last package added, then every refusal since the builder opened, each with its
        reason: a later good scan never hides why an earlier one was refused."""
        lines = [added] if added else []
        if self.refusals:
            shown = self.refusals[-REFUSALS_SHOWN:]
            more = len(self.refusals) - len(shown)
            lines.append(f"Not added ({len(self.refusals)}):" + (f" the last {len(shown)} of them" if more else ""))
            lines += [f"  {message}" for message in shown]
        self.query_one("#scan-notice", Static).update(Text("\n".join(lines)))

    def add_package(self, tag: str) -> None:
        problem = tag_problem(tag)
        if problem is not None:
            self.refuse(f"{tag}: {problem.message}")
            return
        for d, dest in enumerate(self.draft.destinations):
            if any(line.label == tag for line in dest.lines):
                self.refuse(f"{tag} is already on this transfer (destination {d + 1}).")
                return
        self._check_and_add(tag, self.draft.current)

    @background(group="transfer-scan")
    async def _check_and_add(self, tag: str, destination: int) -> None:
        def failed(exc: Exception) -> None:  # the scan is refused, not lost: shown with the tag
            self.refuse(f"Could not check {tag}: {describe_error(exc)}")

        checked = await upstream(self.app, self._eligibility(tag), retry=lambda: self.add_package(tag), failed=failed)
        if isinstance(checked, Failed):
            return
        pkg, reason = checked
        if pkg is None:
            self.refuse(f"{tag} {reason}; not added.")
            return
        if self.draft.find_line(pkg.id) is not None:  # two quick scans of one tag
            self.refuse(f"{tag} is already on this transfer.")
            return
        dest = self.draft.destinations[min(destination, len(self.draft.destinations) - 1)]
        dest.lines.append(LineDraft(pkg.id, pkg.label, pkg.item_name, str(pkg.quantity or ""),
                                    lab_testing_state=pkg.lab_testing_state))
        self.scan_notice = ""
        self._show_scans(f"Added {pkg.label}.")
        self.touched.add("lines")
        self._refresh_lines()
        self.revalidate()
        self.save_draft()

    async def _eligibility(self, tag: str) -> tuple[Package | None, str]:
        """The transferable package tagged ``tag``, or why there is none."""
        pkg = await sources.find_by_label(self.app, self.license_number, Picker.TRANSFER_PACKAGES, tag)
        return pkg, "" if pkg is not None else await self._why_not_eligible(tag)

    async def _why_not_eligible(self, tag: str) -> str:
        rows = await self.app.store.find_label(self.license_number, Family.PACKAGES, tag)
        if not rows:
            return "is not a package of this license"
        coll, package = rows[0]
        if package.is_on_hold:
            return "is on hold"
        return _STATE_WORDS.get(coll.state, "cannot be transferred")

    def _refresh_lines(self) -> None:
        table = self.query_one("#lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in self.draft.dest.lines:
            table.add_row(Text(line.label), Text(line.item_name), Text(line.quantity),
                          Text(line.wholesale_price), Text(line.gross_weight), key=str(line.package_id))
        if self.draft.dest.lines:
            table.move_cursor(row=min(max(row, 0), len(self.draft.dest.lines) - 1))
        self.query_one("#tb-totals", Static).update(Text(
            f"This destination: {totals(self.draft.dest.lines)}"
            + (f"   Manifest: {totals([ln for d in self.draft.destinations for ln in d.lines])}"
               if len(self.draft.destinations) > 1 else "")))
        self._show_line_editor()

    def selected_line(self) -> LineDraft | None:
        table = self.query_one("#lines", DataTable)
        lines = self.draft.dest.lines
        return lines[table.cursor_row] if 0 <= table.cursor_row < len(lines) else None

    def _show_line_editor(self) -> None:
        line = self.selected_line()
        with self.prevent(Input.Changed):
            self.query_one("#line_price", Input).value = line.wholesale_price if line else ""
            self.query_one("#line_gross", Input).value = line.gross_weight if line else ""

    @on(DataTable.RowHighlighted, "#lines")
    def _line_highlighted(self) -> None:
        self._show_line_editor()

    def _edit_line(self, which: str, value: str) -> None:
        line = self.selected_line()
        if line is None:
            return
        if which == "line_price":
            line.wholesale_price = value
        else:
            line.gross_weight = value
        table = self.query_one("#lines", DataTable)
        column = 3 if which == "line_price" else 4
        table.update_cell_at((table.cursor_row, column), Text(value))

    def on_key(self, event: events.Key) -> None:
        if event.key in ("delete", "backspace") and self.focused is self.query_one("#lines", DataTable):
            event.stop()
            line = self.selected_line()
            if line is not None:
                self.draft.dest.lines.remove(line)
                self._refresh_lines()
                self.revalidate()
                self.save_draft()
        elif event.key in ("enter", "ctrl+j") and isinstance(self.focused, Input) \
                and not isinstance(self.focused, ScanInput):
            event.stop()  # Enter moves on; it never sends
            self.focus_next()

    # -- destinations ----------------------------------------------------------------------------------

    def action_new_destination(self) -> None:
        self._capture()
        self.draft.add_destination()
        self._load_widgets()
        self.schedule_save()
        self.query_one("#recipient", PickerField).input.focus()

    def action_switch_destination(self, delta: int) -> None:
        self._capture()
        n = len(self.draft.destinations)
        self.draft.current = (self.draft.current + delta) % n
        self._load_widgets()

    # -- validation ------------------------------------------------------------------------------------

    def build(self) -> tuple[Any, list[FieldError]]:
        builder = Builder(self.inputs, now=datetime.fromtimestamp(self.app.clock()))
        action = builder.transfer(self.draft)
        return action, builder.errors + client_errors(action)

    def revalidate(self) -> list[FieldError]:
        action, errors = self.build()
        self.errors = errors
        known = self.field_names
        here = f"destinations[{self.draft.current}]"
        by_field: dict[str, list[str]] = {}
        elsewhere: dict[int, int] = {}
        general: list[str] = []
        for err in errors:
            m = re.match(r"destinations\[(\d+)\]", err.path)
            if m and not err.path.startswith(here):
                elsewhere[int(m.group(1))] = elsewhere.get(int(m.group(1)), 0) + 1
                continue
            name = error_field(err.path, known)
            if name:
                by_field.setdefault(name, []).append(err.message)
            else:
                general.append(err.message)
        for holder in self.query(FormField):
            shown = self.show_all or holder.field in self.touched
            holder.set_error("; ".join(dict.fromkeys(by_field.get(holder.field, []))) if shown else "")
        summary = [f"Destination {d + 1}: {n} problem(s)" for d, n in sorted(elsewhere.items())]
        current = action.destinations[self.draft.current] if self.draft.current < len(action.destinations) else None
        warnings = [f"Warning: {w}" for w in current.warnings()] if current is not None else []
        self.query_one("#tb-errors", Static).update(
            Text(" · ".join(summary + (general if self.show_all else []) + warnings)))
        return errors

    # -- sending ----------------------------------------------------------------------------------------

    def _send(self, action: Any, errors: list[FieldError], on_outcome: Any) -> None:
        self.show_all = True
        self.revalidate()
        if errors:
            self.app.bell()
            self.notify(f"Fix {len(errors)} problem(s) first.", severity="warning")
            return
        self.sending = True
        self.flow = WriteFlow(self.app, self.license_number, on_outcome)
        self.flow.start(action)

    def in_doubt(self) -> bool:
        entry_id = self.draft.in_doubt_entry
        if entry_id is None:
            return False
        try:
            return self.app.store.journal.get(entry_id).status in (WriteStatus.IN_DOUBT, WriteStatus.PENDING)
        except Exception:  # noqa: BLE001
            return False

    def action_submit(self) -> None:
        if self.sending:
            return
        if self.in_doubt() and not self._doubt_acknowledged:
            self._doubt_acknowledged = True
            self.app.bell()
            self.notify("The last send of this transfer is IN DOUBT: check the Outbox (it may exist already). "
                        "Press Ctrl+S again to send anyway.", severity="warning", timeout=15, markup=False)
            return
        self._capture()
        self.save_draft()
        action, errors = self.build()
        self._send(action, errors, self._sent)

    def action_save_template(self) -> None:
        if self.sending:
            return
        self._capture()
        builder = Builder(self.inputs)
        action = builder.template(self.draft)
        self._send(action, builder.errors + client_errors(action), self._template_saved)

    def _template_saved(self, outcome: WriteOutcome | None) -> None:
        self.sending = False

    def _sent(self, outcome: WriteOutcome | None) -> None:
        self.sending = False
        if outcome is None or outcome.status is WriteStatus.REJECTED:
            return  # everything typed is still here
        if outcome.ok:
            self.sent = True  # no later autosave may bring the draft back
            self._cancel_save()
            self.drafts.discard(self.draft_key)
        else:  # in doubt: keep the draft, remember which send to check before another
            self.draft.in_doubt_entry = outcome.entry_id
            self.save_draft()
        self.dismiss(None)
        if outcome.ok:
            from growtui.ui.write_commands import open_manifest

            open_manifest(self.app, self.license_number, outcome)

    def action_discard(self) -> None:
        self.drafts.discard(self.draft_key)
        self.draft = TransferDraft()
        self._default_times(self.draft.dest)
        if self.inputs is not None:
            self.draft.dest.phone_number = self.inputs.default_phone
        self.touched.clear()
        self.show_all = False
        self._load_widgets()
        self.notify("Draft discarded.")

    def action_close(self) -> None:
        if self.sending:
            return
        self._capture()
        self.save_draft()
        self.dismiss(None)
