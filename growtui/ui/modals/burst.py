"""Tell a keyboard-wedge scanner burst from a person typing, by the gap between key events.

Key events are stamped when the terminal input is parsed, so the characters of one scan (and its
trailing CR) are microseconds to a few milliseconds apart even when handlers run late.
"""

from __future__ import annotations

from textual import events

BURST_GAP = 0.05  # seconds; people do not type two keys this fast, scanners always do


class BurstGuard:
    def __init__(self, gap: float = BURST_GAP) -> None:
        self.gap = gap
        self._last = float("-inf")
        self._printables_in_run = 0

    @property
    def last_key_time(self) -> float:
        return self._last

    def feed(self, event: events.Key) -> bool:
        """Record a key; True when it arrived within `gap` of a printable key (part of a burst)."""
        in_burst = self._printables_in_run > 0 and (event.time - self._last) < self.gap
        if event.is_printable:
            self._printables_in_run = self._printables_in_run + 1 if in_burst else 1
        else:
            self._printables_in_run = 0
        self._last = event.time
        return in_burst
