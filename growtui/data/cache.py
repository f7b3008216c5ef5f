"""The per-user SQLite cache: objects with precomputed display cells, sync state, small key/values.

One file per account (API base URL + hostname + username) under the user cache dir, mode 0600, WAL. Three connections: a
writer used from worker threads (page writes, one transaction per page), a reader used on the
event loop for fast list loads (WAL lets it read while a page is being written), and the journal's
own connection (synchronous=FULL, see journal.py). No password or token is ever written here.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from growtui.config import AccountKey
from growtui.data.columns import COLUMNS, MAX_COLUMNS, DisplayRow, RawPaths, RowMaker, columns_signature, fields_of
from growtui.data.raw_json import PART_REF, FieldPicker, decode_raw, encode_raw
from growtui.domain.collections import Collection, Family
from growtui.files import create_private

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: one process per cache is all there is
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Version of the objects/raws/sync_state tables (the journal table is never dropped). Raw rows are
# stored as the JSON text upstream sent (raw_json.py): a load never decodes or re-encodes a row whole.
SCHEMA_VERSION = "5-json"

# Nested objects repeated on many rows (a package embeds its whole 120-field item: more than half
# of its bytes) are stored once per id in `parts`; the row keeps {"$part": id} in their place.
PART_FIELDS: dict[Family, tuple[str, ...]] = {Family.PACKAGES: ("item",)}

_CELLS = ", ".join(f"c{i}" for i in range(MAX_COLUMNS))
_OBJECT_COLS = f"license, family, obj_key, collection, label, search, style, last_modified, seen, {_CELLS}"
_UPSERT = (
    f"INSERT INTO objects ({_OBJECT_COLS}) VALUES ({', '.join('?' * (9 + MAX_COLUMNS))}) "
    "ON CONFLICT(license, family, obj_key) DO UPDATE SET "
    + ", ".join(
        f"{c} = excluded.{c}"
        for c in ["collection", "label", "search", "style", "last_modified"]
        + [f"c{i}" for i in range(MAX_COLUMNS)]
    )
    # An incremental write must not mark a row as seen by a full load that did not see it.
    + ", seen = COALESCE(excluded.seen, objects.seen)"
)

_DISPLAY = f"obj_key, label, search, style, {_CELLS}"  # a display row, as ListIndex takes it

PAUSE_EVERY = 50  # rows prepared between two looks at whether the writer should hold (about 1 ms)

_UPSERT_RAW = "INSERT OR REPLACE INTO raws (license, family, obj_key, raw) VALUES (?, ?, ?, ?)"
_UPSERT_PART = "INSERT OR REPLACE INTO parts (license, family, field, part_id, raw) VALUES (?, ?, ?, ?, ?)"

# Display columns and raw JSON live in separate tables so listing 50k rows never reads the JSON.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS objects (
    license TEXT NOT NULL, family TEXT NOT NULL, obj_key NOT NULL, collection TEXT NOT NULL,
    label TEXT NOT NULL, search TEXT NOT NULL, style TEXT NOT NULL, last_modified TEXT,
    seen INTEGER, {_CELLS},
    PRIMARY KEY (license, family, obj_key)
);
-- AUTOINCREMENT: a rewritten or re-added row never gets an old rowid back (deep_text keys on it).
CREATE TABLE IF NOT EXISTS raws (
    rid INTEGER PRIMARY KEY AUTOINCREMENT,
    license TEXT NOT NULL, family TEXT NOT NULL, obj_key NOT NULL, raw BLOB NOT NULL,
    UNIQUE (license, family, obj_key)
);
CREATE TABLE IF NOT EXISTS parts (
    license TEXT NOT NULL, family TEXT NOT NULL, field TEXT NOT NULL, part_id NOT NULL,
    raw BLOB NOT NULL,
    PRIMARY KEY (license, family, field, part_id)
);
CREATE INDEX IF NOT EXISTS objects_by_collection ON objects (license, collection);
CREATE TABLE IF NOT EXISTS sync_state (
    license TEXT NOT NULL, collection TEXT NOT NULL,
    last_full REAL, last_sync REAL, total INTEGER,
    PRIMARY KEY (license, collection)
);
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Deep search (search.py): every value of a raw row as one lower-case line, keyed by the raws
-- row's rid, which a rewrite of the row changes (so a stale line is found by an anti-join).
CREATE TABLE IF NOT EXISTS deep_text (
    rid INTEGER PRIMARY KEY, license TEXT NOT NULL, family TEXT NOT NULL, obj_key NOT NULL, text TEXT NOT NULL
);
"""


