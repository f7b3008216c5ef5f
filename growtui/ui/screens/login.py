"""Sign in with the form the backend declares (``Backend.sign_in``): a host chosen from the
backend's list (type to filter it), then the fields that host needs (username, password, one-time
code, email, API keys …)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from growtui.backends.base import BackendError, Credentials, ErrorKind, FieldKind, SignInField
from growtui.keyring_shelf import KeyringShelf
from growtui.ui.messages import SignedIn
from growtui.ui.common import ContainsErrors, describe_error, field_of, plain, quiet_input, sign_in_failed
from growtui.ui.workers import background

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

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

    @property
    def fields(self) -> tuple[SignInField, ...]:
        """The backend's sign-in fields besides the host."""
        return tuple(f for f in self.app.backend.sign_in if f.kind is not FieldKind.HOST)

    @property
    def host_field(self) -> SignInField:
        return next(f for f in self.app.backend.sign_in if f.kind is FieldKind.HOST)

    def needed(self) -> tuple[SignInField, ...]:
        """The fields the chosen host asks for."""
        return tuple(f for f in self.fields if f.asked_for(self.hostname)) if self.hostname else ()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-form"):
            if self.app.training:
                yield Static(
                    f"TRAINING SESSION: the built-in {self.app.system_title} sandbox runs inside growtui; "
                    "nothing is sent upstream. Pick a demo user below (Enter fills the form).",
                    id="training-banner",
                )
                yield OptionList(
                    *(self._demo_option(i, u) for i, u in enumerate(self.app.demo_users)),
                    id="demo-users",
                    compact=True,
                )
            host = self.host_field
            with Horizontal(classes="field"):
                yield Label(host.label, classes="field-label")
                yield quiet_input(id="host", placeholder=host.placeholder)
            yield OptionList(id="hosts", compact=True)
            for f in self.fields:
                with Horizontal(classes="field", id=f"{f.name}-row"):
                    yield Label(f.label, classes="field-label")
                    yield quiet_input(id=f.name, password=f.secret, placeholder=f.placeholder)
            if not self.app.kiosk_mode:  # a shared kiosk never keeps anyone's keys
                yield Checkbox("Remember in the OS keyring", id="remember", compact=True)
            yield Static("", id="login-error")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = "TRAINING · Sign in" if self.app.training else "Sign in"
        self.query_one("#hosts", OptionList).can_focus = False
        if self.app.training:
            self.query_one("#demo-users", OptionList).focus()
        self._update_extra_fields()
        backend = self.app.backend
        self.states = self.app.ui_state.states(backend.name, backend.base_url) or backend.known_hosts()
        self._refilter()
        saved = self.app.saved_session()
        if saved is None:
            self._fill_remembered()
        if saved is not None:
            self.show_error(f"Resuming the saved session of {saved.username}…", error=False)
            self.resume(saved)

    @background(exclusive=True, group="login")
    async def resume(self, saved: Any) -> None:
        """--stay-signed-in: use the saved token; if the server refuses it, sign in as usual."""
        try:
            session = await self.app.store.resume(saved)
        except Exception as exc:
            self.app.session_file.clear()
            self._fill_user(saved.hostname, saved.username)
            self._focus_first_reask()
            self.show_error(f"The saved session could not be used ({describe_error(exc)}). Sign in.")
            return
        self.show_error("")
        self.app.post_message(SignedIn(session))

    def _demo_option(self, index: int, user: Any) -> Option:
        notes = []
        if field_of(user, "otpSecret", "otp_secret", "otp_seed", "otpSeed"):
            notes.append("one-time code")
        if field_of(user, "email"):
            notes.append("email")
        notes.extend(str(n) for n in field_of(user, "notes", default=[]) or [])  # the sandbox's own words
        if field_of(user, "readOnly") is True:
            notes.append("read only")
        licenses = field_of(user, "licenses", "facilities", default=[])
        if licenses:
            notes.append(f"{len(licenses)} license" + ("s" if len(licenses) != 1 else ""))
        # A key-based account has a person's name (Metrc) or a company's (OpenTHC) instead of a
        # username, and its host under the backend's own field name (OpenTHC's "cre").
        who = field_of(user, "username", "name", "company_name", default="")
        text = f"{who}  {field_of(user, 'hostname', self.host_field.name, default='')}"
        return Option(plain(text + (f"  ({', '.join(notes)})" if notes else "")), id=str(index))

    # -- remembered in the OS keyring (opt-in) ----------------------------------------------

    @property
    def shelf(self) -> KeyringShelf:
        return KeyringShelf(self.app.backend.name, self.app.backend.base_url)

    def _fill_remembered(self) -> None:
        if self.app.kiosk_mode or not (values := self.shelf.load()):
            return
        self._fill_user(values.get(self.host_field.name, ""), values.get(self.fields[0].name, ""))
        for f in self.fields[1:]:
            self.query_one(f"#{f.name}", Input).value = values.get(f.name, "")
        with self.prevent(Checkbox.Changed):
            self.query_one("#remember", Checkbox).value = True
        self.show_error("Filled from the OS keyring: Ctrl+S signs in (untick Remember to forget it).", error=False)
        blank = next((f for f in self.needed() if not self.query_one(f"#{f.name}", Input).value), None)
        self.query_one(f"#{(blank or self.needed()[-1]).name}", Input).focus()

    @on(Checkbox.Changed, "#remember")
    def _remember_ticked(self, event: Checkbox.Changed) -> None:
        problem = KeyringShelf.problem() if event.value else None
        if problem:
            with self.prevent(Checkbox.Changed):
                event.checkbox.value = False
        self.show_error(problem or "")

    def _keep_or_forget(self, creds: Credentials) -> str | None:
        """After a sign-in: keep what was typed (never one-time codes) if asked, else forget it."""
        if self.app.kiosk_mode:
            return None
        if not self.query_one("#remember", Checkbox).value:
            self.shelf.forget()
            return None
        codes = {f.name for f in self.fields if f.kind is FieldKind.CODE}
        return self.shelf.save({k: v for k, v in creds.items() if k not in codes})

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
        pattern = self.host_field.pattern
        if typed and pattern and re.fullmatch(pattern, typed):
            return typed
        if typed and matches:
            return str(matches[0].get("hostname", ""))
        return ""

    def _set_hostname(self, hostname: str) -> None:
        self.hostname = hostname
        self._update_extra_fields()

    def _update_extra_fields(self) -> None:
        # Fields every host asks for always show; a host-specific one only for its hosts.
        for f in self.fields:
            self.query_one(f"#{f.name}-row").display = not f.hosts or f.asked_for(self.hostname)

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
            self.query_one(f"#{self.fields[0].name}", Input).focus()

    # -- demo users (training only) ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#demo-users")
    def _demo_chosen(self, event: OptionList.OptionSelected) -> None:
        user = self.app.demo_users[int(event.option.id or 0)]
        host = str(field_of(user, self.host_field.name, default=""))
        self._fill_user(host, str(field_of(user, self.fields[0].name, default="")))
        for f in self.fields[1:]:  # a demo account has every value but one-time codes
            value = "" if f.kind is FieldKind.CODE else field_of(user, f.name, default="")
            self.query_one(f"#{f.name}", Input).value = str(value or "")
        self.show_error("")
        codes = [f for f in self.needed() if f.kind is FieldKind.CODE]
        target = codes[0] if codes else next((f for f in self.needed() if f.secret), self.fields[0])
        self.query_one(f"#{target.name}", Input).focus()

    def _fill_user(self, hostname: str, username: str) -> None:
        """Put a known host and user in the form (a demo user, or a saved session's)."""
        with self.prevent(Input.Changed):
            self.query_one("#host", Input).value = hostname
        self._refilter()
        self._set_hostname(hostname)
        self.query_one(f"#{self.fields[0].name}", Input).value = username

    def _focus_first_reask(self) -> None:
        target = next((f for f in self.needed() if f.reask), None)
        if target is not None:
            self.query_one(f"#{target.name}", Input).focus()

    def action_demo_otp(self) -> None:
        """Training only: generate the current code for the selected demo user's OTP seed."""
        codes = [f for f in self.needed() if f.kind is FieldKind.CODE]
        code = self.app.demo_otp(self.query_one(f"#{self.fields[0].name}", Input).value, self.hostname)
        if code is None or not codes:
            self.show_error("A one-time code can be generated only for a demo user in training mode.")
            return
        self.query_one(f"#{codes[0].name}", Input).value = code
        self.query_one(f"#{codes[0].name}", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo_otp":  # only where the system asks for one-time codes at all
            return self.app.training and any(f.kind is FieldKind.CODE for f in self.fields)
        return True

    # -- sign in ---------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submit_from_field(self, event: Input.Submitted) -> None:
        # Enter before the first secret field moves on; from it on, Enter moves to a still-empty
        # field the host needs (a one-time code, an email) and otherwise signs in.
        if event.input.id == "host":
            return
        needed = self.needed()
        names = [f.name for f in needed]
        if event.input.id not in names:
            return
        at = names.index(event.input.id)
        first_secret = next((i for i, f in enumerate(needed) if f.secret), len(needed))
        if at < first_secret:
            self.focus_next()
            return
        for f in needed[at + 1 :]:
            if not self.query_one(f"#{f.name}", Input).value.strip():
                self.query_one(f"#{f.name}", Input).focus()
                return
        self.action_sign_in()

    def credentials(self) -> Credentials | str:
        """The form as Credentials, or the reason it is not complete."""
        host = self.host_field
        if not self.hostname:
            return host.problem or f"Choose the {host.label.lower()}."
        values: dict[str, str] = {host.name: self.hostname}
        for f in self.needed():
            raw = self.query_one(f"#{f.name}", Input).value
            value = raw if f.secret else raw.strip()
            if not value.strip() or (f.pattern and not re.fullmatch(f.pattern, value.strip())):
                return f.problem or f"Enter the {f.label.lower()}."
            values[f.name] = value
        return Credentials(values)

    def action_sign_in(self) -> None:
        creds = self.credentials()
        if isinstance(creds, str):
            self.show_error(creds)
            return
        self.show_error("Signing in…", error=False)
        self.sign_in(creds)

    @background(exclusive=True, group="login")
    async def sign_in(self, creds: Credentials) -> None:
        try:
            session = await self.app.store.login(creds)
        except Exception as exc:  # every failure is shown in place; never an exit
            self._failed(exc)
            return
        not_kept = self._keep_or_forget(creds)
        if not_kept:
            self.app.notify(not_kept, severity="warning", markup=False)
        for f in self.fields:
            if f.secret:
                self.query_one(f"#{f.name}", Input).value = ""  # not kept in a widget once used
        # Re-auth and unlock ask only for the fields marked reask; the rest is reused.
        reask = {f.name for f in self.fields if f.reask or f.secret}
        self.app.last_sign_in = {k: v for k, v in creds.items() if k not in reask}
        self.app.post_message(SignedIn(session))

    def _failed(self, exc: BaseException) -> None:
        # A one-time code is never sent twice. Refused credentials without a code clear the
        # secrets (they were wrong); with a code either may be, so the secrets stay for the next
        # try. Any other failure (host unreachable, not the API) never loses what was typed.
        asked = self.needed()
        codes = [f for f in asked if f.kind is FieldKind.CODE]
        refused = isinstance(exc, BackendError) and exc.kind is ErrorKind.AUTH
        cleared = codes + ([f for f in asked if f.secret] if refused and not codes else [])
        self.show_error(sign_in_failed(exc, [self.query_one(f"#{f.name}", Input) for f in cleared]))

    def show_error(self, text: str, *, error: bool = True) -> None:
        label = self.query_one("#login-error", Static)
        label.update(plain(text))
        label.set_class(error and bool(text), "error")
