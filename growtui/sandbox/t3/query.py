"""The collection query grammar (§4.1) over lists of raw dicts, and the paged envelope (§4.2).

``page`` (1-based), ``pageSize`` (default 100, max 500), ``strictPagination``, ``sort=field:asc|desc``,
repeatable ``filter=field__op:value`` joined by ``filterLogic=and|or``, dotted fields (``item.name``),
and ``collectionMask`` as a field projection. String operators are case-insensitive; ``lt..gte``
compare ISO date-times (or numbers); booleans take ``eq``/``neq`` with ``true``/``false``.
Anything malformed is a 400 with the error envelope. The five envelope fields cannot be used.

Filtered+sorted results of top-level collections are cached per license version, so paging
through 50k rows costs one filter/sort plus one slice per page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.route_table import Collection, Family, SubCollection
from growtui.sandbox.t3.store import ENVELOPE_FIELDS, LicenseState, Obj

if TYPE_CHECKING:
    from growtui.sandbox.t3.http import Ctx

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
STRING_OPS = frozenset({"contains", "doesnotcontain", "eq", "neq", "startswith", "endswith"})
ORDER_OPS = frozenset({"lt", "lte", "gt", "gte"})
ALL_OPS = STRING_OPS | ORDER_OPS

_FAMILY_FIELDS: dict[Family, tuple[str, ...]] = {
    Family.PLANTS: schema.PLANT,
    Family.PLANT_BATCHES: schema.PLANT_BATCH,
    Family.HARVESTS: schema.HARVEST,
    Family.PACKAGES: schema.PACKAGE,
    Family.ITEMS: schema.ITEM,
    Family.STRAINS: schema.STRAIN,
    Family.TRANSFERS_INCOMING: schema.TRANSFER,
    Family.TRANSFERS_OUTGOING: schema.TRANSFER,
    Family.TRANSFERS_REJECTED: schema.TRANSFER,
}
_OTHER_FIELDS: dict[str, tuple[str, ...]] = {
    SubCollection.HARVEST_PLANTS: schema.HARVEST_PLANT,
    SubCollection.HARVEST_PACKAGES: schema.HARVEST_PACKAGE,
    SubCollection.PACKAGE_LAB_RESULTS: schema.LAB_RESULT,
    SubCollection.TRANSFER_DELIVERIES: schema.TRANSFER_DELIVERY,
    SubCollection.TRANSFER_TRANSPORTER_DETAILS: schema.TRANSPORTER_DETAILS,
    SubCollection.DELIVERY_PACKAGES: schema.DELIVERY_PACKAGE,
    SubCollection.DELIVERY_TRANSPORTERS: schema.TRANSFER_TRANSPORTER,
    "destinations": schema.FACILITY,
    "transporters": schema.FACILITY,
    "tags": schema.TAG,
}
_NESTED_FIELDS: dict[str, tuple[str, ...]] = {"item": schema.ITEM}


def known_fields(key: Any) -> frozenset[str] | None:
    """Field names valid for filter/sort on ``key``; None when unknown (anything goes)."""
    if isinstance(key, Collection):
        return frozenset(_FAMILY_FIELDS[key.family])
    if isinstance(key, SubCollection) and key.value.endswith("/history"):
        return frozenset(schema.HISTORY)
    fields = _OTHER_FIELDS.get(key)
    return frozenset(fields) if fields is not None else None


# --- values ----------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def parse_when(text: str) -> datetime | None:
    """An ISO-8601 date or date-time as an aware datetime (naive means UTC); None if not one."""
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def lookup(obj: Obj, path: tuple[str, ...]) -> Any:
    value: Any = obj
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _field_kind(rows: Sequence[Obj], path: tuple[str, ...]) -> str:
    """bool|number|when|string|other|unknown, from the first non-null value in ``rows``."""
    for row in rows:
        value = lookup(row, path)
        if value is None:
            continue
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        if isinstance(value, str):
            return "when" if parse_when(value) is not None else "string"
        return "other"
    return "unknown"


# --- filters ---------------------------------------------------------------------------------

Predicate = Callable[[Obj], bool]


def _bad(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def _check_field(name: str, allowed: frozenset[str] | None) -> tuple[str, ...]:
    path = tuple(name.split("."))
    if not name or any(not p for p in path):
        raise _bad(f"Invalid field {name!r}")
    if path[0] in ENVELOPE_FIELDS:
        raise _bad(f"{path[0]} cannot be used to sort or filter")
    if allowed is not None and path[0] not in allowed:
        raise _bad(f"Unknown field {path[0]!r} for this collection")
    nested = _NESTED_FIELDS.get(path[0])
    if len(path) > 1 and nested is not None and path[1] not in nested:
        raise _bad(f"Unknown field {name!r} for this collection")
    return path


def compile_filter(text: str, rows: Sequence[Obj], allowed: frozenset[str] | None) -> Predicate:
    """``field__op:value`` -> predicate. Only the first ``:`` splits: values may hold colons."""
    head, sep, value = text.partition(":")
    name, sep2, op = head.rpartition("__")
    if not sep or not sep2:
        raise _bad(f"Invalid filter {text!r}: expected field__operator:value")
    op = op.lower()
    if op not in ALL_OPS:
        raise _bad(f"Invalid filter operator {op!r}; use one of {', '.join(sorted(ALL_OPS))}")
    path = _check_field(name, allowed)
    kind = _field_kind(rows, path)

    if kind == "bool":
        if op not in ("eq", "neq") or value.lower() not in ("true", "false"):
            raise _bad(f"Boolean field {name!r} supports eq/neq with true or false")
        want = value.lower() == "true"
        return _compare(path, op, want, lambda v: v if isinstance(v, bool) else None)

    if op in ORDER_OPS or (op in ("eq", "neq") and kind in ("number", "when")):
        if kind == "number" or (kind == "unknown" and op in ORDER_OPS and _number(value) is not None):
            num = _number(value)
            if num is None:
                raise _bad(f"Numeric field {name!r} needs a number, not {value!r}")
            return _compare(path, op, num, lambda v: v if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
        if kind in ("when", "unknown"):
            when = parse_when(value)
            if when is not None:
                return _compare(path, op, when, lambda v: parse_when(v) if isinstance(v, str) else None)
            if op in ORDER_OPS:
                raise _bad(f"Operator {op!r} needs an ISO-8601 date-time value, not {value!r}")
        if op in ORDER_OPS:
            raise _bad(f"Operator {op!r} does not apply to the text field {name!r}")

    return _string_predicate(path, op, value.casefold())


def _compare(path: tuple[str, ...], op: str, want: Any, coerce: Callable[[Any], Any]) -> Predicate:
    def test(obj: Obj) -> bool:
        have = coerce(lookup(obj, path))
        if have is None:
            return op == "neq"
        if op == "eq":
            return have == want
        if op == "neq":
            return have != want
        if op == "lt":
            return have < want
        if op == "lte":
            return have <= want
        if op == "gt":
            return have > want
        return have >= want

    return test


def _string_predicate(path: tuple[str, ...], op: str, want: str) -> Predicate:
    negate = op in ("neq", "doesnotcontain")
    base = {"eq": "eq", "neq": "eq", "contains": "in", "doesnotcontain": "in", "startswith": "sw", "endswith": "ew"}[op]
    single = path[0] if len(path) == 1 else None

    def test(obj: Obj) -> bool:
        raw = obj.get(single) if single is not None else lookup(obj, path)
        if raw is None:
            return negate
        have = (raw if isinstance(raw, str) else _text(raw)).casefold()
        if base == "eq":
            hit = have == want
        elif base == "in":
            hit = want in have
        elif base == "sw":
            hit = have.startswith(want)
        else:
            hit = have.endswith(want)
        return hit != negate

    return test


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


# --- the query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    filters: tuple[str, ...] = ()
    logic: str = "and"
    sort: str | None = None

    @classmethod
    def from_params(cls, params: Any) -> Query:
        logic = (params.get("filterLogic") or "and").lower()
        if logic not in ("and", "or"):
            raise _bad(f"Invalid filterLogic {params.get('filterLogic')!r}; use 'and' or 'or'")
        sort = params.get("sort") or None
        return cls(tuple(f for f in params.getlist("filter") if f != ""), logic, sort)


def run_query(rows: Sequence[Obj], query: Query, allowed: frozenset[str] | None) -> list[Obj]:
    """Filter then sort ``rows`` (stable; nulls last in both directions)."""
    preds = [compile_filter(f, rows, allowed) for f in query.filters]
    sort = _parse_sort(query.sort, allowed) if query.sort else None
    if preds:
        if query.logic == "and":  # narrow filter by filter: each pass scans only the survivors
            out = list(rows)
            for pred in preds:
                out = [r for r in out if pred(r)]
        else:
            out = [r for r in rows if any(p(r) for p in preds)]
    else:
        out = list(rows)
    if sort is not None:
        path, desc = sort
        values = [r.get(path[0]) for r in out] if len(path) == 1 else [lookup(r, path) for r in out]
        present = [(_sort_key(v), r) for v, r in zip(values, out) if v is not None]
        missing = [r for v, r in zip(values, out) if v is None]
        try:
            present.sort(key=_first, reverse=desc)
        except TypeError:  # mixed types in one field: fall back to text order
            present = [(_text(k).casefold(), r) for k, r in present]
            present.sort(key=_first, reverse=desc)
        out = [r for _, r in present] + missing
    return out


def _first(pair: tuple[Any, Obj]) -> Any:
    return pair[0]


def _parse_sort(text: str, allowed: frozenset[str] | None) -> tuple[tuple[str, ...], bool]:
    name, _, direction = text.partition(":")
    direction = (direction or "asc").lower()
    if direction not in ("asc", "desc"):
        raise _bad(f"Invalid sort direction {direction!r}; use field:asc or field:desc")
    return _check_field(name, allowed), direction == "desc"


def _sort_key(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, (list, dict)):
        return _text(value)
    return value


def _int_param(params: Any, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise _bad(f"{name} must be an integer, not {raw!r}") from None


def page_window(params: Any, total: int) -> tuple[int, int, int]:
    """(page, pageSize, totalPages) after validating the paging params."""
    page = _int_param(params, "page", 1)
    size = _int_param(params, "pageSize", DEFAULT_PAGE_SIZE)
    if page < 1:
        raise _bad("page must be 1 or more")
    if size < 1 or size > MAX_PAGE_SIZE:
        raise _bad(f"pageSize must be between 1 and {MAX_PAGE_SIZE}")
    total_pages = math.ceil(total / size)
    strict = (params.get("strictPagination") or "").lower() == "true"
    if strict and page > max(total_pages, 1):
        raise _bad(f"page {page} is out of bounds: there are {total_pages} pages")
    return page, size, total_pages


def respond(
    ctx: Ctx,
    key: Any,
    rows: Sequence[Obj],
    *,
    fields: frozenset[str] | None = None,
    view: Callable[[Obj], Obj] | None = None,
    cache: bool = False,
    extend: Callable[[Obj], None] | None = None,
    as_response: bool = False,
) -> dict[str, Any] | Response:
    """The paged envelope for ``rows`` under the request's query params.

    ``view`` maps stored dicts to the served shape before querying (sub-collections);
    ``extend`` adds fields to each emitted row of the page (cheap: only the page is touched);
    ``cache`` reuses the filtered/sorted list while the license version is unchanged (pass it
    only for lists that are a pure function of the license state, e.g. ``lic.members(...)``);
    ``as_response`` lets a plain page of a top-level collection skip the generic JSON encoder
    (see ``encode_page``) and come back as a ready ``Response``.
    """
    lic: LicenseState = ctx.license
    params = ctx.params
    query = Query.from_params(params)
    allowed = fields if fields is not None else known_fields(key)
    if view is not None:
        rows = [view(r) for r in rows]
    if cache:
        ck = (str(key), query)
        hit = lic.query_cache.get(ck)
        if hit is not None and hit[0] == lic.version:
            result = hit[1]
        else:
            result = run_query(rows, query, allowed)
            if len(lic.query_cache) > 64:
                lic.query_cache.clear()
            lic.query_cache[ck] = (lic.version, result)
    else:
        result = run_query(rows, query, allowed)
    page, size, total_pages = page_window(params, len(result))
    chunk = result[(page - 1) * size : page * size]
    meta = {"page": page, "totalPages": total_pages, "pageSize": size, "total": len(result)}
    ops = ctx.world.ops
    if (
        as_response
        and extend is None
        and isinstance(key, Collection)
        and not params.get("collectionMask")
        and not (ops is not None and ops.row_faults_armed(ctx.request))
    ):
        return Response(encode_page(meta, lic.envelope(key, ctx.retrieved_at), chunk), media_type="application/json")
    data = [lic.emit(key, obj, ctx.retrieved_at) for obj in chunk]
    if extend is not None:
        for row in data:
            extend(row)
    mask = params.get("collectionMask")
    if mask:
        keep = {f.strip() for f in mask.split(",") if f.strip()} | set(ENVELOPE_FIELDS)
        data = [{k: v for k, v in row.items() if k in keep} for row in data]
    if ops is not None and data:
        ops.decorate_rows(ctx.request, data)
    return {**meta, "data": data}


_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def encode_page(meta: dict[str, Any], envelope: Obj, chunk: Sequence[Obj]) -> bytes:
    """The same JSON as encoding ``{**meta, "data": [{**envelope, **obj}, ...]}``, built faster:
    the envelope is encoded once per page and each nested ``item`` (few distinct, ~120 fields)
    once per page instead of once per row. Halves the cost of a 500-row package page."""
    env = _dumps(envelope)[:-1]
    items: dict[int, str] = {}
    parts = []
    for obj in chunk:
        item = obj.get("item")
        if isinstance(item, dict):
            item_json = items.get(id(item))
            if item_json is None:
                item_json = items[id(item)] = _dumps(item)
            rest = obj.copy()  # C-speed copy + del beats a comprehension over ~85 keys
            del rest["item"]
            body = _dumps(rest)[1:-1]
            parts.append(f'{env},{body},"item":{item_json}}}' if body else f'{env},"item":{item_json}}}')
        else:
            body = _dumps(obj)[1:-1]
            parts.append(f"{env},{body}}}" if body else f"{env}}}")
    head = _dumps(meta)[:-1]
    return f'{head},"data":[{",".join(parts)}]}}'.encode()
