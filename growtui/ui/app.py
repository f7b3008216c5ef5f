"""GrowApp and its one factory, ``create_app``, used by the CLI, the tests and the screenshot script.

The app owns the session-wide state (store, session, current license) and the cross-screen flows:
sign in → license → main screen, re-auth when the token expires, the kiosk idle lock and the
supervisor-gated quit. Screens do their own IO in workers that call the data layer.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.actions import ActionParseResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from growtui.backends import registry
from growtui.backends.base import Backend, ReauthRequired, Session
from growtui.data.store import DataStore
from growtui.domain.models import License
from growtui.config import AccountKey, SessionFile, Settings, UiState
from growtui.ui import kiosk
from growtui.ui.messages import LicensesLoaded, SignedIn, WorkFailed
from growtui.ui.common import describe_error, field_of, license_number
from growtui.ui.screens.main import MainScreen
from growtui.ui.stylesheet import KeptStylesheet
from growtui.ui.workers import background


# Screens and dialogs a warm start does not show are imported when first used (ui/screens/*,
# ui/modals/*: each its module's import on the start path otherwise).

# A person at the terminal: these keep a kiosk from locking; with the wheel, each also holds a
# load's writer a moment (data/writer.py), so the frame they ask for comes first.
_PRESENCE = (events.Key, events.MouseDown, events.Paste)
_ASKS_FOR_A_FRAME = (*_PRESENCE, events.MouseScrollDown, events.MouseScrollUp)


def _grow_commands() -> type:
    """The palette's provider, imported when the palette first opens, not at start."""
    from growtui.ui.commands import GrowCommands

    return GrowCommands


