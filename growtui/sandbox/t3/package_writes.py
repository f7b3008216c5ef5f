"""Package writes: ``packages/create``, ``packages/notes``, ``packages/unfinish`` (t3-api.md §6.2).

Each ``plan_*`` validates a whole request against one license and returns an ``Apply`` closure
that performs it; the route runs the closure only for ``submit=true``, so a dry run passes through
exactly the same checks. Validation never changes state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.route_table import Family
from growtui.sandbox.t3.mutation_checks import (
    Apply,
    Invalid,
    Unit,
    as_list,
    as_object,
    convert,
    fmt_qty,
    no_duplicates,
    opt_date,
    opt_id,
    opt_str,
    positive,
    req_date,
    req_id,
    req_list,
    req_number,
    req_unit,
    to_wire_number,
    units_by_id,
    whole_if_counted,
)
from growtui.sandbox.t3.store import LicenseState, Obj, classify, iso


# ---------------------------------------------------------------------------------------------
# shared lookups


def package_state(pkg: Obj) -> str | None:
    return classify(Family.PACKAGES, pkg)


def find_package(lic: LicenseState, package_id: int, where: str) -> Obj:
    """The package ``package_id`` of this license, or a 400 that says where it actually is."""
    pkg = lic.packages.get(package_id)
    if pkg is not None:
        return pkg
    for other in lic.world.licenses.values():
        if other is not lic and package_id in other.packages:
            raise Invalid(f"{where}: package {package_id} belongs to another license, not {lic.license_number}")
    raise Invalid(f"{where}: package {package_id} does not exist in license {lic.license_number}")


def midnight(day: date) -> str:
    """A ``date`` as the date-time the package fields carry."""
    return f"{day.isoformat()}T00:00:00.000Z"


def describe(pkg: Obj) -> str:
    return f"Package {pkg.get('label') or pkg['id']}"


# ---------------------------------------------------------------------------------------------
# packages/notes


def plan_notes(lic: LicenseState, body: Any, user: str) -> Apply:
    entries = as_list(body, "packages/notes")
    changes: list[tuple[Obj, str]] = []
    for n, raw in enumerate(entries, 1):
        where = f"Entry {n}"
        entry = as_object(raw, where)
        pkg = find_package(lic, req_id(entry, "id", where), where)
        if "note" not in entry or entry["note"] is None:
            raise Invalid(f"{where}: note is required (send \"\" to clear it)")
        note = opt_str(entry, "note", where) or ""
        state = package_state(pkg)
        if state not in ("active", "onhold"):
            raise Invalid(f"{where}: {describe(pkg)} is {state}; notes can only be changed on active packages")
        changes.append((pkg, note))
    no_duplicates((pkg["id"] for pkg, _ in changes), "Package")

    def apply() -> None:
        for pkg, note in changes:
            pkg["note"] = note
            lic.touch(pkg)
            lic.add_history("packages", pkg["id"], [f"Note changed to {note!r}" if note else "Note cleared"], user)

    return apply


# ---------------------------------------------------------------------------------------------
# packages/unfinish


def plan_unfinish(lic: LicenseState, body: Any, user: str) -> Apply:
    entries = as_list(body, "packages/unfinish")
    targets: list[Obj] = []
    for n, raw in enumerate(entries, 1):
        where = f"Entry {n}"
        entry = as_object(raw, where)
        pkg = find_package(lic, req_id(entry, "id", where), where)
        if not (pkg.get("isFinished") or pkg.get("finishedDate")):
            raise Invalid(f"{where}: {describe(pkg)} is not finished, so it cannot be unfinished")
        if pkg.get("isInTransit"):
            raise Invalid(f"{where}: {describe(pkg)} is in transit")
        targets.append(pkg)
    no_duplicates((pkg["id"] for pkg in targets), "Package")

    def apply() -> None:
        for pkg in targets:
            pkg["isFinished"] = False
            pkg["finishedDate"] = None
            pkg["archivedDate"] = None
            pkg["isArchived"] = False
            lic.touch(pkg)
            lic.add_history("packages", pkg["id"], ["Package unfinished"], user)

    return apply


# ---------------------------------------------------------------------------------------------
# packages/create


@dataclass
class _Draw:
    """How much one request takes from one ingredient package, in that package's own unit."""

    pkg: Obj
    unit: Unit
    start: Decimal
    used: Decimal = Decimal(0)
    finish_on: date | None = None
    uses: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (entry number, new label, amount)

    @property
    def left(self) -> Decimal:
        return self.start - self.used


