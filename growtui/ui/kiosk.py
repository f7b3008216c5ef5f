"""Kiosk hardening that is not a screen: idle tracking, PIN checks, palette filtering."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterable

from textual.app import SystemCommand

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
