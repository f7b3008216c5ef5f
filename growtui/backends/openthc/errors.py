"""OpenTHC error answers -> ``BackendError``.

Errors come in the ``{data, meta}`` envelope with the reason in ``meta.note`` ("Invalid License
[CAO-125]"); ``meta`` may be ``[]`` or ``{}`` (reference A.1). 400 is bad input, 401 a missing,
dead or expired session, 403 wrong keys at sign-in or an act the license may not do, 404 an
unknown object, 409 an object in the wrong state (e.g. marked for deletion). A sent write counts
as *refused* only on such an explicit, parseable 4xx; anything else after sending is *in doubt*.
Upstream text is data: trimmed, stripped of control characters, bounded.
"""

from __future__ import annotations

from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.http import parse_retry_after
from growtui.backends.responses import DOUBT, clean_text, decode_json, looks_like_html, upstream_message


def meta_of(body: Any) -> dict[str, Any]:
    """The envelope's ``meta`` as a dict (``[]``, absent or odd -> ``{}``)."""
    meta = body.get("meta") if isinstance(body, dict) else None
    return meta if isinstance(meta, dict) else {}


def note_of(body: Any) -> str | None:
    """The reason OpenTHC gives: ``meta.note`` (or ``meta.detail``), else any message field."""
    meta = meta_of(body)
    for key in ("note", "detail"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            return clean_text(meta[key])
    return upstream_message(body)


def error_from_response(response: httpx.Response, *, write: bool, signing_in: bool = False) -> BackendError:
    """The error for a non-2xx answer (the caller checked the status)."""
    status = response.status_code
    html = looks_like_html(response)
    is_json, body = (False, None) if html else decode_json(response)
    note = note_of(body) if is_json and isinstance(body, dict) and "data" in body else None
    suffix = f": {note}" if note else "."
    # 410 Gone answers a DELETE that confirmed a deletion: something was applied, never a refusal.
    refused = 400 <= status < 500 and status not in (408, 410, 429) and note is not None
    err = _classify(status, html, note, suffix, signing_in, response)
    err.upstream = body if is_json else clean_text(response.text, 500) if response.content else None
    if write and not refused:
        err.in_doubt = True
        err.message += DOUBT
    return err


def _classify(status: int, html: bool, note: str | None, suffix: str, signing_in: bool,
              response: httpx.Response) -> BackendError:
    if status == 401 or (status == 403 and signing_in):
        what = "the sign-in" if signing_in else "the session (it may have expired)"
        return BackendError(ErrorKind.AUTH, f"OpenTHC refused {what}{suffix}", status=status)
    if status == 403:
        return BackendError(ErrorKind.FORBIDDEN, f"OpenTHC refused this for the license{suffix}", status=status)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" Try again in {retry_after:.0f} s." if retry_after is not None else ""
        return BackendError(ErrorKind.RATE_LIMITED, f"OpenTHC's request limit was reached.{wait}", status=status,
                            retry_after=retry_after)
    if status >= 500 or html or note is None and status != 408:
        msg = (f"OpenTHC returned an error page (HTTP {status}); the service may be down. Try again shortly."
               if html or note is None else f"OpenTHC is unavailable (HTTP {status}){suffix}")
        kind = ErrorKind.UNAVAILABLE if status >= 500 or html else ErrorKind.PROTOCOL
        return BackendError(kind, msg if kind is ErrorKind.UNAVAILABLE
                            else f"Unexpected answer from OpenTHC (HTTP {status}).", status=status)
    if status == 408:
        return BackendError(ErrorKind.TIMEOUT, "OpenTHC timed out waiting for the request.", status=status)
    if status == 404:
        return BackendError(ErrorKind.VALIDATION, f"Not found{suffix}", status=status)
    return BackendError(ErrorKind.VALIDATION, f"OpenTHC rejected the request{suffix}", status=status)


def success_in_doubt(status: int, what: str) -> BackendError:
    """A 2xx to a sent write whose body is not OpenTHC's envelope."""
    return BackendError(ErrorKind.PROTOCOL, f"OpenTHC answered the change with HTTP {status} but {what}.{DOUBT}",
                        status=status, in_doubt=True)
