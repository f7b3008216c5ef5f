"""Metrc's wire conventions: timestamps, dates, name matching and the error bodies.

``LastModified`` goes out as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``; calendar dates as ``YYYY-MM-DD``.
Incoming dates are parsed leniently (``Z``, ``±hh:mm``, no offset = UTC, date only = midnight).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response


def stamp(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="microseconds")  # …T07:05:59.804361+00:00


def day(dt: datetime | date) -> str:
    return (dt.date() if isinstance(dt, datetime) else dt).isoformat()


_SPACED_OFFSET = re.compile(r"^(.*T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def parse_when(text: str) -> datetime:
    """Lenient ISO 8601 -> aware UTC datetime; ``ValueError`` when unreadable.

    A ``+`` sent unencoded in a query string arrives as a space; like Metrc, the offset is then
    misread (dropped: the time is taken as UTC) rather than refused, so the client's window is
    silently wrong, which is what a client that concatenates query strings gets from the real API."""
    text = text.strip()
    spaced = _SPACED_OFFSET.match(text)
    if spaced:
        text = spaced.group(1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
    else:
        parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_day(text: Any) -> date | None:
    """A body date (``YYYY-MM-DD`` or a datetime); ``None`` when absent or unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_when(text).date()
    except ValueError:
        return None


def fold(name: Any) -> str:
    """Names match case-insensitively, as Metrc does."""
    return name.strip().casefold() if isinstance(name, str) else ""


def message(status: int, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The ``{"Message": …}`` body of 400 (non-row), 401, 403, 404, 413, 429 and 500 answers."""
    return JSONResponse({"Message": text}, status_code=status, headers=headers)


def empty_ok() -> Response:
    """A write whose documented answer has no content: 200 with an empty body."""
    return Response(status_code=200)


ONE_DAY = timedelta(hours=24)