@dataclass
class _NewPackage:
    entry: Mapping[str, Any]
    item: Obj
    location: Obj
    tag: Obj
    quantity: Decimal
    unit: Unit
    actual: date
    sources: list[tuple[_Draw, Decimal]]  # (ingredient, amount in its unit)


def plan_create(lic: LicenseState, body: Any, user: str) -> Apply:
    entries = as_list(body, "packages/create")
    units = units_by_id(lic.units.values())
    today = lic.world.now().date()
    draws: dict[int, _Draw] = {}
    news: list[_NewPackage] = []
    tags_taken: dict[int, int] = {}

    for n, raw in enumerate(entries, 1):
        where = f"Package entry {n}"
        entry = as_object(raw, where)
        item = _new_item(lic, entry, where)
        location = _package_location(lic, req_id(entry, "locationId", where), where)
        tag = _available_tag(lic, req_id(entry, "tagId", where), where)
        if tag["id"] in tags_taken:
            raise Invalid(f"{where}: tag {tag['label']} is already used by package entry {tags_taken[tag['id']]}")
        tags_taken[tag["id"]] = n
        quantity = positive(req_number(entry, "quantity", where), "quantity", where)
        unit = req_unit(units, entry, "unitOfMeasureId", where)
        whole_if_counted(quantity, unit, "quantity", where)
        item_type = item.get("quantityTypeName")
        if item_type and item_type != unit.quantity_type:
            raise Invalid(
                f"{where}: item {item['name']!r} is measured {item_type}; "
                f"unit {unit.abbreviation} is {unit.quantity_type}"
            )
        actual = req_date(entry, "actualDate", where)
        if actual > today:
            raise Invalid(f"{where}: actualDate {actual.isoformat()} is in the future")
        for name in ("expirationDate", "useByDate", "sellByDate"):
            opt_date(entry, name, where)
        opt_str(entry, "note", where)
        opt_str(entry, "productionBatchNumber", where)
        sources = _draw_ingredients(lic, units, entry, (n, tag["label"]), where, draws)
        news.append(_NewPackage(entry, item, location, tag, quantity, unit, actual, sources))

    for draw in draws.values():
        if draw.left < 0:
            asked = sum((amount for _, _, amount in draw.uses), Decimal(0))
            entries_txt = ", ".join(str(e) for e, _, _ in draw.uses)
            raise Invalid(
                f"{describe(draw.pkg)} has {fmt_qty(draw.start, draw.unit)}; {fmt_qty(asked, draw.unit)} requested"
                + (f" (entries {entries_txt})" if len(draw.uses) > 1 else "")
            )
        if draw.finish_on is not None and draw.left != 0:
            raise Invalid(
                f"{describe(draw.pkg)} would still hold {fmt_qty(draw.left, draw.unit)}; "
                "only an ingredient that is used up can be finished (drop finishDate or use all of it)"
            )

    def apply() -> None:
        for new in news:
            _insert_package(lic, new, user)
        for draw in draws.values():
            _deduct(lic, draw, user)

    return apply


def _new_item(lic: LicenseState, entry: Mapping[str, Any], where: str) -> Obj:
    """``itemId``, or with ``useSameItem: true`` (post-0.6.0, §6.2) the first ingredient's item."""
    same = entry.get("useSameItem")
    if same is not None and not isinstance(same, bool):
        raise Invalid(f"{where}: useSameItem must be true or false, not {same!r}")
    if not same or opt_id(entry, "itemId", where) is not None:
        return _active_item(lic, req_id(entry, "itemId", where), where)
    ingredients = req_list(entry, "ingredients", where)
    first = as_object(ingredients[0], f"{where}, ingredient 1")
    source = find_package(lic, req_id(first, "packageId", f"{where}, ingredient 1"), f"{where}, ingredient 1")
    item = source.get("item") or {}
    return _active_item(lic, int(item.get("id") or 0), where)


