"""The write journal: every write is recorded before it is sent, then its outcome.

It is not disposable like the cache, so it lives apart from it: one SQLite file per account in
the platformdirs user *data* directory (``journal_path``), 0600 in 0700 directories, written with
synchronous=FULL, so a recorded entry is on disk before the request leaves (it survives kill -9
and power loss). Entries of an older growtui, kept inside the cache file, are copied over the
first time. A journal file SQLite cannot read is renamed ``….damaged-<time>`` and kept for
inspection, never deleted; a new one is started and ``notice`` says so in one line.

Entries found still "pending" after a crash mean the process died mid-send: treat them like
"in_doubt" and reconcile them by re-reading upstream — never resend on your own.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from growtui.config import AccountKey, data_dir
from growtui.data.cache import busy_error, connect, is_busy, move_aside, opening, safe_name, sidecars
from growtui.files import create_private
from growtui.data.types import WriteStatus

_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL, updated REAL NOT NULL,
    username TEXT NOT NULL, hostname TEXT NOT NULL, license TEXT NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL, summary TEXT NOT NULL,
    status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL DEFAULT '[]', details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS journal_by_status ON journal (status);
"""

UNRESOLVED = (WriteStatus.PENDING, WriteStatus.IN_DOUBT)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    created: float
    updated: float
    username: str
    hostname: str
    license: str
    kind: str  # the action's class name, e.g. "AddNote"
    payload: dict[str, Any]  # the action's fields as JSON
    summary: str  # for people: "Add note to 12 packages"
    status: WriteStatus
    message: str
    changed: tuple[str, ...]
    details: dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Mapping):  # e.g. a model's read-only `raw`
        return dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, default=_jsonable, separators=(",", ":"))


def action_payload(action: Any) -> dict[str, Any]:
    """An action intent's fields as plain JSON (Decimals as strings, dates ISO, enums by value)."""
    return json.loads(to_json(action))


def action_summary(action: Any) -> str:
    summary = getattr(action, "summary", None)
    if callable(summary):
        try:
            return str(summary())
        except Exception:  # noqa: BLE001 - a summary must never stop a write being journaled
            pass
    return type(action).__name__


def default_journal_root() -> Path:
    return data_dir() / "journal"


def journal_path(root: Path, account: AccountKey) -> Path:
    """Keyed like the cache: one directory per API, one file per upstream host and user."""
    return root / account.api_dir / f"{safe_name(account.hostname)}-{safe_name(account.username)}.journal.sqlite"


class Journal:
    def __init__(
        self, path: Path, *, username: str, hostname: str, legacy: Path | None = None
    ) -> None:
        """``legacy``: a cache file that may still hold an older growtui's journal table."""
        self.path = path
        self.username = username
        self.hostname = hostname
        self.notice: str | None = None
        self._lock = threading.Lock()
        with opening(path):
            try:
                self._db = self._open(path)
            except sqlite3.DatabaseError as exc:
                if is_busy(exc):  # another process holds it: a healthy journal is never set aside
                    raise busy_error(path, exc) from exc
                aside = move_aside(path)  # kept for inspection: never deleted
                self.notice = (
                    f"The write journal could not be read ({exc}); it was kept as {aside} "
                    "and a new one started."
                )
                self._db = self._open(path)
        if legacy is not None and self.notice is None:
            self._adopt(legacy)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        for p in sidecars(path):
            create_private(p)
        db = connect(path, synchronous="FULL")
        try:
            db.executescript(_SCHEMA)
            db.execute("SELECT COUNT(*) FROM journal").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _adopt(self, legacy: Path) -> None:
        """Copy the entries an older growtui kept in the cache file, once (into an empty journal)."""
        if not legacy.exists():
            return
        with self._lock:
            if self._db.execute("SELECT 1 FROM journal LIMIT 1").fetchone() is not None:
                return
            try:
                old = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True, timeout=30.0)
                try:
                    rows = old.execute(f"SELECT {_FIELDS} FROM journal ORDER BY id").fetchall()
                finally:
                    old.close()
            except sqlite3.DatabaseError:  # no journal table there, or a damaged cache: nothing to adopt
                return
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self._db.execute("BEGIN")
                self._db.executemany(f"INSERT INTO journal ({_FIELDS}) VALUES ({marks})", rows)
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, license: str, action: Any) -> int:
        """Durably record a write about to be sent; returns the entry id (status pending)."""
        return self.record_raw(
            license, type(action).__name__, action_payload(action), action_summary(action)
        )

    def record_raw(self, license: str, kind: str, payload: dict[str, Any], summary: str) -> int:
        now = time.time()
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO journal (created, updated, username, hostname, license, kind, payload,"
                " summary, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now, now, self.username, self.hostname, license, kind, to_json(payload), summary,
                 WriteStatus.PENDING.value),
            )
            return int(cur.lastrowid)

    def resolve(
        self,
        entry_id: int,
        status: WriteStatus,
        message: str,
        changed: Iterable[str] = (),
        details: dict[str, Any] | None = None,
    ) -> JournalEntry:
        with self._lock:
            self._db.execute(
                "UPDATE journal SET status=?, message=?, changed=?, details=?, updated=? WHERE id=?",
                (status.value, message, to_json(list(changed)), to_json(details or {}), time.time(),
                 entry_id),
            )
        return self.get(entry_id)

    def get(self, entry_id: int) -> JournalEntry:
        with self._lock:
            row = self._db.execute(f"SELECT {_FIELDS} FROM journal WHERE id=?", (entry_id,)).fetchone()
        if row is None:
            raise KeyError(f"no journal entry {entry_id}")
        return _entry(row)

    def entries(self, *, limit: int = 200, license: str | None = None) -> list[JournalEntry]:
        """Newest first."""
        sql = f"SELECT {_FIELDS} FROM journal"
        args: tuple[Any, ...] = ()
        if license is not None:
            sql += " WHERE license=?"
            args = (license,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [_entry(r) for r in rows]

    def unresolved(self) -> list[JournalEntry]:
        """Writes whose fate is unknown (pending after a crash, or in doubt): reconcile them."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_FIELDS} FROM journal WHERE status IN (?, ?) ORDER BY id",
                tuple(s.value for s in UNRESOLVED),
            ).fetchall()
        return [_entry(r) for r in rows]


_FIELDS = (
    "id, created, updated, username, hostname, license, kind, payload, summary, status, message,"
    " changed, details"
)


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    (id_, created, updated, user, host, lic, kind, payload, summary, status, message, changed,
     details) = row
    return JournalEntry(
        id=id_,
        created=created,
        updated=updated,
        username=user,
        hostname=host,
        license=lic,
        kind=kind,
        payload=json.loads(payload),
        summary=summary,
        status=WriteStatus(status),
        message=message,
        changed=tuple(json.loads(changed)),
        details=json.loads(details),
    )
