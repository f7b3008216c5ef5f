"""RetryPolicy backoff maths and Retry-After parsing (the end-to-end retries run against the sandbox)."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest

from growtui.backends.http import RetryPolicy, parse_retry_after


def test_full_jitter_stays_within_the_exponential_ceiling():
    policy = RetryPolicy(base_s=0.25, cap_s=8.0)
    rng = random.Random(1)
    for attempt, ceiling in [(1, 0.25), (2, 0.5), (3, 1.0), (4, 2.0), (6, 8.0), (12, 8.0)]:
        delays = [policy.backoff(attempt, rng=rng) for _ in range(300)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # full jitter spreads over the whole range
        assert min(delays) < ceiling * 0.2


def test_retry_after_is_a_floor_and_is_capped():
    policy = RetryPolicy(base_s=0.25, cap_s=8.0, max_retry_after_s=30.0)
    rng = random.Random(2)
    assert all(policy.backoff(1, 5.0, rng) >= 5.0 for _ in range(50))
    assert all(policy.backoff(1, 500.0, rng) == 30.0 for _ in range(5))


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(status):
    assert RetryPolicy().retries_status(status)


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 409, 422])
def test_other_statuses_are_not(status):
    assert not RetryPolicy().retries_status(status)


REQ = httpx.Request("GET", "https://x.invalid/")


@pytest.mark.parametrize(
    "exc, retried",
    [
        (httpx.ConnectError("x", request=REQ), True),
        (httpx.ReadTimeout("x", request=REQ), True),
        (httpx.ReadError("x", request=REQ), True),
        (httpx.RemoteProtocolError("x", request=REQ), True),
        (httpx.UnsupportedProtocol("x", request=REQ), False),
    ],
)
def test_transient_transport_errors_are_retried(exc, retried):
    assert RetryPolicy.retries_exception(exc) is retried


@pytest.mark.parametrize(
    "value, expected",
    [(None, None), ("", None), ("3", 3.0), (" 1.5 ", 1.5), ("-4", 0.0), ("soon", None), ("nan", None)],
)
def test_parse_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date():
    now = 1_800_000_000.0
    value = email.utils.formatdate(now + 20, usegmt=True)
    assert parse_retry_after(value, now=now) == pytest.approx(20.0)
    assert parse_retry_after(email.utils.formatdate(now - 20, usegmt=True), now=now) == 0.0
