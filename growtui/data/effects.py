"""What a write changes upstream, and how to see it by re-reading upstream.

T3 answers a write with just "Success" (no ids), and a write that timed out may or may not have
applied. Both cases are settled the same way: look for the write's effect in the collections (the
package has the note, a package with the new tag exists, an outgoing transfer with the invoice
number exists…). Works from the journal entry's JSON payload, so it also runs after a crash.

Lookups use T3's filter grammar (`field__op:value`), the grammar of the only backend so far.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from growtui.backends.base import Backend, Query
from growtui.data.journal import JournalEntry
from growtui.data.sync import iso_utc
from growtui.domain.collections import FAMILY_STATES, Collection, Family
from growtui.domain.models import License

ID_CHUNK = 20  # ids per OR-ed lookup request (keeps URLs short)
CREATED_MARGIN_S = 300.0  # clock skew allowance when matching objects by creation time


def now() -> float:
    return time.time()


@dataclass(frozen=True, slots=True)
class Found:
    applied: bool | None  # None: cannot tell from upstream data
    changed: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    message: str = ""


def license_model(backend: Backend, raw: dict[str, Any]) -> Any:
    """A domain License from a raw license row (the backend's mapping when it offers one)."""
    mapper = getattr(backend, "license_to_domain", None)
    if callable(mapper):
        return mapper(raw)
    return License(
        number=str(raw.get("licenseNumber") or ""), name=str(raw.get("licenseName") or ""), raw=raw
    )


# -- payload access (the journal stores actions as JSON of their dataclass fields) ----------------


def _get(payload: dict[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        if name in payload and payload[name] is not None:
            return payload[name]
    return default


def _id_of(value: Any) -> int | None:
    if isinstance(value, dict):
        value = _get(value, "id", "package_id", "facility_id")
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _label_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = _get(value, "label", "tag", "name")
    return str(value).strip().upper() if value else None


def _ids(payload: dict[str, Any]) -> list[int]:
    raw = _get(payload, "package_ids", "ids", "packages", default=[])
    if not isinstance(raw, list):
        raw = [raw]
    return [i for i in (_id_of(v) for v in raw) if i is not None]


# -- upstream lookups ---------------------------------------------------------------------------------


async def find(
    backend: Backend,
    license: str,
    collections: Iterable[Collection],
    filters: Sequence[str],
    logic: str = "and",
) -> list[tuple[Collection, dict[str, Any]]]:
    """Every row matching `filters` in each collection (all pages)."""
    page_size = backend.max_page_size
    query = Query(filters=tuple(filters), filter_logic=logic)
    found: list[tuple[Collection, dict[str, Any]]] = []
    for coll in collections:
        first = await backend.fetch_page(license, coll, 1, page_size, query)
        found.extend((coll, r) for r in first.rows)
        for page in range(2, math.ceil(first.total / page_size) + 1):
            more = await backend.fetch_page(license, coll, page, page_size, query)
            found.extend((coll, r) for r in more.rows)
    return found


async def find_ids(
    backend: Backend, license: str, family: Family, ids: Sequence[int]
) -> dict[int, tuple[Collection, dict[str, Any]]]:
    """Where each id lives now across the family's collections (absent ids are missing)."""
    out: dict[int, tuple[Collection, dict[str, Any]]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        rows = await find(
            backend, license, _family(family), [f"id__eq:{i}" for i in chunk], "or"
        )
        for coll, row in rows:
            obj_id = _id_of(row)
            if obj_id in chunk:
                out[obj_id] = (coll, row)
    return out


def _family(family: Family) -> tuple[Collection, ...]:
    return FAMILY_STATES[family]


# -- checks per action kind -----------------------------------------------------------------------------

Check = Callable[[Backend, JournalEntry], Awaitable[Found]]


async def _check_note(backend: Backend, entry: JournalEntry) -> Found:
    ids = _ids(entry.payload)
    note = _get(entry.payload, "note", default="")
    where = await find_ids(backend, entry.license, Family.PACKAGES, ids)
    have = [i for i in ids if i in where and (where[i][1].get("note") or "") == note]
    if len(have) == len(ids):
        return Found(True, (f"note set on {len(ids)} package(s)",), {"package_ids": have},
                     f"All {len(ids)} package(s) have the note.")
    return Found(False, (), {"package_ids": have, "missing": [i for i in ids if i not in have]},
                 f"{len(have)} of {len(ids)} package(s) have the note.")


async def _check_unfinish(backend: Backend, entry: JournalEntry) -> Found:
    ids = _ids(entry.payload)
    where = await find_ids(backend, entry.license, Family.PACKAGES, ids)
    active = [i for i in ids if i in where and where[i][0].state != "inactive"]
    if len(active) == len(ids):
        return Found(True, (f"{len(ids)} package(s) unfinished",), {"package_ids": active},
                     f"All {len(ids)} package(s) are active again.")
    return Found(False, (), {"package_ids": active, "missing": [i for i in ids if i not in active]},
                 f"{len(active)} of {len(ids)} package(s) are active again.")


async def _check_create_package(backend: Backend, entry: JournalEntry) -> Found:
    tag = _label_of(_get(entry.payload, "tag", "tag_label", "label"))
    if not tag:
        return Found(None, message="The journal entry names no tag to look for.")
    rows = await find(backend, entry.license, _family(Family.PACKAGES), [f"label__eq:{tag}"])
    if not rows:
        return Found(False, (), {"label": tag}, f"No package with tag {tag} exists.")
    coll, row = rows[0]
    pkg_id = _id_of(row)
    return Found(True, (f"package {tag} created (id {pkg_id})",),
                 {"package_id": pkg_id, "label": tag, "collection": coll.key},
                 f"Package {tag} exists (id {pkg_id}).")


async def _check_create_strain(backend: Backend, entry: JournalEntry) -> Found:
    name = str(_get(entry.payload, "name", default="")).strip()
    rows = await find(backend, entry.license, _family(Family.STRAINS), [f"name__eq:{name}"])
    if not rows:
        return Found(False, (), {"name": name}, f"No strain named {name!r} exists.")
    strain_id = _id_of(rows[0][1])
    return Found(True, (f"strain {name} created (id {strain_id})",),
                 {"strain_id": strain_id, "name": name}, f"Strain {name!r} exists (id {strain_id}).")


def _discontinue_check(family: Family, what: str) -> Check:
    async def check(backend: Backend, entry: JournalEntry) -> Found:
        obj_id = _id_of(_get(entry.payload, "id", "item_id", "strain_id", "item", "strain"))
        if obj_id is None:
            return Found(None, message=f"The journal entry names no {what}.")
        where = await find_ids(backend, entry.license, family, [obj_id])
        if obj_id in where:
            return Found(False, (), {"id": obj_id}, f"The {what} (id {obj_id}) is still listed.")
        return Found(True, (f"{what} {obj_id} discontinued",), {"id": obj_id},
                     f"The {what} (id {obj_id}) is no longer listed.")

    return check


async def _check_transfer(backend: Backend, entry: JournalEntry) -> Found:
    destinations = _get(entry.payload, "destinations", default=[]) or []
    outgoing = _family(Family.TRANSFERS_OUTGOING)
    since = iso_utc(entry.created - CREATED_MARGIN_S)
    recent = await find(backend, entry.license, outgoing, [f"createdDateTime__gte:{since}"])
    matched: list[dict[str, Any]] = []
    used: set[Any] = set()
    for dest in destinations:
        invoice = _get(dest, "invoice_number", "invoiceNumber")
        recipient = _id_of(_get(dest, "recipient_id", "recipient", "recipient_facility"))
        for _coll, row in recent:
            key = (row.get("id"), row.get("deliveryId"))
            if key in used:
                continue
            if invoice and row.get("invoiceNumber") == invoice or (
                not invoice and recipient is not None and _id_of(row.get("recipientFacilityId")) == recipient
            ):
                used.add(key)
                matched.append(row)
                break
    manifests = sorted({str(r.get("manifestNumber")) for r in matched})
    details = {"manifest_numbers": manifests, "transfer_ids": sorted({_id_of(r) for r in matched})}
    if destinations and len(matched) == len(destinations):
        return Found(True, tuple(f"transfer {m} created" for m in manifests), details,
                     f"Transfer {', '.join(manifests)} exists.")
    return Found(False, (), details,
                 f"{len(matched)} of {len(destinations)} destination(s) found among transfers created since then.")


_CHECKS: dict[str, Check] = {
    "AddNote": _check_note,
    "Unfinish": _check_unfinish,
    "UnfinishPackages": _check_unfinish,
    "CreatePackage": _check_create_package,
    "CreateStrain": _check_create_strain,
    "DiscontinueStrain": _discontinue_check(Family.STRAINS, "strain"),
    "DiscontinueItem": _discontinue_check(Family.ITEMS, "item"),
    "CreateTransfer": _check_transfer,
}

_AFFECTS: dict[str, tuple[Family, ...]] = {
    "AddNote": (Family.PACKAGES,),
    "Unfinish": (Family.PACKAGES,),
    "UnfinishPackages": (Family.PACKAGES,),
    "CreatePackage": (Family.PACKAGES,),
    "CreateStrain": (Family.STRAINS,),
    "DiscontinueStrain": (Family.STRAINS,),
    "DiscontinueItem": (Family.ITEMS,),
    "CreateTransfer": (Family.TRANSFERS_OUTGOING, Family.PACKAGES),
}


async def discover(backend: Backend, entry: JournalEntry) -> Found:
    """Look upstream for the effect of a journaled write."""
    check = _CHECKS.get(entry.kind)
    if check is None:
        return Found(None, message="This kind of write cannot be checked from T3's lists; "
                     "look in T3 before sending it again.")
    return await check(backend, entry)


_CREATES = frozenset({"CreatePackage", "CreateStrain", "CreateTransfer"})


def creates(kind: str) -> bool:
    """Whether a write of this kind creates objects whose ids only a re-read can tell."""
    return kind in _CREATES


def affected_families(kind: str) -> tuple[Family, ...]:
    return _AFFECTS.get(kind, ())
