"""What a write changes upstream, and how to see it by re-reading upstream.

Upstream may answer a write with just "Success" (no ids), and a write that timed out may or may
not have applied. Both cases are settled the same way: look for the write's effect in the
collections (the package has the note, a package with the new tag exists, an outgoing transfer with
the invoice number exists…). Works from the journal entry's JSON payload, so it also runs after a
crash. Lookups are neutral queries; what is found is read through the backend's domain models.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from growtui.backends.base import Backend
from growtui.data.journal import JournalEntry
from growtui.data.paging import page_count
from growtui.domain.collections import FAMILY_STATES, Collection, Family
from growtui.domain.models import License
from growtui.domain.query import Condition, Field, Op, Query
from growtui.domain.writes import Evidence, spec_of

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


def license_model(backend: Backend, raw: dict[str, Any]) -> License:
    """A domain License from a raw license row, through the backend's mapping."""
    return backend.license_to_domain(raw)


# -- payload access (the journal stores actions as JSON of their dataclass fields) ----------------


def _get(payload: dict[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        if name in payload and payload[name] is not None:
            return payload[name]
    return default


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _id_of(value: Any) -> int | str | None:
    """A number id as an int; a text id (Trace's hex, OpenTHC's ULIDs) as its text."""
    if isinstance(value, dict):
        value = _get(value, "id", "package_id", "facility_id")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and value.strip() and not _NUMBER.fullmatch(value.strip()):
        return value.strip()
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _label_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = _get(value, "label", "tag", "name")
    return str(value).strip().upper() if value else None


def _ids(payload: dict[str, Any]) -> list[int | str]:
    raw = _get(payload, "package_ids", "ids", "packages", default=[])
    if not isinstance(raw, list):
        raw = [raw]
    return [i for i in (_id_of(v) for v in raw) if i is not None]


# -- upstream lookups ---------------------------------------------------------------------------------


async def find(
    backend: Backend, license: str, collections: Iterable[Collection], query: Query
) -> list[tuple[Collection, Any]]:
    """Every row matching `query` in each collection (all pages), as domain models."""
    page_size = backend.paging.max_page_size
    found: list[tuple[Collection, Any]] = []
    for coll in collections:
        first = await backend.fetch_page(license, coll, 1, page_size, query)
        rows = list(first.rows)
        for page in range(2, page_count(first, page_size, coll.key) + 1):
            rows.extend((await backend.fetch_page(license, coll, page, page_size, query)).rows)
        found.extend((coll, backend.to_domain(coll, r)) for r in rows)
    return found


async def find_ids(
    backend: Backend, license: str, family: Family, ids: Sequence[int | str]
) -> dict[int | str, tuple[Collection, Any]]:
    """Where each id lives now across the family's collections (absent ids are missing)."""
    out: dict[int | str, tuple[Collection, Any]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        query = Query.any_of([Condition(Field.ID, Op.EQ, i) for i in chunk])
        for coll, model in await find(backend, license, _family(family), query):
            if model.id in chunk:
                out[model.id] = (coll, model)
    return out


async def find_label(backend: Backend, license: str, family: Family, label: str) -> list[tuple[Collection, Any]]:
    """The rows of a family whose tag label is exactly ``label``, wherever they are now."""
    return await find(backend, license, _family(family), Query.where(Field.LABEL, Op.EQ, label))


def _family(family: Family) -> tuple[Collection, ...]:
    return FAMILY_STATES[family]


# -- checks per action kind -----------------------------------------------------------------------------

Check = Callable[[Backend, JournalEntry], Awaitable[Found]]


async def _check_note(backend: Backend, entry: JournalEntry) -> Found:
    ids = _ids(entry.payload)
    note = _get(entry.payload, "note", default="")
    where = await find_ids(backend, entry.license, Family.PACKAGES, ids)
    have = [i for i in ids if i in where and (where[i][1].note or "") == note]
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


async def _check_label_exists(backend: Backend, entry: JournalEntry) -> Found:
    family = _evidence_family(entry)
    what = _ONE[family]
    tag = _label_of(_get(entry.payload, "tag", "tag_label", "label"))
    if not tag:
        return Found(None, message="The journal entry names no tag to look for.")
    rows = await find_label(backend, entry.license, family, tag)
    if not rows:
        return Found(False, (), {"label": tag}, f"No {what} with tag {tag} exists.")
    coll, model = rows[0]
    return Found(True, (f"{what} {tag} created (id {model.id})",),
                 {f"{what}_id": model.id, "label": tag, "collection": coll.key},
                 f"{what.capitalize()} {tag} exists (id {model.id}).")


async def _check_name_exists(backend: Backend, entry: JournalEntry) -> Found:
    family = _evidence_family(entry)
    what = _ONE[family]
    name = str(_get(entry.payload, "name", default="")).strip()
    rows = await find(backend, entry.license, _family(family), Query.where(Field.NAME, Op.EQ, name))
    if not rows:
        return Found(False, (), {"name": name}, f"No {what} named {name!r} exists.")
    obj_id = rows[0][1].id
    return Found(True, (f"{what} {name} created (id {obj_id})",),
                 {f"{what}_id": obj_id, "name": name}, f"{what.capitalize()} {name!r} exists (id {obj_id}).")


async def _check_gone(backend: Backend, entry: JournalEntry) -> Found:
    family = _evidence_family(entry)
    what = _ONE[family]
    obj_id = _id_of(_get(entry.payload, "id", "item_id", "strain_id", "item", "strain"))
    if obj_id is None:
        return Found(None, message=f"The journal entry names no {what}.")
    where = await find_ids(backend, entry.license, family, [obj_id])
    if obj_id in where:
        return Found(False, (), {"id": obj_id}, f"The {what} (id {obj_id}) is still listed.")
    return Found(True, (f"{what} {obj_id} discontinued",), {"id": obj_id},
                 f"The {what} (id {obj_id}) is no longer listed.")


# What one object of a family is called in messages.
_ONE: dict[Family, str] = {Family.ITEMS: "item", Family.STRAINS: "strain", Family.PACKAGES: "package"}


def _evidence_family(entry: JournalEntry) -> Family:
    spec = spec_of(entry.kind)
    assert spec is not None and spec.evidence_family is not None, entry.kind  # checked by discover
    return spec.evidence_family


async def _check_transfer(backend: Backend, entry: JournalEntry) -> Found:
    destinations = _get(entry.payload, "destinations", default=[]) or []
    outgoing = _family(Family.TRANSFERS_OUTGOING)
    since = datetime.fromtimestamp(entry.created - CREATED_MARGIN_S, UTC)
    query = Query.where(Field.CREATED_AT, Op.GTE, since)
    recent = await find(backend, entry.license, outgoing, query)
    matched: list[Any] = []
    used: set[Any] = set()
    for dest in destinations:
        invoice = _get(dest, "invoice_number", "invoiceNumber")
        recipient = _id_of(_get(dest, "recipient_id", "recipient", "recipient_facility"))
        for _coll, transfer in recent:
            key = (transfer.id, transfer.delivery_id)
            if key in used:
                continue
            if invoice and transfer.invoice_number == invoice or (
                not invoice and recipient is not None and transfer.recipient_facility_id == recipient
            ):
                used.add(key)
                matched.append(transfer)
                break
    manifests = sorted({str(t.manifest_number) for t in matched})
    details = {"manifest_numbers": manifests, "transfer_ids": sorted({t.id for t in matched})}
    if destinations and len(matched) == len(destinations):
        return Found(True, tuple(f"transfer {m} created" for m in manifests), details,
                     f"Transfer {', '.join(manifests)} exists.")
    return Found(False, (), details,
                 f"{len(matched)} of {len(destinations)} destination(s) found among transfers created since then.")


# One check per kind of evidence; the write registry says which evidence each write leaves.
_CHECKS: dict[Evidence, Check] = {
    Evidence.NOTE_SET: _check_note,
    Evidence.ACTIVE_AGAIN: _check_unfinish,
    Evidence.LABEL_EXISTS: _check_label_exists,
    Evidence.NAME_EXISTS: _check_name_exists,
    Evidence.ID_GONE: _check_gone,
    Evidence.TRANSFER_EXISTS: _check_transfer,
}


async def discover(backend: Backend, entry: JournalEntry) -> Found:
    """Look upstream for the effect of a journaled write."""
    spec = spec_of(entry.kind)
    check = _CHECKS.get(spec.evidence) if spec is not None else None
    if check is None:
        return Found(None, message="This kind of write cannot be checked from upstream's lists; "
                     "look upstream before sending it again.")
    return await check(backend, entry)


def creates(kind: str) -> bool:
    """Whether a write of this kind creates objects whose ids only a re-read can tell."""
    spec = spec_of(kind)
    return spec is not None and spec.creates


def affected_families(kind: str) -> tuple[Family, ...]:
    spec = spec_of(kind)
    return spec.affects if spec is not None else ()
