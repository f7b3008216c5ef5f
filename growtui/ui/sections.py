"""What the main screen shows: sections (number keys), their states, and per-object sub-lists."""

from __future__ import annotations

from dataclasses import dataclass

from growtui.domain.collections import FAMILY_STATES, Collection, Family, SubCollection


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # the number key that opens it
    title: str
    collections: tuple[Collection, ...]


@dataclass(frozen=True, slots=True)
class SubList:
    """A lazily loaded per-object list shown in the detail pane."""

    sub: SubCollection
    title: str
    parent_field: str  # which field of the raw row is the parent id upstream expects


_STATE_TITLES = {
    "vegetative": "Vegetative",
    "flowering": "Flowering",
    "onhold": "On hold",
    "inactive": "Inactive",
    "active": "Active",
    "intransit": "In transit",
}

_TRANSFER_TITLES = {
    "transfers/incoming/active": "Incoming",
    "transfers/incoming/inactive": "Incoming (done)",
    "transfers/outgoing/active": "Outgoing",
    "transfers/outgoing/inactive": "Outgoing (done)",
    "transfers/rejected": "Rejected",
}

SECTIONS: tuple[Section, ...] = (
    Section("1", "Plants", FAMILY_STATES[Family.PLANTS]),
    Section("2", "Batches", FAMILY_STATES[Family.PLANT_BATCHES]),
    Section("3", "Harvests", FAMILY_STATES[Family.HARVESTS]),
    Section("4", "Packages", FAMILY_STATES[Family.PACKAGES]),
    Section("5", "Items", FAMILY_STATES[Family.ITEMS]),
    Section("6", "Strains", FAMILY_STATES[Family.STRAINS]),
    Section(
        "7",
        "Transfers",
        FAMILY_STATES[Family.TRANSFERS_INCOMING]
        + FAMILY_STATES[Family.TRANSFERS_OUTGOING]
        + FAMILY_STATES[Family.TRANSFERS_REJECTED],
    ),
)

_TRANSFER_SUBS = (
    SubList(SubCollection.DELIVERY_PACKAGES, "Packages in this delivery", "deliveryId"),
    SubList(SubCollection.DELIVERY_TRANSPORTERS, "Transporters", "deliveryId"),
    SubList(SubCollection.TRANSFER_HISTORY, "History", "manifestNumber"),
)

SUB_LISTS: dict[Family, tuple[SubList, ...]] = {
    Family.PLANTS: (SubList(SubCollection.PLANT_HISTORY, "History", "id"),),
    Family.PLANT_BATCHES: (SubList(SubCollection.PLANT_BATCH_HISTORY, "History", "id"),),
    Family.HARVESTS: (
        SubList(SubCollection.HARVEST_PLANTS, "Plants", "id"),
        SubList(SubCollection.HARVEST_PACKAGES, "Packages", "id"),
        SubList(SubCollection.HARVEST_HISTORY, "History", "id"),
    ),
    Family.PACKAGES: (
        SubList(SubCollection.PACKAGE_LAB_RESULTS, "Lab results", "id"),
        SubList(SubCollection.PACKAGE_HISTORY, "History", "id"),
    ),
    Family.ITEMS: (SubList(SubCollection.ITEM_HISTORY, "History", "id"),),
    Family.STRAINS: (SubList(SubCollection.STRAIN_HISTORY, "State history", "id"),),
    Family.TRANSFERS_INCOMING: _TRANSFER_SUBS,
    Family.TRANSFERS_OUTGOING: _TRANSFER_SUBS,
    Family.TRANSFERS_REJECTED: _TRANSFER_SUBS,
}


def state_title(coll: Collection) -> str:
    if coll.key in _TRANSFER_TITLES:
        return _TRANSFER_TITLES[coll.key]
    return _STATE_TITLES.get(coll.state, coll.state.title() or "All")


def section_of(coll: Collection) -> Section:
    return next(s for s in SECTIONS if coll in s.collections)


def collection_title(coll: Collection) -> str:
    section = section_of(coll)
    if len(section.collections) == 1:
        return section.title
    return f"{section.title} › {state_title(coll)}"


def available_sections(
    supported: tuple[Collection, ...], families: frozenset[Family] | None = None
) -> tuple[Section, ...]:
    """Sections restricted to the collections the backend can load and, when known, to the
    families of lists the license can have."""
    out = []
    for section in SECTIONS:
        colls = tuple(c for c in section.collections if c in supported and (families is None or c.family in families))
        if colls:
            out.append(Section(section.key, section.title, colls))
    return tuple(out)
