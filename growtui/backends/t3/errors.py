"""Turn T3 responses and transport failures into one ``BackendError`` a floor worker can act on.

Write outcomes: a sent write is *refused* (``in_doubt`` False: not applied, the user may fix and
send it again) only on an explicit, parseable refusal — a 4xx other than 408 whose body is T3's
JSON error with a message. Every other outcome of a sent write — a 5xx, an HTML or empty page, a
2xx whose body is not T3's ``{"message": "Success"}``, a timeout or a dropped connection — is
*in doubt* (``in_doubt`` True): it may have applied, and only a re-query can tell. Nothing here
ever resends.

T3's error envelope is ``{"error": {"type", "message", "timestamp", "url", "status_code"}}``;
gateways in front of it answer with HTML pages, and other shapes (``message``, ``detail``,
``errors``) turn up too. Upstream text is data: it is trimmed and stripped of control characters,
never interpreted.
"""

from __future__ import annotations


import httpx

from growtui.backends.base import BackendError, ErrorKind, ReauthRequired
from growtui.backends.http import parse_retry_after
from growtui.backends.responses import DOUBT, decode_json, looks_like_html, upstream_message



def is_explicit_refusal(status: int, is_json: bool, detail: str | None) -> bool:
    """A 4xx (not a 408 timeout) carrying T3's JSON error with a message: upstream said no."""
    return 400 <= status < 500 and status != 408 and is_json and detail is not None


def error_from_response(
    response: httpx.Response, *, write: bool = False, license_number: str | None = None
) -> BackendError:
    """The BackendError for a non-2xx response (the caller has checked the status)."""
    err = _error_from_response(response, write=write, license_number=license_number)
    if write and not err.in_doubt and not _refused(response):
        err.in_doubt = True
        err.message += DOUBT
    return err


def _refused(response: httpx.Response) -> bool:
    html = looks_like_html(response)
    is_json, body = (False, None) if html else decode_json(response)
    return is_explicit_refusal(response.status_code, is_json, upstream_message(body) if is_json else None)


def success_in_doubt(status: int, what: str) -> BackendError:
    """A 2xx to a sent write whose body is not T3's answer (empty, HTML, not JSON, no message)."""
    return BackendError(
        ErrorKind.PROTOCOL,
        f"T3 answered the change with HTTP {status} but {what}.{DOUBT}",
        status=status,
        in_doubt=True,
    )


def _error_from_response(
    response: httpx.Response, *, write: bool, license_number: str | None
) -> BackendError:
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
        in_doubt = write  # a 5xx or a gateway page may come after the write was applied
        if html or not is_json:
            msg = (
                f"T3 returned an error page (HTTP {status}). The service may be down or "
                "under maintenance; try again shortly."
            )
        else:
            msg = f"T3 is unavailable (HTTP {status}){suffix}"
        if in_doubt:
            msg += DOUBT
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
