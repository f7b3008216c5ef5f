"""In-memory state of the Trace sandbox: accounts, licenses and their strains.

A strain is kept as its wire dict (``id``, ``name``, ``cannabinoids``, ``contents``, ``average_yield``,
``flowering_time``, ``gender``, ``breeder``, ``entity_state``); its current state is the last entry
of ``entity_state`` (the history is append-only). Handlers run under ``world.lock``.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Strain = dict[str, Any]

# The documented path enum: lower-case USPS codes (seed 004).
STATES = ("ca", "or", "nv", "mt", "co", "mi", "il", "ma", "ri", "nj", "md", "de", "va", "oh", "ky", "al", "ms", "mn", "la", "ok", "sd", "me")
ENTITY_STATES = ("active", "inactive", "in_house_tested", "third_party_tested", "used", "deleted")


def iso(dt: datetime) -> str:
    """ISO 8601 UTC, seconds, ``Z`` (the seed only says "ISO 8601 UTC format")."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_state(strain: Strain) -> str:
    history = strain.get("entity_state") or []
    return history[-1]["state"] if history else "active"


@dataclass
class License:
    number: str
    state: str  # USPS code: the path segment this license answers under
    name: str
    strains: dict[str, Strain] = field(default_factory=dict)  # id -> wire dict, insertion ordered


@dataclass
class Account:
    """A company/user pair: the x-api-key plus the two keys inside the KMP-JSON token."""

    username: str
    api_key: str = field(repr=False)
    vendor_key: str = field(repr=False)
    user_key: str = field(repr=False)
    licenses: list[str]
    suspended: bool = False  # valid keys, but every call is refused (403)


class TraceWorld:
    def __init__(self, seed: int = 7, clock: Callable[[], datetime] | None = None) -> None:
        self.accounts: dict[str, Account] = {}
        self.licenses: dict[str, License] = {}
        self.lock = threading.RLock()
        self.clock = clock
        self.ops: Any = None  # the runner attaches a growtui.sandbox.switches.Switches
        self._ids = random.Random(f"{seed}:ids")

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    def new_id(self) -> str:
        """32 lower-case hex digits, like the seed's example ``a521f55de4394f4f99c282be687e63aa``."""
        return uuid.UUID(int=self._ids.getrandbits(128), version=4).hex

    def add_account(self, account: Account) -> None:
        self.accounts[account.username] = account

    def account_by_keys(self, api_key: str, vendor_key: str, user_key: str) -> Account | None:
        for acc in self.accounts.values():
            if (acc.api_key, acc.vendor_key, acc.user_key) == (api_key, vendor_key, user_key):
                return acc
        return None
