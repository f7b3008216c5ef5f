"""In-memory state of the OpenTHC sandbox: companies, licenses, sessions, and each license's objects.

Objects are kept as wire dicts (field names as the OpenAPI description spells them) plus internal
keys starting with ``_`` (never sent). Quantities are ``Decimal`` in g, l or ea (``units``);
``render`` turns them into JSON numbers, or ``"25.0000"`` strings as the reference server sends.
Every regulated object has ``stat``: 200 live, 410 marked for deletion, 423 deleted (locked).
Handlers run under ``world.lock``.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from growtui.sandbox.openthc.ids import ulid
from growtui.sandbox.openthc.units import q4

Obj = dict[str, Any]
LIVE, MARKED, LOCKED = 200, 410, 423


def iso(dt: datetime) -> str:
    """RFC 3339, UTC, seconds."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class LicenseState:
    wire: Obj  # the License object: id, name, code, type{id}, company{id}
    license_key: str = field(repr=False)
    sections: dict[str, Obj] = field(default_factory=dict)
    varieties: dict[str, Obj] = field(default_factory=dict)
    products: dict[str, Obj] = field(default_factory=dict)
    inventory: dict[str, Obj] = field(default_factory=dict)
    plants: dict[str, Obj] = field(default_factory=dict)
    samples: dict[str, Obj] = field(default_factory=dict)
    results: dict[str, Obj] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.wire["id"]

    @property
    def kind(self) -> str:
        """The license type's name (Grower, Processor, Laboratory, Retail)."""
        return self.wire["type"]["name"]


@dataclass
class Account:
    """A company's sign-in: the form fields of ``POST /auth/open`` (spec names)."""

    name: str
    company: str  # company id
    licenses: list[str]  # license ids the company holds


@dataclass
class Session:
    token: str
    account: Account
    license_id: str
    expires_at: datetime
    open: bool = True


class OpenTHCWorld:
    def __init__(self, seed: int = 7, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock
        self.rng = random.Random(f"{seed}:openthc")
        self.lock = threading.RLock()
        self.service_key = "sandbox-service-key"  # the software's pre-shared key (growtui's)
        self.companies: dict[str, Obj] = {}
        self.licenses: dict[str, LicenseState] = {}
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}
        self.product_types: dict[str, Obj] = {}
        self.lab_metrics: dict[str, Obj] = {}
        self.b2b: dict[str, Obj] = {}  # one record per transfer: outgoing at source, incoming at target
        self.collects: dict[str, Obj] = {}  # plant-collect groups
        self.empty_meta: str = "array"  # "array" ([] as the reference server sends) or "object" ({})
        self.qty_as_string: bool = False  # quantities as "25.0000" strings, as the reference server sends
        self.session_ttl_s: float = 21600.0
        self.ops: Any = None  # the runner attaches a growtui.sandbox.switches.Ops

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    def new_id(self, when: datetime | None = None) -> str:
        return ulid(when or self.now(), self.rng)

    def open_session(self, account: Account, license_id: str) -> Session:
        token = secrets.token_urlsafe(32)  # 43 characters, like the reference server's sid
        session = Session(token, account, license_id, self.now() + timedelta(seconds=self.session_ttl_s))
        self.sessions[token] = session
        return session

    def render(self, value: Any) -> Any:
        """A stored value as JSON: internal ``_`` keys dropped, quantities as numbers (or strings)."""
        if isinstance(value, dict):
            return {k: self.render(v) for k, v in value.items() if not k.startswith("_")}
        if isinstance(value, list):
            return [self.render(v) for v in value]
        if isinstance(value, Decimal):
            return f"{q4(value):.4f}" if self.qty_as_string else float(q4(value))
        return value
