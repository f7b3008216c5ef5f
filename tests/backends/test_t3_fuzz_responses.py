"""Whatever comes back over the wire, T3Backend raises nothing but BackendError (plus scripted
Retry-After cases, a header the sandbox and T3 docs do not send).

This is the one place a fake transport is right: httpx.MockTransport serves hypothesis-generated
bodies (near-valid envelopes with fields removed/retyped/added, random JSON, HTML, truncated JSON,
binary junk) and transport failures.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import time
from collections.abc import Sequence

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from growtui.backends.base import BackendError, Credentials, ErrorKind, Page, Query, SubmitResult
from growtui.domain.query import Field, Op
from growtui.backends.http import RetryPolicy, UnlimitedBudget
from growtui.backends.t3 import T3Backend
from growtui.domain.actions import AddNote
from growtui.domain.collections import Collection, Family, SubCollection

LICENSE = "LIC-0001"


def make_jwt(claims: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2ln"


TOKEN = make_jwt({"exp": time.time() + 3600, "username": "u", "hostname": "ca.metrc.com"})

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
row = st.dictionaries(
    st.sampled_from(["id", "label", "index", "lastModified", "quantity", "extra", "x"]),
    json_value,
    max_size=5,
)


@st.composite
def envelope(draw) -> dict:
    """A page envelope, valid or damaged one field at a time."""
    body = {
        "page": draw(st.integers(1, 4)),
        "pageSize": draw(st.integers(1, 500)),
        "total": draw(st.integers(0, 10_000)),
        "totalPages": draw(st.integers(0, 50)),
        "data": draw(st.lists(row, max_size=4) | st.lists(row | json_value, max_size=4)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=3, unique=True)):
        if draw(st.booleans()):
            del body[key]
        else:
            body[key] = draw(json_value)
    if draw(st.booleans()):
        body[draw(st.text(max_size=6))] = draw(json_value)  # unknown extra field
    return body


error_envelope = st.fixed_dictionaries(
    {
        "error": st.one_of(
            json_value,
            st.fixed_dictionaries(
                {"type": json_value, "message": json_value, "status_code": json_value}
            ),
        )
    }
) | st.dictionaries(st.sampled_from(["message", "detail", "errors"]), json_value, max_size=2)


def dumps(value) -> bytes:
    return json.dumps(value).encode()


@st.composite
def damaged(draw, base: st.SearchStrategy) -> object:
    """A valid-looking list/object with some members retyped or removed, maybe an extra key."""
    value = copy.deepcopy(draw(base))  # st.just() hands out the same object every time
    if isinstance(value, list) and value and draw(st.booleans()):
        value[draw(st.integers(0, len(value) - 1))] = draw(json_value)
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        if draw(st.booleans()):
            del value[key]
        else:
            value[key] = draw(json_value)
    return value


# Near-valid bodies for each kind of call, so the happy path is exercised too.
VALIDISH = {
    "page": envelope(),
    "list": damaged(st.lists(row, max_size=3)),
    "object": damaged(row),
    "write": damaged(st.fixed_dictionaries(
        {"message": st.sampled_from(["Success", "Dry run"]) | json_value})),
    "login": damaged(st.just({"accessToken": TOKEN}) | st.fixed_dictionaries({"accessToken": json_value})),
}

junk_bytes = st.one_of(
    json_value.map(dumps),
    error_envelope.map(dumps),
    envelope().map(dumps).flatmap(lambda b: st.integers(0, len(b)).map(lambda n: b[:n])),
    st.just(b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"),
    st.binary(max_size=40),
)


def reply(kind: str) -> st.SearchStrategy:
    good = VALIDISH[kind].map(dumps)
    return st.fixed_dictionaries(
        {
            "status": st.sampled_from([200] * 12 + [201, 204, 301, 400, 401, 403, 404, 408, 409,
                                                    422, 429, 500, 502, 503, 504]),
            "content_type": st.sampled_from(["application/json"] * 4 + ["text/html", "text/plain", ""]),
            "retry_after": st.none() | st.sampled_from(["0", "1", "abc", "-5", "nan"]),
            "body": st.one_of(good, good, good, junk_bytes),
            "fail": st.sampled_from([None] * 12 + ["connect", "read-timeout", "reset", "decode"]),
        }
    )


CALLS = [
    ("page", lambda b: b.fetch_page(LICENSE, Collection(Family.PACKAGES, "active"), 1, 100)),
    ("page", lambda b: b.fetch_page(LICENSE, Collection(Family.ITEMS), 2, 500, Query.where(Field.NAME, Op.EQ, "b"))),
    ("page", lambda b: b.fetch_sub(LICENSE, SubCollection.PACKAGE_HISTORY, 42)),
    ("page", lambda b: b.picker_page(LICENSE, "destinations", 1, 50)),
    ("list", lambda b: b.licenses()),
    ("list", lambda b: b.states()),
    ("object", lambda b: b.whoami()),
    ("object", lambda b: b.create_inputs(LICENSE, "package")),
    ("login", lambda b: b.login(Credentials(hostname="ca.metrc.com", username="u", password="pw"))),
    ("write", lambda b: b.submit(LICENSE, AddNote((1,), ("1A4FF0100000022000000123",), "n"), dry_run=False)),
    ("write", lambda b: b.submit(LICENSE, AddNote((1,), ("1A4FF0100000022000000123",), "n"), dry_run=True)),
]


@st.composite
def scenario(draw) -> tuple[int, list[dict]]:
    index = draw(st.integers(0, len(CALLS) - 1))
    replies = draw(st.lists(reply(CALLS[index][0]), min_size=1, max_size=3))
    return index, replies


def serve(replies: list[dict]):
    """Serves a valid sign-in first, then the fuzzed replies, then valid sign-ins again."""
    queue = [None, *replies]

    def handler(request: httpx.Request) -> httpx.Response:
        r = queue.pop(0) if queue else None
        if r is None:
            return httpx.Response(200, json={"accessToken": TOKEN})
        if r["fail"] == "connect":
            raise httpx.ConnectError("refused", request=request)
        if r["fail"] == "read-timeout":
            raise httpx.ReadTimeout("slow", request=request)
        if r["fail"] == "reset":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        headers = {"content-type": r["content_type"]} if r["content_type"] else {}
        if r["fail"] == "decode":
            headers["content-encoding"] = "gzip"  # body is not gzip: httpx.DecodingError
        if r["retry_after"] is not None:
            headers["retry-after"] = r["retry_after"]
        return httpx.Response(r["status"], content=r["body"], headers=headers)

    return handler


def check_result(result) -> None:
    if isinstance(result, Page):
        assert isinstance(result.total, int) and result.total >= 0
        assert isinstance(result.page, int) and result.page >= 1
        assert isinstance(result.page_size, int) and result.page_size >= 1
        assert isinstance(result.rows, Sequence)  # a list, or JsonRows (the rows as sent)
        assert all(isinstance(r, dict) for r in result.rows)
    elif isinstance(result, list):
        assert all(isinstance(r, dict) for r in result)
    elif isinstance(result, SubmitResult):
        assert isinstance(result.message, str)
    else:
        assert isinstance(result, dict) or hasattr(result, "token")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=scenario())
def test_any_response_gives_a_result_or_backend_error(case):
    call, replies = case

    async def run() -> None:
        backend = T3Backend(
            "https://t3.invalid",
            transport=httpx.MockTransport(serve(replies)),
            budget=UnlimitedBudget(),
            retry=RetryPolicy(max_attempts=2, base_s=0.0, max_retry_after_s=0.0),
        )
        try:
            await backend.login(Credentials(hostname="ca.metrc.com", username="u", password="pw"))
            try:
                result = await CALLS[call][1](backend)
            except BackendError as exc:
                event(f"error {exc.kind.value}")
                assert exc.message and isinstance(exc.message, str)
                assert len(exc.message) < 600
            else:
                event(f"ok {type(result).__name__}")
                check_result(result)
        finally:
            await backend.aclose()

    asyncio.run(run())


# --- Retry-After: the sandbox sends none (T3 documents none), so headers are scripted here ---


async def test_retry_after_is_honoured_before_retrying():
    from growtui.backends.http import RequestStats, ResilientSender

    replies = iter([httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json=[])])
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(replies))) as client:
        sender = ResilientSender(client, budget=UnlimitedBudget(), stats=RequestStats(), sleep=sleep)
        response = await sender.send(client.build_request("GET", "https://t3.invalid/v2/licenses"),
                                     idempotent=True)
    assert response.status_code == 200
    assert len(slept) == 1 and slept[0] >= 2.0
    assert sender.stats.rate_limited == 1 and sender.stats.retries == 1


async def test_a_very_long_retry_after_is_surfaced_not_slept_through():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/auth/credentials":
            return httpx.Response(200, json={"accessToken": TOKEN})
        return httpx.Response(429, headers={"Retry-After": "600"}, json={})

    backend = T3Backend("https://t3.invalid", transport=httpx.MockTransport(handler),
                        budget=UnlimitedBudget(), retry=RetryPolicy(max_attempts=5))
    try:
        await backend.login(Credentials(hostname="ca.metrc.com", username="u", password="pw"))
        with pytest.raises(BackendError) as err:
            await backend.licenses()
        assert err.value.kind is ErrorKind.RATE_LIMITED and err.value.retry_after == 600.0
        assert "600 s" in err.value.message
        assert backend.stats.retries == 0
    finally:
        await backend.aclose()


@pytest.mark.parametrize("fail", ["connect", "read-timeout", "reset", "decode"])
@pytest.mark.parametrize("call", [0, 8, 9], ids=["page", "login", "write"])
async def test_each_transport_failure_is_a_backend_error(fail, call):
    """The failure modes the fuzz test draws only sometimes, each checked every run."""
    reply = {"status": 200, "content_type": "application/json", "retry_after": None,
             "body": b'{"message": "Success"}', "fail": fail}
    backend = T3Backend("https://t3.invalid", transport=httpx.MockTransport(serve([reply] * 3)),
                        budget=UnlimitedBudget(), retry=RetryPolicy(max_attempts=1))
    try:
        await backend.login(Credentials(hostname="ca.metrc.com", username="u", password="pw"))
        with pytest.raises(BackendError) as err:
            await CALLS[call][1](backend)
        write = CALLS[call][0] == "write"
        assert err.value.in_doubt is (write and fail != "connect")
    finally:
        await backend.aclose()
