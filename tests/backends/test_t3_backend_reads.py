"""T3Backend against the real sandbox: sign-in, paging, filters, sub-collections, pickers, inputs."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from t3_sandbox_helpers import (
    ACCOUNT,
    CA_MAIN,
    credentials,
    fresh_app,
    in_process,
    signed_in,
    small_config,
)

from growtui.backends.base import (
    Backend,
    BackendError,
    ErrorKind,
    Query,
    ReauthRequired,
)
from growtui.backends.t3 import T3Backend, filters
from growtui.domain.collections import ALL_COLLECTIONS, Collection, Family, SubCollection
from growtui.domain.query import Condition, Field, Op, Sort, modified_since
from growtui.sandbox.t3.runner import serve_in_thread

ACTIVE_PACKAGES = Collection(Family.PACKAGES, "active")


@pytest.fixture(scope="module")
def app():
    """One read-only sandbox for this module (tests here never write)."""
    return fresh_app()


def test_implements_the_backend_protocol():
    backend = T3Backend()
    assert isinstance(backend, Backend)
    assert backend.base_url == "https://api.trackandtrace.tools"
    assert set(backend.collections) == set(ALL_COLLECTIONS)


# --- sign-in ---------------------------------------------------------------------------------


async def test_login_over_real_http_reads_the_jwt():
    with serve_in_thread(small_config()) as server:
        backend = T3Backend(server.base_url)
        try:
            session = await backend.login(credentials("grower.ca"))
            assert session.username == "grower.ca" and session.hostname == "ca.metrc.com"
            assert session.expires_at is not None and session.expires_at > 0
            assert session.claims["hasT3plus"] is True
            licenses = await backend.licenses()
            assert {lic["licenseNumber"] for lic in licenses} == {
                spec.number for spec in ACCOUNT["grower.ca"].licenses
            }
            assert backend.stats.requests == 2
        finally:
            await backend.aclose()


@pytest.mark.parametrize("username", ["grower.mi", "grower.co", "free.ca"])
async def test_login_per_state_rules(app, username):
    async with signed_in(app, username) as backend:
        assert backend.session.username == username
        assert backend.session.hostname == ACCOUNT[username].hostname


async def test_wrong_password_is_an_auth_error_not_a_reauth(app):
    backend = in_process(app)
    with pytest.raises(BackendError) as err:
        await backend.login(credentials("grower.ca", password="wrong"))
    assert err.value.kind is ErrorKind.AUTH and not isinstance(err.value, ReauthRequired)
    assert err.value.message.startswith("Sign-in failed: check the username and password.")
    assert "Metrc rejected" in err.value.message  # the upstream reason is kept
    assert backend.session is None
    await backend.aclose()


async def test_wrong_otp_is_refused(app):
    backend = in_process(app)
    with pytest.raises(BackendError) as err:
        await backend.login(credentials("grower.mi", otp="000000"))
    assert err.value.kind is ErrorKind.AUTH
    assert "check the username, password and one-time code" in err.value.message
    await backend.aclose()


async def test_wrong_email_is_refused(app):
    backend = in_process(app)
    with pytest.raises(BackendError) as err:
        await backend.login(credentials("grower.co", email="someone@else.example"))
    assert err.value.kind is ErrorKind.AUTH and "password and email" in err.value.message
    await backend.aclose()


async def test_reads_before_sign_in_ask_for_sign_in_without_a_request(app):
    backend = in_process(app)
    for call in (backend.licenses, backend.states, backend.whoami):
        with pytest.raises(ReauthRequired):
            await call()
    assert backend.stats.requests == 0
    await backend.login(credentials("grower.ca"))
    assert {"CA", "MI", "CO"} <= {s["abbreviation"] for s in await backend.states()}
    await backend.aclose()


async def test_resume_and_logout(app):
    async with signed_in(app) as first:
        session = first.session
    backend = in_process(app)
    await backend.resume(session)
    assert backend.session.claims["username"] == "grower.ca"
    assert (await backend.whoami())["hostname"] == "ca.metrc.com"
    await backend.logout()
    with pytest.raises(ReauthRequired):
        await backend.licenses()
    await backend.aclose()


async def test_resume_with_a_bad_token_needs_reauth(app):
    async with signed_in(app) as first:
        session = first.session
    forged = type(session)(session.hostname, session.username, session.token[:-4] + "AAAA",
                           session.expires_at, session.claims)
    backend = in_process(app)
    with pytest.raises(ReauthRequired):
        await backend.resume(forged)
    assert backend.session is None
    await backend.aclose()


# --- collections -----------------------------------------------------------------------------


async def test_every_collection_answers_a_page(app):
    async with signed_in(app) as backend:
        for collection in ALL_COLLECTIONS:
            page = await backend.fetch_page(CA_MAIN, collection, 1, 50)
            assert page.page == 1 and page.page_size == 50
            assert len(page.rows) == min(50, page.total)
            for row in page.rows:
                assert row["licenseNumber"] == CA_MAIN


async def test_paging_walks_every_row_exactly_once(app):
    async with signed_in(app) as backend:
        first = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 7)
        assert first.total > 14 and first.total_pages == -(-first.total // 7)
        pages = await asyncio.gather(
            *(backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, n, 7) for n in range(2, first.total_pages + 1))
        )
        ids = [row["id"] for p in (first, *pages) for row in p.rows]
        assert len(ids) == len(set(ids)) == first.total
        beyond = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, first.total_pages + 1, 7)
        assert beyond.rows == [] and beyond.total == first.total


async def test_page_size_is_capped_at_500(app):
    async with signed_in(app) as backend:
        page = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 5000)
        assert page.page_size == 500 and len(page.rows) == page.total


async def test_filters_are_sent_as_repeated_params(app):
    async with signed_in(app) as backend:
        rows = (await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 3)).rows
        a, b = rows[0]["label"], rows[1]["label"]
        one = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 50, Query.where(Field.LABEL, Op.EQ, a))
        assert [r["label"] for r in one.rows] == [a] and one.total == 1
        both = await backend.fetch_page(
            CA_MAIN, ACTIVE_PACKAGES, 1, 50,
            Query.any_of([Condition(Field.LABEL, Op.EQ, a), Condition(Field.LABEL, Op.EQ, b.lower())]),
        )
        assert sorted(r["label"] for r in both.rows) == sorted([a, b])
        none = await backend.fetch_page(
            CA_MAIN, ACTIVE_PACKAGES, 1, 50,
            Query((Condition(Field.LABEL, Op.EQ, a), Condition(Field.LABEL, Op.EQ, b))),
        )
        assert none.total == 0


async def test_sort(app):
    async with signed_in(app) as backend:
        page = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 500, Query(sort=Sort(Field.LABEL, descending=True)))
        labels = [r["label"] for r in page.rows]
        assert labels == sorted(labels, reverse=True)


async def test_modified_since_filter(app):
    async with signed_in(app) as backend:
        everything = (await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 500)).rows
        stamps = sorted(r["lastModified"] for r in everything)
        cutoff = stamps[len(stamps) // 2]
        query = modified_since(datetime.fromisoformat(cutoff.replace("Z", "+00:00")))
        assert filters.query_params(query)[0] == ("filter", f"lastModified__gte:{cutoff}")
        recent = await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 500, query)
        assert recent.total == sum(1 for s in stamps if s >= cutoff)
        assert 0 < recent.total < len(stamps)


async def test_a_bad_filter_is_a_validation_error_with_the_upstream_message(app, monkeypatch):
    monkeypatch.setitem(filters.WIRE_OPS, Op.CONTAINS, "bogus")  # an operator T3 does not know
    async with signed_in(app) as backend:
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 10, Query.where(Field.LABEL, Op.CONTAINS, "x"))
        assert err.value.kind is ErrorKind.VALIDATION and err.value.status == 400
        assert "bogus" in err.value.message


async def test_no_t3plus_is_forbidden_and_says_so(app):
    async with signed_in(app, "free.ca") as backend:
        free_license = ACCOUNT["free.ca"].licenses[0].number
        assert [lic["licenseNumber"] for lic in await backend.licenses()] == [free_license]
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(free_license, ACTIVE_PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.FORBIDDEN
        assert free_license in err.value.message and "T3+" in err.value.message


async def test_someone_elses_license_is_forbidden(app):
    async with signed_in(app) as backend:
        theirs = ACCOUNT["other.ca"].licenses[0].number
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(theirs, ACTIVE_PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.FORBIDDEN and theirs in err.value.message


# --- sub-collections, pickers, inputs --------------------------------------------------------


async def _first(backend, family: Family, prefer: str = "") -> dict:
    """A row of ``family``, from the ``prefer`` state if it has one, else from any sibling."""
    states = [c.state for c in next(c for c in ALL_COLLECTIONS if c.family is family).siblings]
    for state in sorted(states, key=lambda s: s != prefer):
        page = await backend.fetch_page(CA_MAIN, Collection(family, state), 1, 1)
        if page.rows:
            return page.rows[0]
    raise AssertionError(f"no {family} row in the sandbox")


async def test_every_sub_collection_uses_its_parent_param(app):
    async with signed_in(app) as backend:
        plant = await _first(backend, Family.PLANTS)
        batch = await _first(backend, Family.PLANT_BATCHES, "inactive")
        harvest = await _first(backend, Family.HARVESTS)
        package = await _first(backend, Family.PACKAGES, "active")
        item = await _first(backend, Family.ITEMS)
        transfer = await _first(backend, Family.TRANSFERS_OUTGOING, "active")
        deliveries = await backend.fetch_sub(
            CA_MAIN, SubCollection.TRANSFER_DELIVERIES, transfer["manifestNumber"]
        )
        assert deliveries.total >= 1
        delivery_id = deliveries.rows[0]["id"]
        parents = {
            SubCollection.PLANT_HISTORY: plant["id"],
            SubCollection.PLANT_BATCH_HISTORY: batch["id"],
            SubCollection.HARVEST_HISTORY: harvest["id"],
            SubCollection.HARVEST_PLANTS: harvest["id"],
            SubCollection.HARVEST_PACKAGES: harvest["id"],
            SubCollection.PACKAGE_HISTORY: package["id"],
            SubCollection.PACKAGE_LAB_RESULTS: package["id"],
            SubCollection.ITEM_HISTORY: item["id"],
            SubCollection.TRANSFER_HISTORY: transfer["manifestNumber"],
            SubCollection.TRANSFER_DELIVERIES: transfer["manifestNumber"],
            SubCollection.TRANSFER_TRANSPORTER_DETAILS: transfer["manifestNumber"],
            SubCollection.DELIVERY_PACKAGES: delivery_id,
            SubCollection.DELIVERY_TRANSPORTERS: delivery_id,
        }
        # every per-object list but Trace's strain state history (T3 strains have none)
        assert set(parents) == set(SubCollection) - {SubCollection.STRAIN_HISTORY}
        for sub, parent in parents.items():
            page = await backend.fetch_sub(CA_MAIN, sub, parent, 1, 100)
            assert page.total == len(page.rows), sub
        history = await backend.fetch_sub(CA_MAIN, SubCollection.PACKAGE_HISTORY, package["id"])
        assert history.total >= 1
        packages = await backend.fetch_sub(CA_MAIN, SubCollection.DELIVERY_PACKAGES, delivery_id)
        assert packages.total >= 1


@pytest.mark.parametrize(
    "picker", ["source-items", "source-packages", "source-tags", "destinations", "transporters",
               "transfer-packages"]
)
async def test_pickers(app, picker):
    async with signed_in(app) as backend:
        page = await backend.picker_page(CA_MAIN, picker, 1, 20)
        assert page.total > 0 and 0 < len(page.rows) <= 20


async def test_picker_query_and_unknown_picker(app):
    async with signed_in(app) as backend:
        first = (await backend.picker_page(CA_MAIN, "destinations", 1, 5)).rows[0]
        name = first["facilityName"]
        found = await backend.picker_page(
            CA_MAIN, "destinations", 1, 5, Query.where(Field.FACILITY_NAME, Op.EQ, name)
        )
        assert [r["facilityName"] for r in found.rows] == [name]
        with pytest.raises(ValueError):
            await backend.picker_page(CA_MAIN, "nope", 1, 5)


async def test_create_inputs(app):
    async with signed_in(app) as backend:
        package_inputs = await backend.create_inputs(CA_MAIN, "package")
        assert package_inputs["locations"] and package_inputs["unitsOfMeasure"]
        transfer_inputs = await backend.create_inputs(CA_MAIN, "transfer")
        assert transfer_inputs["transferTypes"]
        with pytest.raises(ValueError):
            await backend.create_inputs(CA_MAIN, "plant")


async def test_a_401_for_someone_elses_license_is_forbidden_not_a_lost_session():
    app = fresh_app(packages=40, license_denied_status=401)
    async with signed_in(app) as backend:
        theirs = ACCOUNT["other.ca"].licenses[0].number
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(theirs, ACTIVE_PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.FORBIDDEN and not isinstance(err.value, ReauthRequired)
        assert theirs in err.value.message
        assert backend.session is not None  # still signed in
        assert (await backend.fetch_page(CA_MAIN, ACTIVE_PACKAGES, 1, 1)).total > 0
