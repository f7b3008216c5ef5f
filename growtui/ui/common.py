"""Small helpers shared by the screens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.content import Content
from textual.widgets import Input

from growtui.backends.base import BackendError, ErrorKind
from growtui.ui.widgets.clean_input import CleanInput
from growtui.ui.widgets.record_list import clean_cell


def quiet_input(*, compact: bool = True, **kwargs: Any) -> Input:
    """An Input that does not blink (a blinking cursor costs ~1.7 KB/s over SSH), never selects its
    text when focused (the first key would replace a suggestion, or what was typed before a
    Shift+Tab back) and, unless it takes a password (kept exactly as typed), never holds control
    characters or bidi overrides."""
    kwargs.setdefault("select_on_focus", False)
    widget = (Input if kwargs.get("password") else CleanInput)(compact=compact, **kwargs)
    widget.cursor_blink = False
    return widget


def plain(text: object) -> Content:
    """Text from the API is data: never parsed as markup, and no terminal control characters."""
    return Content(clean_cell(text))


def describe_error(error: BaseException) -> str:
    """One line a floor worker can act on."""
    if isinstance(error, BackendError):
        return error.message
    text = str(error).strip() or type(error).__name__
    return f"{type(error).__name__}: {text}" if not isinstance(error, OSError) else text


def sign_in_failed(error: BaseException, never_kept: Sequence[Input]) -> str:
    """After a failed sign-in (the form or a re-auth prompt): empty the fields that are never kept,
    put the cursor in the first, and return what to tell the user."""
    for widget in never_kept:
        widget.value = ""
    if never_kept:
        never_kept[0].focus()
    message = describe_error(error)
    if isinstance(error, BackendError) and error.status and error.kind is not ErrorKind.AUTH:
        message = f"{message} (HTTP {error.status})"
    return message


def field_of(obj: Any, *names: str, default: Any = None) -> Any:
    """Read a field from a raw dict or a domain model, trying camelCase and snake_case names."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj and obj[name] is not None:
                return obj[name]
        elif getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def as_mapping(obj: Any) -> dict[str, Any]:
    """A dict view of a raw row or a domain model (dataclass / pydantic), for the detail pane."""
    if isinstance(obj, Mapping):
        return dict(obj)
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    if hasattr(obj, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(obj)
    return {"value": obj}


def license_number(lic: Any) -> str:
    return str(field_of(lic, "licenseNumber", "license_number", "number", default=""))


def license_name(lic: Any) -> str:
    return str(field_of(lic, "licenseName", "license_name", "name", default=""))


class ContainsErrors:
    """Mixin: an exception in one of this node's handlers becomes a status-bar message.

    Textual stops a node's message loop after an unhandled handler exception (and exits the app),
    which on a floor kiosk drops the SSH session. Workers start through ui/workers.py (never fatal); this covers
    message handlers. Tests build the app with contain_errors=False so bugs still fail loudly.
    """

    async def _on_message(self, message: Any) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except Exception as exc:
            app = self.app  # type: ignore[attr-defined]
            if not getattr(app, "contain_errors", False):
                raise
            app.report_error("Unexpected error", exc)
