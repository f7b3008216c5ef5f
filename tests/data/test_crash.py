"""A process killed (SIGKILL) mid-write leaves a pending journal entry that a new process reconciles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from growtui.config import AccountKey
from growtui.data.journal import default_journal_root, journal_path
from growtui.data.types import WriteStatus

from .conftest import ACTIVE, CREDS, LICENSE, world_keys

CHILD = r"""
import asyncio, sys
from pathlib import Path
from growtui.backends.base import Credentials
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore
from growtui.domain.actions import AddNote

async def main():
    store = DataStore(T3Backend(sys.argv[1]), cache_root=Path(sys.argv[2]))
    await store.login(Credentials(hostname="ca.metrc.com", username="grower.ca", password="sandbox-ca-pass"))
    print("signed-in", flush=True)
    ids = tuple(int(x) for x in sys.argv[3].split(","))
    await store.submit("CCL21-0000123", AddNote(ids, (), "written by a process that died"))
    print("finished", flush=True)  # never reached: the parent kills us mid-send

asyncio.run(main())
"""


def pending_entries(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM journal WHERE status='pending'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


async def test_kill_9_mid_write_then_reconcile(server, make_store, tmp_path):
    root = tmp_path / "cache"
    db = journal_path(default_journal_root(), AccountKey.of(server.base_url, CREDS["hostname"], CREDS["username"]))
    ids = sorted(world_keys(server, ACTIVE))[20:22]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    server.world.ops.set_latency(1500)  # every request hangs 1.5 s: the write is surely in flight
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, server.base_url, str(root), ",".join(map(str, ids))],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while pending_entries(db) == 0:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the child never journaled its write"
            time.sleep(0.05)
        time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in child.stdout.read()
    time.sleep(1.5)  # let the server finish (or drop) the orphaned request
    server.world.ops.set_latency(0)

    store = await make_store()  # a new process, same user: same cache and journal
    (entry,) = store.journal.unresolved()
    assert entry.status is WriteStatus.PENDING and entry.kind == "AddNote"
    outcome = await store.reconcile(entry.id)
    with server.world.lock:
        notes = [server.world.licenses[LICENSE].packages[i].get("note") for i in ids]
    applied = notes == ["written by a process that died"] * 2
    assert outcome.status is (WriteStatus.APPLIED if applied else WriteStatus.NOT_APPLIED)
    assert store.journal.unresolved() == []
    await store.aclose()
