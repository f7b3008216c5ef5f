"""Metrc writes and failures through the real sandbox: refusals (400 rows, 413) are final and
keep per-row errors; 5xx, HTML and gateway pages leave a sent write in doubt; nothing is resent."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.metrc.backend import MetrcBackend
from growtui.backends.t3.backend import T3Backend
from growtui.domain.actions import AddNote, Unfinish
from growtui.domain.collections import Collection, Family
from growtui.domain.floor import FinishPackages, MovePackages, MovePlants
from growtui.domain.writes import spec_of
from growtui.data.store import DataStore
from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.limits import Limits
from growtui.sandbox.metrc.runner import MetrcSandboxConfig
from growtui.sandbox.metrc.seed import MAIN
from tests.backends.metrc.conftest import keys

LIC = MAIN.number


def packages(world, state: str = "active", n: int = 2) -> list[dict]:
    return members(world.facilities[LIC], "packages", state)[:n]


def note_for(rows: list[dict], text: str = "Trimmed and weighed") -> AddNote:
    return AddNote(tuple(r["Id"] for r in rows), tuple(r["Label"] for r in rows), text)


async def test_note_applies_and_an_empty_2xx_counts_as_success(signed_in, world):
    rows = packages(world)
    result = await signed_in.submit(LIC, note_for(rows), dry_run=False)
    assert not result.dry_run and "Applied" in result.message
    assert all(world.facilities[LIC].packages[r["Id"]]["Note"] == "Trimmed and weighed" for r in rows)


async def test_ids_answer_counts_as_success(signed_in, world):
    world.settings.ids_on_every_write = True
    finished = packages(world, "inactive", 1)
    result = await signed_in.submit(LIC, Unfinish((finished[0]["Id"],), (finished[0]["Label"],)), dry_run=False)
    assert "Applied" in result.message
    assert finished[0]["Id"] in {o["Id"] for o in members(world.facilities[LIC], "packages", "active")}


async def test_dry_run_is_refused_metrc_has_none(signed_in, world):
    assert "dry_run" not in {c.value for c in MetrcBackend.capabilities}
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, note_for(packages(world)), dry_run=True)
    assert "no dry run" in info.value.message and world.ops.stats()["writes"] == 0


def test_preview_shows_the_exact_body():
    preview = MetrcBackend("http://x").request_preview(AddNote((1,), ("1A40000000000000000000AB",), "n"))
    assert preview == {"PUT": "/packages/v2/note?licenseNumber=…",
                       "body": [{"PackageLabel": "1A40000000000000000000AB", "Note": "n"}]}


async def test_row_errors_are_kept_per_row_and_final(signed_in, world):
    rows = packages(world)
    action = AddNote((rows[0]["Id"], 0), (rows[0]["Label"], "1A40NOSUCHTAG000000000000"), "x")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, action, dry_run=False)
    err = info.value
    assert err.kind is ErrorKind.VALIDATION and err.status == 400 and not err.in_doubt
    assert [r.row for r in err.rows] == [1] and "row 2" in err.message
    assert world.facilities[LIC].packages[rows[0]["Id"]]["Note"] != "x"  # all or nothing


async def test_too_many_objects_413_is_a_final_refusal(signed_in, world):
    world.settings.max_objects = 1
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, note_for(packages(world)), dry_run=False)
    assert info.value.status == 413 and not info.value.in_doubt and "too large" in info.value.message


async def test_later_chunk_failing_reports_rows_in_the_whole_request(signed_in, world):
    rows = packages(world, n=12)
    labels = [r["Label"] for r in rows]
    labels[11] = "1A40NOSUCHTAG000000000000"
    action = AddNote(tuple(r["Id"] for r in rows), tuple(labels), "chunked")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, action, dry_run=False)
    assert [r.row for r in info.value.rows] == [11] and info.value.in_doubt  # first 10 applied
    assert world.facilities[LIC].packages[rows[0]["Id"]]["Note"] == "chunked"


@pytest.mark.parametrize("fault", ["500", "503", "504"])
async def test_server_faults_leave_a_sent_write_in_doubt_and_it_is_not_resent(signed_in, world, fault):
    world.ops.add_fault(fault, next=1, method="PUT")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, note_for(packages(world)), dry_run=False)
    assert info.value.in_doubt and "may or may not" in info.value.message
    assert info.value.kind is ErrorKind.UNAVAILABLE
    assert world.ops.stats()["writes"] == 1


async def test_a_gateway_page_after_the_write_applied_is_in_doubt(signed_in, world):
    rows = packages(world)
    world.ops.add_fault("504", next=1, method="PUT")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, note_for(rows, "after gateway"), dry_run=False)
    assert info.value.in_doubt and "error page" in info.value.message
    assert world.facilities[LIC].packages[rows[0]["Id"]]["Note"] == "after gateway"


async def test_a_dropped_connection_on_a_write_is_in_doubt(signed_in, world):
    world.ops.add_fault("reset", next=1, method="PUT")
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, note_for(packages(world)), dry_run=False)
    assert info.value.in_doubt and info.value.kind is ErrorKind.NETWORK


async def test_gets_retry_a_503(signed_in, world):
    world.ops.add_fault("503", next=1, method="GET")
    page = await signed_in.fetch_page(LIC, Collection(Family.PACKAGES, "active"), 1, 20)
    assert page.rows and signed_in.stats.retries == 1


class TestLimits:
    @pytest.fixture
    def metrc_config(self) -> MetrcSandboxConfig:
        return MetrcSandboxConfig(packages=900, limits=Limits())  # Metrc's own: 50/s, 150/s, 10 at once

    async def test_a_full_load_of_every_list_at_once_meets_zero_429s(self, signed_in, world):
        async def load(coll: Collection) -> int:
            first = await signed_in.fetch_page(LIC, coll, 1, 20)
            pages = await asyncio.gather(
                *(signed_in.fetch_page(LIC, coll, n, 20) for n in range(2, first.total_pages + 1))
            )
            return len(first.rows) + sum(len(p.rows) for p in pages)

        counts = await asyncio.gather(*(load(c) for c in MetrcBackend.collections))
        stats = world.ops.stats()
        assert sum(counts) > 900 and stats["gets"] > 60  # more than one second's burst
        assert stats["rate_limited"] == 0 and stats["max_in_flight_facility"] <= 10

    async def test_429_is_waited_out_per_retry_after(self, signed_in, world):
        world.ops.set_limits(per_facility=2)
        pages = await asyncio.gather(
            *(signed_in.fetch_page(LIC, Collection(Family.PACKAGES, "active"), n, 20) for n in (1, 2, 3, 4))
        )
        assert all(p.rows for p in pages)
        assert world.ops.stats()["rate_limited"] >= 1 and signed_in.stats.rate_limited >= 1


class TestDeclaredConcurrency:
    """The sync engine keeps to what the backend declares (``Paging.at_once``): Metrc's 10 GETs in
    flight per facility, not the engine's own default of 8, and never more."""

    @pytest.fixture
    def metrc_config(self) -> MetrcSandboxConfig:
        return MetrcSandboxConfig(packages=900, latency_ms=30, limits=Limits())

    async def test_a_store_load_uses_all_ten_and_never_more(self, backend, world, tmp_path):
        store = DataStore(backend, cache_root=tmp_path / "cache", journal_root=tmp_path / "journal")
        await store.login(keys())
        world.ops.reset_counters()
        result = await store.refresh(LIC, Collection(Family.PACKAGES, "active"), full=True)
        await store.aclose()
        stats = world.ops.stats()
        assert result.cached == len(members(world.facilities[LIC], "packages", "active"))
        assert stats["rate_limited"] == 0 and stats["max_in_flight_facility"] == 10


