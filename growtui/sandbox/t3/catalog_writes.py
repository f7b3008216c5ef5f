"""Strain and item writes: ``strains/create``, ``strains/discontinue``, ``items/discontinue`` (§6.2).

Same contract as ``package_writes``: ``plan_*`` validates and returns the closure that applies.
Discontinuing sets ``isArchived``, which takes the object out of ``/v2/strains`` or ``/v2/items``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.mutation_checks import (
    Apply,
    Invalid,
    as_list,
    as_object,
    plain,
    req_id,
    req_number,
    req_str,
    to_wire_number,
)
from growtui.sandbox.t3.store import LicenseState, Obj

TESTING_STATUSES = ("None", "InHouse", "ThirdParty")
# The reference leaves the scale of cbdLevel/thcLevel open (Metrc sends fractions like 0.1865,
# people type percentages), so both are accepted: anything from 0 to 100.
LEVEL_MAX = Decimal(100)


def plan_strains_create(lic: LicenseState, body: Any, user: str) -> Apply:
    entries = as_list(body, "strains/create")
    taken = {s["name"].casefold(): s for s in lic.strains.values() if not s.get("isArchived")}
    in_request: dict[str, int] = {}
    strains: list[Obj] = []
    for n, raw in enumerate(entries, 1):
        where = f"Strain entry {n}"
        entry = as_object(raw, where)
        name = req_str(entry, "name", where).strip()
        key = name.casefold()
        if key in taken:
            raise Invalid(f"{where}: a strain named {taken[key]['name']!r} already exists")
        if key in in_request:
            raise Invalid(f"{where}: the name {name!r} is also used by strain entry {in_request[key]}")
        in_request[key] = n
        levels = {f: req_number(entry, f, where) for f in ("cbdLevel", "thcLevel")}
        for f, value in levels.items():
            if not 0 <= value <= LEVEL_MAX:
                raise Invalid(f"{where}: {f} must be between 0 and 100, not {plain(value)}")
        indica = req_number(entry, "indicaPercentage", where)
        sativa = req_number(entry, "sativaPercentage", where)
        for f, value in (("indicaPercentage", indica), ("sativaPercentage", sativa)):
            if not 0 <= value <= 100:
                raise Invalid(f"{where}: {f} must be between 0 and 100, not {plain(value)}")
        if indica + sativa != 100:
            raise Invalid(
                f"{where}: indicaPercentage + sativaPercentage must add up to 100, not {plain(indica + sativa)}"
            )
        status = req_str(entry, "testingStatus", where)
        if status not in TESTING_STATUSES:
            raise Invalid(f"{where}: testingStatus must be one of {', '.join(TESTING_STATUSES)}, not {status!r}")
        strain: Obj = dict.fromkeys(schema.STRAIN)
        strain.update(
            name=name,
            cbdLevel=to_wire_number(levels["cbdLevel"]),
            thcLevel=to_wire_number(levels["thcLevel"]),
            indicaPercentage=to_wire_number(indica),
            sativaPercentage=to_wire_number(sativa),
            testingStatus=status,
            isUsed=False,
            isArchived=False,
        )
        strains.append(strain)

    def apply() -> None:
        for strain in strains:
            # MetrcStrain has no lastModified (§5.6), so strains are stored without touch().
            strain["id"] = lic.world.next_id()
            lic.strains[strain["id"]] = strain
        lic.bump()

    return apply


def plan_strain_discontinue(lic: LicenseState, body: Any, user: str) -> Apply:
    strain = _single_active(lic, body, lic.strains, "strain", "strains/discontinue")

    def apply() -> None:
        strain["isArchived"] = True
        lic.bump()

    return apply


def plan_item_discontinue(lic: LicenseState, body: Any, user: str) -> Apply:
    item = _single_active(lic, body, lic.items, "item", "items/discontinue")

    def apply() -> None:
        item["isArchived"] = True
        lic.touch(item)
        lic.add_history("items", item["id"], ["Item discontinued"], user)

    return apply


def _single_active(lic: LicenseState, body: Any, store: dict[int, Obj], noun: str, route: str) -> Obj:
    """Single-object bodies (§6.1): ``{"id": n}``; an array here is a client mistake worth naming."""
    if isinstance(body, list):
        raise Invalid(f"{route} expects a single JSON object {{\"id\": ...}}, not an array")
    entry = as_object(body, route)
    ident = req_id(entry, "id", route)
    obj = store.get(ident)
    if obj is None:
        raise Invalid(f"{route}: {noun} {ident} does not exist in license {lic.license_number}")
    if obj.get("isArchived"):
        raise Invalid(f"{route}: {noun} {obj.get('name', ident)!r} is already discontinued")
    return obj
