"""T3Backend under the sandbox's injected faults: error mapping, retries, session expiry, 429s."""

from __future__ import annotations

import asyncio
import socket

import pytest
from t3_sandbox_helpers import (
    CA_MAIN,
    FAST_RETRY,
    credentials,
    fresh_app,
    signed_in,
    small_config,
)

from growtui.backends.base import BackendError, ErrorKind, ReauthRequired
from growtui.backends.http import RetryPolicy, SlidingWindowBudget, UnlimitedBudget
from growtui.backends.t3 import T3Backend
from growtui.domain.collections import Collection, Family
from growtui.sandbox.t3.runner import serve_in_thread

PACKAGES = Collection(Family.PACKAGES, "active")


@pytest.fixture(scope="module")
def shared_app():
    return fresh_app(packages=40)


@pytest.fixture
def app(shared_app):
    """The module's sandbox with faults, limits and counters reset around each test."""
    ops = shared_app.state.world.ops
    ops.clear_faults()
    ops.set_rate_limit(None)
    ops.reset_counters()
    yield shared_app
    ops.clear_faults()
    ops.set_rate_limit(None)


def ops_of(app):
    return app.state.world.ops


@pytest.mark.parametrize("status", ["500", "503"])
async def test_json_5xx_without_retry_is_unavailable_with_the_upstream_message(app, status):
    async with signed_in(app) as backend:
        ops_of(app).add_fault(status, next=1, method="GET")
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.UNAVAILABLE and err.value.status == int(status)
        assert "Metrc is not responding" in err.value.message
        assert not err.value.in_doubt


async def test_gets_are_retried_through_5xx_and_counted(app):
    async with signed_in(app, retry=FAST_RETRY) as backend:
        ops_of(app).add_fault("503", next=2, method="GET")
        page = await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert page.total > 0
        assert backend.stats.retries == 2 and backend.stats.server_errors == 2
        assert backend.stats.requests == 1 + 3  # login + three attempts


async def test_retries_give_up_after_max_attempts(app):
    async with signed_in(app, retry=RetryPolicy(max_attempts=3, base_s=0.0)) as backend:
        ops_of(app).add_fault("503", next=10, method="GET")
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.UNAVAILABLE
        assert backend.stats.retries == 2 and ops_of(app).stats()["faults_served"]["503"] == 3


async def test_html_gateway_page_is_unavailable(app):
    async with signed_in(app) as backend:
        ops_of(app).add_fault("504", next=1, method="GET")
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.UNAVAILABLE and err.value.status == 504
        assert "error page (HTTP 504)" in err.value.message and not err.value.in_doubt


async def test_connection_reset_is_a_network_error_and_is_retried(app):
    async with signed_in(app) as backend:
        ops_of(app).add_fault("reset", next=1, method="GET")
        with pytest.raises(BackendError) as err:
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert err.value.kind is ErrorKind.NETWORK and "connection" in err.value.message
    async with signed_in(app, retry=FAST_RETRY) as backend:
        ops_of(app).add_fault("reset", next=1, method="GET")
        assert (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)).total > 0
        assert backend.stats.transport_errors == 1 and backend.stats.retries == 1


async def test_token_expiry_mid_session_needs_reauth_then_work_resumes(app):
    async with signed_in(app, retry=FAST_RETRY) as backend:
        ops_of(app).add_fault("expire_tokens", next=1)
        with pytest.raises(ReauthRequired):
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert backend.session is None
        sent = backend.stats.requests
        with pytest.raises(ReauthRequired):  # fails fast: no request with a dead token
            await backend.licenses()
        assert backend.stats.requests == sent

        waiter = asyncio.create_task(backend.wait_for_session(timeout=5))
        await asyncio.sleep(0)
        await backend.login(credentials("grower.ca"))
        assert (await waiter).username == "grower.ca"
        assert (await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)).total > 0


async def test_token_near_expiry_is_refused_locally():
    app = fresh_app(packages=40, token_ttl_s=20)  # inside the 30 s safety margin
    async with signed_in(app) as backend:
        assert backend.session.expires_at is not None
        with pytest.raises(ReauthRequired):
            await backend.fetch_page(CA_MAIN, PACKAGES, 1, 10)
        assert backend.stats.requests == 1  # only the sign-in went out


