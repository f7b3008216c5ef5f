"""Trace's answers -> the one ``BackendError``, and its ``warnings`` as text for people.

The seed documents only ``400 Bad Request``; errors come in the usual envelope with the reason as
a warning (``{"results": null, "warnings": [{"type": "error", "detail": …}]}``). 401 means the API
key or token is wrong or missing, 403 that valid credentials may not act (a suspended company, a
license not theirs). A sent write counts as *refused* only on such an explicit, parseable 4xx;
anything else after sending (5xx, HTML, an empty or odd body, a timeout) is *in doubt*.
Upstream text is data: trimmed, stripped of control characters, bounded.
"""

from __future__ import annotations

from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.http import parse_retry_after
from growtui.backends.responses import DOUBT, clean_text, decode_json, looks_like_html, upstream_message

MAX_WARNINGS = 10


def warnings_of(body: Any) -> tuple[str, ...]:
    """The ``warnings`` of an envelope as short texts ("contents: indica + sativa is 70")."""
    found = body.get("warnings") if isinstance(body, dict) else None
    if not isinstance(found, list):
        return ()
    out = []
    for w in found[:MAX_WARNINGS]:
        if isinstance(w, dict):
            detail = w.get("detail")
            text = clean_text(detail) if isinstance(detail, str) else upstream_message(w) or ""
        else:
            text = clean_text(str(w)) if isinstance(w, str) else ""
        if text:
            out.append(text)
    return tuple(out)


def detail_of(body: Any) -> str | None:
    """The reason inside an error body: its warnings, else any message field."""
    found = warnings_of(body)
    return "; ".join(found) if found else upstream_message(body)


def error_from_response(response: httpx.Response, *, write: bool, license_number: str | None = None) -> BackendError:
    """The error for a non-2xx answer (the caller checked the status)."""
    status = response.status_code
    html = looks_like_html(response)
    is_json, body = (False, None) if html else decode_json(response)
    detail = detail_of(body) if is_json else None
    suffix = f": {detail}" if detail else "."
    refused = 400 <= status < 500 and status not in (408, 429) and detail is not None
    err = _classify(status, html, detail, suffix, license_number, response)
    err.upstream = body if is_json else clean_text(response.text, 500) if response.content else None
    if write and not refused:
        err.in_doubt = True
        err.message += DOUBT
    return err


def _classify(status: int, html: bool, detail: str | None, suffix: str, license_number: str | None,
              response: httpx.Response) -> BackendError:
    if status == 401:
        return BackendError(ErrorKind.AUTH, "Trace refused the API key or token" + (
            suffix if detail else ". Check both (the token as Trace issued it)."), status=status)
    if status == 403:
        target = f"license {license_number}" if license_number else "this"
        return BackendError(ErrorKind.FORBIDDEN, f"Trace refused access to {target}{suffix}", status=status)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" Try again in {retry_after:.0f} s." if retry_after is not None else ""
        return BackendError(ErrorKind.RATE_LIMITED, f"Trace's request limit was reached.{wait}", status=status,
                            retry_after=retry_after)
    if status == 404:
        return BackendError(ErrorKind.VALIDATION if detail else ErrorKind.PROTOCOL,
                            f"Not found{suffix}" if detail else f"Trace does not know {response.request.url.path} (HTTP 404).",
                            status=status)
    if status >= 500 or html:
        msg = (f"Trace returned an error page (HTTP {status}); the service may be down. Try again shortly."
               if html or detail is None else f"Trace is unavailable (HTTP {status}){suffix}")
        return BackendError(ErrorKind.UNAVAILABLE, msg, status=status)
    if status == 408:
        return BackendError(ErrorKind.TIMEOUT, "Trace timed out waiting for the request.", status=status)
    if 400 <= status < 500:
        return BackendError(ErrorKind.VALIDATION, f"Trace rejected the request{suffix}" if detail
                            else f"Trace rejected the request (HTTP {status}).", status=status)
    return BackendError(ErrorKind.PROTOCOL, f"Unexpected answer from Trace (HTTP {status}).", status=status)


def success_in_doubt(status: int, what: str) -> BackendError:
    """A 2xx to a sent write whose body is not Trace's envelope."""
    return BackendError(ErrorKind.PROTOCOL, f"Trace answered the change with HTTP {status} but {what}.{DOUBT}",
                        status=status, in_doubt=True)
