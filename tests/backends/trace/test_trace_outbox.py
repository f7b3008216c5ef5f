"""Trace writes through the data store over HTTP: journaled, an answer lost after sending is in
doubt, and the Outbox settles it by re-reading Trace (strain ids are hex text, not numbers),
never by resending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from growtui.backends.trace.backend import TraceBackend
from growtui.data.store import DataStore
from growtui.data.types import WriteStatus
from growtui.domain.actions import CreateStrain, DiscontinueStrain
from growtui.sandbox.trace.store import current_state, iso
from tests.backends.trace.conftest import MAIN, creds


@pytest.fixture
async def store(server, tmp_path) -> AsyncIterator[DataStore]:
    s = DataStore(TraceBackend(server.base_url), cache_root=tmp_path / "cache", journal_root=tmp_path / "journal")
    await s.login(creds())
    yield s
    await s.aclose()


def active(server) -> list[dict]:
    return [s for s in server.world.licenses[MAIN].strains.values() if current_state(s) == "active"]


async def test_a_lost_deactivation_answer_is_settled_by_looking_not_by_resending(server, store):
    strain = active(server)[3]
    server.world.ops.add_fault("reset", next=1, method="DELETE")
    outcome = await store.submit(MAIN, DiscontinueStrain(strain["id"], strain["name"]))
    assert outcome.status is WriteStatus.IN_DOUBT and current_state(strain) == "active"
    assert (await store.reconcile(outcome.entry_id)).status is WriteStatus.NOT_APPLIED  # still listed

    again = await store.submit(MAIN, DiscontinueStrain(strain["id"], strain["name"]))
    assert again.status is WriteStatus.SENT and current_state(strain) == "deleted"
    other = active(server)[5]
    server.world.ops.add_fault("reset", next=1, method="DELETE")
    lost = await store.submit(MAIN, DiscontinueStrain(other["id"], other["name"]))
    with server.world.lock:  # someone else deactivated it meanwhile: the outbox sees it gone
        other["entity_state"].append({"state": "deleted", "date": iso(server.world.now()), "reason": "x",
                                      "actioned_by": "grower.co"})
    settled = await store.reconcile(lost.entry_id)
    assert settled.status is WriteStatus.APPLIED, settled.message


async def test_a_created_strain_is_found_by_name_after_a_lost_answer(server, store):
    action = CreateStrain("Lost Answer OG", Decimal(20), Decimal(1), Decimal(50), Decimal(50))
    sent = await store.submit(MAIN, action)
    assert sent.status is WriteStatus.SENT and sent.details.get("strain_id")
    server.world.ops.add_fault("503", next=1, method="POST")
    lost = await store.submit(MAIN, CreateStrain("Never Arrived", Decimal(20), Decimal(1), Decimal(50), Decimal(50)))
    assert lost.status is WriteStatus.IN_DOUBT
    assert (await store.reconcile(lost.entry_id)).status is WriteStatus.NOT_APPLIED
    assert not any(s["name"] == "Never Arrived" for s in server.world.licenses[MAIN].strains.values())
