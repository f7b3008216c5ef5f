"""ActionForm: the base of every write form (a modal over the main screen).

A form builds its action from what is typed (``build``), validates as the user types and shows
each message next to its field, and sends through the one ``WriteFlow`` on Ctrl+S. A rejected
write keeps the form open with everything typed; a successful one closes it with the outcome.
Enter never sends (a scanner's CR must not): it moves to the next field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from growtui.data.journal import UNRESOLVED
from growtui.data.types import WriteOutcome
from growtui.domain.actions import FieldError
from growtui.domain.writes import WriteSpec
from growtui.ui.common import quiet_input
from growtui.ui.modals.discard import DiscardModal
from growtui.ui.modals.forms import form_drafts
from growtui.ui.widgets.picker import PickerField
from growtui.ui.widgets.scan_input import ScanInput
from growtui.ui.write_flow import WriteFlow, client_errors

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp


class Invalid(Exception):
    """Raised by ``build`` when typed text cannot make an action (e.g. "12,5 g"); per field."""

    def __init__(self, errors: Iterable[FieldError], partial: Any = None) -> None:
        self.errors = list(errors)
        self.partial = partial  # the action with placeholders, to check the other fields too
        super().__init__("; ".join(map(str, self.errors)))


def field_name(path: str) -> str:
    """The form field a FieldError path belongs to: "ingredients[0].quantity" -> "ingredients"."""
    for sep in (".", "["):
        path = path.split(sep, 1)[0]
    return path


def text_input(field_id: str, value: str = "", placeholder: str = "", **kwargs: Any) -> Input:
    return quiet_input(value=value, placeholder=placeholder, id=field_id, **kwargs)


class FormField(Vertical):
    """A label, the control, and the line where its error appears."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > .field-error { color: $text-error; height: auto; }
    FormField > .field-error { display: none; }
    """

    def __init__(self, label: str, control: Widget, *, name: str, hint: str = "") -> None:
        super().__init__(id=f"field-{name}", classes="form-field")
        self.label = label
        self.control = control
        self.field = name
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Label(Text(self.label), classes="field-label")
        yield self.control
        if self.hint:
            yield Static(Text(self.hint), classes="field-hint")
        yield Static(classes="field-error", id=f"error-{self.field}")

    def set_error(self, message: str) -> None:
        self._error = message
        line = self.query_one(".field-error", Static)
        line.update(Text(message))
        line.display = bool(message)

    @property
    def error(self) -> str:
        return getattr(self, "_error", "")


class ActionForm(ModalScreen[WriteOutcome | None]):
    """Subclasses set SPEC (their write kind), compose ``form_fields()`` and implement ``build()``."""

    app: "GrowApp"
    SPEC: WriteSpec
    BINDINGS = [
        Binding("ctrl+s,f10", "review", "Review & send", priority=True),
        Binding("escape", "cancel", "Cancel"),
        # Enter (or a scanner's CR) in a field moves on; it never sends. Priority, like Tab (see
        # GrowApp.BINDINGS): handled before the next key is handed on, so keys typed right after
        # it land in the next field, not the one being left.
        Binding("enter,ctrl+j", "next_field", show=False, priority=True),
        Binding("ctrl+r", "take_up_draft", "Take up draft", show=False),
    ]

    def __init__(self, license_number: str) -> None:
        super().__init__(classes="action-form")
        self.license_number = license_number
        self.touched: set[str] = set()
        self.show_all = False  # after the first Ctrl+S every message shows, touched or not
        self.errors: list[FieldError] = []
        self.flow: WriteFlow | None = None
        self.outcome: WriteOutcome | None = None
        self.sending = False

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Static(Text(self.SPEC.title), id="form-title")
            with VerticalScroll(id="form-body"):
                yield from self.form_fields()
            yield Static(id="form-errors")
            yield Static(id="form-draft")
            yield Static(Text("Ctrl+S review & send · Tab next field · Esc cancel"), id="form-hint")

    def form_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.revalidate()
        self._offer_draft()

    # -- kiosk drafts (form_drafts.py) ----------------------------------------------------------------

    def _offer_draft(self) -> None:
        draft = form_drafts.kept(self)
        line = self.query_one("#form-draft", Static)
        line.update(Text(form_drafts.offer_line(draft)) if draft is not None else "")
        line.display = draft is not None

    def action_take_up_draft(self) -> None:
        filled = form_drafts.take_up(self)
        self._offer_draft()
        if filled:
            self.notify("The kept draft is back in the form.", timeout=4)
        else:
            self.app.bell()

    # -- what subclasses provide -------------------------------------------------------------------

    def build(self) -> Any:
        """The action from the current input; raise Invalid for text that cannot be parsed."""
        raise NotImplementedError

    def today(self) -> date:
        return datetime.fromtimestamp(self.app.clock()).date()

    # -- validation as the user types ---------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(PickerField.Picked)
    def _field_changed(self, event: Input.Changed | Select.Changed | PickerField.Picked) -> None:
        control = event.control
        holder = next((a for a in control.ancestors if isinstance(a, FormField)), None)
        if holder is not None:
            self.touched.add(holder.field)
        self.revalidate()

    def current_errors(self) -> tuple[Any, list[FieldError]]:
        try:
            action = self.build()
        except Invalid as exc:
            if exc.partial is None:
                return None, exc.errors
            failed = {field_name(e.path) for e in exc.errors}
            rest = [e for e in client_errors(exc.partial, self.today()) if field_name(e.path) not in failed]
            return None, exc.errors + rest
        return action, client_errors(action, self.today())

    def revalidate(self) -> list[FieldError]:
        action, errors = self.current_errors()
        self.errors = errors
        by_field: dict[str, list[str]] = {}
        for err in errors:
            by_field.setdefault(field_name(err.path), []).append(err.message)
        unplaced: list[str] = []
        fields = {f.field: f for f in self.query(FormField)}
        for name, messages in by_field.items():
            if name not in fields:
                unplaced.extend(messages)
        for name, holder in fields.items():
            shown = self.show_all or name in self.touched
            holder.set_error("; ".join(dict.fromkeys(by_field.get(name, []))) if shown else "")
        general = self.query_one("#form-errors", Static)
        general.update(Text("\n".join(dict.fromkeys(unplaced)) if self.show_all else ""))
        return errors

    # -- keys ----------------------------------------------------------------------------------------

    def action_next_field(self) -> None:
        # A scan field takes its own CR (in order with its characters); lists and buttons keep Enter.
        if not isinstance(self.focused, Input) or isinstance(self.focused, ScanInput):
            raise SkipAction()
        self.focus_next()

    @property
    def typed_work(self) -> list[str]:
        """Labels of the fields someone typed in: what Esc or Ctrl+Q would throw away."""
        def filled(control: Widget) -> bool:
            return bool(control.value.strip()) if isinstance(control, Input) else True

        return [f.label for f in self.query(FormField) if f.field in self.touched and filled(f.control)]

    def action_cancel(self) -> None:
        if self.sending:
            return
        typed = self.typed_work
        if not typed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                if self.app.kiosk_mode:  # the next person at the kiosk may take it up
                    form_drafts.keep(self)
                self.dismiss(None)

        kept = " It is kept as a draft (Ctrl+R in this form takes it up)." if self.app.kiosk_mode else ""
        self.app.push_screen(DiscardModal(f"Discard this {self.SPEC.title.lower()} form?{kept}", typed), answered)

    def action_review(self) -> None:
        if self.sending:
            return
        self.show_all = True
        action, errors = self.current_errors()
        self.revalidate()
        if errors or action is None:
            self.app.bell()
            self.notify(f"Fix {len(errors)} problem(s) first.", severity="warning")
            return
        self.sending = True
        self.flow = WriteFlow(self.app, self.license_number, self._outcome)
        self.flow.start(action)

    def _outcome(self, outcome: WriteOutcome | None) -> None:
        self.sending = False
        self.outcome = outcome
        if outcome is not None and outcome.ok:
            self.dismiss(outcome)
        elif outcome is not None and outcome.status in UNRESOLVED:
            self.dismiss(outcome)  # nothing to correct: the Outbox settles it
        # rejected or cancelled: stay, with everything typed
