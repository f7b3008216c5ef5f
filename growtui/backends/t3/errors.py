"""Turn T3 responses and transport failures into one ``BackendError`` a floor worker can act on.

T3's error envelope is ``{"error": {"type", "message", "timestamp", "url", "status_code"}}``;
gateways in front of it answer with HTML pages, and other shapes (``message``, ``detail``,
``errors``) turn up too. Upstream text is data: it is trimmed and stripped of control characters,
never interpreted.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from growtui.backends.base import BackendError, ErrorKind, ReauthRequired
from growtui.backends.http import parse_retry_after

MAX_MESSAGE = 300


def clean_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse whitespace, drop control characters, and cap the length."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def looks_like_html(response: httpx.Response) -> bool:
    if "html" in response.headers.get("content-type", "").lower():
        return True
    head = response.content[:200].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


def decode_json(response: httpx.Response) -> tuple[bool, Any]:
    """(True, value) if the body is JSON, else (False, None). Never raises."""
    if not response.content:
        return False, None
    try:
        return True, json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, None


def upstream_message(body: Any) -> str | None:
    """The human message inside an error body, trying ``error``, ``message``, ``detail``, ``errors``."""
    if isinstance(body, str):
        return clean_text(body) or None
    if not isinstance(body, dict):
        return None
    for key in ("error", "message", "detail", "errors"):
        text = _text_of(body.get(key))
        if text:
            return clean_text(text)
    return None


def _text_of(value: Any, depth: int = 0) -> str | None:
    if depth > 4 or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("message", "msg", "detail", "error", "title"):
            text = _text_of(value.get(key), depth + 1)
            if text:
                return text
        # {"field": ["problem"]} style validation maps
        parts = [f"{k}: {t}" for k, v in value.items() if (t := _text_of(v, depth + 1))]
        return "; ".join(parts) or None
    if isinstance(value, list):
        parts = [t for item in value[:5] if (t := _text_of(item, depth + 1))]
        return "; ".join(parts) or None
    return None


def host_of(url: httpx.URL | str) -> str:
    return urlsplit(str(url)).hostname or str(url)


def error_from_response(
    response: httpx.Response, *, write: bool = False, license_number: str | None = None
) -> BackendError:
    """The BackendError for a non-2xx response (the caller has checked the status)."""
    status = response.status_code
    html = looks_like_html(response)
    is_json, body = (False, None) if html else decode_json(response)
    detail = upstream_message(body) if is_json else None
    suffix = f": {detail}" if detail else "."

    if status == 401:
        err: BackendError = ReauthRequired(
            "Your T3 session expired or was rejected. Sign in again to continue."
        )
        err.upstream = body
        return err
    if status == 403:
        target = f"license {license_number}" if license_number else "this data"
        msg = (
            f"T3 refused access to {target}: the account has no T3+ subscription "
            f"or no access to that license{suffix}"
        )
        return BackendError(ErrorKind.FORBIDDEN, msg, status=status, upstream=body)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" Try again in {retry_after:.0f} s." if retry_after is not None else ""
        msg = (
            "T3's request limit was reached (another app may be using the same account)."
            f"{wait}"
        )
        return BackendError(
            ErrorKind.RATE_LIMITED, msg, status=status, retry_after=retry_after, upstream=body
        )
    if status == 404:
        if detail:
            return BackendError(
                ErrorKind.VALIDATION, f"Not found{suffix}", status=status, upstream=body
            )
        return BackendError(
            ErrorKind.PROTOCOL,
            f"T3 does not know {response.request.url.path} (HTTP 404): this app and the API "
            "may be out of step.",
            status=status,
            upstream=body,
        )
    if status >= 500 or html:
        in_doubt = write and status in (502, 504)
        if html or not is_json:
            msg = (
                f"T3 returned an error page (HTTP {status}). The service may be down or "
                "under maintenance; try again shortly."
            )
        else:
            msg = f"T3 is unavailable (HTTP {status}){suffix}"
        if in_doubt:
            msg += " The change may or may not have been applied: refresh before trying again."
        return BackendError(
            ErrorKind.UNAVAILABLE, msg, status=status, upstream=body, in_doubt=in_doubt
        )
    if status == 408:
        return BackendError(
            ErrorKind.TIMEOUT, "T3 timed out waiting for the request.", status=status,
            in_doubt=write, upstream=body,
        )
    if status in (400, 409, 422) or (is_json and 400 <= status < 500):
        return BackendError(
            ErrorKind.VALIDATION,
            f"T3 rejected the request{suffix}" if detail else
            f"T3 rejected the request (HTTP {status}).",
            status=status,
            upstream=body,
        )
    return BackendError(
        ErrorKind.PROTOCOL, f"Unexpected answer from T3 (HTTP {status}).", status=status,
        upstream=body,
    )


def error_from_transport(exc: httpx.TransportError, *, write: bool = False) -> BackendError:
    """The BackendError for a request that got no (complete) response."""
    try:
        host = host_of(exc.request.url)
    except RuntimeError:  # the exception carries no request
        host = "the T3 API"
    doubt = " The change may or may not have been applied: refresh before trying again."
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        # Nothing was sent yet, so even a write is certainly not applied.
        return BackendError(
            ErrorKind.TIMEOUT, f"Connecting to {host} timed out. Check the network.", upstream=exc
        )
    if isinstance(exc, httpx.TimeoutException):
        msg = f"{host} did not answer in time."
        return BackendError(
            ErrorKind.TIMEOUT, msg + (doubt if write else " Try again."), in_doubt=write,
            upstream=exc,
        )
    if isinstance(exc, httpx.ConnectError):
        return BackendError(
            ErrorKind.NETWORK,
            f"Cannot reach {host}. Check the network connection.",
            upstream=exc,
        )
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        msg = f"The connection to {host} was lost."
        return BackendError(
            ErrorKind.NETWORK, msg + (doubt if write else " Try again."), in_doubt=write,
            upstream=exc,
        )
    return BackendError(
        ErrorKind.NETWORK, f"Request to {host} failed ({type(exc).__name__}).", upstream=exc,
        in_doubt=write,
    )
