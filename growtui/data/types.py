"""Small value types shared by the data layer's modules and its callers (the UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Reported after every page a sync stores; `total_*` may grow once page 1 arrives."""

    collection: str  # collection key, e.g. "packages/active"
    pages_done: int
    pages_total: int
    rows_done: int
    rows_total: int
    incremental: bool = False


@dataclass(frozen=True, slots=True)
class SyncResult:
    collection: str
    incremental: bool
    requests: int  # page requests this sync sent (retries inside the backend not counted)
    rows_fetched: int  # rows received (may include duplicates across shifting pages)
    total: int  # upstream `total` (full load) or rows changed (incremental)
    cached: int  # unique rows in the cache for this collection afterwards
    removed: int  # rows dropped because upstream no longer lists them (full load only)
    seconds: float
    unkeyed: int = 0  # rows upstream sent with nothing to key them by (no id, no label): not cached
    passes: int = 1  # full load: page passes needed until the count matched upstream's (see sync.py)


class WriteStatus(StrEnum):
    PENDING = "pending"  # recorded, being sent (or the process died while sending)
    SENT = "sent"  # upstream said Success
    REJECTED = "rejected"  # upstream refused it; message says why
    IN_DOUBT = "in_doubt"  # timeout / 504 / connection lost: may or may not have applied
    APPLIED = "applied"  # reconciled: upstream shows the change
    NOT_APPLIED = "not_applied"  # reconciled: upstream does not show the change (user may resend)


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    entry_id: int
    status: WriteStatus
    message: str  # for people: upstream's message or what reconciliation found
    changed: tuple[str, ...] = ()  # what changed, e.g. ("package 1A4… created (id 123)",)
    details: dict[str, Any] = field(default_factory=dict)  # machine-readable: {"package_id": 123, ...}

    @property
    def ok(self) -> bool:
        return self.status in (WriteStatus.SENT, WriteStatus.APPLIED)