def _active_item(lic: LicenseState, item_id: int, where: str) -> Obj:
    item = lic.items.get(item_id)
    if item is None or item.get("isArchived"):
        raise Invalid(f"{where}: item {item_id} does not exist or is discontinued in license {lic.license_number}")
    return item


def _package_location(lic: LicenseState, location_id: int, where: str) -> Obj:
    loc = lic.locations.get(location_id)
    if loc is None or loc.get("isArchived"):
        raise Invalid(f"{where}: location {location_id} does not exist in license {lic.license_number}")
    if loc.get("forPackages") is False:
        raise Invalid(f"{where}: location {loc['name']!r} does not allow packages")
    return loc


def _available_tag(lic: LicenseState, tag_id: int, where: str) -> Obj:
    tag = lic.tags.get(tag_id)
    if tag is None:
        raise Invalid(f"{where}: tag {tag_id} does not exist in license {lic.license_number}")
    if tag.get("isUsed") or tag.get("isArchived"):
        raise Invalid(f"{where}: tag {tag['label']} is not available (already used or voided)")
    if tag.get("tagTypeName") not in (None, "CannabisPackage"):
        raise Invalid(f"{where}: tag {tag['label']} is a {tag['tagTypeName']} tag, not a package tag")
    return tag


def _draw_ingredients(
    lic: LicenseState,
    units: Mapping[int, Unit],
    entry: Mapping[str, Any],
    use: tuple[int, str],
    where: str,
    draws: dict[int, _Draw],
) -> list[tuple[_Draw, Decimal]]:
    sources: list[tuple[_Draw, Decimal]] = []
    seen: set[int] = set()
    for i, raw in enumerate(req_list(entry, "ingredients", where), 1):
        at = f"{where}, ingredient {i}"
        ing = as_object(raw, at)
        pkg = find_package(lic, req_id(ing, "packageId", at), at)
        if pkg["id"] in seen:
            raise Invalid(f"{at}: {describe(pkg)} is listed twice in this entry")
        seen.add(pkg["id"])
        state = package_state(pkg)
        if state != "active":
            raise Invalid(f"{at}: {describe(pkg)} is {state}; only active packages can be ingredients")
        amount = positive(req_number(ing, "quantity", at), "quantity", at)
        unit = req_unit(units, ing, "unitOfMeasureId", at)
        whole_if_counted(amount, unit, "quantity", at)
        finish_on = opt_date(ing, "finishDate", at)
        draw = draws.get(pkg["id"])
        if draw is None:
            own_unit = units.get(int(pkg.get("unitOfMeasureId") or 0))
            if own_unit is None:
                own_unit = _unit_by_abbrev(units, pkg.get("unitOfMeasureAbbreviation"), at)
            draw = _Draw(pkg, own_unit, Decimal(str(pkg.get("quantity") or 0)))
            draws[pkg["id"]] = draw
        in_pkg_unit = convert(amount, unit, draw.unit, at)
        draw.used += in_pkg_unit
        draw.uses.append((*use, in_pkg_unit))
        if finish_on is not None:
            draw.finish_on = finish_on
        sources.append((draw, in_pkg_unit))
    return sources


def _unit_by_abbrev(units: Mapping[int, Unit], abbrev: Any, where: str) -> Unit:
    for unit in units.values():
        if unit.abbreviation == abbrev:
            return unit
    raise Invalid(f"{where}: the ingredient's unit {abbrev!r} is unknown")


def _blank_package() -> Obj:
    obj: Obj = dict.fromkeys(schema.PACKAGE)
    for name in schema.PACKAGE:
        if name.startswith(("is", "contains", "multi", "has", "productRequires", "sourcePackageIs")):
            obj[name] = False
    return obj


