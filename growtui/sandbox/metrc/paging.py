"""Collection GETs: the lastModified window (§6.4), then paging (§5) into the 8-key envelope.

Window rules (switches in ``world.settings``):
* no ``lastModifiedStart``/``lastModifiedEnd``: the last 24 hours (``no_window="recent"``, as v2
  behaves in practice) or everything (``"all"``);
* only one bound: the other is open (start) or now (end);
* bounds inclusive; an unreadable date or start after end answers 400;
* ``max_window_hours`` (e.g. 24, the v1 rule some states may keep) makes a longer span a 400.
Paging: off unless ``pageSize`` is given (then one page holding everything, ``PageSize`` = count);
``pageNumber`` from 1; ``pageSize`` above 20 is a 400 (or clamped: ``oversize_page="clamp"``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc.errors import MetrcError
from growtui.sandbox.metrc.wire import ONE_DAY, parse_when, stamp

if TYPE_CHECKING:
    from growtui.sandbox.metrc.http import Ctx


def _when(ctx: Ctx, name: str) -> datetime | None:
    text = ctx.params.get(name)
    if text is None or text == "":
        return None
    try:
        return parse_when(text)
    except ValueError:
        raise MetrcError(400, f"The {name} parameter value '{text}' is not a valid date.") from None


def window(ctx: Ctx) -> tuple[datetime | None, datetime | None] | None:
    """(start, end) to filter by, or None for no filtering."""
    settings = ctx.world.settings
    start, end = _when(ctx, "lastModifiedStart"), _when(ctx, "lastModifiedEnd")
    now = ctx.world.now()
    if start is None and end is None:
        return (now - ONE_DAY, now) if settings.no_window == "recent" else None
    if start is not None and end is not None and start > end:
        raise MetrcError(400, "The lastModifiedStart date must be before the lastModifiedEnd date.")
    limit = settings.max_window_hours
    if limit is not None and (start is None or (end or now) - start > ONE_DAY * (limit / 24)):
        raise MetrcError(400, f"The lastModifiedStart and lastModifiedEnd dates must be within {limit:g} hours of each other.")
    return start, end


def _int(ctx: Ctx, name: str) -> int | None:
    text = ctx.params.get(name)
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise MetrcError(400, f"The {name} parameter value '{text}' is not valid.") from None
    if value < 1:
        raise MetrcError(400, f"The {name} parameter must be 1 or greater.")
    return value


def page(ctx: Ctx, kind: str, rows: list[dict[str, Any]], *, windowed: bool, cache_key: Any = None) -> dict[str, Any]:
    """``cache_key`` (a list's name): keep this list's last window while the facility is unchanged,
    so a client paging one window 20 rows at a time does not re-filter every object per page."""
    if windowed:
        bounds = window(ctx)
        if bounds is not None:
            # every stored LastModified is stamp()ed (UTC, fixed width), so strings compare as times
            low, high = (stamp(b) if b is not None else None for b in bounds)
            rows = _windowed(ctx, rows, low, high, cache_key)
    # no sort: a facility's dicts hold objects in Id order (ids only grow), lookups in table order
    size, number = _int(ctx, "pageSize"), _int(ctx, "pageNumber") or 1
    settings = ctx.world.settings
    if size is not None and size > settings.max_page_size:
        if settings.oversize_page != "clamp":
            raise MetrcError(400, f"The pageSize parameter must be {settings.max_page_size} or less.")
        size = settings.max_page_size
    total = len(rows)
    if size is None:  # paging off: one page of everything
        size, number, chunk = total, 1, rows
        pages = 1 if total else 0
    else:
        chunk = rows[(number - 1) * size : number * size]
        pages = math.ceil(total / size)
    items = ctx.facility.items if ctx.fac is not None else {}
    data = [shapes.view(kind, items, r) for r in chunk]
    if ctx.world.ops is not None:
        ctx.world.ops.decorate_rows(ctx.request, data)
    return {
        "Data": data,
        "Total": total,
        "TotalRecords": total,
        "PageSize": size,
        "RecordsOnPage": len(data),
        "Page": number,
        "CurrentPage": number,
        "TotalPages": pages,
    }



def _windowed(ctx: Ctx, rows: list[dict[str, Any]], low: str | None, high: str | None, cache_key: Any) -> list[dict[str, Any]]:
    fac = ctx.fac
    slot = ("window", cache_key)
    if cache_key is not None and fac is not None:
        cached = fac.cache.get(slot)
        if cached is not None and cached[0] == fac.version and cached[1][0] == (low, high):
            return cached[1][1]
    kept = [r for r in rows if (low is None or low <= r["LastModified"]) and (high is None or r["LastModified"] <= high)]
    if cache_key is not None and fac is not None:
        fac.cache[slot] = (fac.version, ((low, high), kept))
    return kept
