"""Write kinds of the domain registry -> OpenTHC requests (seed 002, the OpenAPI path files).

OpenTHC acts on one object per request, so a write on several lots or plants is several requests,
sent in order (``backend.py`` says which were applied if one is refused). Bodies are forms, as the
spec's request bodies are (JSON for convert and split, below).

* adjust: ``POST /inventory/{id}/adjust`` sets the lot's quantity (not a change), so the new
  quantity is the lot's current one plus the typed change, in the lot's own unit, to 4 decimals;
* move a lot: ``PATCH /inventory/{id}`` with ``section``; move a plant: ``POST /plant/{id}`` with
  ``section`` (the room is typed by name and looked up in the section list);
* collect: ``POST /plant/{id}/collect`` with ``type`` raw|net, ``qty``, ``uom``, ``date``; the
  first answer's id is the collect group the other plants join (``collect_id``);
* delete: ``DELETE /inventory/{id}``, ``/plant/{id}`` or ``/b2b/outgoing/{id}`` (an open transfer
  voided), sent once to mark and again to confirm;
* convert: ``POST /inventory`` with ``source`` a list of ``{id, qty, uom}`` and ``output``
  ``{product_id, qty, uom}``; split: ``POST /inventory`` with ``source`` one id and ``output``
  ``{qty, uom}`` (JSON, as the spec's examples: a form cannot carry a quantity per source). A
  source taken whole is sent with the quantity the list showed, never "whatever it holds now";
* destroy: ``POST /inventory/{id}/destroy`` with ``reason_code`` and/or ``reason_text``;
* plants from a lot: ``POST /plant`` with ``source``, ``qty``, ``section`` and (when typed)
  ``variety``; change plants: ``POST /plant/{id}`` with ``variety`` and/or ``section``;
* B2B outgoing: ``POST /b2b`` (``type`` outgoing, ``origin``, ``target``), then per lot ``POST
  /b2b/outgoing/{id}/item`` (``inventory``, ``unit_count``, ``uom``) on the id the first answer
  gave; commit: ``POST /b2b/outgoing/{id}/commit``; accept: ``POST /b2b/incoming/{id}/commit``.

Rooms, products and varieties are typed by name and looked up in the lists read just before (``Names``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from urllib.parse import quote

from growtui.domain.collections import Family
from growtui.domain.b2b_work import AcceptB2BIncoming, CommitB2BOutgoing, CreateB2BOutgoing
from growtui.domain.deletion import ConfirmDeletion, MarkForDeletion
from growtui.domain.floor import MovePackages, MovePlants
from growtui.domain.lot_work import ConvertPackages, DestroyLots, SplitPackage
from growtui.domain.package_adjust import AdjustPackages
from growtui.domain.plant_collect import CollectPlants
from growtui.domain.plant_edits import CreatePlantsFromLot, ModifyPlants
from growtui.domain.units import Quantity, Unit

FOUR = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # the object, for people ("lot 01M8…")
    as_json: bool = False  # a JSON body (nested lists); else a form
    ok: frozenset[int] = frozenset()  # non-2xx statuses that are this request's answer
    needs_stat: int | None = None  # the object's ``stat`` must be this, read just before sending
    # Requests after the first that act on what the first made: ``{first}`` in the path, and
    # ``joins`` (a body key) set to the id the first answer gave.
    joins: str = ""


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


def _amount(q: Quantity) -> dict[str, Any]:
    """A quantity as the spec's JSON examples give it: a number (4 decimals) and its ``uom``."""
    return {"qty": float(q.value.quantize(FOUR, rounding=ROUND_HALF_EVEN)), "uom": q.unit.value}


Names = Mapping[str, Mapping[str, str]]  # "section" / "product" / "variety" -> folded name -> id
UNITS = "product unit"  # ``Names[UNITS]``: product id -> the unit its lots are counted in


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _adjust(action: AdjustPackages, names: Names) -> list[Request]:
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


def named_id(names: Names, kind: str, name: str) -> str:
    """The id of a section, product or variety typed by name (case and spaces do not matter)."""
    found = names.get(kind, {}).get(fold(name))
    if not found:
        what = {"section": "room (section)"}.get(kind, kind)
        raise ValueError(f"OpenTHC has no {what} named {name.strip()!r} on this license")
    return found


def _move(base: str, method: str, what: str) -> Any:
    def build(action: MovePackages | MovePlants, names: Names) -> list[Request]:
        if action.sublocation.strip():
            raise ValueError("OpenTHC rooms (sections) have no sublocations: leave it blank")
        section = named_id(names, "section", action.location)
        ids = action.package_ids if isinstance(action, MovePackages) else action.plant_ids
        return [Request(method, object_path(base, oid), {"section": section}, f"{what} {label}")
                for oid, label in zip(ids, action.labels)]
    return build


def _collect(action: CollectPlants, names: Names) -> list[Request]:
    if not isinstance(action.weight, Quantity):
        raise ValueError(action.weight)
    unit = action.weight.unit.value
    return [Request("POST", object_path("/plant", oid) + "/collect",
                    {"type": action.collect_type, "qty": _four(share), "uom": unit, **_day(action.collect_date)},
                    f"plant {label}", joins="collect_id" if n else "")
            for n, (oid, label, share) in enumerate(zip(action.plant_ids, action.labels, action.shares()))]


LIVE, MARKED = 200, 410  # ``stat``: live; marked for deletion