def styles_dir() -> Path:
    """styles/*.tcss in the source tree, or growtui/_styles when installed (pyproject force-include)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_styles", package.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError("growtui styles not found (expected styles/app.tcss)")


def _css_paths() -> list[Path]:
    root = styles_dir()
    return [root / "app.tcss", *(p for p in sorted(root.glob("*.tcss")) if p.name != "app.tcss")]


class GrowApp(App[int], inherit_bindings=False):
    """The growtui terminal app."""

    TITLE = "growtui"
    CSS_PATH = _css_paths()
    # The base of "main" is a blank screen that never leaves, so sign-in, the license picker and the
    # main screen can replace each other with switch_screen. "lock" is added per lock (current user).
    MODES = {"main": lambda: Screen(id="home")}
    DEFAULT_MODE = "main"
    COMMANDS = App.COMMANDS | {_grow_commands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
        Binding("f1,question_mark", "keys", "Keys", show=False),  # ? searches on the main screen
        Binding("ctrl+l", "lock_now", "Lock", show=False, priority=True),  # kiosk: walking away
        # Priority: the app moves focus before it hands on the next key. As a plain binding, Tab
        # ran after the key had bubbled back up, and keys typed right after it (a scanner set to
        # send Tab, a fast typist) were already on their way to the field being left.
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        store: DataStore,
        backend: Backend,
        ui_state: UiState,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        demo_users: list[dict[str, Any]] | None = None,
        contain_errors: bool = True,
    ) -> None:
        super().__init__()
        self.stylesheet = KeptStylesheet(variables=self.get_css_variables())
        self.settings = settings
        self.store = store
        self.backend = backend
        self.ui_state = ui_state
        self.clock = clock
        self.demo_users: list[dict[str, Any]] = list(demo_users or [])
        self.contain_errors = contain_errors
        self.session: Session | None = None
        self.main_screen: MainScreen | None = None  # the open license's screen (it registers itself)
        self.license: License | None = None
        self.licenses: list[License] = []
        # The last sign-in's values that re-auth and unlock reuse (never a secret).
        self.last_sign_in: dict[str, str] = {}
        self.session_file = SessionFile(backend.base_url)  # a token goes back only to its own API
        self.idle = kiosk.IdleWatch(settings.idle_lock_minutes if settings.kiosk else 0, monotonic)
        self.pin_guard = kiosk.PinGuard(monotonic)
        self._after_unlock: list[Callable[[], None]] = []
        self._undo_signals: Callable[[], None] | None = None
        self._reauth_waiters: list[Callable[[], None]] = []
        self._reauth_open = False
        # A warm start opens the remembered license from the cache before upstream has seen the
        # saved token: upstream work waits on this (see session_verified) until it is verified.
        self._verified = asyncio.Event()
        self._verified.set()
        self._checking_saved = False  # that token's check is under way (re-auth waits for its answer)
        self._unchecked: Session | None = None  # a saved token upstream was out of reach to check
        if settings.training:
            self.sub_title = "TRAINING"

    # -- facts the screens ask for ------------------------------------------------------------------

    @property
    def training(self) -> bool:
        return self.settings.training

    @property
    def system_title(self) -> str:
        """The track-and-trace system spoken, as people call it ("Metrc (its own API, …)")."""
        return registry.entry(self.settings.system).title

    @property
    def kiosk_mode(self) -> bool:
        return self.settings.kiosk

    @property
    def locked(self) -> bool:
        return self.current_mode == "lock"

    @property
    def account(self) -> AccountKey | None:
        """The signed-in account (API URL + host + user): the key of everything remembered for it."""
        return None if self.session is None else self.store.account_of(self.session)

    async def store_call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a data-layer coroutine; falls back to the backend for account lookups (states)."""
        target = getattr(self.store, name, None) or getattr(self.backend, name)
        return await target(*args, **kwargs)

    def demo_otp(self, username: str, hostname: str) -> str | None:
        """Training only: the current TOTP of a demo user who has an OTP seed."""
        if not self.training:
            return None
        for user in self.demo_users:
            if field_of(user, "username") == username and field_of(user, "hostname") == hostname:
                seed = field_of(user, "otpSecret", "otp_secret", "otp_seed", "otpSeed")
                if seed:
                    import pyotp

                    return pyotp.TOTP(seed).now()  # real time: the server checks it against its clock
        return None

    # -- lifecycle ---------------------------------------------------------------------------------------

    async def on_mount(self) -> None:
        SessionFile.forget_unkeyed()
        if not self.saved_session_allowed:
            self.session_file.clear()  # a token left by an earlier opted-in run is not kept lying around
        if not await self._open_warm():
            from growtui.ui.screens.login import LoginScreen

            self.push_screen(LoginScreen())
        if not self.is_headless:
            self._undo_signals = kiosk.exit_on_signals(self)
        if self.kiosk_mode:
            self.animation_level = "none"
            if self.idle.enabled:
                self.set_interval(5, self.check_idle_lock, name="idle-lock")

    async def on_unmount(self) -> None:
        """Close the cache database and the HTTP connections (the store closes its backend)."""
        if self._undo_signals is not None:
            self._undo_signals()
        try:
            await self.store.aclose()
        except Exception as exc:  # never hide the exit behind a close error
            self.log.warning("closing the data store failed", exc)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _PRESENCE):
            self.idle.touch()
        if isinstance(event, _ASKS_FOR_A_FRAME):
            self.store.hold_writes()
        await super().on_event(event)

    def action_keys(self) -> None:
        """Show or hide the panel that lists every key of the focused widget and screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    async def action_quit(self) -> None:
        if not self.kiosk_mode:
            typed = getattr(self.screen, "typed_work", None)  # a form someone filled in
            if typed:
                from growtui.ui.modals.discard import DiscardModal

                self.push_screen(DiscardModal("Quit and lose what you typed?", typed),
                                 lambda quit_: self.exit(0) if quit_ else None)
                return
            self.exit(0)
            return
        if self.locked:
            return
        if not self.settings.supervisor_pin:
            self.notify("Quitting needs the supervisor PIN, and none is configured.", severity="warning")
            return
        from growtui.ui.modals.pin import PinModal

        self.push_screen(PinModal("Supervisor PIN to quit"), self._quit_if_pin_ok)

    def _quit_if_pin_ok(self, pin: str | None) -> None:
        if pin is None:
            return
        result = self.pin_guard.check(pin, self.settings.supervisor_pin, "quit")
        if result is kiosk.PinCheck.OK:
            self.exit(0)
        else:
            self.notify(self.pin_guard.message(result), severity="error")

    def action_lock_now(self) -> None:
        """Kiosk: lock at once (a worker walking away), as the idle lock would."""
        if self.kiosk_mode and self.session is not None and not self.locked:
            self.lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While locked only the lock screen's own keys work: no palette, no quit, no keys panel.
        if self.locked and action not in kiosk.ACTIONS_WHILE_LOCKED:
            return False
        return super().check_action(action, parameters)

    def push_screen(self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, *,
                    mode: str | None = None) -> Any:
        # While locked, a dialog opened by work below (a write's outcome, a picker) goes under the
        # lock, onto the main stack, and shows after unlock; only the lock's PIN prompt goes on top.
        if mode is None and self.locked:
            from growtui.ui.modals.pin import PinModal

            if not isinstance(screen, PinModal):
                mode = "main"
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)

    def _handle_exception(self, error: Exception) -> None:
        # An unexpected error must not end a kiosk session (that would bypass the lock and the
        # supervisor PIN): it shows in the status bar and the app carries on.
        if self.kiosk_mode and self.contain_errors:
            self.log.error("unexpected error", error)
            kiosk.audit(f"unexpected error contained: {type(error).__name__}: {error}")
            self.report_error("Unexpected error", error)
            return
        super()._handle_exception(error)

    def action_command_palette(self) -> None:
        """Textual's palette action, opening the palette whose input does not blink."""
        from growtui.ui.commands import QuietCommandPalette

        if self.use_command_palette and not QuietCommandPalette.is_open(self):
            self.push_screen(QuietCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        commands = list(super().get_system_commands(screen))
        if self.kiosk_mode:
            commands = kiosk.kiosk_system_commands(commands)
            commands.append(SystemCommand("Quit", "Quit (needs the supervisor PIN)", self.action_quit))
        return commands

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """A failing action (key, palette, footer) shows in the status bar instead of exiting."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as exc:
            if not self.contain_errors:
                raise
            self.log.error("action failed", action, exc)
            self.report_error("Unexpected error", exc)
            return True

    async def _on_message(self, message: Any) -> None:
        try:
            await super()._on_message(message)
        except Exception as exc:
            if not self.contain_errors:
                raise
            self.log.error("handler failed", message, exc)
            self.report_error("Unexpected error", exc)

    # -- errors ---------------------------------------------------------------------------------------

    def report_error(self, what: str, error: BaseException) -> None:
        """Show an error where the user looks: the main screen's status bar, else a toast."""
        if isinstance(error, ReauthRequired):
            self.request_reauth()
            return
        text = f"{what}: {describe_error(error)}"
        target = self.main_screen if self.main_screen is not None else self.screen
        from growtui.ui.screens.login import LoginScreen

        if isinstance(target, (MainScreen, LoginScreen)):
            target.show_error(text)
            return
        self.notify(text, severity="error", markup=False)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.report_error(message.what, message.error)

    def request_reauth(self, retry: Callable[[], None] | None = None) -> None:
        """Ask for the password again (keeping every screen as it is), then run ``retry``."""
        if retry is not None:
            self._reauth_waiters.append(retry)
        if self._reauth_open or self.session is None or self.current_mode == "lock":
            return  # locked: unlocking signs in again and runs the waiters
        if self._checking_saved:
            return  # a saved token still being checked: its answer runs the waiters or asks
        if self._unchecked is not None:  # upstream was out of reach at its check: try it, not the password
            saved, self._unchecked = self._unchecked, None
            self._verified.clear()
            self._checking_saved = True
            self.verify_saved_session(saved)
            return
        self._reauth_open = True
        from growtui.ui.modals.reauth import ReauthModal

        self.push_screen(ReauthModal(), self._reauth_done)

    def _reauth_done(self, session: Session | None) -> None:
        self._reauth_open = False
        if session is None:
            self._reauth_waiters.clear()
            self.sign_out()
            return
        self.session = session
        self.remember_token(session)
        if not self._verified.is_set():  # the warm start's saved token was refused: signed in now
            self._verified.set()
            self.load_licenses()
        self._run_reauth_waiters()

    def _run_reauth_waiters(self) -> None:
        waiters, self._reauth_waiters = self._reauth_waiters, []
        for retry in waiters:
            retry()

    # -- sign in → license → main --------------------------------------------------------------------

    def on_signed_in(self, message: SignedIn) -> None:
        self.session = message.session
        for notice in self.store.take_notices():  # e.g. a damaged cache moved aside and rebuilt
            self.notify(notice, severity="warning", markup=False)
        self.remember_token(message.session)
        self.load_licenses()
        self.remember_states()
        if not self._verified.is_set():  # a warm start's saved token, accepted
            self._checking_saved = False
            self._verified.set()
            self._run_reauth_waiters()

    # -- warm start: the remembered license from the cache, the saved token checked behind it --------

    async def _open_warm(self) -> bool:
        """With a saved token (--stay-signed-in), the licenses cached by its account and a remembered
        license among them: open that license's main screen from the cache now, and let upstream
        check the token and the licenses behind it (a refused token asks for the password over the
        main screen; a license gone says so and offers the picker). False: sign in as usual."""
        saved = self.saved_session()
        if saved is None:
            return False
        try:
            account = await self.store.open_offline(saved.hostname, saved.username)
            licenses = self.store.cached_licenses()
        except Exception as exc:  # the usual sign-in shows what is wrong, if anything still is
            self.log.warning("no warm start from the cache", exc)
            return False
        remembered = self.ui_state.last_license(account)
        chosen = next((lic for lic in licenses if license_number(lic) == remembered), None)
        if chosen is None:
            return False
        self.session = saved
        self.licenses = licenses
        self.license = chosen
        self._verified.clear()
        self._checking_saved = True
        self.push_screen(MainScreen(chosen))  # on the base screen, where sign-in would have been
        self.call_after_refresh(self.verify_saved_session, saved)  # after the first frame
        return True

    async def session_verified(self) -> None:
        """Returns once upstream has accepted the session (at once unless a warm start's saved
        token is still being checked, or was refused and the password is being asked for)."""
        await self._verified.wait()

    @background(exclusive=True, group="login")
    async def verify_saved_session(self, saved: Session) -> None:
        try:
            session = await self.store.resume(saved)
        except ReauthRequired:
            self._checking_saved = False
            self.session_file.clear()  # refused or expired: the next start does not try it again
            self.request_reauth()  # over the main screen; the waiting work runs once signed in
            return
        except Exception as exc:  # upstream unreachable: the cached lists stay, the token is kept
            self._checking_saved = False
            self._unchecked = saved  # checked again when work next needs upstream (request_reauth)
            self._reauth_waiters.clear()  # they would meet the same: the error says so, F5 tries again
            self._verified.set()
            self.report_error("The saved session could not be checked", exc)
            return
        self.post_message(SignedIn(session))

    @property
    def saved_session_allowed(self) -> bool:
        """Only a desk session that opted in with --stay-signed-in keeps a token file."""
        return self.settings.stay_signed_in and not self.kiosk_mode

    def remember_token(self, session: Session) -> None:
        if self.saved_session_allowed:
            self.session_file.save(session.hostname, session.username, session.token, session.expires_at)

    def saved_session(self) -> Session | None:
        """The token kept by --stay-signed-in, if any (kiosks never keep one). It may have expired:
        resuming it then fails like a refused token, and the form offers the saved username."""
        if not self.saved_session_allowed:
            return None
        data = self.session_file.load(now=None)
        if data is None:
            return None
        return Session(data["hostname"], data["username"], data["token"], data.get("expires_at"))

    @background(exclusive=True, group="states")
    async def remember_states(self) -> None:
        """Keep the backend's host list for the next sign-in screen (it may need a token)."""
        try:
            states = await self.store_call("states")
        except Exception as exc:  # the built-in list still works
            self.log.warning("could not load the host list", exc)
            return
        clean = [
            {k: str(s.get(k, "")) for k in ("abbreviation", "name", "hostname")}
            for s in states
            if isinstance(s, dict) and s.get("hostname")
        ]
        if clean:
            self.ui_state.set_states(self.backend.name, self.backend.base_url, clean)

    @background(exclusive=True, group="licenses")
    async def load_licenses(self) -> None:
        try:
            licenses = await self.store.licenses()
        except Exception as exc:
            self.report_error("Could not load your licenses", exc)
            return
        self.post_message(LicensesLoaded(list(licenses)))

    def on_licenses_loaded(self, message: LicensesLoaded) -> None:
        self.licenses = message.licenses
        account = self.account
        if account is None:
            return
        if not self.licenses:
            self.notify("This account has no licenses.", severity="error")
            return
        main = self.main_screen
        if main is not None:  # opened from the cache before upstream answered (a warm start)
            if not any(license_number(lic) == main.license_number for lic in self.licenses):
                self.notify(f"License {main.license_number} is no longer among this account's licenses: choose one.",
                            severity="warning", timeout=30, markup=False)
                self.action_switch_license()
            return
        remembered = self.ui_state.last_license(account)
        chosen = next((lic for lic in self.licenses if license_number(lic) == remembered), None)
        if chosen is None and len(self.licenses) == 1:
            chosen = self.licenses[0]
        if chosen is not None and not isinstance(self.screen, MainScreen):
            self.open_license(chosen)
        else:
            self.action_switch_license(initial=remembered)

    def action_switch_license(self, initial: str | None = None) -> None:
        from growtui.ui.screens.license_picker import LicensePickerScreen

        if not self.licenses or isinstance(self.screen, LicensePickerScreen):
            return
        current = license_number(self.license) if self.license is not None else initial
        self.push_screen(LicensePickerScreen(self.licenses, current=current), self._license_picked)

    def _license_picked(self, lic: License | None) -> None:
        if lic is not None:
            # After the picker has left the stack, so the screen it covered is the one replaced.
            self.call_later(self.open_license, lic)

    def open_license(self, lic: License) -> None:
        if self.locked:  # licenses arriving while locked: open after unlock, not under the lock
            self._after_unlock.append(lambda: self.open_license(lic))
            return
        account = self.account
        assert account is not None
        self.license = lic
        self.ui_state.set_last_license(account, license_number(lic))
        # The main screen is per license: a fresh one keeps no rows of the previous license.
        # It replaces whatever sits on the base screen (sign-in or the previous license's screen).
        self._replace_base(MainScreen(lic))

    def sign_out(self) -> None:
        if self.locked:  # the supervisor signs out from the lock screen (unlocked(None))
            return
        self.workers.cancel_group(self, "login")  # a saved token still being checked is given up
        self._checking_saved = False
        self._unchecked = None
        self._reauth_waiters.clear()  # work of the screens being closed
        self.session_file.clear()
        self.session = None
        self.license = None
        self.licenses = []
        self.drop_token()
        from growtui.ui.screens.login import LoginScreen

        self._replace_base(LoginScreen())

    def _replace_base(self, screen: Screen[Any]) -> None:
        """Close every screen above the base one (modals, pickers) and put ``screen`` there."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    @background(group="logout")
    async def drop_token(self) -> None:
        try:
            await self.backend.logout()
        except Exception as exc:  # the token is forgotten locally either way
            self.log.warning("logout failed", exc)

    # -- kiosk idle lock ------------------------------------------------------------------------------

    def check_idle_lock(self) -> None:
        if not self.locked and self.session is not None and self.idle.expired():
            self.lock()

    def lock(self) -> None:
        self._unchecked = None  # unlocking signs in with the password
        self.session_file.clear()
        self.drop_token()
        from growtui.ui.screens.lock import LockScreen

        self.add_mode("lock", LockScreen)
        self.switch_mode("lock")

    def unlocked(self, session: Session | None) -> None:
        """Back from the lock screen: with a fresh session, or signed out by the supervisor."""
        self.idle.touch()
        self.switch_mode("main")
        self.remove_mode("lock")
        waiting, self._after_unlock = self._after_unlock, []
        if session is None:
            self._reauth_waiters.clear()
            self.sign_out()
        else:
            for resume in waiting:
                resume()
            self.session = session
            self._run_reauth_waiters()  # work that met the dropped token carries on


# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms). The
# event loop gives the GIL up at every socket read, poll and SQLite call, and while a load's
# writer thread (or deep search's indexer) is busy in Python, each of those waits up to this long
# to get it back: at 5 ms a 50k-row load showed 190-280 ms without a frame, at 1 ms 73-83 ms.
GIL_SWITCH_S = 0.001


def create_app(
    settings: Settings,
    *,
    backend: Backend | None = None,
    store: DataStore | None = None,
    ui_state: UiState | None = None,
    clock: Callable[[], float] = time.time,
    monotonic: Callable[[], float] = time.monotonic,
    demo_users: list[dict[str, Any]] | None = None,
    contain_errors: bool = True,
) -> GrowApp:
    """The one way to build the app. Without a backend: settings.system at settings.host, or that
    system's training sandbox."""
    # httpx imports its command line (click, rich.syntax: 45 ms of a start) when click is
    # installed; the app never runs it, and httpx falls back to a stub when it cannot import it.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    from growtui.ui.wiring import build_backend, build_store, training_demo_users

    sys.setswitchinterval(GIL_SWITCH_S)  # the process runs one app: the setting is its to make

    if backend is None:
        backend = store.backend if store is not None and hasattr(store, "backend") else build_backend(settings)
    if store is None:
        store = build_store(backend, training=settings.training)
    if demo_users is None and settings.training:
        demo_users = training_demo_users(settings.system)
    return GrowApp(
        settings,
        store=store,
        backend=backend,
        ui_state=ui_state or UiState(),
        clock=clock,
        monotonic=monotonic,
        demo_users=demo_users,
        contain_errors=contain_errors,
    )
