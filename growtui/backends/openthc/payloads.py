"""Write kinds of the domain registry -> OpenTHC requests (seed 002, the OpenAPI path files).

OpenTHC acts on one object per request, so a write on several lots or plants is several requests,
sent in order (``backend.py`` says which were applied if one is refused). Bodies are forms, as the
spec's request bodies are.

* adjust: ``POST /inventory/{id}/adjust`` sets the lot's quantity (not a change), so the new
  quantity is the lot's current one plus the typed change, in the lot's own unit, to 4 decimals;
* move a lot: ``PATCH /inventory/{id}`` with ``section``; move a plant: ``POST /plant/{id}`` with
  ``section`` (the room is typed by name and looked up in the section list);
* collect: ``POST /plant/{id}/collect`` with ``type`` raw|net, ``qty``, ``uom``, ``date``; the
  first answer's id is the collect group the other plants join (``collect_id``);
* delete: ``DELETE /inventory/{id}`` or ``/plant/{id}``, sent once to mark and again to confirm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from urllib.parse import quote

from growtui.domain.collections import Family
from growtui.domain.deletion import ConfirmDeletion, MarkForDeletion
from growtui.domain.floor import MovePackages, MovePlants
from growtui.domain.package_adjust import AdjustPackages
from growtui.domain.plant_collect import CollectPlants
from growtui.domain.units import Quantity

FOUR = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    body: dict[str, str] = field(default_factory=dict)
    label: str = ""  # the object, for people ("lot 01M8…")
    ok: frozenset[int] = frozenset()  # non-2xx statuses that are this request's answer
    needs_stat: int | None = None  # the object's ``stat`` must be this, read just before sending


def object_path(base: str, oid: Any) -> str:
    """``/inventory/{id}``; the id is upstream data, so it is quoted into one path segment."""
    text = str(oid).strip() if oid is not None else ""
    if not text:
        raise ValueError("the object has no OpenTHC id")
    return f"{base}/{quote(text, safe='')}"


def _day(day: date | None) -> dict[str, str]:
    return {} if day is None else {"date": datetime.combine(day, time(12), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def _four(value: Decimal) -> str:
    return str(value.quantize(FOUR, rounding=ROUND_HALF_EVEN))


def _adjust(action: AdjustPackages, rooms: Mapping[str, str]) -> list[Request]:
    change = action.change.quantity
    if change is None:
        raise ValueError(action.change.problem)
    if len(action.holdings) != len(action.package_ids) or any(h is None for h in action.holdings):
        raise ValueError("OpenTHC sets a lot's quantity, so growtui needs each lot's current quantity: refresh the list")
    out = []
    for oid, label, held in zip(action.package_ids, action.labels, action.holdings):
        assert held is not None
        if not held.compatible(change):
            raise ValueError(f"{label} holds {held}; a change in {change.unit} does not fit it")
        new = held.value + action.change.sign * change.to(held.unit).value
        if new < 0:
            raise ValueError(f"{label} holds {held}; taking off {change} would leave less than nothing")
        body = {"qty": _four(new), "uom": held.unit.value, "code": action.reason.strip()}
        if action.note.strip():
            body["note"] = action.note.strip()
        out.append(Request("POST", object_path("/inventory", oid) + "/adjust", body, f"lot {label}"))
    return out


def room_id(rooms: Mapping[str, str], name: str) -> str:
    """The section id of a room typed by name (case and spaces do not matter)."""
    found = rooms.get(" ".join(name.split()).casefold())
    if not found:
        raise ValueError(f"OpenTHC has no room (section) named {name.strip()!r} on this license")
    return found


def _move(base: str, method: str, what: str) -> Any:
    def build(action: MovePackages | MovePlants, rooms: Mapping[str, str]) -> list[Request]:
        if action.sublocation.strip():
            raise ValueError("OpenTHC rooms (sections) have no sublocations: leave it blank")
        section = room_id(rooms, action.location)
        ids = action.package_ids if isinstance(action, MovePackages) else action.plant_ids
        return [Request(method, object_path(base, oid), {"section": section}, f"{what} {label}")
                for oid, label in zip(ids, action.labels)]
    return build


def _collect(action: CollectPlants, rooms: Mapping[str, str]) -> list[Request]:
    if not isinstance(action.weight, Quantity):
        raise ValueError(action.weight)
    unit = action.weight.unit.value
    return [Request("POST", object_path("/plant", oid) + "/collect",
                    {"type": action.collect_type, "qty": _four(share), "uom": unit, **_day(action.collect_date)},
                    f"plant {label}")
            for oid, label, share in zip(action.plant_ids, action.labels, action.shares())]


LIVE, MARKED = 200, 410  # ``stat``: live; marked for deletion


def _delete(action: MarkForDeletion | ConfirmDeletion, rooms: Mapping[str, str]) -> list[Request]:
    """One DELETE per object. Marking is sent only to live objects and confirming only to marked
    ones (read just before): a DELETE to an object marked meanwhile would delete it for good."""
    base, what = ("/plant", "plant") if action.family is Family.PLANTS else ("/inventory", "lot")
    confirm = isinstance(action, ConfirmDeletion)
    if confirm and (problems := action.validate()):
        raise ValueError("; ".join(map(str, problems)))
    return [Request("DELETE", object_path(base, oid), {}, f"{what} {label}",
                    ok=frozenset({410}) if confirm else frozenset(), needs_stat=MARKED if confirm else LIVE)
            for oid, label in zip(action.ids, action.labels)]


BUILDERS: dict[type, Any] = {
    MarkForDeletion: _delete,
    ConfirmDeletion: _delete,
    AdjustPackages: _adjust,
    MovePackages: _move("/inventory", "PATCH", "lot"),
    MovePlants: _move("/plant", "POST", "plant"),
    CollectPlants: _collect,
}
SUPPORTED_ACTIONS = frozenset(BUILDERS)
NEEDS_ROOMS = frozenset({MovePackages, MovePlants})


def requests_of(action: Any, rooms: Mapping[str, str]) -> list[Request]:
    """The requests, in order; TypeError for a kind OpenTHC has no route for, ValueError for a bad one."""
    build = BUILDERS.get(type(action))
    if build is None:
        raise TypeError(f"OpenTHC has no route for {type(action).__name__}")
    return build(action, rooms)
