"""A sent write is rejected only on an explicit, parseable refusal; every other outcome is in doubt
until a re-query shows whether it applied, and resolving it never resends (issue 15, defect 2)."""

from __future__ import annotations

import pytest

from growtui.data.types import WriteStatus
from growtui.domain.actions import AddNote

from .test_writes import note_of, pick

APPLIED_THEN_FAILED = ["applied_500", "applied_502", "applied_503", "applied_empty", "applied_html",
                       "applied_text"]


@pytest.mark.parametrize("fault", APPLIED_THEN_FAILED)
async def test_a_write_applied_then_answered_badly_is_in_doubt_then_found_applied(server, make_store, fault):
    store = await make_store()
    ids = pick(server, 2, offset=20 + 2 * APPLIED_THEN_FAILED.index(fault))
    note = f"outcome test: {fault}"
    server.world.ops.add_fault(fault, next=1, method="POST", path="/v2/packages/notes")
    outcome = await store.submit("CCL21-0000123", AddNote(ids, (), note))
    assert server.world.ops.stats()["faults_served"] == {fault: 1}
    assert outcome.status is WriteStatus.IN_DOUBT, outcome.message
    assert "may or may not have been applied" in outcome.message
    assert [note_of(server, i) for i in ids] == [note] * 2  # upstream did apply it
    posts = server.world.ops.stats()["requests"]
    settled = await store.reconcile(outcome.entry_id)  # the outbox looks; it never resends
    assert settled.status is WriteStatus.APPLIED
    requests = server.world.ops.stats()["requests"] - posts
    assert requests >= 1 and len(store.journal.entries()) == 1
    await store.aclose()


async def test_a_server_error_before_applying_is_in_doubt_and_found_not_applied(server, make_store):
    store = await make_store()
    ids = pick(server, 2, offset=40)
    before = [note_of(server, i) for i in ids]
    server.world.ops.add_fault("500", next=1, method="POST", path="/v2/packages/notes")
    outcome = await store.submit("CCL21-0000123", AddNote(ids, (), "outcome test: 500 first"))
    assert outcome.status is WriteStatus.IN_DOUBT  # the client cannot tell it was not applied
    settled = await store.reconcile(outcome.entry_id)
    assert settled.status is WriteStatus.NOT_APPLIED
    assert [note_of(server, i) for i in ids] == before
    await store.aclose()


async def test_an_explicit_validation_refusal_is_rejected(server, make_store):
    store = await make_store()
    outcome = await store.submit("CCL21-0000123", AddNote((987654321,), (), "no such package"))
    assert outcome.status is WriteStatus.REJECTED
    assert "may or may not" not in outcome.message
    await store.aclose()
