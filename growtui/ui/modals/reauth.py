"""Sign in again as the same user (expired token, or unlocking the kiosk) without losing app state."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from growtui.backends.base import Credentials, FieldKind, Session, SignInField
from growtui.ui.common import ContainsErrors, plain, quiet_input, sign_in_failed
from growtui.ui.workers import background

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp


class PasswordPrompt(Vertical):
    """The sign-in fields never kept (secrets, and those marked ``reask`` such as a one-time code
    where the host needs one) for the signed-in user; the rest of the last sign-in is reused.
    Posts Accepted."""

    app: "GrowApp"

    class Accepted(Message):
        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(self, hostname: str, username: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="password-prompt")
        self.hostname = hostname
        self.username = username

    @property
    def fields(self) -> tuple[SignInField, ...]:
        return tuple(
            f for f in self.app.backend.sign_in
            if (f.reask or f.secret) and f.kind is not FieldKind.HOST and f.asked_for(self.hostname)
        )

    def compose(self) -> ComposeResult:
        yield Label(plain(f"{self.username} on {self.hostname}"), classes="who")
        for i, f in enumerate(self.fields):
            placeholder = f"{f.label.lower()}, then Enter" if i == 0 else (f.placeholder or f.label)
            yield quiet_input(id=f"reauth-{f.name}", password=f.secret, placeholder=placeholder)
        yield Static("", classes="prompt-error")

    def reset(self) -> None:
        for widget in self.query(Input):
            widget.value = ""
        self.query_one(".prompt-error", Static).update("")
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        values: dict[str, str] = {**_who(self.app.backend.sign_in, self.hostname, self.username),
                                  **self.app.last_sign_in}
        for f in self.fields:
            widget = self.query_one(f"#reauth-{f.name}", Input)
            value = widget.value if f.secret else widget.value.strip()
            if not value.strip() or (f.pattern and not re.fullmatch(f.pattern, value.strip())):
                if event.input is not widget and not value.strip():
                    widget.focus()
                    return
                self._error(f.problem or f"Enter the {f.label.lower()}.")
                return
            values[f.name] = value
        self._error("Signing in…")
        self._login(Credentials(values))

    @background(exclusive=True, group="reauth")
    async def _login(self, creds: Credentials) -> None:
        try:
            session = await self.app.store.login(creds)
        except Exception as exc:  # shown in place; never an exit
            self._error(sign_in_failed(exc, list(self.query(Input))))
            return
        self.post_message(self.Accepted(session))

    def _error(self, text: str) -> None:
        self.query_one(".prompt-error", Static).update(plain(text))


def _who(fields: tuple[SignInField, ...], hostname: str, username: str) -> dict[str, str]:
    """The signed-in session as sign-in values (the host field, and the first plain field when
    there is one), for a session resumed from a saved token with no sign-in to reuse."""
    out = {next(f.name for f in fields if f.kind is FieldKind.HOST): hostname}
    plain_field = next((f for f in fields if f.kind is FieldKind.TEXT and not f.secret), None)
    if plain_field is not None:
        out[plain_field.name] = username
    return out


class ReauthModal(ContainsErrors, ModalScreen[Session | None]):
    """Dismisses with the new session, or None if the user chose to sign out."""

    app: "GrowApp"
    BINDINGS = [Binding("ctrl+o", "sign_out", "Sign out")]
    AUTO_FOCUS = ".password-prompt Input"

    def compose(self) -> ComposeResult:
        session = self.app.session
        assert session is not None
        with Vertical(classes="dialog"):
            yield Label("Your session expired. Sign in again to carry on where you were.")
            yield PasswordPrompt(session.hostname, session.username)

    @on(PasswordPrompt.Accepted)
    def _accepted(self, message: PasswordPrompt.Accepted) -> None:
        self.dismiss(message.session)

    def action_sign_out(self) -> None:
        self.dismiss(None)
