"""Envelope checks and error-body reading, case by case (the fuzz test covers the rest)."""

from __future__ import annotations

import httpx
import pytest

from growtui.backends.base import BackendError, ErrorKind, ReauthRequired
from growtui.backends.t3.client import parse_objects, parse_page
from growtui.backends.responses import clean_text, error_from_transport, upstream_message
from growtui.backends.t3.errors import error_from_response

GOOD = {"page": 2, "totalPages": 3, "pageSize": 2, "total": 5, "data": [{"id": 1}, {"id": 2}]}


def test_good_page():
    page = parse_page(dict(GOOD, extra="ignored"), what="packages", requested_page_size=2)
    assert (page.page, page.page_size, page.total, page.total_pages) == (2, 2, 5, 3)
    assert page.rows == [{"id": 1}, {"id": 2}]


def test_missing_page_size_and_total_pages_are_derived():
    body = {"page": 1, "total": 501, "data": []}
    page = parse_page(body, what="items", requested_page_size=500)
    assert (page.page_size, page.total_pages) == (500, 2)


@pytest.mark.parametrize(
    "body, reason",
    [
        ([], "expected an object"),
        ("<html>", "expected an object"),
        (dict(GOOD, total=None), "'total'"),
        (dict(GOOD, total="5"), "'total'"),
        (dict(GOOD, total=True), "'total'"),
        (dict(GOOD, total=-1), "'total'"),
        (dict(GOOD, page=0), "'page'"),
        (dict(GOOD, page=1.5), "'page'"),
        ({k: v for k, v in GOOD.items() if k != "data"}, "'data'"),
        (dict(GOOD, data={"id": 1}), "'data'"),
        (dict(GOOD, data=[{"id": 1}, "x"]), "other than objects"),
        (dict(GOOD, data=[{}, {}, {}]), "3 rows on a page of 2"),
    ],
)
def test_malformed_pages_are_protocol_errors(body, reason):
    with pytest.raises(BackendError) as err:
        parse_page(body, what="packages/active", requested_page_size=2)
    assert err.value.kind is ErrorKind.PROTOCOL
    assert "packages/active" in err.value.message and reason in err.value.message


@pytest.mark.parametrize("body", [{"data": []}, [1, 2], [{"a": 1}, None], None])
def test_malformed_lists(body):
    with pytest.raises(BackendError) as err:
        parse_objects(body, what="licenses")
    assert err.value.kind is ErrorKind.PROTOCOL


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"error": {"type": "X", "message": "Package 1A4 has 12.5 g", "status_code": 400}},
         "Package 1A4 has 12.5 g"),
        ({"error": "plain string"}, "plain string"),
        ({"message": "Bad filterLogic"}, "Bad filterLogic"),
        ({"detail": [{"loc": ["q"], "msg": "field required"}]}, "field required"),
        ({"errors": ["one", "two"]}, "one; two"),
        ({"errors": {"quantity": ["must be > 0"]}}, "quantity: must be > 0"),
        ({"nothing": 1}, None),
        ([1, 2], None),
    ],
)
def test_upstream_message(body, expected):
    assert upstream_message(body) == expected


def test_clean_text_strips_control_characters_and_caps_length():
    assert clean_text("a\x1b[31mb\n\tc") == "a [31mb c"
    assert len(clean_text("x" * 1000)) == 300


def _response(status, *, json=None, content=b"", headers=None, method="GET"):
    request = httpx.Request(method, "https://api.trackandtrace.tools/v2/packages/active")
    if json is not None:
        return httpx.Response(status, json=json, headers=headers, request=request)
    return httpx.Response(status, content=content, headers=headers, request=request)


T3_ERROR = {"error": {"type": "E", "message": "Metrc is down", "timestamp": "t", "url": "u",
                      "status_code": 503}}
HTML = b"<!DOCTYPE html><html><title>504 Gateway Time-out</title></html>"


