"""Backend-neutral names for the lists growtui shows.

A *collection* is a (family, state) pair such as ``packages/active``. Every backend maps these
keys to its own routes; the sandbox uses the same vocabulary to lay out its data. An object lives in
exactly one collection of its family at a time, so a refresh across *siblings* can move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
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
    family: Family
    state: str = ""  # "" for families with a single collection (items, strains, rejected)

    @property
    def key(self) -> str:
        """Stable string key, equal to the T3 path suffix: ``packages/active``, ``items``."""
        return f"{self.family.value}/{self.state}" if self.state else self.family.value

    @property
    def siblings(self) -> tuple["Collection", ...]:
        return FAMILY_STATES[self.family]

    @classmethod
    def parse(cls, key: str) -> "Collection":
        for coll in ALL_COLLECTIONS:
            if coll.key == key:
                return coll
        raise KeyError(f"unknown collection {key!r}")

    def __str__(self) -> str:
        return self.key


_STATES: dict[Family, tuple[str, ...]] = {
    Family.PLANTS: ("vegetative", "flowering", "onhold", "inactive"),
    Family.PLANT_BATCHES: ("active", "onhold", "inactive"),
    Family.HARVESTS: ("active", "onhold", "inactive"),
    Family.PACKAGES: ("active", "onhold", "inactive", "intransit"),
    Family.ITEMS: ("",),
    Family.STRAINS: ("",),
    Family.TRANSFERS_INCOMING: ("active", "inactive"),
    Family.TRANSFERS_OUTGOING: ("active", "inactive"),
    Family.TRANSFERS_REJECTED: ("",),
}

FAMILY_STATES: dict[Family, tuple[Collection, ...]] = {
    fam: tuple(Collection(fam, s) for s in states) for fam, states in _STATES.items()
}
ALL_COLLECTIONS: tuple[Collection, ...] = tuple(c for cs in FAMILY_STATES.values() for c in cs)


class SubCollection(StrEnum):
    """Per-object lists, fetched lazily with the parent's id (T3 has no single-object routes)."""

    PLANT_HISTORY = "plants/history"
    PLANT_BATCH_HISTORY = "plantbatches/history"
    HARVEST_HISTORY = "harvests/history"
    HARVEST_PLANTS = "harvests/plants"
    HARVEST_PACKAGES = "harvests/packages"
    PACKAGE_HISTORY = "packages/history"
    PACKAGE_LAB_RESULTS = "packages/labresults"
    ITEM_HISTORY = "items/history"
    STRAIN_HISTORY = "strains/history"  # Trace: the strain's entity_state entries
    TRANSFER_HISTORY = "transfers/history"
    TRANSFER_DELIVERIES = "transfers/deliveries"
    TRANSFER_TRANSPORTER_DETAILS = "transfers/transporter-details"
    DELIVERY_PACKAGES = "transfers/packages"
    DELIVERY_TRANSPORTERS = "transfers/transporters"
