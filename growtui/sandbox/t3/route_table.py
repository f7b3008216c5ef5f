"""The T3 collection routes the sandbox serves, in T3's own terms (reference §5, §9 item 7).

Written from the T3 API, not from growtui's domain vocabulary: the sandbox must not share the
client's assumptions about which lists exist, or it could not catch the client's mistakes.

A top-level collection is served at ``/v2/<family>/<state>`` (``/v2/items`` and ``/v2/strains``
have no state), and every object served there carries the ``index`` (= ``dataModel``) value of
its model's index enum in t3api 0.6.0, listed here next to the route.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """The path under ``/v2`` shared by one kind of object's state collections."""

    PLANTS = "plants"
    PLANT_BATCHES = "plantbatches"
    HARVESTS = "harvests"
    PACKAGES = "packages"
    ITEMS = "items"
    STRAINS = "strains"
    TRANSFERS_INCOMING = "transfers/incoming"
    TRANSFERS_OUTGOING = "transfers/outgoing"
    TRANSFERS_REJECTED = "transfers/rejected"


@dataclass(frozen=True, slots=True)
class Collection:
    """One paged top-level route: ``Collection(Family.PACKAGES, "active")`` is /v2/packages/active."""

    family: Family
    state: str = ""

    @property
    def key(self) -> str:
        """The route below ``/v2/``: ``packages/active``, ``items``."""
        return f"{self.family.value}/{self.state}" if self.state else self.family.value

    @property
    def path(self) -> str:
        return f"/v2/{self.key}"

    @property
    def index(self) -> str:
        return _INDEX[self]

    @classmethod
    def parse(cls, key: str) -> Collection:
        found = _BY_KEY.get(key)
        if found is None:
            raise KeyError(f"no T3 collection route /v2/{key}")
        return found

    def __str__(self) -> str:
        return self.key


# (family, state, index enum value of the objects served there)
_ROUTES: tuple[tuple[Family, str, str], ...] = (
    (Family.PLANTS, "vegetative", "VEGETATIVE_PLANT"),
    (Family.PLANTS, "flowering", "FLOWERING_PLANT"),
    (Family.PLANTS, "onhold", "ONHOLD_PLANT"),
    (Family.PLANTS, "inactive", "INACTIVE_PLANT"),
    (Family.PLANT_BATCHES, "active", "ACTIVE_PLANTBATCH"),
    (Family.PLANT_BATCHES, "onhold", "ONHOLD_PLANTBATCH"),
    (Family.PLANT_BATCHES, "inactive", "INACTIVE_PLANTBATCH"),
    (Family.HARVESTS, "active", "ACTIVE_HARVEST"),
    (Family.HARVESTS, "onhold", "ONHOLD_HARVEST"),
    (Family.HARVESTS, "inactive", "INACTIVE_HARVEST"),
    (Family.PACKAGES, "active", "ACTIVE_PACKAGE"),
    (Family.PACKAGES, "onhold", "ONHOLD_PACKAGE"),
    (Family.PACKAGES, "inactive", "INACTIVE_PACKAGE"),
    (Family.PACKAGES, "intransit", "INTRANSIT_PACKAGE"),
    (Family.ITEMS, "", "ACTIVE_ITEM"),
    (Family.STRAINS, "", "ACTIVE_STRAIN"),
    (Family.TRANSFERS_INCOMING, "active", "ACTIVE_INCOMING_TRANSFER"),
    (Family.TRANSFERS_INCOMING, "inactive", "INACTIVE_INCOMING_TRANSFER"),
    (Family.TRANSFERS_OUTGOING, "active", "ACTIVE_OUTGOING_TRANSFER"),
    (Family.TRANSFERS_OUTGOING, "inactive", "INACTIVE_OUTGOING_TRANSFER"),
    (Family.TRANSFERS_REJECTED, "", "REJECTED_TRANSFER"),
)

_INDEX: dict[Collection, str] = {Collection(family, state): index for family, state, index in _ROUTES}
_BY_KEY: dict[str, Collection] = {c.key: c for c in _INDEX}
ALL_COLLECTIONS: tuple[Collection, ...] = tuple(_INDEX)


class SubCollection(StrEnum):
    """Per-object lists, paged like collections and keyed by the parent's id in the query
    (``?packageId=``, ``?manifestNumber=``, ``?deliveryId=``): T3 has no single-object routes."""

    PLANT_HISTORY = "plants/history"
    PLANT_BATCH_HISTORY = "plantbatches/history"
    HARVEST_HISTORY = "harvests/history"
    HARVEST_PLANTS = "harvests/plants"
    HARVEST_PACKAGES = "harvests/packages"
    PACKAGE_HISTORY = "packages/history"
    PACKAGE_LAB_RESULTS = "packages/labresults"
    ITEM_HISTORY = "items/history"
    TRANSFER_HISTORY = "transfers/history"
    TRANSFER_DELIVERIES = "transfers/deliveries"
    TRANSFER_TRANSPORTER_DETAILS = "transfers/transporter-details"
    DELIVERY_PACKAGES = "transfers/packages"
    DELIVERY_TRANSPORTERS = "transfers/transporters"