# --- floor work declared in the write registry ---------------------------------------------------

DAY = date(2026, 11, 20)


def test_metrc_offers_the_floor_kinds_and_t3_does_not():
    for kind in ("MovePackages", "MovePlants", "FinishPackages"):
        cap = spec_of(kind).capability
        assert cap in MetrcBackend.capabilities and cap not in T3Backend.capabilities


def test_declared_forms_build_the_actions_from_rows_and_typed_text():
    class Row:
        id, label, is_finished, is_in_transit = 7, "1A4000000000000000000007", False, False

    action = spec_of("MovePackages").build([Row()], {"location": " Vault ", "sublocation": "", "date": "2026-11-20"})
    assert action == MovePackages((7,), ("1A4000000000000000000007",), "Vault", "", DAY)
    assert spec_of("FinishPackages").build([Row()], {"date": "20/11"}).validate()  # not a date: refused


async def test_move_and_finish_packages_apply_as_metrc_does(signed_in, world):
    fac = world.facilities[LIC]
    rows = packages(world)
    room = next(loc["Name"] for loc in fac.locations.values() if loc["ForPackages"])
    ids, labels = tuple(r["Id"] for r in rows), tuple(r["Label"] for r in rows)
    await signed_in.submit(LIC, MovePackages(ids, labels, room.upper(), "", DAY), dry_run=False)
    assert all(fac.packages[i]["LocationName"] == room for i in ids)  # names match case-insensitively
    await signed_in.submit(LIC, FinishPackages(ids, labels, DAY), dry_run=False)
    assert set(ids) <= {o["Id"] for o in members(fac, "packages", "inactive")}


async def test_move_plants_by_id(signed_in, world):
    fac = world.facilities[LIC]
    plants = members(fac, "plants", "vegetative")[:3]
    room = next(loc["Name"] for loc in fac.locations.values()
                if loc["ForPlants"] and loc["Name"] != plants[0]["LocationName"])
    action = MovePlants(tuple(p["Id"] for p in plants), tuple(p["Label"] for p in plants), room, "", DAY)
    await signed_in.submit(LIC, action, dry_run=False)
    assert all(fac.plants[p["Id"]]["LocationName"] == room for p in plants)


async def test_a_room_metrc_does_not_know_is_a_row_error(signed_in, world):
    rows = packages(world, n=1)
    with pytest.raises(BackendError) as info:
        await signed_in.submit(LIC, MovePackages((rows[0]["Id"],), (rows[0]["Label"],), "Nowhere", "", DAY),
                               dry_run=False)
    assert info.value.rows and info.value.rows[0].row == 0 and not info.value.in_doubt
