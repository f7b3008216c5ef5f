"""Raw Trace rows -> domain models, leniently (a missing key or a wrong type gives a default).

A strain keeps its state history in ``entity_state`` (``{state, date, reason, actioned_by}``,
append-only); its current state is the last entry. ``raw`` keeps the row verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from growtui.backends.rowmapper import DECIMAL, MOMENT, TEXT, Read, compile_mapper
from growtui.backends.wire import text_value
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import HistoryEvent, License, Strain

Raw = Mapping[str, Any]
MAX_HISTORY = 500  # entries read from one strain's history; more is a broken upstream
_TESTED = {"in_house_tested": "InHouse", "third_party_tested": "ThirdParty"}


def history(raw: Raw) -> list[dict[str, Any]]:
    """The strain's ``entity_state`` entries that are objects (oldest first, bounded)."""
    entries = raw.get("entity_state") if isinstance(raw, Mapping) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries[:MAX_HISTORY] if isinstance(e, dict)]


def current_state(raw: Raw) -> str:
    entries = history(raw)
    return text_value(entries[-1].get("state")) if entries else ""


def _testing(raw: Raw) -> str:
    tested = [_TESTED[s] for e in history(raw) if (s := e.get("state")) in _TESTED]
    return tested[-1] if tested else "None"


license_to_domain = compile_mapper(License, {"number": TEXT("license_number"), "name": TEXT("name", "license_number")})

strain = compile_mapper(
    Strain,
    {
        "id": TEXT("id"),
        "name": TEXT("name"),
        "thc_level": DECIMAL("cannabinoids.thc_percent"),
        "cbd_level": DECIMAL("cannabinoids.cbd_percent"),
        "indica_percentage": DECIMAL("contents.indica_percent"),
        "sativa_percentage": DECIMAL("contents.sativa_percent"),
        "testing_status": _testing,
        "is_used": lambda raw: any(e.get("state") == "used" for e in history(raw)),
        "is_archived": lambda raw: current_state(raw) in ("inactive", "deleted"),
        "index": current_state,
    },
)

state_change = compile_mapper(
    HistoryEvent,
    {
        "descriptions": lambda raw: tuple(t for t in (text_value(raw.get("state")), text_value(raw.get("reason"))) if t),
        "user_name": TEXT("actioned_by"),
        "recorded_at": MOMENT("date"),
    },
)

BY_FAMILY: dict[Family, Callable[[Raw], Any]] = {Family.STRAINS: strain}
BY_SUB: dict[SubCollection, Callable[[Raw], Any]] = {SubCollection.STRAIN_HISTORY: state_change}


def to_domain(collection: Collection | SubCollection, raw: Raw) -> Any:
    """One raw row -> its domain model (never raises on odd rows)."""
    mapper = BY_SUB[collection] if isinstance(collection, SubCollection) else BY_FAMILY[collection.family]
    return mapper(raw)


def raw_paths(family: Family) -> dict[str, str]:
    """Where each domain field of ``family`` sits in a raw Trace row."""
    mapper = BY_FAMILY.get(family)
    if mapper is None:
        return {}
    return {name: r.keys[0] for name, r in mapper.table.items() if isinstance(r, Read)}  # type: ignore[attr-defined]
