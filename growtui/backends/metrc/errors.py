"""Metrc's answers -> the one ``BackendError`` (metrc-api.md §10).

Bodies: 400 validation ``[{"row": i, "message": …}]`` (``row`` indexes the request array), other
faults ``{"Message": …}``, gateways HTML. A sent write counts as *refused* (``in_doubt`` False)
only on an explicit, parseable refusal: a 4xx other than 408 whose body is Metrc's row list or a
``{"Message"}`` object. Everything else after sending (5xx, HTML, empty or odd bodies, timeouts,
a dropped connection) is *in doubt*: it may have applied, and only a re-read can tell. Upstream
text is data: trimmed, stripped of control characters, never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.http import parse_retry_after
from growtui.backends.responses import DOUBT, clean_text, decode_json, looks_like_html

MAX_ROWS = 50  # row errors kept for the UI; a 10-object write has at most a few per row


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # 0-based index into the array sent
    message: str


class MetrcError(BackendError):
    """A ``BackendError`` that also carries Metrc's per-row validation errors (``rows``)."""

    def __init__(self, kind: ErrorKind, message: str, *, rows: tuple[RowError, ...] = (), **kw: Any) -> None:
        super().__init__(kind, message, **kw)
        self.rows = rows


def row_errors(body: Any) -> tuple[RowError, ...] | None:
    """Metrc's ``[{"row", "message"}]`` list, or None when ``body`` is not one."""
    if not isinstance(body, list) or not body:
        return None
    out: list[RowError] = []
    for entry in body[:MAX_ROWS]:
        if not isinstance(entry, dict):
            return None
        row, message = entry.get("row", entry.get("Row")), entry.get("message", entry.get("Message"))
        if isinstance(row, bool) or not isinstance(row, int) or not isinstance(message, str):
            return None
        out.append(RowError(row, clean_text(message)))
    return tuple(out)


def message_of(body: Any) -> str | None:
    """The text of Metrc's ``{"Message": …}`` (any case), else None."""
    if isinstance(body, dict):
        for key in ("Message", "message"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return clean_text(value)
    return None


def _rows_text(rows: tuple[RowError, ...]) -> str:
    shown = "; ".join(f"row {r.row + 1}: {r.message}" for r in rows[:5])
    more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
    return shown + more


def error_from_response(
    response: httpx.Response, *, write: bool, license_number: str | None = None
) -> MetrcError:
    """The error for a non-2xx answer (the caller checked the status)."""
    status = response.status_code
    html = looks_like_html(response)
    is_json, body = (False, None) if html else decode_json(response)
    rows = row_errors(body) if is_json else None
    detail = message_of(body) if is_json else None
    refused = 400 <= status < 500 and status != 408 and (rows is not None or detail is not None)
    in_doubt = write and not refused
    suffix = f": {detail}" if detail else "."
    err = _classify(status, html, rows, detail, suffix, license_number, response)
    err.upstream = body if is_json else clean_text(response.text, 500) if response.content else None
    if in_doubt:
        err.in_doubt = True
        err.message += DOUBT
    return err


def _classify(
    status: int, html: bool, rows: tuple[RowError, ...] | None, detail: str | None, suffix: str,
    license_number: str | None, response: httpx.Response,
) -> MetrcError:
    if rows is not None:
        return MetrcError(
            ErrorKind.VALIDATION, f"Metrc rejected the request: {_rows_text(rows)}", rows=rows,
            status=status,
        )
    if status == 401:
        return MetrcError(
            ErrorKind.AUTH,
            "Metrc refused the API keys, or this key may not do that for this license"
            + (f": {detail}" if detail else ". Check the integrator and user keys."),
            status=status,
        )
    if status == 403:
        target = f"license {license_number}" if license_number else "this data"
        return MetrcError(
            ErrorKind.FORBIDDEN,
            f"Metrc refused access to {target}: your Metrc permissions do not allow it{suffix}",
            status=status,
        )
    if status == 413:
        return MetrcError(
            ErrorKind.VALIDATION, f"Metrc refused the request as too large (too many objects){suffix}",
            status=status,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f" Try again in {retry_after:.0f} s." if retry_after is not None else ""
        return MetrcError(
            ErrorKind.RATE_LIMITED,
            f"Metrc's request limit was reached (another app may share the integrator key).{wait}",
            status=status, retry_after=retry_after,
        )
    if status == 404:
        return MetrcError(
            ErrorKind.VALIDATION if detail else ErrorKind.PROTOCOL,
            f"Not found{suffix}" if detail else
            f"Metrc does not know {response.request.url.path} (HTTP 404): this state may not offer it.",
            status=status,
        )
    if status >= 500 or html:
        msg = (
            f"Metrc returned an error page (HTTP {status}); the service may be down or under "
            "maintenance. Try again shortly."
            if html or detail is None else f"Metrc is unavailable (HTTP {status}){suffix}"
        )
        return MetrcError(ErrorKind.UNAVAILABLE, msg, status=status)
    if status == 408:
        return MetrcError(ErrorKind.TIMEOUT, "Metrc timed out waiting for the request.", status=status)
    if 400 <= status < 500:
        return MetrcError(
            ErrorKind.VALIDATION,
            f"Metrc rejected the request{suffix}" if detail else f"Metrc rejected the request (HTTP {status}).",
            status=status,
        )
    return MetrcError(ErrorKind.PROTOCOL, f"Unexpected answer from Metrc (HTTP {status}).", status=status)


def success_in_doubt(status: int, what: str) -> MetrcError:
    """A 2xx to a sent write whose body is neither empty nor Metrc's ``{"Ids": …}``."""
    return MetrcError(
        ErrorKind.PROTOCOL, f"Metrc answered the change with HTTP {status} but {what}.{DOUBT}",
        status=status, in_doubt=True,
    )


def is_range_error(err: BackendError) -> bool:
    """A 400 saying the lastModified window is too long (some states keep v1's 24-hour rule)."""
    text = err.message.lower()
    return (
        err.status == 400 and not getattr(err, "rows", ())
        and "lastmodified" in text and any(w in text for w in ("hour", "range", "within", "span", "day"))
    )
