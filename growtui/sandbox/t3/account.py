"""Account-level Free routes (§3): licenses, states, permissions, search. Bare arrays, no paging."""

from __future__ import annotations

from typing import Any

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.route_table import Collection
from growtui.sandbox.t3.seed import STATES

routes = Routes()

PERMISSION_VIEWS: dict[str, list[str]] = {
    "Plants": ["View Plants", "Manage Plants", "View Plant Batches", "Manage Plant Batches"],
    "Harvests": ["View Harvests", "Manage Harvests"],
    "Packages": ["View Packages", "Create/Submit/Discontinue Packages", "Manage Package Notes"],
    "Items": ["Manage Items", "View Items"],
    "Strains": ["Manage Strains"],
    "Transfers": ["View Transfers", "Manage Transfers", "Manage Transfer Templates"],
}

# endpointId -> collection searched by /v2/search (EndpointId values of §3)
SEARCH_ENDPOINTS: dict[str, str] = {
    "ACTIVE_PACKAGES": "packages/active",
    "ONHOLD_PACKAGES": "packages/onhold",
    "INACTIVE_PACKAGES": "packages/inactive",
    "INTRANSIT_PACKAGES": "packages/intransit",
    "VEGETATIVE_PLANTS": "plants/vegetative",
    "FLOWERING_PLANTS": "plants/flowering",
    "ONHOLD_PLANTS": "plants/onhold",
    "INACTIVE_PLANTS": "plants/inactive",
    "ACTIVE_PLANTBATCHES": "plantbatches/active",
    "ACTIVE_HARVESTS": "harvests/active",
    "INACTIVE_HARVESTS": "harvests/inactive",
    "ACTIVE_ITEMS": "items",
    "ACTIVE_STRAINS": "strains",
    "INCOMING_ACTIVE_TRANSFERS": "transfers/incoming/active",
    "OUTGOING_ACTIVE_TRANSFERS": "transfers/outgoing/active",
}
_SEARCH_FIELDS = ("label", "name", "manifestNumber", "strainName")
SEARCH_LIMIT = 100


@routes.get("/v2/licenses", license=False, paid=False)
def licenses(ctx: Ctx) -> list[dict[str, Any]]:
    assert ctx.user is not None
    return [{"licenseName": lic.license_name, "licenseNumber": lic.license_number} for lic in ctx.world.licenses_of(ctx.user)]


@routes.get("/v2/states", license=False, paid=False)
def states(ctx: Ctx) -> list[dict[str, Any]]:
    return [dict(s) for s in STATES]


# Views a license class does not have (permissions depend on the license class, §3): a
# distributor moves packages and grows nothing.
CLASS_WITHOUT: dict[str, frozenset[str]] = {"Distributor": frozenset({"Plants", "Harvests"})}


def views_of(license_class: str) -> list[str]:
    missing = CLASS_WITHOUT.get(license_class, frozenset())
    return [view for view in PERMISSION_VIEWS if view not in missing]


@routes.get("/v2/permissions/views", paid=False)
def permission_views(ctx: Ctx) -> list[str]:
    return views_of(ctx.license.license_class)


@routes.get("/v2/permissions", paid=False)
def permissions(ctx: Ctx) -> list[str]:
    view = ctx.require_param("view")
    return list(PERMISSION_VIEWS[view]) if view in views_of(ctx.license.license_class) else []


@routes.get("/v2/search", paid=False)
def search(ctx: Ctx) -> dict[str, Any]:
    """Case-insensitive match on labels/names/manifests: exact 1.0, prefix 0.8, substring 0.5."""
    needle = ctx.require_param("query").strip().casefold()
    if not needle:
        raise ApiError(400, "BadRequest", "query must not be empty")
    wanted = [e for raw in ctx.params.getlist("endpointIds") for e in raw.split(",") if e] or list(SEARCH_ENDPOINTS)
    unknown = [e for e in wanted if e not in SEARCH_ENDPOINTS]
    if unknown:
        raise ApiError(400, "BadRequest", f"Unknown endpointIds: {', '.join(unknown)}")
    lic = ctx.license
    hits: list[tuple[float, str, dict[str, Any]]] = []
    for endpoint_id in wanted:
        coll = Collection.parse(SEARCH_ENDPOINTS[endpoint_id])
        for obj in lic.members(coll):
            score = _score(obj, needle)
            if score:
                hits.append((score, endpoint_id, lic.emit(coll, obj, ctx.retrieved_at)))
    hits.sort(key=lambda h: -h[0])
    return {
        "data": [{"endpointId": e, "score": s, "matchedEntry": o} for s, e, o in hits[:SEARCH_LIMIT]],
        "queriedMetrcEndpointIds": wanted,
        "failedMetrcEndpointIds": [],
    }


def _score(obj: dict[str, Any], needle: str) -> float:
    best = 0.0
    for name in _SEARCH_FIELDS:
        value = obj.get(name)
        if not isinstance(value, str):
            continue
        text = value.casefold()
        if text == needle:
            return 1.0
        if text.startswith(needle):
            best = max(best, 0.8)
        elif needle in text:
            best = max(best, 0.5)
    return best
