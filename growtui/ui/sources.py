"""Where write forms get their choices: the data store's pickers and create-form inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from growtui.domain.models import PackageCreateInputs, TransferCreateInputs
from growtui.domain.pickers import CreateForm, Picker
from growtui.ui.common import describe_error
from growtui.ui.workers import Failed, upstream

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

PICK_PAGE_SIZE = 20


async def search(
    app: GrowApp, license_number: str, picker: Picker, text: str, limit: int = PICK_PAGE_SIZE
) -> list[Any]:
    """The first ``limit`` rows of a picker matching ``text`` (all rows when blank), as models."""
    return await app.store.pick(license_number, picker, text, limit)


async def find_by_label(app: GrowApp, license_number: str, picker: Picker, label: str) -> Any | None:
    """The picker row whose tag label is exactly ``label`` (e.g. is this package eligible?)."""
    return await app.store.pick_label(license_number, picker, label)


async def create_inputs(
    app: GrowApp, license_number: str, form: CreateForm
) -> PackageCreateInputs | TransferCreateInputs:
    return await app.store.create_inputs(license_number, form)


async def load_inputs(
    screen: Screen[Any], license_number: str, form: CreateForm, errors: str, retry: Callable[[], None]
) -> PackageCreateInputs | TransferCreateInputs | Failed:
    """A form's choices for ``screen``; a failure is shown in its ``errors`` widget (an expired
    session asks to sign in, then ``retry`` loads them again)."""
    app: GrowApp = screen.app  # type: ignore[assignment]

    def failed(exc: Exception) -> None:
        screen.query_one(errors, Static).update(Text(f"Could not load the form's choices: {describe_error(exc)}"))

    return await upstream(app, create_inputs(app, license_number, form), retry=retry, failed=failed)


def describe_choice(model: Any) -> str:
    """One line for a picked row: facility (license), item, package (item, quantity) or tag."""
    if model is None:
        return ""
    label = getattr(model, "label", "")
    if label:
        qty = getattr(model, "quantity", None)
        item = getattr(model, "item_name", "")
        extra = ", ".join(s for s in (item, str(qty) if qty is not None else "") if s)
        return f"{label} ({extra})" if extra else label
    name = getattr(model, "name", "") or str(getattr(model, "id", ""))
    lic = getattr(model, "license_number", "")
    return f"{name} ({lic})" if lic else name
