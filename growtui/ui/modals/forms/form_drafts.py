"""Kiosk drafts of write forms: typed work a floor worker discards is kept, to be taken up again.

On a kiosk the person at the terminal changes and a form is often dropped half-filled (a call,
the lock). What was typed in it is kept as a local draft (data/drafts.py: per account, license
and write kind) when it is discarded there; the next time that form opens, Ctrl+R puts it back.
Only typed text is kept (the rows a form was opened on come from the list again).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.widgets import Input

from growtui.data.drafts import Draft, DraftKey, DraftStore

if TYPE_CHECKING:
    from growtui.ui.modals.forms.form import ActionForm

TAKE_UP_KEY = "ctrl+r"


def draft_key(form: ActionForm) -> DraftKey | None:
    account = form.app.account
    return None if account is None else DraftKey(account, form.license_number, f"form-{form.SPEC.kind}")


def typed_values(form: ActionForm) -> dict[str, str]:
    """The text of every input of the fields someone typed in, by the input's id."""
    from growtui.ui.modals.forms.form import FormField

    values: dict[str, str] = {}
    for holder in form.query(FormField):
        if holder.field not in form.touched:
            continue
        for control in holder.query(Input):
            if control.id and control.value.strip():
                values[control.id] = control.value
    return values


def keep(form: ActionForm) -> bool:
    """Keep what was typed as this form's draft (the one before is replaced); False if nothing
    could be kept (no account, nothing typed, or the disk refused it: then it says so)."""
    key, values = draft_key(form), typed_values(form)
    if key is None or not values:
        return False
    try:
        DraftStore().save(key, {"values": values, "fields": form.typed_work}, now=form.app.clock())
    except OSError as exc:
        form.app.notify(f"The draft could not be kept: {exc}", severity="error", markup=False)
        return False
    form.app.notify("Kept as a draft: open this form again and press Ctrl+R to take it up.", timeout=10)
    return True


def kept(form: ActionForm) -> Draft | None:
    key = draft_key(form)
    return DraftStore().load(key) if key is not None else None


def offer_line(draft: Draft) -> str:
    when = datetime.fromtimestamp(draft.saved_at).strftime("%H:%M")
    fields = draft.data.get("fields")
    what = ", ".join(str(f) for f in fields[:4]) if isinstance(fields, list) and fields else "typed work"
    return f"A draft kept at {when} ({what}): Ctrl+R takes it up."


def take_up(form: ActionForm) -> int:
    """Put the kept draft's text back into the form's inputs and drop the draft; how many inputs
    were filled (inputs the form no longer has are skipped)."""
    key, draft = draft_key(form), kept(form)
    if key is None or draft is None:
        return 0
    values = draft.data.get("values")
    values = values if isinstance(values, dict) else {}
    filled = 0
    for control in form.query(Input):  # by id, whatever characters it holds
        value = values.get(control.id) if control.id else None
        if isinstance(value, str):
            control.value = value
            filled += 1
    DraftStore().discard(key)
    return filled