def _delete(action: MarkForDeletion | ConfirmDeletion, names: Names) -> list[Request]:
    """One DELETE per object. Marking is sent only to live objects and confirming only to marked
    ones (read just before): a DELETE to an object marked meanwhile would delete it for good."""
    base, what = {Family.PLANTS: ("/plant", "plant"),
                  Family.TRANSFERS_OUTGOING: ("/b2b/outgoing", "transfer")}.get(action.family, ("/inventory", "lot"))
    confirm = isinstance(action, ConfirmDeletion)
    if confirm:
        _checked(action)
    return [Request("DELETE", object_path(base, oid), {}, f"{what} {label}",
                    ok=frozenset({410}) if confirm else frozenset(), needs_stat=MARKED if confirm else LIVE)
            for oid, label in zip(action.ids, action.labels)]


def _checked(action: Any) -> None:
    if problems := action.validate():
        raise ValueError("; ".join(map(str, problems)))


def _convert(action: ConvertPackages, names: Names) -> list[Request]:
    _checked(action)
    assert isinstance(action.output, Quantity)
    sources = []
    for oid, take, held in zip(action.package_ids, action.takes, action.holdings):
        amount = take if isinstance(take, Quantity) else held
        assert amount is not None  # validate() refused an unknown holding
        sources.append({"id": str(oid), **_amount(amount)})
    product = named_id(names, "product", action.product)
    counted = Unit.lookup(names.get(UNITS, {}).get(product, ""))
    if counted is not None and counted.dimension is not action.output.unit.dimension:
        raise ValueError(f"{action.product.strip()} is counted in {counted.value}; {action.output} is another kind of unit")
    body = {"source": sources, "output": {"product_id": product, **_amount(action.output)}}
    return [Request("POST", "/inventory", body, f"{len(sources)} lot(s) into {action.product}", as_json=True)]


def _split(action: SplitPackage, names: Names) -> list[Request]:
    _checked(action)
    assert isinstance(action.portion, Quantity)
    object_path("/inventory", action.package_id)  # refuses a lot without an id
    body = {"source": str(action.package_id), "output": _amount(action.portion)}
    return [Request("POST", "/inventory", body, f"lot {action.label}", as_json=True)]


def _destroy(action: DestroyLots, names: Names) -> list[Request]:
    _checked(action)
    body = {k: v for k, v in (("reason_code", action.reason_code), ("reason_text", action.reason_text)) if v}
    return [Request("POST", object_path("/inventory", oid) + "/destroy", body, f"lot {label}")
            for oid, label in zip(action.package_ids, action.labels)]


def _plant(action: CreatePlantsFromLot, names: Names) -> list[Request]:
    _checked(action)
    body = {"source": str(action.lot_id), "qty": str(action.count), "section": named_id(names, "section", action.location)}
    if action.variety:
        body["variety"] = named_id(names, "variety", action.variety)
    object_path("/inventory", action.lot_id)  # refuses a lot without an id
    return [Request("POST", "/plant", body, f"lot {action.lot_label}")]


def _modify(action: ModifyPlants, names: Names) -> list[Request]:
    _checked(action)
    body = {key: named_id(names, key, typed) for key, typed in (("variety", action.variety), ("section", action.location))
            if typed}
    return [Request("POST", object_path("/plant", oid), body, f"plant {label}")
            for oid, label in zip(action.plant_ids, action.labels)]


OWN = "self"  # ``Names[OWN]["license"]``: the signed-in license's id (a transfer's origin)


def _ship(action: CreateB2BOutgoing, names: Names) -> list[Request]:
    _checked(action)
    target = action.target.strip()
    out = [Request("POST", "/b2b", {"type": "outgoing", "origin": names.get(OWN, {}).get("license", ""), "target": target},
                   f"transfer to {target}")]
    for oid, label, take, held in zip(action.package_ids, action.labels, action.takes, action.holdings):
        amount = take if isinstance(take, Quantity) else held
        assert amount is not None  # validate() refused an unknown holding
        out.append(Request("POST", "/b2b/outgoing/{first}/item",
                           {"inventory": str(oid), "unit_count": _four(amount.value), "uom": amount.unit.value}, f"lot {label}"))
    return out


def _commit(action: CommitB2BOutgoing, names: Names) -> list[Request]:
    return [Request("POST", object_path("/b2b/outgoing", action.transfer_id) + "/commit", {}, f"transfer {action.label}")]


def _accept(action: AcceptB2BIncoming, names: Names) -> list[Request]:
    body = {"section": named_id(names, "section", action.location)} if action.location else {}
    return [Request("POST", object_path("/b2b/incoming", action.transfer_id) + "/commit", body, f"transfer {action.label}")]


BUILDERS: dict[type, Any] = {
    MarkForDeletion: _delete,
    ConfirmDeletion: _delete,
    AdjustPackages: _adjust,
    MovePackages: _move("/inventory", "PATCH", "lot"),
    MovePlants: _move("/plant", "POST", "plant"),
    CollectPlants: _collect,
    ConvertPackages: _convert,
    SplitPackage: _split,
    DestroyLots: _destroy,
    CreatePlantsFromLot: _plant,
    ModifyPlants: _modify,
    CreateB2BOutgoing: _ship,
    CommitB2BOutgoing: _commit,
    AcceptB2BIncoming: _accept,
}
SUPPORTED_ACTIONS = frozenset(BUILDERS)
NEEDS_NAMES = frozenset({MovePackages, MovePlants, ConvertPackages, CreatePlantsFromLot, ModifyPlants, AcceptB2BIncoming})


def requests_of(action: Any, names: Names) -> list[Request]:
    """The requests, in order; TypeError for a kind OpenTHC has no route for, ValueError for a bad one."""
    build = BUILDERS.get(type(action))
    if build is None:
        raise TypeError(f"OpenTHC has no route for {type(action).__name__}")
    return build(action, names)