@pytest.mark.parametrize(
    "status, kwargs, write, kind, in_doubt, text",
    [
        (400, dict(json={"error": {"message": "Tag is used"}}), True, ErrorKind.VALIDATION, False, "Tag is used"),
        (422, dict(json={"detail": "bad"}), False, ErrorKind.VALIDATION, False, "bad"),
        (403, dict(json={"error": {"message": "nope"}}), False, ErrorKind.FORBIDDEN, False, "LIC-1"),
        (404, dict(json={"error": {"message": "no such package"}}), False, ErrorKind.VALIDATION, False, "no such package"),
        (404, dict(content=b"Not here"), False, ErrorKind.PROTOCOL, False, "/v2/packages/active"),
        (429, dict(json={}, headers={"Retry-After": "7"}), False, ErrorKind.RATE_LIMITED, False, "7 s"),
        (503, dict(json=T3_ERROR), False, ErrorKind.UNAVAILABLE, False, "Metrc is down"),
        # A sent write is refused only by a 4xx with T3's error message; a 5xx may follow applying.
        (500, dict(json=T3_ERROR), True, ErrorKind.UNAVAILABLE, True, "may or may not"),
        (400, dict(content=HTML, headers={"content-type": "text/html"}), True, ErrorKind.UNAVAILABLE, True, "may or may not"),
        (429, dict(json={}), True, ErrorKind.RATE_LIMITED, True, "may or may not"),
        (502, dict(content=HTML), False, ErrorKind.UNAVAILABLE, False, "error page (HTTP 502)"),
        (504, dict(content=HTML, headers={"content-type": "text/html"}), True, ErrorKind.UNAVAILABLE, True, "may or may not"),
        (504, dict(content=HTML), False, ErrorKind.UNAVAILABLE, False, "error page (HTTP 504)"),
        (408, dict(content=b""), True, ErrorKind.TIMEOUT, True, "timed out"),
        (418, dict(content=b"teapot"), False, ErrorKind.PROTOCOL, False, "HTTP 418"),
    ],
)
def test_error_mapping(status, kwargs, write, kind, in_doubt, text):
    err = error_from_response(_response(status, **kwargs), write=write, license_number="LIC-1")
    assert err.kind is kind
    assert err.in_doubt is in_doubt
    assert text in err.message
    assert err.status == status


def test_429_retry_after_is_parsed():
    err = error_from_response(_response(429, json={}, headers={"Retry-After": "12"}))
    assert err.retry_after == 12.0


def test_401_is_reauth():
    err = error_from_response(_response(401, json={"error": {"message": "jwt expired"}}))
    assert isinstance(err, ReauthRequired)
    assert err.upstream == {"error": {"message": "jwt expired"}}


REQ = httpx.Request("POST", "https://api.trackandtrace.tools/v2/packages/create")


@pytest.mark.parametrize(
    "exc, write, kind, in_doubt",
    [
        (httpx.ConnectError("refused", request=REQ), True, ErrorKind.NETWORK, False),
        (httpx.ConnectTimeout("slow dns", request=REQ), True, ErrorKind.TIMEOUT, False),
        (httpx.ReadTimeout("slow", request=REQ), True, ErrorKind.TIMEOUT, True),
        (httpx.ReadTimeout("slow", request=REQ), False, ErrorKind.TIMEOUT, False),
        (httpx.RemoteProtocolError("Server disconnected", request=REQ), True, ErrorKind.NETWORK, True),
        (httpx.ReadError("reset by peer", request=REQ), False, ErrorKind.NETWORK, False),
    ],
)
def test_transport_error_mapping(exc, write, kind, in_doubt):
    err = error_from_transport(exc, write=write)
    assert err.kind is kind and err.in_doubt is in_doubt
    assert "api.trackandtrace.tools" in err.message


def test_connect_error_names_the_host_and_the_network():
    err = error_from_transport(httpx.ConnectError("x", request=REQ))
    assert err.message == "Cannot reach api.trackandtrace.tools. Check the network connection."
