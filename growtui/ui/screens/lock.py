"""Kiosk idle lock: its own mode, so the main stack (and any open dialog) survives underneath.

The API token was dropped when the lock engaged. The worker unlocks with their password (a fresh
sign-in, state kept); a supervisor PIN signs the worker out instead (we never keep passwords).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label

from growtui.ui import kiosk
from growtui.ui.common import ContainsErrors
from growtui.ui.modals.pin import PinModal
from growtui.ui.modals.reauth import PasswordPrompt

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp


class LockScreen(ContainsErrors, Screen[None]):
    app: "GrowApp"
    BINDINGS = [Binding("f9", "supervisor", "Supervisor PIN")]

    def __init__(self) -> None:
        super().__init__(id="lock")

    def compose(self) -> ComposeResult:
        session = self.app.session
        with Vertical(id="lock-box", classes="dialog"):
            yield Label("LOCKED after inactivity", id="lock-title")
            if session is not None:
                yield Label("Enter your password to carry on.")
                yield PasswordPrompt(session.hostname, session.username, id="unlock")
            else:
                yield Label("No one is signed in.")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Nothing typed before the last lock may linger (and scans must land here, not below).
        for prompt in self.query(PasswordPrompt):
            prompt.reset()

    @on(PasswordPrompt.Accepted)
    def _accepted(self, message: PasswordPrompt.Accepted) -> None:
        self.app.unlocked(message.session)

    def action_supervisor(self) -> None:
        self.app.push_screen(PinModal("Supervisor PIN: signs this user out"), self._pin_entered)

    def _pin_entered(self, pin: str | None) -> None:
        if pin is None:
            return
        result = self.app.pin_guard.check(pin, self.app.settings.supervisor_pin, "sign-out at the lock")
        if result is kiosk.PinCheck.OK:
            self.app.unlocked(None)
        else:
            self.app.notify(self.app.pin_guard.message(result), severity="error")
