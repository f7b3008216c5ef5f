"""Strain writes through ``TraceBackend.submit`` against the Trace sandbox over HTTP: create,
update (values and a state change), deactivate; warnings passed on; each bad-input 400 an
explicit refusal that changed nothing; anything else after sending in doubt, never resent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.domain.actions import CreateStrain, DiscontinueStrain
from growtui.domain.strains import UpdateStrain
from growtui.sandbox.trace.store import current_state
from tests.backends.trace.conftest import MAIN

D = Decimal


def create(name: str = "Sandbox Sunrise", **over) -> CreateStrain:
    values = {"thc_level": D("21.5"), "cbd_level": D("0.4"), "indica_percentage": D(60), "sativa_percentage": D(40)}
    return CreateStrain(name=name, **{**values, **over})


def strains(server):
    return server.world.licenses[MAIN].strains


def first_active(server):
    return next(s for s in strains(server).values() if current_state(s) == "active")


async def test_create_posts_the_documented_body_and_lands(signed_in, server):
    preview = signed_in.request_preview(create())
    assert preview == {"POST": "/co/v1/config/strains", "body": {
        "license_number": MAIN, "name": "Sandbox Sunrise",
        "cannabinoids": {"cbd_percent": 0.4, "thc_percent": 21.5},
        "contents": {"indica_percent": 60, "sativa_percent": 40}}}
    result = await signed_in.submit(MAIN, create(), dry_run=False)
    made = next(s for s in strains(server).values() if s["name"] == "Sandbox Sunrise")
    assert made["id"] in result.message and result.warnings == ()
    assert made["cannabinoids"] == {"cbd_percent": 0.4, "thc_percent": 21.5} and current_state(made) == "active"


async def test_update_sends_only_what_changed_and_a_state_with_who_and_why(signed_in, server):
    strain = first_active(server)
    before = dict(strain["cannabinoids"])
    action = UpdateStrain(strain["id"], strain["name"], thc_level=D("19.25"), state="in_house_tested",
                          reason="Lab batch 12", at="2026-11-20T10:00:00Z")
    await signed_in.submit(MAIN, action, dry_run=False)
    assert strain["cannabinoids"] == {**before, "thc_percent": 19.25}
    assert strain["entity_state"][-1] == {"state": "in_house_tested", "date": "2026-11-20T10:00:00Z",
                                          "reason": "Lab batch 12", "actioned_by": "grower.co"}


async def test_warnings_from_trace_come_back_with_the_result(signed_in, server):
    strain = first_active(server)
    result = await signed_in.submit(MAIN, UpdateStrain(strain["id"], strain["name"], indica_percentage=D(95)), dry_run=False)
    assert strain["contents"]["indica_percent"] == 95
    assert any("not 100" in w for w in result.warnings)


async def test_deactivate_deletes_and_a_repeat_is_an_explicit_refusal(signed_in, server):
    strain = first_active(server)
    await signed_in.submit(MAIN, DiscontinueStrain(strain["id"], strain["name"]), dry_run=False)
    assert current_state(strain) == "deleted"
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, DiscontinueStrain(strain["id"], strain["name"]), dry_run=False)
    assert not err.value.in_doubt and "already deleted" in err.value.message


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda s: create(s["name"]), "already exists"),
        (lambda s: create("x" * 300), "longer than 255"),
        (lambda s: create(thc_level=D(140)), "between 0 and 100"),
        (lambda s: UpdateStrain(s["id"], s["name"], state="deleted", reason="r", at="2026-11-20T10:00:00Z"), "must be one of"),
        (lambda s: UpdateStrain(s["id"], s["name"], state="used", reason="r", at="yesterday"), "not an ISO 8601"),
        (lambda s: UpdateStrain("0" * 32, "ghost", name="Ghost"), "No strain"),
    ],
    ids=["duplicate-name", "name-too-long", "percent-out-of-range", "state-deleted-by-put", "bad-date", "unknown-id"],
)
async def test_each_bad_input_is_refused_and_changes_nothing(signed_in, server, make, words):
    strain = first_active(server)
    action = make(strain)
    snapshot = repr(strains(server))
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, action, dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and not err.value.in_doubt and words in err.value.message
    assert err.value.status in (400, 404) and repr(strains(server)) == snapshot


async def test_an_update_of_a_deleted_strain_is_a_400(signed_in, server):
    strain = first_active(server)
    await signed_in.submit(MAIN, DiscontinueStrain(strain["id"], strain["name"]), dry_run=False)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, UpdateStrain(strain["id"], strain["name"], name="Back"), dry_run=False)
    assert err.value.status == 400 and not err.value.in_doubt and "deleted" in err.value.message


async def test_testing_status_on_create_is_refused_before_sending(signed_in, server):
    with pytest.raises(ValueError, match="state change"):
        signed_in.request_preview(create(testing_status="InHouse"))
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, create(testing_status="InHouse"), dry_run=False)
    assert not err.value.in_doubt and signed_in.stats.requests == 1  # the sign-in read only


@pytest.mark.parametrize("fault", ["503", "500", "reset"])
async def test_a_failure_after_sending_is_in_doubt_and_not_resent(signed_in, server, fault):
    server.world.ops.add_fault(fault, next=1, method="POST")
    sent = signed_in.stats.requests
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, create("Doubtful Haze"), dry_run=False)
    assert err.value.in_doubt and "may or may not" in err.value.message
    assert signed_in.stats.requests == sent + 1  # one attempt: a write is never retried


async def test_an_expired_session_refuses_a_write_plainly(signed_in, server):
    server.world.accounts["grower.co"].user_key = "rotated"
    with pytest.raises(BackendError) as err:
        await signed_in.submit(MAIN, create(), dry_run=False)
    assert err.value.kind is ErrorKind.AUTH and not err.value.in_doubt
    assert not any(s["name"] == "Sandbox Sunrise" for s in strains(server).values())
