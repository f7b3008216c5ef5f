"""Kiosk hardening that is not a screen: idle tracking, PIN checks that slow down, palette
filtering, what stays reachable while locked, and leaving cleanly on SIGTERM / SIGHUP."""

from __future__ import annotations

import asyncio
import enum
import hmac
import logging
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import SystemCommand

from growtui.config import state_dir
from growtui.files import append_private

log = logging.getLogger("growtui.kiosk")

# App-level actions a locked kiosk still runs (moving focus inside the lock screen's form). The
# palette, the keys panel, quitting, switching license and every binding of the screens below are
# out of reach until unlock.
ACTIONS_WHILE_LOCKED = frozenset({"focus_next", "focus_previous"})

NO_PIN_MESSAGE = (
    "--kiosk needs a supervisor PIN (GROWTUI_SUPERVISOR_PIN, or supervisor_pin in config.toml): "
    "without one this kiosk could never be quit or unlocked by a supervisor."
)

# Palette entries that write files on the kiosk, change its look, or leave the app.
BLOCKED_SYSTEM_COMMANDS = frozenset({"Theme", "Screenshot", "Quit", "Maximize", "Minimize"})


def kiosk_system_commands(commands: Iterable[SystemCommand]) -> list[SystemCommand]:
    return [c for c in commands if c.title not in BLOCKED_SYSTEM_COMMANDS]


def pin_matches(entered: str, pin: str | None) -> bool:
    """Constant-time compare; no PIN configured means nothing matches."""
    if not pin:
        return False
    return hmac.compare_digest(entered.strip().encode(), pin.encode())


class IdleWatch:
    """When did a person last touch the keyboard, and is that longer ago than the limit?"""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(0.0, minutes) * 60.0
        self.clock = clock
        self.last = clock()

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def touch(self) -> None:
        self.last = self.clock()

    def idle_seconds(self) -> float:
        return self.clock() - self.last

    def expired(self) -> bool:
        return self.enabled and self.idle_seconds() >= self.limit


def kiosk_log_path() -> Path:
    return state_dir() / "kiosk.log"


def audit(event: str, clock: Callable[[], float] = time.time) -> None:
    """One line in the kiosk log (0600, in the state dir) and in Python's log."""
    log.warning(event)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(clock()))
    try:
        append_private(kiosk_log_path(), f"{stamp} {event}\n")
    except OSError as exc:  # a full disk must not open the kiosk
        log.error("could not write the kiosk log: %s", exc)


class PinCheck(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    TOO_SOON = "too soon"  # still waiting after earlier wrong PINs: not even compared


class PinGuard:
    """Wrong supervisor PINs slow down: after the n-th wrong PIN in a row no PIN is compared for
    ``min(base * 2**(n-1), cap)`` seconds, and each wrong PIN is logged. The right PIN resets."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, base_s: float = 2.0, cap_s: float = 300.0) -> None:
        self.clock = clock
        self.base_s = base_s
        self.cap_s = cap_s
        self.failures = 0
        self.blocked_until = 0.0

    def wait_left(self) -> float:
        return max(0.0, self.blocked_until - self.clock())

    def check(self, entered: str, pin: str | None, what: str) -> PinCheck:
        if self.wait_left() > 0:
            audit(f"supervisor PIN for {what} refused: {self.wait_left():.0f} s left after wrong PINs")
            return PinCheck.TOO_SOON
        if pin_matches(entered, pin):
            self.failures = 0
            return PinCheck.OK
        self.failures += 1
        delay = min(self.base_s * 2 ** (self.failures - 1), self.cap_s)
        self.blocked_until = self.clock() + delay
        audit(f"wrong supervisor PIN for {what} ({self.failures} in a row); next try in {delay:.0f} s")
        return PinCheck.WRONG

    def message(self, result: PinCheck) -> str:
        wait = f"Try again in {max(1, round(self.wait_left()))} s."
        return f"Wrong PIN. {wait}" if result is PinCheck.WRONG else f"Too many wrong PINs. {wait}"


def exit_on_signals(app: Any) -> Callable[[], None]:
    """SIGTERM and SIGHUP end the app the normal way, so the terminal is restored (raw mode off,
    alternate screen left, cursor shown) instead of dying mid-frame. Returns the undo."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGHUP)
    for sig in signals:
        loop.add_signal_handler(sig, lambda sig=sig: app.exit(return_code=128 + sig))

    def undo() -> None:
        for sig in signals:
            loop.remove_signal_handler(sig)

    return undo
