"""What every backend does with an HTTP answer before reading it as its system's: decode it
leniently, recognise gateway HTML pages, clean upstream text for display, and turn a transport
failure (no complete response) into a ``BackendError`` that says whether a write is in doubt.

Upstream text is data: it is trimmed and stripped of control characters, never interpreted.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from growtui.backends.base import BackendError, ErrorKind

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


def web_page_instead_of_data(system: str, response: httpx.Response) -> BackendError:
    """A read answered with an HTML page: the service is down for maintenance, or a network's
    login page is in the way."""
    return BackendError(
        ErrorKind.UNAVAILABLE,
        f"{system} returned a web page instead of data (HTTP {response.status_code}); the service may be "
        "under maintenance or a network login page is in the way.",
        status=response.status_code,
    )


def unreadable_answer(system: str, response: httpx.Response, what: str = "a response that is not valid JSON") -> BackendError:
    """A read answered with something that is not the system's data (often a body cut off)."""
    status = response.status_code
    return BackendError(
        ErrorKind.PROTOCOL,
        f"{system} sent {what} (HTTP {status}, {len(response.content)} bytes); it may have been cut off.",
        status=status,
    )


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


DOUBT = " The change may or may not have been applied: check the outbox before sending it again."


def error_from_transport(exc: httpx.TransportError, *, write: bool = False) -> BackendError:
    """The BackendError for a request that got no (complete) response."""
    try:
        host = host_of(exc.request.url)
    except RuntimeError:  # the exception carries no request
        host = "the server"
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
