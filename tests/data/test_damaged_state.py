"""The cache is disposable, the journal is not (issue 15, defect 8): a damaged cache is moved aside
and rebuilt with one line saying so; the journal lives in the user data dir, apart from the cache,
and a damaged journal is kept for inspection, never deleted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from growtui.backends.t3.backend import T3Backend
from growtui.config import AccountKey
from growtui.data import cache as cache_module
from growtui.data.cache import Cache, CacheBusy, cache_path, opening
from growtui.data.journal import Journal, journal_path
from growtui.domain.actions import AddNote

from .conftest import ACTIVE, CREDS, LICENSE, world_keys
from .test_sync import cached_keys

GARBAGE = b"this is not an SQLite database, it was overwritten\n" * 200


def account(server) -> AccountKey:
    return AccountKey.of(server.base_url, CREDS["hostname"], CREDS["username"])


async def test_a_garbage_cache_is_moved_aside_rebuilt_and_the_journal_kept(server, make_store, tmp_path):
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    sent = await store.submit(LICENSE, AddNote((987654321,), (), "before the damage"))
    path = store.cache.path
    await store.aclose()
    path.write_bytes(GARBAGE)

    store = await make_store()  # signs in: no "file is not a database"
    (notice,) = store.take_notices()
    assert "cache was damaged" in notice and "rebuilt" in notice and "\n" not in notice
    (aside,) = path.parent.glob(path.name + ".damaged-*Z")
    assert aside.read_bytes() == GARBAGE  # moved aside, not deleted
    await store.refresh(LICENSE, ACTIVE)
    assert cached_keys(store, ACTIVE) == world_keys(server, ACTIVE)
    assert [e.id for e in store.journal.entries()] == [sent.entry_id]  # the journal was not in it
    await store.aclose()


async def test_the_journal_lives_in_the_data_dir_apart_from_the_cache(server, make_store, tmp_path):
    store = await make_store()
    data_home = Path(os.environ["XDG_DATA_HOME"])
    assert store.journal.path == journal_path(data_home / "growtui" / "journal", account(server))
    assert store.journal.path.is_relative_to(data_home)
    assert not store.journal.path.is_relative_to(store.cache_root)
    assert oct(store.journal.path.stat().st_mode & 0o777) == "0o600"
    assert oct(store.journal.path.parent.stat().st_mode & 0o777) == "0o700"
    await store.aclose()


async def test_entries_an_older_growtui_kept_in_the_cache_file_are_adopted(server, make_store, tmp_path):
    old = cache_path(tmp_path / "cache", account(server))
    old.parent.mkdir(parents=True)
    legacy = Journal(old, username=CREDS["username"], hostname=CREDS["hostname"])
    entry_id = legacy.record_raw(LICENSE, "AddNote", {"note": "from the old layout"}, "Add note to 1 package")
    legacy.close()
    store = await make_store()
    (entry,) = store.journal.unresolved()  # still pending: it will be reconciled, not forgotten
    assert (entry.id, entry.payload) == (entry_id, {"note": "from the old layout"})
    await store.aclose()


async def test_a_damaged_journal_is_kept_for_inspection_and_a_new_one_started(server, make_store):
    store = await make_store()
    path = store.journal.path
    await store.aclose()
    path.write_bytes(GARBAGE)
    store = await make_store()
    (notice,) = store.take_notices()
    assert "journal could not be read" in notice and "kept as" in notice
    (kept,) = path.parent.glob(path.name + ".damaged-*Z")
    assert kept.read_bytes() == GARBAGE
    assert store.journal.entries() == []
    await store.aclose()


def _held_by_another_process(path: Path) -> sqlite3.Connection:
    """Another connection in the middle of a write: the file is healthy, only locked (in rollback
    mode, so even reading it has to wait)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=DELETE")
    other.execute("BEGIN EXCLUSIVE")
    return other


async def test_a_cache_locked_by_another_process_is_not_taken_for_damage(server, make_store, monkeypatch):
    # CI saw four processes opening one cache: one got "database is locked", moved the healthy
    # file aside under the other three, and they failed with "no such table: objects".
    store = await make_store()
    await store.refresh(LICENSE, ACTIVE)
    path = store.cache.path
    await store.aclose()
    other = _held_by_another_process(path)
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT_S", 0.05)
    try:
        with pytest.raises(CacheBusy, match="locked by another growtui"):
            Cache.open_or_rebuild(path, T3Backend(server.base_url).raw_paths)
    finally:
        other.rollback()
        other.close()
    assert not list(path.parent.glob(path.name + ".damaged-*"))
    cache, notice = Cache.open_or_rebuild(path, T3Backend(server.base_url).raw_paths)
    assert notice is None
    cache.close()


def test_a_journal_locked_by_another_process_is_not_set_aside(tmp_path, monkeypatch):
    path = tmp_path / "j.journal.sqlite"
    Journal(path, username="u", hostname="h").close()
    other = _held_by_another_process(path)
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT_S", 0.05)
    try:
        with pytest.raises(CacheBusy):
            Journal(path, username="u", hostname="h")
    finally:
        other.rollback()
        other.close()
    assert not list(tmp_path.glob("*.damaged-*"))


def test_opening_is_serialised_across_processes(tmp_path):
    # The open lock is a real flock: a second process cannot open/migrate/move the file meanwhile.
    path = tmp_path / "c.sqlite"
    code = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR);"
        "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)"
    )
    with opening(path):
        taken = subprocess.run([sys.executable, "-c", code, str(path) + ".open-lock"], capture_output=True)
    assert taken.returncode != 0 and b"BlockingIOError" in taken.stderr
    free = subprocess.run([sys.executable, "-c", code, str(path) + ".open-lock"], capture_output=True)
    assert free.returncode == 0, free.stderr
