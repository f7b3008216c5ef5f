"""T3Backend.submit against the sandbox: dry run vs apply, no retries, in-doubt writes.

The request mechanics are tested with a pass-through payload builder (the action *is* the
``(path, body)`` pair), so they do not depend on the domain actions; a test at the end sends a
real domain action through ``payloads.action_to_request`` once that exists.
"""

from __future__ import annotations

import pytest
from t3_sandbox_helpers import CA_MAIN, FAST_RETRY, credentials, fresh_app, signed_in, small_config

from growtui.backends.base import BackendError, ErrorKind, Query, ReauthRequired
from growtui.domain.query import Field, Op
from growtui.backends.http import RetryPolicy
from growtui.backends.t3 import T3Backend, payloads
from growtui.domain.collections import Collection, Family
from growtui.sandbox.t3.runner import serve_in_thread

PACKAGES = Collection(Family.PACKAGES, "active")


@pytest.fixture
def raw_actions(monkeypatch):
    """Let tests submit a literal (path, body) pair."""

    def passthrough(action):
        if not (isinstance(action, tuple) and len(action) == 2):
            raise TypeError("not a (path, body) pair")
        return action

    monkeypatch.setattr(payloads, "action_to_request", passthrough)


@pytest.fixture
def app():
    return fresh_app(packages=40)


async def _package(backend, package_id=None) -> dict:
    query = Query.where(Field.ID, Op.EQ, package_id) if package_id else Query()
    return (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 1, query)).rows[0]


def note(package_id: int, text: str) -> tuple[str, list]:
    return ("/v2/packages/notes", [{"id": package_id, "note": text}])


async def test_dry_run_validates_without_applying_then_apply_applies(app, raw_actions):
    async with signed_in(app) as backend:
        pkg = await _package(backend)
        dry = await backend.submit(CA_MAIN, note(pkg["id"], "checked by growtui"), dry_run=True)
        assert dry.dry_run and dry.message == "Dry run"
        assert (await _package(backend, pkg["id"]))["note"] == pkg["note"]

        done = await backend.submit(CA_MAIN, note(pkg["id"], "checked by growtui"), dry_run=False)
        assert not done.dry_run and done.message == "Success"
        assert (await _package(backend, pkg["id"]))["note"] == "checked by growtui"


async def test_rejected_write_surfaces_the_upstream_message(app, raw_actions):
    async with signed_in(app) as backend:
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, ("/v2/packages/notes", [{"id": 99999999, "note": "x"}]),
                                 dry_run=True)
        assert err.value.kind is ErrorKind.VALIDATION and err.value.status == 400
        assert "99999999" in err.value.message and not err.value.in_doubt


async def test_writes_are_never_retried(app, raw_actions):
    async with signed_in(app, retry=FAST_RETRY) as backend:
        pkg = await _package(backend)
        app.state.world.ops.add_fault("503", next=1, method="POST")
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, note(pkg["id"], "once"), dry_run=False)
        assert err.value.kind is ErrorKind.UNAVAILABLE
        assert backend.stats.retries == 0
        assert (await _package(backend, pkg["id"]))["note"] == pkg["note"]


async def test_504_after_the_write_applied_is_in_doubt(app, raw_actions):
    async with signed_in(app, retry=FAST_RETRY) as backend:
        pkg = await _package(backend)
        app.state.world.ops.add_fault("504", next=1, method="POST")
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, note(pkg["id"], "maybe"), dry_run=False)
        assert err.value.kind is ErrorKind.UNAVAILABLE and err.value.in_doubt
        assert "may or may not have been applied" in err.value.message
        assert backend.stats.retries == 0
        assert (await _package(backend, pkg["id"]))["note"] == "maybe"  # it did apply


async def test_connection_lost_on_a_write_is_in_doubt(app, raw_actions):
    async with signed_in(app) as backend:
        pkg = await _package(backend)
        app.state.world.ops.add_fault("reset", next=1, method="POST")
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, note(pkg["id"], "lost"), dry_run=False)
        assert err.value.kind is ErrorKind.NETWORK and err.value.in_doubt


async def test_write_timeout_over_real_http_is_in_doubt(raw_actions):
    with serve_in_thread(small_config(packages=40)) as server:
        backend = T3Backend(server.base_url, timeout=0.2, retry=RetryPolicy(max_attempts=3))
        try:
            await backend.login(credentials("grower.ca"))
            pkg = await _package(backend)
            server.world.ops.set_latency(1000)
            with pytest.raises(BackendError) as err:
                await backend.submit(CA_MAIN, note(pkg["id"], "slow"), dry_run=False)
            assert err.value.kind is ErrorKind.TIMEOUT and err.value.in_doubt
            assert backend.stats.retries == 0
        finally:
            server.world.ops.set_latency(0)
            await backend.aclose()


async def test_expired_session_blocks_writes(app, raw_actions):
    async with signed_in(app) as backend:
        pkg = await _package(backend)
        app.state.world.ops.add_fault("expire_tokens", next=1)
        with pytest.raises(ReauthRequired):
            await backend.submit(CA_MAIN, note(pkg["id"], "x"), dry_run=False)
        assert backend.session is None