def default_cache_root() -> Path:
    return Path(platformdirs.user_cache_dir("growtui"))


def safe_name(text: str) -> str:
    """A file-name-safe rendering of a hostname or username (no path tricks, no odd bytes)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._")
    return cleaned[:80] or "_"


def cache_path(root: Path, account: AccountKey) -> Path:
    """One directory per API (staging, sandbox and production never share rows), one file per user."""
    return root / account.api_dir / f"{safe_name(account.hostname)}-{safe_name(account.username)}.sqlite"


def sidecars(path: Path) -> tuple[Path, Path, Path]:
    """An SQLite file and its WAL and shared-memory siblings."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def move_aside(path: Path) -> Path:
    """Rename a damaged SQLite file (and its WAL/SHM) to ``<name>.damaged-<UTC time>``, keeping it
    for inspection; returns the new name of the main file."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for src, dst in zip(sidecars(path), sidecars(aside)):
        if src.exists():
            src.rename(dst)
    return aside


class CacheBusy(RuntimeError):
    """Another process kept an SQLite file locked past the busy timeout (not damage: never moved)."""


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY/SQLITE_LOCKED: another connection holds the file. That is contention, not
    damage; treating it as damage would move a healthy file aside under another process."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


@contextmanager
def opening(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` beside ``path`` while it is created, migrated, checked or moved
    aside, so two processes opening one file never interleave those steps (the kernel drops it if
    a process dies)."""
    lock = path.with_name(path.name + ".open-lock")
    create_private(lock)
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # blocking: callers run in a worker thread
        yield
    finally:
        os.close(fd)


def busy_error(path: Path, exc: sqlite3.Error) -> CacheBusy:
    return CacheBusy(
        f"{path.name} is locked by another growtui process ({exc}); it was left as it is. "
        "Try again when the other process is done."
    )


def _create_private(path: Path) -> None:
    """Make the directories 0700 and the DB file (and WAL/SHM siblings) 0600 before SQLite opens them."""
    for p in sidecars(path):
        create_private(p)


# How long a connection waits for another process's lock before giving up with SQLITE_BUSY.
BUSY_TIMEOUT_S = 30.0


