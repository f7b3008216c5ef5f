"""``TraceBackend`` against the Trace sandbox over HTTP: sign-in (and every way it is refused),
limit/offset pages of the active strains, lenient mapping with the raw row kept, and a strain's
state history as its sub-list."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from growtui.backends import registry
from growtui.backends.base import BackendError, ErrorKind, FieldKind, ReauthRequired
from growtui.backends.trace.backend import TraceBackend
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.query import Condition, Field, Op, Query
from growtui.sandbox.trace.store import current_state
from tests.backends.trace.conftest import MAIN, creds

STRAINS = Collection(Family.STRAINS)


def active(server, number=MAIN):
    return [s for s in server.world.licenses[number].strains.values() if current_state(s) == "active"]


def test_registry_and_sign_in_form_are_traces_own():
    assert "trace" in registry.names()
    backend = registry.create("trace", base_url="http://x.invalid")
    assert isinstance(backend, TraceBackend) and backend.collections == (STRAINS,)
    fields = {f.name: f for f in backend.sign_in}
    assert fields["state"].kind is FieldKind.HOST and fields["x-api-key"].secret and fields["token"].secret
    assert {h["hostname"] for h in backend.known_hosts()} >= {"co", "ok", "me"} and len(backend.known_hosts()) == 22
    assert backend.paging.offset and not backend.paging.modified_filter


async def test_sign_in_sends_both_headers_and_lists_the_typed_licenses(backend, server):
    with pytest.raises(BackendError) as err:  # every license typed is checked in the chosen state
        await backend.login(creds(license_number=f"{MAIN}, GAAA-R7X2-UVKP"))
    assert err.value.status == 400 and "'ok', not 'co'" in err.value.message and backend.session is None
    session = await backend.login(creds(license_number=f" {MAIN},{MAIN} "))
    assert session.hostname == "co" and session.username == "grower.co"
    assert [lic["license_number"] for lic in await backend.licenses()] == [MAIN]
    assert backend.client.headers["Authorization"].startswith("KMP-JSON token=")
    assert "sandbox-vendor-key" not in repr(session)


@pytest.mark.parametrize(
    ("over", "kind", "status", "words"),
    [
        ({"x-api-key": "not-the-right-key"}, ErrorKind.AUTH, 401, "refused the API key or token"),
        ({"token": base64.b64encode(b"sandbox-vendor-key:someone-else").decode()}, ErrorKind.AUTH, 401, "Unknown"),
        ({"license_number": "050-10045AB"}, ErrorKind.FORBIDDEN, 403, "not accessible"),
    ],
    ids=["unknown-api-key", "unknown-token", "license-not-held"],
)
async def test_each_refused_credential_is_said_plainly(backend, over, kind, status, words):
    with pytest.raises(BackendError) as err:
        await backend.login(creds(**over))
    assert err.value.kind is kind and err.value.status == status and words in err.value.message
    assert backend.session is None


async def test_a_suspended_company_is_forbidden(backend):
    with pytest.raises(BackendError) as err:
        await backend.login(creds("suspended.or"))
    assert err.value.kind is ErrorKind.FORBIDDEN and err.value.status == 403 and "suspended" in err.value.message


async def test_a_license_in_another_state_is_bad_input(backend):
    with pytest.raises(BackendError) as err:
        await backend.login(creds(state="ok"))
    assert err.value.kind is ErrorKind.VALIDATION and err.value.status == 400 and "'co', not 'ok'" in err.value.message


async def test_a_token_that_is_not_base64_is_refused_before_sending(backend, server):
    with pytest.raises(BackendError) as err:
        await backend.login(creds(token="not-base64!!"))
    assert err.value.kind is ErrorKind.VALIDATION and backend.stats.requests == 0


async def test_keys_revoked_mid_session_ask_to_sign_in_again(signed_in, server):
    server.world.accounts["grower.co"].user_key = "rotated"
    with pytest.raises(ReauthRequired):
        await signed_in.fetch_page(MAIN, STRAINS, 1, 100)
    assert signed_in.session is None


async def test_pages_by_limit_and_offset_cover_every_active_strain(signed_in, server):
    want = active(server)
    assert len(want) > 100  # more than one documented default page
    first = await signed_in.fetch_page(MAIN, STRAINS, 1, 500)  # capped at Trace's 100
    assert first.page_size == 100 and first.total == len(want) and first.total_pages == 2
    second = await signed_in.fetch_page(MAIN, STRAINS, 2, 100)
    assert [r["id"] for r in first.rows + second.rows] == [s["id"] for s in want]
    small = await signed_in.fetch_page(MAIN, STRAINS, 3, 7)
    assert [r["id"] for r in small.rows] == [s["id"] for s in want[14:21]]


async def test_lists_trace_does_not_offer_are_empty_not_errors(signed_in):
    page = await signed_in.fetch_page(MAIN, Collection(Family.PACKAGES, "active"), 1, 100)
    assert page.rows == [] and page.total == 0


async def test_strains_map_leniently_and_keep_the_raw_row(signed_in, server):
    raw = (await signed_in.fetch_page(MAIN, STRAINS, 1, 1)).rows[0]
    strain = signed_in.to_domain(STRAINS, raw)
    assert strain.id == raw["id"] and strain.name == raw["name"] and strain.raw == raw
    assert strain.thc_level == Decimal(str(raw["cannabinoids"]["thc_percent"])) and strain.index == "active"
    odd = signed_in.to_domain(STRAINS, {"id": 7, "name": None, "cannabinoids": "high", "entity_state": [1, {"state": "used"}]})
    assert odd.id == "7" and odd.name == "" and odd.thc_level is None and odd.is_used and odd.index == "used"
    tested = {**raw, "entity_state": [*raw["entity_state"], {"state": "third_party_tested", "date": "x"}]}
    assert signed_in.to_domain(STRAINS, tested).testing_status == "ThirdParty"
    paths = signed_in.raw_paths(Family.STRAINS)
    assert paths["thc_level"] == "cannabinoids.thc_percent" and paths["id"] == "id"


async def test_state_history_is_the_strains_sub_list_newest_first(signed_in, server):
    lic = server.world.licenses[MAIN]
    strain = next(s for s in lic.strains.values() if len(s["entity_state"]) > 1)
    page = await signed_in.fetch_sub(MAIN, SubCollection.STRAIN_HISTORY, strain["id"])
    assert page.rows == strain["entity_state"][::-1] and page.total == len(strain["entity_state"])
    event = signed_in.to_domain(SubCollection.STRAIN_HISTORY, page.rows[0])
    assert event.descriptions[0] == strain["entity_state"][-1]["state"] and event.user_name == "grower.co"


async def test_lookups_by_name_or_id_read_the_list_and_filter(signed_in, server):
    want = active(server)
    by_name = await signed_in.fetch_page(MAIN, STRAINS, 1, 100, Query.where(Field.NAME, Op.EQ, want[120 % len(want)]["name"].upper()))
    assert [r["id"] for r in by_name.rows] == [want[120 % len(want)]["id"]]
    ids = Query.any_of([Condition(Field.ID, Op.EQ, want[0]["id"]), Condition(Field.ID, Op.EQ, "nope")])
    assert [r["id"] for r in (await signed_in.fetch_page(MAIN, STRAINS, 1, 100, ids)).rows] == [want[0]["id"]]
    with pytest.raises(ValueError):
        await signed_in.fetch_page(MAIN, STRAINS, 1, 100, Query.where(Field.LABEL, Op.EQ, "1A4"))


async def test_an_unknown_strain_is_a_plain_not_found(signed_in):
    with pytest.raises(BackendError) as err:
        await signed_in.fetch_sub(MAIN, SubCollection.STRAIN_HISTORY, "0" * 32)
    assert err.value.status == 404 and "No strain" in err.value.message


async def test_gets_retry_a_503_and_html_is_unavailable(signed_in, server):
    server.world.ops.add_fault("503", next=1)
    assert (await signed_in.fetch_page(MAIN, STRAINS, 1, 10)).rows  # retried once, transparently
    server.world.ops.add_fault("500", next=10)
    with pytest.raises(BackendError) as err:
        await signed_in.fetch_page(MAIN, STRAINS, 1, 10)
    assert err.value.kind is ErrorKind.UNAVAILABLE
