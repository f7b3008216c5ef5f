"""Sign in: Metrc hostname (type to filter the T3 state list), username, password, OTP / email."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from growtui.backends.base import BackendError, Credentials
from growtui.ui.messages import SignedIn
from growtui.ui.screens.common import ContainsErrors, describe_error, field_of, plain, quiet_input

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

# T3 accepts only Metrc hostnames (t3-api.md §2.1).
HOSTNAME_RE = re.compile(r"^([a-zA-Z0-9-]+\.)*metrc\.com$")

# /v2/states needs a token, so before the first sign-in the form offers the Metrc states we know;
# afterwards it shows the list T3 returned last time (kept in the UI state file).
_KNOWN = (
    ("AK", "Alaska"), ("AL", "Alabama"), ("CA", "California"), ("CO", "Colorado"),
    ("DC", "District of Columbia"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("MA", "Massachusetts"),
    ("MD", "Maryland"), ("ME", "Maine"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MO", "Missouri"),
    ("MS", "Mississippi"), ("MT", "Montana"), ("NJ", "New Jersey"), ("NV", "Nevada"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("SD", "South Dakota"), ("VA", "Virginia"),
    ("WV", "West Virginia"),
)
KNOWN_STATES: tuple[dict[str, str], ...] = tuple(
    {"abbreviation": a, "name": n, "hostname": f"{a.lower()}.metrc.com"} for a, n in _KNOWN
)


def match_states(states: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """States whose abbreviation, name or hostname contains the text (abbreviation hits first)."""
    needle = text.strip().lower()
    if not needle:
        return list(states)
    exact = [s for s in states if str(s.get("abbreviation", "")).lower() == needle]
    rest = [
        s
        for s in states
        if s not in exact
        and any(needle in str(s.get(k, "")).lower() for k in ("abbreviation", "name", "hostname"))
    ]
    return exact + rest


class LoginScreen(ContainsErrors, Screen[None]):
    """The first screen. Errors stay on it; everything typed is kept except the password."""

    app: "GrowApp"

    BINDINGS = [
        Binding("ctrl+s", "sign_in", "Sign in"),
        Binding("f3", "demo_otp", "Demo OTP"),
        Binding("up", "host_move(-1)", show=False),
        Binding("down", "host_move(1)", show=False),
    ]
    AUTO_FOCUS = "#host"

    def __init__(self) -> None:
        super().__init__(id="login")
        self.states: list[dict[str, Any]] = []
        self.hostname: str = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-form"):
            if self.app.training:
                yield Static(
                    "TRAINING SESSION: the built-in T3 sandbox runs inside growtui; nothing reaches "
                    "Metrc. Pick a demo user below (Enter fills the form).",
                    id="training-banner",
                )
                yield OptionList(
                    *(self._demo_option(i, u) for i, u in enumerate(self.app.demo_users)),
                    id="demo-users",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("State/host", classes="field-label")
                yield quiet_input(id="host", placeholder="type a state, e.g. CA or Michigan")
            yield OptionList(id="hosts", compact=True)
            with Horizontal(classes="field"):
                yield Label("Username", classes="field-label")
                yield quiet_input(id="username")
            with Horizontal(classes="field"):
                yield Label("Password", classes="field-label")
                yield quiet_input(id="password", password=True)
            with Horizontal(classes="field", id="otp-row"):
                yield Label("One-time code", classes="field-label")
                yield quiet_input(id="otp", placeholder="6 digits from your authenticator")
            with Horizontal(classes="field", id="email-row"):
                yield Label("Email", classes="field-label")
                yield quiet_input(id="email")
            yield Static("", id="login-error")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "TRAINING · Sign in" if self.app.training else "Sign in"
        self.query_one("#hosts", OptionList).can_focus = False
        if self.app.training:
            self.query_one("#demo-users", OptionList).focus()
        self._update_extra_fields()
        self.states = self.app.ui_state.states(self.app.backend.base_url) or [dict(s) for s in KNOWN_STATES]
        self._refilter()
        saved = self.app.saved_session()
        if saved is not None:
            self.show_error(f"Resuming the saved session of {saved.username}…", error=False)
            self.resume(saved)

    @work(exclusive=True, group="login", exit_on_error=False)
    async def resume(self, saved: Any) -> None:
        """--stay-signed-in: use the saved token; if T3 refuses it, sign in as usual."""
        try:
            session = await self.app.store.resume(saved)
        except Exception as exc:
            self.app.session_file.clear()
            self._fill_user(saved.hostname, saved.username)
            self.query_one("#password", Input).focus()
            self.show_error(f"The saved session could not be used ({describe_error(exc)}). Sign in.")
            return
        self.show_error("")
        self.app.post_message(SignedIn(session))

    @staticmethod
    def _demo_option(index: int, user: Any) -> Option:
        notes = []
        if field_of(user, "otpSecret", "otp_secret", "otp_seed", "otpSeed"):
            notes.append("one-time code")
        if field_of(user, "email"):
            notes.append("email")
        if field_of(user, "hasT3plus") is False:
            notes.append("no T3+")
        licenses = field_of(user, "licenses", default=[])
        if licenses:
            notes.append(f"{len(licenses)} license" + ("s" if len(licenses) != 1 else ""))
        text = f"{field_of(user, 'username')}  {field_of(user, 'hostname', default='')}"
        return Option(plain(text + (f"  ({', '.join(notes)})" if notes else "")), id=str(index))

    # -- hostname: type to filter ------------------------------------------------------------

    @on(Input.Changed, "#host")
    def _host_typed(self) -> None:
        self._refilter()

    def _refilter(self) -> None:
        text = self.query_one("#host", Input).value
        matches = match_states(self.states, text)
        hosts = self.query_one("#hosts", OptionList)
        hosts.set_options(
            Option(plain(f"{s.get('abbreviation', '')}  {s.get('name', '')}  {s.get('hostname', '')}"), id=s["hostname"])
            for s in matches[:50]
            if s.get("hostname")
        )
        hosts.highlighted = 0 if hosts.option_count else None
        self._set_hostname(self._resolve_hostname(text, matches))

    def _resolve_hostname(self, text: str, matches: list[dict[str, Any]]) -> str:
        typed = text.strip().lower()
        if HOSTNAME_RE.match(typed):
            return typed
        if typed and matches:
            return str(matches[0].get("hostname", ""))
        return ""

    def _set_hostname(self, hostname: str) -> None:
        self.hostname = hostname
        self._update_extra_fields()

    def _update_extra_fields(self) -> None:
        needed = self.app.login_fields(self.hostname) if self.hostname else frozenset()
        self.query_one("#otp-row").display = "otp" in needed
        self.query_one("#email-row").display = "email" in needed

    def action_host_move(self, delta: int) -> None:
        if self.focused is not self.query_one("#host"):
            focused = self.focused
            if isinstance(focused, OptionList):  # let the list move its own cursor
                focused.action_cursor_down() if delta > 0 else focused.action_cursor_up()
            elif delta > 0:
                self.focus_next()
            else:
                self.focus_previous()
            return
        hosts = self.query_one("#hosts", OptionList)
        if not hosts.option_count:
            return
        current = hosts.highlighted or 0
        hosts.highlighted = max(0, min(hosts.option_count - 1, current + delta))
        option = hosts.get_option_at_index(hosts.highlighted)
        self._set_hostname(option.id or "")

    @on(Input.Submitted, "#host")
    def _host_chosen(self) -> None:
        hosts = self.query_one("#hosts", OptionList)
        if hosts.highlighted is not None and hosts.option_count:
            chosen = hosts.get_option_at_index(hosts.highlighted).id or ""
        else:
            chosen = self.hostname
        if chosen:
            with self.prevent(Input.Changed):
                self.query_one("#host", Input).value = chosen
            self._set_hostname(chosen)
            self.query_one("#username", Input).focus()

    # -- demo users (training only) ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#demo-users")
    def _demo_chosen(self, event: OptionList.OptionSelected) -> None:
        user = self.app.demo_users[int(event.option.id or 0)]
        host = str(field_of(user, "hostname", default=""))
        self._fill_user(host, str(field_of(user, "username", default="")))
        self.query_one("#password", Input).value = str(field_of(user, "password", default=""))
        self.query_one("#email", Input).value = str(field_of(user, "email", default="") or "")
        self.query_one("#otp", Input).value = ""
        self.show_error("")
        target = "#otp" if "otp" in self.app.login_fields(host) else "#password"
        self.query_one(target, Input).focus()

    def _fill_user(self, hostname: str, username: str) -> None:
        """Put a known state and username in the form (a demo user, or a saved session's)."""
        with self.prevent(Input.Changed):
            self.query_one("#host", Input).value = hostname
        self._refilter()
        self._set_hostname(hostname)
        self.query_one("#username", Input).value = username

    def action_demo_otp(self) -> None:
        """Training only: generate the current code for the selected demo user's OTP seed."""
        code = self.app.demo_otp(self.query_one("#username", Input).value, self.hostname)
        if code is None:
            self.show_error("A one-time code can be generated only for a demo user in training mode.")
            return
        self.query_one("#otp", Input).value = code
        self.query_one("#otp", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo_otp":
            return self.app.training
        return True

    # -- sign in ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#username")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#password, #otp, #email")
    def _submit_from_field(self, event: Input.Submitted) -> None:
        # Enter in the password moves on to a still-empty OTP/email field before signing in.
        for name in ("otp", "email"):
            widget = self.query_one(f"#{name}", Input)
            if widget.parent and widget.parent.display and not widget.value.strip():
                if event.input is not widget:
                    widget.focus()
                    return
        self.action_sign_in()

    def credentials(self) -> Credentials | str:
        """The form as Credentials, or the reason it is not complete."""
        value = lambda wid: self.query_one(f"#{wid}", Input).value.strip()  # noqa: E731
        if not self.hostname:
            return "Choose your state (type its name or abbreviation)."
        if not value("username"):
            return "Enter your Metrc username."
        password = self.query_one("#password", Input).value
        if not password:
            return "Enter your password."
        needed = self.app.login_fields(self.hostname)
        if "otp" in needed and not re.fullmatch(r"\d{6}", value("otp")):
            return "Enter the 6-digit one-time code from your authenticator app."
        if "email" in needed and "@" not in value("email"):
            return "Enter the email address of your Metrc account."
        return Credentials(
            hostname=self.hostname,
            username=value("username"),
            password=password,
            otp=value("otp") if "otp" in needed else None,
            email=value("email") if "email" in needed else None,
        )

    def action_sign_in(self) -> None:
        creds = self.credentials()
        if isinstance(creds, str):
            self.show_error(creds)
            return
        self.show_error("Signing in…", error=False)
        self.sign_in(creds)

    @work(exclusive=True, group="login", exit_on_error=False)
    async def sign_in(self, creds: Credentials) -> None:
        try:
            session = await self.app.store.login(creds)
        except Exception as exc:  # every failure is shown in place; never an exit
            self._failed(exc)
            return
        self.query_one("#password", Input).value = ""  # not kept in a widget once used
        self.app.last_email = creds.email  # re-auth and unlock ask only for the password (and OTP)
        self.app.post_message(SignedIn(session))

    def _failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        if isinstance(exc, BackendError) and exc.status and exc.kind.value != "auth":
            message = f"{message} (HTTP {exc.status})"
        self.show_error(message)
        password = self.query_one("#password", Input)
        password.value = ""
        self.query_one("#otp", Input).value = ""
        password.focus()

    def show_error(self, text: str, *, error: bool = True) -> None:
        label = self.query_one("#login-error", Static)
        label.update(plain(text))
        label.set_class(error and bool(text), "error")