def connect(path: Path, *, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        # Raw rows are ~2.7 KB: 8 KB pages hold two and waste a third; 16 KB pages hold five,
        # which makes a 50k-row load's inserts a quarter cheaper and the file a sixth smaller.
        # (Only takes effect while the file is still empty, i.e. before WAL mode is set.)
        conn.execute("PRAGMA page_size=16384")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        # No automatic checkpoints: a load would pay for one every few pages (and a journal write
        # could land on one). Cache.checkpoint() runs after each sync, off the event loop.
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute(f"PRAGMA journal_size_limit={32 * 1024 * 1024}")
    except BaseException:  # e.g. "file is not a database": leave nothing open on it
        conn.close()
        raise
    return conn


@dataclass(slots=True)
class StoredPage:
    keys: list[int | str]
    unkeyed: int  # rows with nothing to key them by (no id, no label)


@dataclass(slots=True)
class PreparedRows:
    """One page as the cache's statements take it (``Cache.prepare_rows``)."""

    objects: list[tuple[Any, ...]]
    raws: list[tuple[Any, ...]]
    parts: dict[tuple[Any, ...], bytes | Mapping[str, Any]]  # (license, family, field, id) -> part
    stored: StoredPage


# SQLite integers are 64-bit: a bigger id (upstream may send one) is stored as its decimal text.
_I64 = 2**63
_INT64 = range(-_I64, _I64)


def db_key(value: Any) -> Any:
    """An id or cell value as SQLite can hold it: ints outside 64 bits become their text."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return str(value)
    return value


@dataclass(frozen=True, slots=True)
class DisplayWindow:
    """Part of a list's display rows (Cache.display_window): the first rows (``head``, by position
    from 0; every row when the list is that short) and ``sample``, rows spread over the list, of
    ``count`` rows in all."""

    count: int
    head: list[tuple[Any, ...]]
    sample: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class SyncState:
    last_full: float | None  # epoch seconds of the last completed full load
    last_sync: float | None  # epoch seconds the last sync (full or incremental) started
    total: int | None

    @property
    def last_any(self) -> float | None:
        times = [t for t in (self.last_full, self.last_sync) if t is not None]
        return max(times) if times else None


class Cache:
    def __init__(self, path: Path, raw_paths: Callable[[Family], RawPaths]) -> None:
        """``raw_paths``: where the backend's raw rows hold each domain field (``Backend.raw_paths``)."""
        self.path = path
        self._raw_paths = raw_paths
        self._makers: dict[Family, RowMaker] = {}
        self._pickers: dict[Family, FieldPicker] = {}
        _create_private(path)
        self._write = connect(path, synchronous="NORMAL")
        self._write_lock = threading.Lock()
        try:
            with self._write_lock:
                self._migrate()
            self._read = connect(path, synchronous="NORMAL")
        except BaseException:
            self._write.close()
            raise
        self._read_lock = threading.Lock()

    @classmethod
    def open_or_rebuild(
        cls, path: Path, raw_paths: Callable[[Family], RawPaths]
    ) -> tuple[Cache, str | None]:
        """Open the cache; if the file is damaged (not a database, malformed), move it aside and
        start an empty one: the cache is disposable, the next sync rebuilds it. Returns the cache
        and, after a rebuild, one line saying so. A file another process holds locked is not
        damaged: that raises ``CacheBusy`` and leaves the file alone."""
        with opening(path):
            try:
                return cls._open_checked(path, raw_paths), None
            except sqlite3.DatabaseError as exc:
                if is_busy(exc):
                    raise busy_error(path, exc) from exc
                damage = exc
            aside = move_aside(path)
            log.warning("cache %s is damaged (%s); moved to %s, rebuilding", path, damage, aside)
            return cls(path, raw_paths), (
                f"The local cache was damaged ({damage}); it was moved aside to {aside.name} and is "
                "being rebuilt from the server."
            )

    @classmethod
    def _open_checked(cls, path: Path, raw_paths: Callable[[Family], RawPaths]) -> Cache:
        cache = cls(path, raw_paths)
        try:
            cache._check()
        except BaseException:
            cache._write.close()
            cache._read.close()
            raise
        return cache

    def _check(self) -> None:
        """Cheap structural check: the schema and first pages of each table read back."""
        with self._read_lock:
            for table in ("objects", "raws", "parts", "sync_state", "kv"):
                self._read.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()

    # -- setup ------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        db = self._write
        db.executescript("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);")
        row = db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
        if row is not None and row[0] != SCHEMA_VERSION:
            # The objects are only a cache: drop and reload. The journal lives on untouched.
            db.executescript("DROP TABLE IF EXISTS objects; DROP TABLE IF EXISTS raws; DROP TABLE IF EXISTS parts;"
                " DROP TABLE IF EXISTS sync_state; DROP TABLE IF EXISTS deep_text;")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        signature = columns_signature(self._raw_paths)
        cols = db.execute("SELECT value FROM meta WHERE name='columns'").fetchone()
        if cols is not None and cols[0] != signature:
            self._recompute_display()
        db.execute("INSERT OR REPLACE INTO meta VALUES ('columns', ?)", (signature,))

    def _recompute_display(self) -> None:
        """Column sets changed (app upgrade): rebuild display cells from the stored raw JSON."""
        db = self._write
        rows = db.execute("SELECT license, family, obj_key FROM raws").fetchall()
        db.execute("BEGIN")
        for license, family, key in rows:
            raw = self._load_raw(db, license, Family(family), key)
            if raw is None:
                continue
            disp = self._maker(Family(family)).make(raw)
            if disp is None:
                continue
            db.execute(
                f"UPDATE objects SET label=?, search=?, style=?, {', '.join(f'c{i}=?' for i in range(MAX_COLUMNS))} "
                "WHERE license=? AND family=? AND obj_key=?",
                (disp.label, disp.search, disp.style, *(db_key(c) for c in _pad(disp.cells)), license, family, key),
            )
        db.execute("COMMIT")

    def _maker(self, family: Family) -> RowMaker:
        maker = self._makers.get(family)
        if maker is None:
            maker = self._makers[family] = RowMaker(family, self._raw_paths(family))
        return maker

    def _picker(self, family: Family) -> FieldPicker:
        picker = self._pickers.get(family)
        if picker is None:
            paths = self._raw_paths(family)
            picker = self._pickers[family] = FieldPicker(
                [paths[f] for f in fields_of(family) if f in paths], PART_FIELDS.get(family, ()), db_key
            )
        return picker

    def checkpoint(self, *, truncate: bool = False) -> None:
        """Fold the WAL into the database file (blocking; run it in a worker thread)."""
        mode = "TRUNCATE" if truncate else "PASSIVE"
        with self._write_lock:
            self._write.execute(f"PRAGMA wal_checkpoint({mode})")

    def close(self) -> None:
        with self._write_lock:
            self._write.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._write.close()
        with self._read_lock:
            self._read.close()

    # -- objects ----------------------------------------------------------------------------------

    def store_rows(
        self,
        license: str,
        collection: Collection,
        rows: Sequence[Mapping[str, Any]],
        *,
        seen: int | None = None,
    ) -> StoredPage:
        """Upsert one page of raw rows in one transaction; returns the keys written and how many
        rows had nothing to key them by (no id, no label: counted, never silently dropped).

        Blocking (call it from a worker thread; a sync uses data/writer.py). `seen` marks rows as
        seen by a full load. ``rows`` may be ``JsonRows``: their text is stored as it came.
        """
        prepared = self.prepare_rows(license, collection, rows, seen=seen)
        self.write_prepared([prepared])
        return prepared.stored

    def prepare_rows(
        self,
        license: str,
        collection: Collection,
        rows: Sequence[Mapping[str, Any]],
        *,
        seen: int | None = None,
        pause: Callable[[], None] | None = None,
    ) -> PreparedRows:
        """The statements' parameters for one page (display cells, the text to store, parts):
        the CPU part of ``store_rows``, done without holding the write lock. ``pause`` is called
        every ``PAUSE_EVERY`` rows (the writer waits there while the UI asked it to hold)."""
        maker = self._maker(collection.family)
        family = collection.family.value
        part_fields = PART_FIELDS.get(collection.family, ())
        texts: list[bytes] | None = getattr(rows, "raw", None)
        picker = self._picker(collection.family) if texts is not None else None
        memo: dict[bytes, Any] = {}
        out = PreparedRows([], [], {}, StoredPage([], 0))
        keys = out.stored.keys
        for i in range(len(rows)):
            if pause is not None and not i % PAUSE_EVERY:
                pause()
            picked = picker.pick(texts[i], memo) if picker is not None else None  # type: ignore[index]
            if picked is not None:
                fields, text, parts = picked
                disp = maker.make(fields)
            else:
                raw = rows[i]
                disp = maker.make(raw)
                parts = []
                for name in part_fields:
                    part = raw.get(name)
                    if isinstance(part, dict) and isinstance(part.get("id"), int | float | str):
                        parts.append((name, db_key(part["id"]), part))
                        raw = {**raw, name: {PART_REF: db_key(part["id"])}}
                text = encode_raw(raw) if disp is not None else b""
            if disp is None:
                out.stored.unkeyed += 1
                continue
            key = db_key(disp.key)
            keys.append(key)
            out.objects.append(_row_params(license, collection, disp, seen))
            out.raws.append((license, family, key, text))
            for name, part_id, part in parts:
                out.parts[(license, family, name, part_id)] = part
        return out

    def write_prepared(self, batch: Iterable[PreparedRows]) -> None:
        """Write prepared pages in one transaction (a writer batches the pages that queued up)."""
        objects, raws, parts = [], [], {}
        for prepared in batch:
            objects += prepared.objects
            raws += prepared.raws
            parts.update(prepared.parts)
        part_rows = [
            (*slot, p if isinstance(p, bytes) else encode_raw(p)) for slot, p in parts.items()
        ]
        with self._write_lock:
            db = self._write
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(_UPSERT, objects)
                db.executemany(_UPSERT_RAW, raws)
                db.executemany(_UPSERT_PART, part_rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def remove_unseen(self, license: str, collection: Collection, seen: int) -> int:
        """After a full load: drop the collection's rows that load did not see (gone upstream)."""
        where = "license=? AND collection=? AND (seen IS NULL OR seen<>?)"
        args = (license, collection.key, seen)
        with self._write_lock:
            db = self._write
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "DELETE FROM raws WHERE (license, family, obj_key) IN "
                    f"(SELECT license, family, obj_key FROM objects WHERE {where})",
                    args,
                )
                n = db.execute(f"DELETE FROM objects WHERE {where}", args).rowcount
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return n

    def count_seen(self, license: str, collection: Collection, seen: int) -> int:
        """Rows of the collection marked as seen by the full load `seen`."""
        with self._read_lock:
            (n,) = self._read.execute(
                "SELECT COUNT(*) FROM objects WHERE license=? AND collection=? AND seen=?",
                (license, collection.key, seen),
            ).fetchone()
        return n

    def count(self, license: str, collection: Collection, column: str | None = None, value: Any = None) -> int:
        """Rows of the collection; with ``column`` (a column name of its list), only those whose
        cell there equals ``value`` (text: any case), e.g. the active packages of one item."""
        where, args = "license=? AND collection=?", [license, collection.key]
        if column is not None:
            at = next(i for i, c in enumerate(COLUMNS[collection.family]) if c.name == column)
            where += f" AND c{at} = ? COLLATE NOCASE"
            args.append(value)
        with self._read_lock:
            (n,) = self._read.execute(f"SELECT COUNT(*) FROM objects WHERE {where}", args).fetchone()
        return n

    def display_rows(self, license: str, collection: Collection, *, apart: bool = False) -> list[tuple[Any, ...]]:
        """(key, label, search, style, c0..c9) for every row, in upstream order of first sight.

        ``apart``: on a connection of its own, so a worker thread reading a 100k list does not hold
        the reader the event loop uses (sync state, one row's JSON) for the third of a second it takes."""
        query = f"SELECT {_DISPLAY} FROM objects WHERE license=? AND collection=? ORDER BY rowid"
        args = (license, collection.key)
        if not apart:
            with self._read_lock, _no_gc():
                return _shared_cells(self._read.cursor()).execute(query, args).fetchall()
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
        try:
            with _no_gc():
                return _shared_cells(db.cursor()).execute(query, args).fetchall()
        finally:
            db.close()

    def display_window(self, license: str, collection: Collection, head: int, samples: int) -> DisplayWindow:
        """What a list needs before its first frame, without reading every row: the row count, the
        first ``head`` rows and about ``samples`` rows spread over the list (every rowid divisible by
        a step, picked in SQLite's index scan), for the list's column widths. A list of at most
        ``head + samples`` rows is read whole. One read transaction: all of it is one state of the
        cache. Positions are not counted for the sample: that would read every rowid, the 25-40 ms
        this saves at 100k rows."""
        db = self._read
        where = "license=? AND collection=?"
        args = (license, collection.key)
        with self._read_lock:
            db.execute("BEGIN")
            try:
                (count,) = db.execute(f"SELECT COUNT(*) FROM objects WHERE {where}", args).fetchone()
                if count <= head + samples:
                    rows = db.execute(f"SELECT {_DISPLAY} FROM objects WHERE {where} ORDER BY rowid", args).fetchall()
                    return DisplayWindow(count, rows, [])
                first = db.execute(f"SELECT {_DISPLAY} FROM objects WHERE {where} ORDER BY rowid LIMIT ?",
                                   (*args, head)).fetchall()
                low, high = db.execute(  # apart, each is one step down the index
                    f"SELECT (SELECT MIN(rowid) FROM objects WHERE {where}), (SELECT MAX(rowid) FROM objects WHERE {where})",
                    args * 2,
                ).fetchone()
                step = max(1, (high - low + 1) // samples)
                sample = db.execute(f"SELECT {_DISPLAY} FROM objects WHERE {where} AND rowid % ? = 0",
                                    (*args, step)).fetchall()
            finally:
                db.execute("COMMIT")
        return DisplayWindow(count, first, sample)

    def raw(self, license: str, family: Family, key: int | str) -> dict[str, Any] | None:
        """The full upstream JSON of one cached row (nested parts put back)."""
        with self._read_lock:
            return self._load_raw(self._read, license, family, key)

    @staticmethod
    def _load_raw(
        db: sqlite3.Connection, license: str, family: Family, key: int | str
    ) -> dict[str, Any] | None:
        row = db.execute(
            "SELECT raw FROM raws WHERE license=? AND family=? AND obj_key=?",
            (license, family.value, db_key(key)),
        ).fetchone()
        if row is None:
            return None
        raw = decode_raw(row[0])
        for name in PART_FIELDS.get(family, ()):
            ref = raw.get(name)
            if isinstance(ref, dict) and PART_REF in ref:
                part = db.execute(
                    "SELECT raw FROM parts WHERE license=? AND family=? AND field=? AND part_id=?",
                    (license, family.value, name, ref[PART_REF]),
                ).fetchone()
                raw[name] = decode_raw(part[0]) if part else None
        return raw

    def locate(self, license: str, family: Family, key: int | str) -> str | None:
        """Which collection of the family holds this object now (None if not cached)."""
        with self._read_lock:
            row = self._read.execute(
                "SELECT collection FROM objects WHERE license=? AND family=? AND obj_key=?",
                (license, family.value, db_key(key)),
            ).fetchone()
        return None if row is None else row[0]

    # -- sync state -------------------------------------------------------------------------------

    def sync_state(self, license: str, collection: Collection) -> SyncState:
        with self._read_lock:
            row = self._read.execute(
                "SELECT last_full, last_sync, total FROM sync_state WHERE license=? AND collection=?",
                (license, collection.key),
            ).fetchone()
        return SyncState(*row) if row else SyncState(None, None, None)

    def mark_full_load(self, license: str, collection: Collection, started: float, total: int) -> None:
        with self._write_lock:
            self._write.execute(
                "INSERT INTO sync_state VALUES (?, ?, ?, ?, ?) ON CONFLICT(license, collection) "
                "DO UPDATE SET last_full=excluded.last_full, last_sync=excluded.last_sync, "
                "total=excluded.total",
                (license, collection.key, started, started, total),
            )

    def mark_synced(self, license: str, collections: Iterable[Collection], started: float) -> None:
        with self._write_lock:
            self._write.executemany(
                "INSERT INTO sync_state (license, collection, last_sync) VALUES (?, ?, ?) "
                "ON CONFLICT(license, collection) DO UPDATE SET last_sync=excluded.last_sync",
                [(license, c.key, started) for c in collections],
            )

    # -- small values (licenses list etc.) ----------------------------------------------------------

    def put_value(self, name: str, value: Any) -> None:
        with self._write_lock:
            self._write.execute(
                "INSERT OR REPLACE INTO kv VALUES (?, ?)", (name, json.dumps(value, default=str))
            )

    def get_value(self, name: str) -> Any:
        with self._read_lock:
            row = self._read.execute("SELECT value FROM kv WHERE name=?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building 50k small tuples triggers many useless GC passes; none of them form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _shared_cells(cursor: sqlite3.Cursor) -> sqlite3.Cursor:
    """Display rows whose equal texts are one object: a list's units, rooms, items and dates
    repeat on thousands of rows, and SQLite hands out a new string for each (100k packages: 99 MB
    of rows become 48 MB). Texts only: 1 and 1.0 are equal keys but not equal cells."""
    shared: dict[str, str] = {}
    share = shared.setdefault

    def row(_cursor: sqlite3.Cursor, r: tuple[Any, ...]) -> tuple[Any, ...]:
        label = r[1]  # the tag is also the first cell of most lists: one string for both
        cells = [label if c == label else share(c, c) if c.__class__ is str else c for c in r[4:]]
        return (r[0], label, r[2], share(r[3], r[3]), *cells)

    cursor.row_factory = row
    return cursor


def _pad(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    return cells + (None,) * (MAX_COLUMNS - len(cells))


def _row_params(
    license: str, collection: Collection, disp: DisplayRow, seen: int | None
) -> tuple[Any, ...]:
    return (
        license,
        collection.family.value,
        db_key(disp.key),
        collection.key,
        disp.label,
        disp.search,
        disp.style,
        disp.last_modified,
        seen,
        *[c if c.__class__ is not int or -_I64 <= c < _I64 else str(c) for c in _pad(disp.cells)],  # db_key
    )


def now() -> float:
    return time.time()