def _insert_package(lic: LicenseState, new: _NewPackage, user: str) -> None:
    ingredients = [draw.pkg for draw, _ in new.sources]
    lab_states = {p.get("labTestingStateName") for p in ingredients}
    lab_state = lab_states.pop() if len(lab_states) == 1 else "NotSubmitted"
    harvests = sorted({h for p in ingredients for h in _split(p.get("sourceHarvestNames"))})
    batch = new.entry.get("productionBatchNumber") or None
    facility = {"licenseNumber": lic.license_number, "name": lic.license_name}
    pkg = _blank_package()
    pkg.update(
        id=lic.world.next_id(),
        label=new.tag["label"],
        packageType="ImmaturePlant" if new.item.get("productCategoryName") == "Immature Plants" else "Product",
        item=new.item,  # shared, as in the seed: the nested item is the live one
        quantity=to_wire_number(new.quantity),
        unitOfMeasureId=new.unit.id,
        unitOfMeasureAbbreviation=new.unit.abbreviation,
        unitOfMeasureQuantityType=new.unit.quantity_type,
        locationName=new.location["name"],
        locationTypeName=new.location.get("locationTypeName"),
        sublocationName=None,
        note=new.entry.get("note") or "",
        productionBatchNumber=batch or "",
        isProductionBatch=batch is not None,
        sourcePackageLabels=", ".join(p["label"] for p in ingredients),
        sourcePackageCount=len(ingredients),
        multiPackage=len(ingredients) > 1,
        sourceHarvestNames=", ".join(harvests),
        sourceHarvestCount=len(harvests),
        multiHarvest=len(harvests) > 1,
        sourceProductionBatchNumbers=", ".join(
            p["productionBatchNumber"] for p in ingredients if p.get("productionBatchNumber")
        ),
        sourceProcessingJobCount=0,
        sourceProcessingJobNumbers="",
        sourceProcessingJobNames="",
        packagedDate=midnight(new.actual),
        initialLabTestingState=lab_state,
        labTestingStateName=lab_state,
        labTestingStateDate=iso(lic.world.now()),
        labTestingRecordedDate=iso(lic.world.now()),
        facilityLicenseNumber=facility["licenseNumber"],
        facilityName=facility["name"],
        packagedByFacilityLicenseNumber=facility["licenseNumber"],
        packagedByFacilityName=facility["name"],
        itemFromFacilityLicenseNumber=facility["licenseNumber"],
        itemFromFacilityName=facility["name"],
        patientLicenseNumber="",
        transferManifestNumber="",
        inTransitStatus="None",
        **{name: _optional_midnight(new.entry, name) for name in ("expirationDate", "useByDate", "sellByDate")},
    )
    lic.add("packages", pkg)
    new.tag.update(isUsed=True, usedDateTime=iso(lic.world.now()), statusName="Used")
    lic.touch(new.tag)
    lic.add_history(
        "packages",
        pkg["id"],
        [
            f"Packaged {fmt_qty(new.quantity, new.unit)} of {new.item['name']} in {new.location['name']}",
            f"Created from {pkg['sourcePackageLabels']}",
        ],
        user,
    )


def _optional_midnight(entry: Mapping[str, Any], name: str) -> str | None:
    day = opt_date(entry, name, name)  # already validated; this only reshapes it
    return midnight(day) if day is not None else None


def _deduct(lic: LicenseState, draw: _Draw, user: str) -> None:
    pkg = draw.pkg
    pkg["quantity"] = to_wire_number(draw.left)
    lines = [f"Used {fmt_qty(amount, draw.unit)} to create package {label}" for _, label, amount in draw.uses]
    if draw.finish_on is not None:
        pkg["isFinished"] = True
        pkg["finishedDate"] = midnight(draw.finish_on)
        lines.append(f"Finished on {draw.finish_on.isoformat()}")
    lic.touch(pkg)
    lic.add_history("packages", pkg["id"], lines, user)


def _split(names: Any) -> list[str]:
    return [n.strip() for n in str(names or "").split(",") if n.strip()]
