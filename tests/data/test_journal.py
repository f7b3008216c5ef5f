"""Journal on a real SQLite file: recorded before sending, outcomes, crash-safe settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path
from growtui.data.journal import Journal, action_payload
from growtui.data.types import WriteStatus


@dataclass(frozen=True)
class FakeNote:  # shape of a domain action intent: a frozen dataclass with summary()
    package_ids: tuple[int, ...]
    note: str
    when: date = date(2026, 3, 1)
    qty: Decimal = Decimal("1.2500")

    def summary(self) -> str:
        return f"Add note to {len(self.package_ids)} packages"


def open_journal(tmp_path):
    path = cache_path(tmp_path, AccountKey.of("https://api.trackandtrace.tools", "ca.metrc.com", "grower"))
    Cache(path, raw_paths).close()
    return Journal(path, username="grower", hostname="ca.metrc.com"), path


def test_record_then_resolve(tmp_path):
    journal, _ = open_journal(tmp_path)
    entry_id = journal.record("LIC-1", FakeNote((1, 2), "dried"))
    entry = journal.get(entry_id)
    assert entry.status is WriteStatus.PENDING and entry.kind == "FakeNote"
    assert entry.payload == {"package_ids": [1, 2], "note": "dried", "when": "2026-03-01", "qty": "1.2500"}
    assert entry.summary == "Add note to 2 packages"
    assert (entry.username, entry.hostname, entry.license) == ("grower", "ca.metrc.com", "LIC-1")
    assert [e.id for e in journal.unresolved()] == [entry_id]
    done = journal.resolve(entry_id, WriteStatus.SENT, "Success", ["note set"], {"package_ids": [1, 2]})
    assert done.status is WriteStatus.SENT and done.changed == ("note set",)
    assert journal.unresolved() == []
    other = journal.record("LIC-2", FakeNote((3,), "x"))
    journal.resolve(other, WriteStatus.IN_DOUBT, "timed out")
    assert [e.id for e in journal.entries()] == [other, entry_id]
    assert [e.id for e in journal.entries(license="LIC-1")] == [entry_id]
    assert [e.id for e in journal.unresolved()] == [other]
    journal.close()


def test_journal_connection_is_fully_synchronous(tmp_path):
    journal, path = open_journal(tmp_path)
    (level,) = journal._db.execute("PRAGMA synchronous").fetchone()
    assert level == 2  # FULL: the entry is on disk before the request is sent
    journal.close()
    # A fresh journal (another process after a crash) sees what was recorded.
    j1, _ = open_journal(tmp_path)
    entry_id = j1.record("LIC-1", FakeNote((1,), "n"))
    j2 = Journal(path, username="grower", hostname="ca.metrc.com")
    assert j2.get(entry_id).status is WriteStatus.PENDING
    j1.close()
    j2.close()


def test_payload_of_non_dataclass_is_still_json():
    assert action_payload({"a": {1, 2}, "b": Decimal("2.5")}) == {"a": [1, 2], "b": "2.5"}
