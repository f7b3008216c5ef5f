"""Sign in again as the same user (expired token, or unlocking the kiosk) without losing app state."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from growtui.backends.base import Credentials, Session
from growtui.ui.screens.common import ContainsErrors, describe_error, plain, quiet_input

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp


class PasswordPrompt(Vertical):
    """Password (and OTP where the state needs it) for the signed-in user; posts Accepted."""

    app: "GrowApp"

    class Accepted(Message):
        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(self, hostname: str, username: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="password-prompt")
        self.hostname = hostname
        self.username = username

    def compose(self) -> ComposeResult:
        yield Label(plain(f"{self.username} on {self.hostname}"), classes="who")
        yield quiet_input(id="reauth-password", password=True, placeholder="password, then Enter")
        needs_otp = "otp" in self.app.login_fields(self.hostname)
        otp = quiet_input(id="reauth-otp", placeholder="6-digit one-time code")
        otp.display = needs_otp
        yield otp
        yield Static("", classes="prompt-error")

    def reset(self) -> None:
        for widget in self.query(Input):
            widget.value = ""
        self.query_one(".prompt-error", Static).update("")
        self.query_one("#reauth-password", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        password = self.query_one("#reauth-password", Input).value
        otp_input = self.query_one("#reauth-otp", Input)
        if not password:
            self._error("Enter your password.")
            return
        if otp_input.display and not re.fullmatch(r"\d{6}", otp_input.value.strip()):
            if event.input is not otp_input:
                otp_input.focus()
                return
            self._error("Enter the 6-digit one-time code.")
            return
        creds = Credentials(
            hostname=self.hostname,
            username=self.username,
            password=password,
            otp=otp_input.value.strip() if otp_input.display else None,
            email=self.app.last_email,
        )
        self._error("Signing in…")
        self._login(creds)

    @work(exclusive=True, group="reauth", exit_on_error=False)
    async def _login(self, creds: Credentials) -> None:
        try:
            session = await self.app.store.login(creds)
        except Exception as exc:
            self._error(describe_error(exc))
            self.query_one("#reauth-password", Input).value = ""
            self.query_one("#reauth-otp", Input).value = ""
            self.query_one("#reauth-password", Input).focus()
            return
        self.post_message(self.Accepted(session))

    def _error(self, text: str) -> None:
        self.query_one(".prompt-error", Static).update(plain(text))


class ReauthModal(ContainsErrors, ModalScreen[Session | None]):
    """Dismisses with the new session, or None if the user chose to sign out."""

    app: "GrowApp"
    BINDINGS = [Binding("ctrl+o", "sign_out", "Sign out")]
    AUTO_FOCUS = "#reauth-password"

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