async def test_an_action_t3_cannot_express_is_a_validation_error(app, raw_actions):
    async with signed_in(app) as backend:
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, object(), dry_run=True)
        assert err.value.kind is ErrorKind.VALIDATION and "cannot perform" in err.value.message


# --- real domain actions through payloads.action_to_request ---------------------------------


async def test_add_note_action_dry_run_then_apply(app):
    from growtui.domain.actions import AddNote

    async with signed_in(app) as backend:
        pkgs = (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 2)).rows
        action = AddNote(tuple(p["id"] for p in pkgs), tuple(p["label"] for p in pkgs), "QA hold")
        assert (await backend.submit(CA_MAIN, action, dry_run=True)).dry_run
        assert [(await _package(backend, p["id"]))["note"] for p in pkgs] == [p["note"] for p in pkgs]
        result = await backend.submit(CA_MAIN, action, dry_run=False)
        assert result.message == "Success" and not result.dry_run
        assert [(await _package(backend, p["id"]))["note"] for p in pkgs] == ["QA hold"] * 2


async def test_unfinish_action_moves_a_package_back_to_active(app):
    from growtui.domain.actions import Unfinish

    async with signed_in(app) as backend:
        inactive = Collection(Family.PACKAGES, "inactive")
        pkg = next(
            row for row in (await backend.fetch_page(CA_MAIN, inactive, 1, 500)).rows
            if row.get("finishedDate") or row.get("isFinished")
        )
        await backend.submit(CA_MAIN, Unfinish((pkg["id"],), (pkg["label"],)), dry_run=False)
        assert (await _package(backend, pkg["id"]))["label"] == pkg["label"]  # now in active
        gone = await backend.fetch_page(CA_MAIN, inactive, 1, 1, Query.where(Field.ID, Op.EQ, pkg["id"]))
        assert gone.total == 0


async def test_create_package_from_pickers_dry_run_then_apply(app):
    """The whole chain a create form uses: inputs + pickers give ids, submit sends the action."""
    from datetime import date
    from decimal import Decimal

    from growtui.domain.actions import CreatePackage, Ingredient
    from growtui.domain.units import Quantity, Unit

    async with signed_in(app) as backend:
        inputs = await backend.create_inputs(CA_MAIN, "package")
        location = next(loc for loc in inputs["locations"] if loc["forPackages"])
        tag = (await backend.picker_page(CA_MAIN, "source-tags", 1, 1)).rows[0]
        source = (await backend.picker_page(CA_MAIN, "source-packages", 1, 1)).rows[0]
        item = next(
            row for row in (await backend.picker_page(CA_MAIN, "source-items", 1, 100)).rows
            if row["quantityTypeName"] == "WeightBased"
        )
        grams = next(u for u in inputs["unitsOfMeasure"] if u["name"] == "Grams")
        source_unit = Unit.lookup(source["unitOfMeasureAbbreviation"] or source["unitOfMeasureName"])
        action = CreatePackage(
            tag=tag["label"], tag_id=tag["id"], item_id=item["id"], item_name=item["name"],
            location_id=location["id"], location_name=location["name"],
            quantity=Quantity(Decimal("3.5"), Unit.lookup("Grams")), unit_of_measure_id=grams["id"],
            ingredients=(Ingredient(source["id"], source["label"], Quantity(Decimal(1), source_unit),
                                    source["unitOfMeasureId"]),),
            actual_date=date.today(),
        )
        by_label = Query.where(Field.LABEL, Op.EQ, tag["label"])

        assert (await backend.submit(CA_MAIN, action, dry_run=True)).dry_run
        assert (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 5, by_label)).total == 0

        assert (await backend.submit(CA_MAIN, action, dry_run=False)).message == "Success"
        created = (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 5, by_label)).rows
        assert len(created) == 1 and created[0]["quantity"] == 3.5
        after = await _package(backend, source["id"])
        assert after["quantity"] == source["quantity"] - 1

        with pytest.raises(BackendError) as err:  # the tag is used now
            await backend.submit(CA_MAIN, action, dry_run=True)
        assert err.value.kind is ErrorKind.VALIDATION and tag["label"] in err.value.message


async def test_missing_id_in_an_action_is_a_validation_error(app):
    from datetime import date
    from decimal import Decimal

    from growtui.domain.actions import CreatePackage
    from growtui.domain.units import Quantity, Unit

    action = CreatePackage(
        tag="1A4FF0100000000000900001", tag_id=None, item_id=1, item_name="x", location_id=1,
        location_name="x", quantity=Quantity(Decimal(1), Unit.lookup("Grams")),
        unit_of_measure_id=2, ingredients=(), actual_date=date.today(),
    )
    async with signed_in(app) as backend:
        sent = backend.stats.requests
        with pytest.raises(BackendError) as err:
            await backend.submit(CA_MAIN, action, dry_run=True)
        assert err.value.kind is ErrorKind.VALIDATION and "tag" in err.value.message
        assert backend.stats.requests == sent
