"""Neutral collections and queries -> Metrc v2 routes and lastModified windows (metrc-api.md §5-§8).

Metrc filters lists by one thing only, a ``lastModifiedStart``/``lastModifiedEnd`` window (ISO 8601;
sent with ``Z`` so no ``+`` needs escaping). A ``Query`` on any other field cannot be expressed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.query import Field, Op, Query

C = Collection
# None: Metrc has no such list (its transfer lists hold every state; batches are never on hold).
COLLECTION_ROUTES: dict[Collection, str | None] = {
    C(Family.PLANTS, "vegetative"): "/plants/v2/vegetative",
    C(Family.PLANTS, "flowering"): "/plants/v2/flowering",
    C(Family.PLANTS, "onhold"): "/plants/v2/onhold",
    C(Family.PLANTS, "inactive"): "/plants/v2/inactive",
    C(Family.PLANT_BATCHES, "active"): "/plantbatches/v2/active",
    C(Family.PLANT_BATCHES, "onhold"): None,
    C(Family.PLANT_BATCHES, "inactive"): "/plantbatches/v2/inactive",
    C(Family.HARVESTS, "active"): "/harvests/v2/active",
    C(Family.HARVESTS, "onhold"): "/harvests/v2/onhold",
    C(Family.HARVESTS, "inactive"): "/harvests/v2/inactive",
    C(Family.PACKAGES, "active"): "/packages/v2/active",
    C(Family.PACKAGES, "onhold"): "/packages/v2/onhold",
    C(Family.PACKAGES, "inactive"): "/packages/v2/inactive",
    C(Family.PACKAGES, "intransit"): "/packages/v2/intransit",
    C(Family.ITEMS): "/items/v2/active",
    C(Family.STRAINS): "/strains/v2/active",
    C(Family.TRANSFERS_INCOMING, "active"): "/transfers/v2/incoming",
    C(Family.TRANSFERS_INCOMING, "inactive"): None,
    C(Family.TRANSFERS_OUTGOING, "active"): "/transfers/v2/outgoing",
    C(Family.TRANSFERS_OUTGOING, "inactive"): None,
    C(Family.TRANSFERS_REJECTED): None,
}
COLLECTIONS: tuple[Collection, ...] = tuple(c for c, route in COLLECTION_ROUTES.items() if route)

# Per-object lists: a path template over the parent id; none of them takes licenseNumber (§8.1).
SUB_ROUTES: dict[SubCollection, str] = {
    SubCollection.TRANSFER_DELIVERIES: "/transfers/v2/{id}/deliveries",
    SubCollection.DELIVERY_PACKAGES: "/transfers/v2/deliveries/{id}/packages",
    SubCollection.DELIVERY_TRANSPORTERS: "/transfers/v2/deliveries/{id}/transporters",
}

Window = tuple[datetime | None, datetime | None]


def window_of(query: Query) -> Window:
    """The (start, end) a query asks for; ValueError for anything else (Metrc cannot filter so)."""
    start: datetime | None = None
    end: datetime | None = None
    for cond in query.conditions:
        if cond.field is not Field.LAST_MODIFIED or not isinstance(cond.value, datetime):
            raise ValueError(f"Metrc can only filter lists by last modified time, not {cond.field}")
        moment = cond.value if cond.value.tzinfo else cond.value.replace(tzinfo=UTC)
        if cond.op is Op.GTE:
            start = moment if start is None else max(start, moment)
        elif cond.op is Op.LTE:
            end = moment if end is None else min(end, moment)
        else:
            raise ValueError(f"Metrc cannot ask for last modified {cond.op}")
    if len(query.conditions) > 1 and query.logic.value != "and":
        raise ValueError("Metrc cannot combine last-modified conditions with 'or'")
    if query.sort is not None:
        raise ValueError("Metrc lists cannot be sorted upstream")
    return start, end


def wire_time(moment: datetime) -> str:
    """2026-01-01T00:00:00.000Z: UTC with a Z, so no '+' needs escaping (§7)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
