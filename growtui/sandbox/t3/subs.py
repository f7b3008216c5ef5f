"""Per-object sub-collections (§5.3, §5.4, §5.8, §5.9): history, lab results, harvest plants and
packages, transfer deliveries/packages/transporters/transporter details.

The parent id comes in a query param (misleadingly named on harvest routes: ``plantId`` and
``packageId`` both carry a *harvest* id). A parent the license does not hold answers 404.
History of seeded objects is synthesised from their fields (then merged with events that writes
appended via ``lic.add_history``); lab results are generated once per package on first read.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.route_table import SubCollection
from growtui.sandbox.t3.store import LicenseState, Obj

routes = Routes()


def parent(ctx: Ctx, param: str, store: dict[int, Obj], noun: str) -> Obj:
    """The object whose id is in query parameter ``param`` (404 if the license has none)."""
    parent_id = ctx.int_param(param)
    obj = store.get(parent_id)
    if obj is None:
        raise ApiError(404, "NotFound", f"No {noun} with id {parent_id} in license {ctx.license.license_number}")
    return obj


def manifest_row(ctx: Ctx) -> tuple[str, Obj]:
    """The stored manifest number and a transfer row for ``?manifestNumber=``, however it is padded:
    manifests are 10-digit strings on transfer rows, but the official client sends the number as an
    integer (``1`` for ``0000000001``) and ``MetrcTransferDelivery`` types it as one."""
    given = ctx.require_param("manifestNumber").strip()
    wanted = given.lstrip("0")
    lic = ctx.license
    for row in (*lic.outgoing.values(), *lic.incoming.values()):
        number = str(row["manifestNumber"])
        if number == given or (given.isdigit() and number.lstrip("0") == wanted):
            return number, row
    raise ApiError(404, "NotFound", f"No transfer with manifest {given} in license {lic.license_number}")


def _delivery_id(ctx: Ctx) -> int:
    delivery_id = ctx.int_param("deliveryId")
    if delivery_id not in ctx.license.delivery_packages:
        raise ApiError(404, "NotFound", f"No delivery {delivery_id} in license {ctx.license.license_number}")
    return delivery_id


# --- history ---------------------------------------------------------------------------------


def _event(when: str | None, user: str, *lines: str) -> Obj:
    when = when or "2000-01-01T00:00:00.000Z"
    return {
        "descriptions": list(lines),
        "userName": user,
        "actualDate": when[:10],
        "recordedDateTime": when if "T" in when else f"{when}T12:00:00.000Z",
        "inputSourcesNames": "User",
        "externalSourceName": None,
    }


def _package_story(p: Obj, user: str) -> list[Obj]:
    item = p.get("item") or {}
    out = [_event(p.get("packagedDate"), user, f"Packaged {p['quantity']} {p['unitOfMeasureAbbreviation']} of {item.get('name', 'product')}",
                  f"Location: {p.get('locationName')}", f"Source harvest: {p.get('sourceHarvestNames') or 'none'}")]  # fmt: skip
    if p.get("labTestingStateName") not in (None, "NotSubmitted"):
        out.append(_event(p.get("labTestingStateDate"), "lab.system", f"Lab testing state changed to {p['labTestingStateName']}"))
    if p.get("isInTransit"):
        out.append(_event(p.get("lastModified"), user, f"Added to manifest {p.get('transferManifestNumber')}"))
    if p.get("finishedDate"):
        out.append(_event(p["finishedDate"], user, "Package finished"))
    return out


def _plant_story(p: Obj, user: str) -> list[Obj]:
    out = [_event(p.get("plantedDate"), user, f"Planted from batch {p.get('plantBatchName')}", f"Location: {p.get('locationName')}")]
    if p.get("floweringDate"):
        out.append(_event(p["floweringDate"], user, "Growth phase changed to Flowering"))
    if p.get("destroyedDate"):
        out.append(_event(p["destroyedDate"], user, f"Destroyed: {p.get('destroyedNote')}"))
    if p.get("growthPhaseName") == "Harvest":
        out.append(_event(p.get("lastModified"), user, "Harvested"))
    return out


def _harvest_story(h: Obj, user: str) -> list[Obj]:
    out = [_event(h.get("harvestStartDate"), user, f"Harvest {h['name']} started", f"Wet weight {h['totalWetWeight']} g")]
    if h.get("finishedDate"):
        out.append(_event(h["finishedDate"], user, "Harvest finished"))
    return out


def _batch_story(b: Obj, user: str) -> list[Obj]:
    return [_event(b.get("plantedDate"), user, f"Plant batch {b['name']} created ({b.get('plantBatchTypeName')})")]


def _item_story(i: Obj, user: str) -> list[Obj]:
    return [_event(i.get("approvalStatusDateTime"), user, f"Item {i['name']} created", f"Category: {i.get('productCategoryName')}")]


def _transfer_story(t: Obj, user: str) -> list[Obj]:
    out = [_event(t.get("createdDateTime"), t.get("createdByUserName") or user, f"Manifest {t['manifestNumber']} created")]
    if t.get("actualDepartureDateTime"):
        out.append(_event(t["actualDepartureDateTime"], t.get("driverName") or user, "Departed"))
    if t.get("receivedDateTime"):
        out.append(_event(t["receivedDateTime"], "Receiving Clerk", "Received and accepted"))
    if t.get("approvalRejectDateTime"):
        out.append(_event(t["approvalRejectDateTime"], "recipient.user", "Rejected by recipient"))
    return out


def history(lic: LicenseState, kind: str, key: int | str, obj: Obj, story: Callable[[Obj, str], list[Obj]]) -> list[Obj]:
    """Newest first: events appended by writes, then the synthesised story of a seeded object."""
    written = lic.history.get((kind, key), [])
    seeded = story(obj, lic.owner) if obj.get("id") in lic.seeded_ids else []
    seeded.sort(key=lambda e: e["recordedDateTime"], reverse=True)
    return [*written, *seeded]


def _history_route(path: str, sub: SubCollection, param: str, store: str, noun: str, story: Callable[[Obj, str], list[Obj]]) -> None:
    kind = path.split("/")[2]

    def handler(ctx: Ctx) -> dict[str, Any]:
        obj = parent(ctx, param, getattr(ctx.license, store), noun)
        return ctx.paged(sub, history(ctx.license, kind, obj["id"], obj, story))

    handler.__name__ = f"{kind}_history"
    routes.get(path)(handler)


_history_route("/v2/plants/history", SubCollection.PLANT_HISTORY, "plantId", "plants", "plant", _plant_story)
_history_route("/v2/plantbatches/history", SubCollection.PLANT_BATCH_HISTORY, "plantBatchId", "plant_batches", "plant batch", _batch_story)
_history_route("/v2/harvests/history", SubCollection.HARVEST_HISTORY, "plantId", "harvests", "harvest", _harvest_story)
_history_route("/v2/packages/history", SubCollection.PACKAGE_HISTORY, "packageId", "packages", "package", _package_story)
_history_route("/v2/items/history", SubCollection.ITEM_HISTORY, "itemId", "items", "item", _item_story)


@routes.get("/v2/transfers/history")
def transfer_history(ctx: Ctx) -> dict[str, Any]:
    number, row = manifest_row(ctx)
    return ctx.paged(SubCollection.TRANSFER_HISTORY, history(ctx.license, "transfers", number, row, _transfer_story))


# --- harvest plants / packages ---------------------------------------------------------------

_HARVEST_PLANT_FIELDS = (
    "label", "locationName", "locationTypeName", "patientLicenseNumber", "plantBatchName", "plantBatchTypeName",
    "strainName", "isOnHold", "plantedDate", "vegetativeDate", "floweringDate", "destroyedDate", "lastModified",
)  # fmt: skip
_HARVEST_PACKAGE_FIELDS = (
    "label", "packageType", "quantity", "unitOfMeasureAbbreviation", "isProductionBatch", "productionBatchNumber",
    "expirationDate", "sellByDate", "useByDate", "isArchived", "isFinished",
)  # fmt: skip


@routes.get("/v2/harvests/plants")
def harvest_plants(ctx: Ctx) -> dict[str, Any]:
    lic = ctx.license
    harvest = parent(ctx, "plantId", lic.harvests, "harvest")
    plants = [lic.plants[pid] for pid in lic.harvest_plants.get(harvest["id"], []) if pid in lic.plants]

    def view(p: Obj) -> Obj:
        out = {k: p.get(k) for k in _HARVEST_PLANT_FIELDS}
        out.update(harvestId=harvest["id"], plantId=p["id"], harvestCount=p.get("harvestCount", 1),
                   harvestSpecificPlantCount=1, totalPlantCount=p.get("plantCount", 1))  # fmt: skip
        return out

    return ctx.paged(SubCollection.HARVEST_PLANTS, plants, view=view)


@routes.get("/v2/harvests/packages")
def harvest_packages(ctx: Ctx) -> dict[str, Any]:
    lic = ctx.license
    harvest = parent(ctx, "packageId", lic.harvests, "harvest")
    pkgs = [lic.packages[pid] for pid in lic.harvest_packages.get(harvest["id"], []) if pid in lic.packages]

    def view(p: Obj) -> Obj:
        item = p.get("item") or {}
        out = {k: p.get(k) for k in _HARVEST_PACKAGE_FIELDS}
        out.update(packageId=p["id"], productName=item.get("name"), productCategoryName=item.get("productCategoryName"),
                   unitOfMeasureName=item.get("unitOfMeasureName"), actualDate=(p.get("packagedDate") or "")[:10])  # fmt: skip
        return out

    return ctx.paged(SubCollection.HARVEST_PACKAGES, pkgs, view=view)


@routes.get("/v2/packages/source-harvests")
def source_harvests(ctx: Ctx) -> dict[str, Any]:
    lic = ctx.license
    pkg = parent(ctx, "packageId", lic.packages, "package")
    names = {n.strip() for n in (pkg.get("sourceHarvestNames") or "").split(",") if n.strip()}
    rows = [
        {
            "harvestedByFacilityLicenseNumber": h["facilityLicenseNumber"],
            "harvestedByFacilityName": h["facilityName"],
            "name": h["name"],
            "harvestTypeName": h["harvestTypeName"],
            "labTestingStateName": h["labTestingStateName"],
            "labTestingStateDate": h["labTestingStateDate"],
            "isOnHold": h["isOnHold"],
            "harvestStartDate": h["harvestStartDate"],
        }
        for h in lic.harvests.values()
        if h["name"] in names
    ]
    return ctx.paged("source-harvests", rows)


# --- lab results -----------------------------------------------------------------------------

_TESTS = (
    ("Total THC (%) Raw Plant Material", 15.0, 31.0),
    ("Total CBD (%) Raw Plant Material", 0.0, 1.5),
    ("Moisture Content (%) Raw Plant Material", 8.0, 13.0),
    ("Pesticides Screen", 0.0, 0.0),
    ("Microbial Contaminants (CFU/g)", 0.0, 100.0),
)


def lab_results(lic: LicenseState, pkg: Obj) -> list[Obj]:
    """Results for a package, generated once (deterministically from its id) and then stored."""
    rows = lic.lab_results.get(pkg["id"])
    if rows is not None:
        return rows
    rows = []
    state = pkg.get("labTestingStateName") or ""
    if state.startswith(("Test", "Retest")):
        rng = random.Random(pkg["id"])
        item = pkg.get("item") or {}
        passed = "Failed" not in state
        result_id = lic.world.next_id()
        for n, (name, lo, hi) in enumerate(_TESTS):
            ok = passed or n != 4
            rows.append(
                {
                    "packageId": pkg["id"], "labTestResultId": result_id, "labFacilityLicenseNumber": "C8-0000114-LIC",
                    "labFacilityName": "Central Valley Labs", "sourcePackageLabel": pkg["label"],
                    "productName": item.get("name"), "productCategoryName": item.get("productCategoryName"),
                    # a date, not a date-time (MetrcPackageLabResult.testPerformedDate)
                    "testPerformedDate": (pkg.get("labTestingPerformedDate") or pkg.get("labTestingStateDate") or "")[:10] or None,
                    "overallPassed": passed, "isRevoked": False, "revokedDate": None,
                    "labTestResultDocumentFileId": pkg.get("labTestResultDocumentFileId"), "resultReleased": True,
                    "resultReleaseDateTime": pkg.get("labTestingStateDate"), "expirationDateTime": None,
                    "labTestDetailId": result_id * 10 + n, "testTypeName": name, "testPassed": ok,
                    "testResultLevel": round(rng.uniform(lo, hi), 3) if ok or n != 4 else 250.0,
                    "testComment": "", "testInformationalOnly": n in (2,), "labTestDetailIsRevoked": False,
                    "labTestDetailRevokedDate": None, "labTestResultLastModified": pkg.get("labTestingStateDate"),
                }
            )  # fmt: skip
    lic.lab_results[pkg["id"]] = rows
    return rows


@routes.get("/v2/packages/labresults")
def package_lab_results(ctx: Ctx) -> dict[str, Any]:
    pkg = parent(ctx, "packageId", ctx.license.packages, "package")
    return ctx.paged(SubCollection.PACKAGE_LAB_RESULTS, lab_results(ctx.license, pkg))


# --- transfer sub-collections ----------------------------------------------------------------


@routes.get("/v2/transfers/deliveries")
def deliveries(ctx: Ctx) -> dict[str, Any]:
    number, _ = manifest_row(ctx)
    return ctx.paged(SubCollection.TRANSFER_DELIVERIES, ctx.license.deliveries.get(number, []))


@routes.get("/v2/transfers/transporter-details")
def transporter_details(ctx: Ctx) -> dict[str, Any]:
    number, _ = manifest_row(ctx)
    return ctx.paged(SubCollection.TRANSFER_TRANSPORTER_DETAILS, ctx.license.transporter_details.get(number, []))


@routes.get("/v2/transfers/packages")
def delivery_packages(ctx: Ctx) -> dict[str, Any]:
    return ctx.paged(SubCollection.DELIVERY_PACKAGES, ctx.license.delivery_packages[_delivery_id(ctx)])


@routes.get("/v2/transfers/transporters")
def delivery_transporters(ctx: Ctx) -> dict[str, Any]:
    delivery_id = _delivery_id(ctx)
    return ctx.paged(SubCollection.DELIVERY_TRANSPORTERS, ctx.license.delivery_transporters.get(delivery_id, []))


@routes.get("/v2/packages/labresult-batches")
def package_lab_result_batches(ctx: Ctx) -> dict[str, Any]:
    """One batch per lab test result (``MetrcPackageLabResultBatch``) with its tests inside."""
    pkg = parent(ctx, "packageId", ctx.license.packages, "package")
    batches: dict[int, list[Obj]] = {}
    for row in lab_results(ctx.license, pkg):
        batches.setdefault(row["labTestResultId"], []).append(row)
    rows = [
        {
            "id": result_id,
            "name": f"{tests[0]['labFacilityName']} #{result_id}",
            "testTypesRequired": len(tests),
            "testTypesPerformed": len(tests),
            "testsPassed": sum(t["testPassed"] for t in tests),
            "testsFailed": sum(not t["testPassed"] for t in tests),
            "isFullyRevoked": all(t["isRevoked"] for t in tests),
            "tests": tests,
        }
        for result_id, tests in batches.items()
    ]
    return ctx.paged("labresult-batches", rows)


@routes.get("/v2/packages/transferred")
def transferred_packages(ctx: Ctx) -> dict[str, Any]:
    """Packages on this license's outgoing manifests, as ``MetrcDeliveryPackage`` rows."""
    lic = ctx.license
    rows = [p for t in lic.outgoing.values() for p in lic.delivery_packages.get(t["deliveryId"], [])]
    return ctx.paged(SubCollection.DELIVERY_PACKAGES, rows)