async def test_429_without_retry_is_rate_limited(app):
    ops_of(app).set_rate_limit(2, window_s=30.0)
    async with signed_in(app) as backend:  # the sign-in is anonymous: not this user's budget
        await backend.licenses()
        await backend.licenses()
        with pytest.raises(BackendError) as err:
            await backend.licenses()
        assert err.value.kind is ErrorKind.RATE_LIMITED and err.value.status == 429
        assert backend.stats.rate_limited == 1


async def test_429_from_a_shared_budget_backs_off_and_recovers(app):
    ops_of(app).set_rate_limit(3, window_s=0.2)
    retry = RetryPolicy(max_attempts=10, base_s=0.1, cap_s=0.4)
    async with signed_in(app, retry=retry) as backend:
        pages = await asyncio.gather(*(backend.fetch_page(CA_MAIN, PACKAGES, 1, 5) for _ in range(6)))
        assert all(p.total > 0 for p in pages)
        assert backend.stats.rate_limited >= 3 and backend.stats.retries >= 3


async def _burst_against_strict_server(budget) -> tuple[dict, T3Backend]:
    """12 concurrent page loads over loopback against a server allowing 5 per 0.5 s."""
    with serve_in_thread(small_config(packages=40, rate_limit=5, rate_window_s=0.5)) as server:
        backend = T3Backend(server.base_url, budget=budget, retry=RetryPolicy(max_attempts=1))
        try:
            await backend.login(credentials("grower.ca"))
            await asyncio.gather(
                *(backend.fetch_page(CA_MAIN, PACKAGES, 1, 5) for _ in range(12)),
                return_exceptions=True,
            )
            return server.world.ops.stats(), backend
        finally:
            await backend.aclose()


async def test_our_budget_keeps_a_strict_server_from_ever_answering_429():
    budget = SlidingWindowBudget(5, 0.5, margin_s=0.2)  # margin: loopback jitter on a busy box
    stats, backend = await _burst_against_strict_server(budget)
    assert stats["rate_limited"] == 0
    assert stats["max_in_window"] <= 5
    assert budget.max_in_window == 5 and budget.delayed > 0
    diag = backend.diagnostics()
    assert diag["requests"] == 13 and diag["rate_limited"] == 0
    assert diag["budget_acquired"] == 13 and diag["budget_max_in_window"] == 5


async def test_without_a_budget_the_same_burst_is_refused():
    """Control for the test above: the server really does enforce its limit."""
    stats, backend = await _burst_against_strict_server(UnlimitedBudget())
    assert stats["rate_limited"] >= 7 and backend.stats.rate_limited >= 7


async def test_reset_and_timeout_over_real_http():
    with serve_in_thread(small_config(packages=40)) as server:
        backend = T3Backend(server.base_url, timeout=0.2, retry=RetryPolicy(max_attempts=1))
        try:
            await backend.login(credentials("grower.ca"))
            server.world.ops.add_fault("reset", next=1, method="GET")
            with pytest.raises(BackendError) as err:
                await backend.licenses()
            assert err.value.kind is ErrorKind.NETWORK and not err.value.in_doubt
            assert f"connection to {server.host} was lost" in err.value.message

            server.world.ops.set_latency(1000)
            with pytest.raises(BackendError) as err:
                await backend.licenses()
            assert err.value.kind is ErrorKind.TIMEOUT and not err.value.in_doubt
            assert "did not answer in time" in err.value.message
        finally:
            server.world.ops.set_latency(0)
            await backend.aclose()


async def test_unreachable_host_is_a_network_error():
    with socket.socket() as sock:  # find a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = T3Backend(f"http://127.0.0.1:{port}", retry=RetryPolicy(max_attempts=2, base_s=0.0))
    with pytest.raises(BackendError) as err:
        await backend.login(credentials("grower.ca"))
    assert err.value.kind is ErrorKind.NETWORK
    assert err.value.message == "Cannot reach 127.0.0.1. Check the network connection."
    assert backend.stats.requests == 1  # a POST (sign-in) is never retried
    await backend.aclose()
