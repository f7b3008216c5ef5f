"""The collection query grammar: operators, sort, and/or, paging edges, 400s."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from growtui.sandbox.t3.route_table import Collection
from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.query import Query, run_query
from tests.sandbox_fixtures import MAIN_LICENSE

ROWS = [
    {"id": 1, "label": "1A4AAA", "name": "Blue Dream Flower", "qty": 10.5, "ok": True, "when": "2026-01-02T10:00:00.000Z", "day": "2026-01-02", "item": {"name": "Buds A"}},
    {"id": 2, "label": "1A4BBB", "name": "OG Kush Trim", "qty": 2, "ok": False, "when": "2026-01-05T08:30:00.000Z", "day": "2026-01-05", "item": {"name": "Trim B"}},
    {"id": 3, "label": "1a4ccc", "name": "blue kush pre-roll", "qty": None, "ok": True, "when": None, "day": "2026-01-09", "item": {"name": "Pre-Roll C"}},
    {"id": 4, "label": "2Z9DDD", "name": "Gelato Flower", "qty": 7, "ok": False, "when": "2026-02-01T00:00:00Z", "day": "2026-02-01", "item": None},
]  # fmt: skip
FIELDS = frozenset({"id", "label", "name", "qty", "ok", "when", "day", "item"})


def ids(*filters: str, logic: str = "and", sort: str | None = None) -> list[int]:
    return [r["id"] for r in run_query(ROWS, Query(tuple(filters), logic, sort), FIELDS)]


@pytest.mark.parametrize(
    "flt, expected",
    [
        ("name__contains:BLUE", [1, 3]),
        ("name__doesnotcontain:blue", [2, 4]),
        ("label__eq:1a4aaa", [1]),
        ("label__neq:1A4AAA", [2, 3, 4]),
        ("label__startswith:1a4", [1, 2, 3]),
        ("name__endswith:FLOWER", [1, 4]),
        ("item.name__eq:trim b", [2]),
        ("item.name__contains:c", [3]),
        ("ok__eq:true", [1, 3]),
        ("ok__eq:FALSE", [2, 4]),
        ("id__eq:3", [3]),
        ("qty__gt:5", [1, 4]),
        ("qty__lte:7", [2, 4]),
        ("when__gte:2026-01-05T08:30:00.000Z", [2, 4]),
        ("when__gt:2026-01-05T08:30:00Z", [4]),
        ("when__lt:2026-01-05", [1]),
        ("when__lte:2026-01-05T08:30:00+00:00", [1, 2]),
        ("when__eq:2026-02-01T00:00:00.000Z", [4]),
        ("when__neq:2026-02-01T00:00:00.000Z", [1, 2, 3]),
        ("day__gte:2026-01-05", [2, 3, 4]),
        ("day__eq:2026-01-09", [3]),
        ("name__eq:", []),
    ],
)
def test_each_operator(flt, expected):
    assert ids(flt) == expected


def test_and_or_logic():
    assert ids("name__contains:blue", "name__contains:kush") == [3]
    assert ids("name__contains:blue", "name__contains:kush", logic="or") == [1, 2, 3]


def test_sort_asc_desc_nulls_last_and_case_insensitive():
    assert ids(sort="label:asc") == [1, 2, 3, 4]
    assert ids(sort="label:desc") == [4, 3, 2, 1]
    assert ids(sort="qty:asc") == [2, 4, 1, 3]
    assert ids(sort="qty:desc") == [1, 4, 2, 3]
    assert ids(sort="item.name") == [1, 3, 2, 4]
    assert ids("ok__eq:false", sort="id:desc") == [4, 2]


@pytest.mark.parametrize(
    "flt",
    [
        "name_contains:x",  # no double underscore
        "name__contains",  # no colon
        "name__like:x",  # unknown operator
        "nosuchfield__eq:x",  # unknown field
        "index__eq:ACTIVE_PACKAGE",  # not filterable
        "ok__contains:true",  # bad op for a boolean
        "ok__eq:yes",  # bad boolean value
        "qty__gt:lots",  # bad number
        "when__gt:yesterday",  # bad date-time
        "name__gt:abc",  # order op on text
        "item.nosuch__eq:x",  # unknown nested field
    ],
)
def test_bad_filters_raise_400(flt):
    with pytest.raises(ApiError) as exc:
        ids(flt)
    assert exc.value.status == 400


@pytest.mark.parametrize("sort", ["name:sideways", "nosuch:asc", "index:asc"])
def test_bad_sort_raises_400(sort):
    with pytest.raises(ApiError):
        ids(sort=sort)


# --- over HTTP, against the seeded world ------------------------------------------------------


async def get(client, headers, path, **params):
    params.setdefault("licenseNumber", MAIN_LICENSE)
    return await client.get(path, params=params, headers=headers)


async def test_paging_envelope_and_edges(asgi_client, auth_headers, sandbox_world):
    members = sandbox_world.licenses[MAIN_LICENSE].members(Collection.parse("packages/active"))
    total = len(members)
    r = await get(asgi_client, auth_headers, "/v2/packages/active")
    body = r.json()
    assert list(body) == ["page", "totalPages", "pageSize", "total", "data"]
    assert (body["page"], body["pageSize"], body["total"]) == (1, 100, total)
    assert body["totalPages"] == math.ceil(total / 100) and len(body["data"]) == min(100, total)

    last = math.ceil(total / 7)
    tail = (await get(asgi_client, auth_headers, "/v2/packages/active", page=last, pageSize=7)).json()
    assert len(tail["data"]) == total - 7 * (last - 1) and tail["totalPages"] == last
    assert [row["id"] for row in tail["data"]] == [m["id"] for m in members[7 * (last - 1) :]]

    beyond = await get(asgi_client, auth_headers, "/v2/packages/active", page=last + 1, pageSize=7)
    assert beyond.status_code == 200 and beyond.json()["data"] == [] and beyond.json()["total"] == total
    strict = await get(asgi_client, auth_headers, "/v2/packages/active", page=last + 1, pageSize=7, strictPagination="true")
    assert strict.status_code == 400 and strict.json()["error"]["status_code"] == 400
    ok = await get(asgi_client, auth_headers, "/v2/packages/active", page=last, pageSize=7, strictPagination="true")
    assert ok.status_code == 200

    assert (await get(asgi_client, auth_headers, "/v2/packages/active", pageSize=500)).status_code == 200
    for bad in ({"pageSize": 501}, {"pageSize": 0}, {"page": 0}, {"page": "two"}):
        r = await get(asgi_client, auth_headers, "/v2/packages/active", **bad)
        assert r.status_code == 400, bad


async def test_pages_partition_the_collection(asgi_client, auth_headers):
    first = (await get(asgi_client, auth_headers, "/v2/packages/inactive", pageSize=25, sort="label:desc")).json()
    seen = []
    for page in range(1, first["totalPages"] + 1):
        body = (await get(asgi_client, auth_headers, "/v2/packages/inactive", pageSize=25, page=page, sort="label:desc")).json()
        seen += [row["label"] for row in body["data"]]
    assert len(seen) == len(set(seen)) == first["total"]
    assert seen == sorted(seen, key=str.casefold, reverse=True)


async def test_total_matches_the_filtered_set(asgi_client, auth_headers, sandbox_world):
    lic = sandbox_world.licenses[MAIN_LICENSE]
    members = lic.members(Collection.parse("packages/active"))
    want = [p for p in members if p["item"]["productCategoryName"] == "Buds" and p["quantity"] > 500]
    r = await get(asgi_client, auth_headers, "/v2/packages/active", filter=["item.productCategoryName__eq:buds", "quantity__gt:500"], pageSize=500)
    body = r.json()
    assert body["total"] == len(want) > 0
    assert body["totalPages"] == 1
    assert {row["id"] for row in body["data"]} == {p["id"] for p in want}


async def test_or_filters_and_datetime_filters_over_http(asgi_client, auth_headers, sandbox_world):
    lic = sandbox_world.licenses[MAIN_LICENSE]
    members = lic.members(Collection.parse("packages/active"))
    pivot = sorted(p["lastModified"] for p in members)[len(members) // 2]
    r = await get(asgi_client, auth_headers, "/v2/packages/active", filter=f"lastModified__gte:{pivot}", pageSize=500)
    assert r.json()["total"] == sum(p["lastModified"] >= pivot for p in members)
    a, b = members[0]["label"], members[1]["label"]
    r = await get(asgi_client, auth_headers, "/v2/packages/active", filter=[f"label__eq:{a}", f"label__eq:{b}"], filterLogic="OR")
    assert sorted(row["label"] for row in r.json()["data"]) == sorted([a, b])
    r = await get(asgi_client, auth_headers, "/v2/packages/active", filter=f"id__eq:{members[3]['id']}")
    assert [row["id"] for row in r.json()["data"]] == [members[3]["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "label__like:1A4"},
        {"filter": "bogus__eq:1"},
        {"filterLogic": "bar"},
        {"sort": "label:up"},
        {"filter": "lastModified__gt:not-a-date"},
    ],
)
async def test_bad_queries_answer_400_envelope(asgi_client, auth_headers, params):
    r = await get(asgi_client, auth_headers, "/v2/packages/active", **params)
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "BadRequest"


async def test_collection_mask_projects_fields(asgi_client, auth_headers):
    r = await get(asgi_client, auth_headers, "/v2/packages/active", collectionMask="label,quantity", pageSize=3)
    for row in r.json()["data"]:
        assert set(row) == {"hostname", "dataModel", "retrievedAt", "licenseNumber", "index", "label", "quantity"}


def test_fast_page_encoder_matches_generic_json(sandbox_world):
    import json

    from growtui.sandbox.t3.query import encode_page

    lic = sandbox_world.licenses[MAIN_LICENSE]
    for key in ("packages/active", "strains"):
        coll = Collection.parse(key)
        chunk = lic.members(coll)[:40]
        env = lic.envelope(coll, "2026-01-01T00:00:00.000Z")
        meta = {"page": 1, "totalPages": 1, "pageSize": 40, "total": len(chunk)}
        generic = {**meta, "data": [{**env, **obj} for obj in chunk]}
        assert json.loads(encode_page(meta, env, chunk)) == generic

_OPS = ["contains", "doesnotcontain", "eq", "neq", "startswith", "endswith"]
_FILTERS = st.tuples(st.sampled_from(["label", "name", "item.name"]), st.sampled_from(_OPS), st.sampled_from(["1a4", "blue", "KUSH", "flower", "x", ""]))


@settings(max_examples=60, deadline=None)
@given(a=_FILTERS, b=_FILTERS)
def test_or_is_union_and_and_is_intersection(a, b):
    fa, fb = (f"{field}__{op}:{value}" for field, op, value in (a, b))
    only_a, only_b = set(ids(fa)), set(ids(fb))
    assert set(ids(fa, fb, logic="or")) == only_a | only_b
    assert set(ids(fa, fb)) == only_a & only_b
    negated = {"contains": "doesnotcontain", "doesnotcontain": "contains", "eq": "neq", "neq": "eq"}
    if a[1] in negated:  # a negated operator selects exactly the other rows (nulls included)
        assert set(ids(f"{a[0]}__{negated[a[1]]}:{a[2]}")) == {r["id"] for r in ROWS} - only_a
