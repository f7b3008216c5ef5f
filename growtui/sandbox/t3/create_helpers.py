"""Create-form inputs and pickers (t3-api.md §5.10, §5.11).

``/v2/packages/create/*`` and ``/v2/transfers/create/*``: the two ``inputs`` routes return one
unpaged object; every picker is a paged collection with the full query grammar. Pickers show
only what the matching write would accept, so a client that picks from them passes validation.
"""

from __future__ import annotations

import weakref
from typing import Any

from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.query import respond
from growtui.sandbox.t3.route_table import Collection, Family
from growtui.sandbox.t3.store import LicenseState, Obj
from growtui.sandbox.t3.transfer_writes import transferable_packages

ACTIVE_PACKAGES = Collection(Family.PACKAGES, "active")
ITEMS = Collection(Family.ITEMS)
PACKAGE_TAG = "CannabisPackage"
# Lab states a new production batch may draw on (mirrors what Metrc offers in the create form).
PRODUCTION_LAB_STATES = ["NotSubmitted", "TestPassed", "RetestPassed", "Remediated", "NotRequired"]

routes = Routes()


def _live(objs: Any) -> list[Obj]:
    return [o for o in objs if not o.get("isArchived")]


def package_tags(lic: LicenseState) -> list[Obj]:
    return lic.available_tags(PACKAGE_TAG)


def package_locations(lic: LicenseState) -> list[Obj]:
    return [loc for loc in _live(lic.locations.values()) if loc.get("forPackages", True)]


# --- packages -----------------------------------------------------------------------------------


@routes.get("/v2/packages/create/inputs")
def package_inputs(ctx: Ctx) -> dict[str, Any]:
    lic = ctx.license
    locations = package_locations(lic)
    sublocations = sorted({p["sublocationName"] for p in lic.packages.values() if p.get("sublocationName")})
    return {
        "allowedProductionLabTestingStates": PRODUCTION_LAB_STATES,
        "allowedProductionProductCategoryIds": sorted(
            {int(i["productCategoryId"]) for i in _live(lic.items.values()) if i.get("productCategoryId") is not None}
        ),
        "details": None,
        "harvestBatches": None,
        "growthPhase": 0,
        "isProductDestruction": False,
        "itemCategoryIds": None,
        "items": [],
        "labTestBatches": None,
        "locations": [dict(loc) for loc in locations],
        "sublocations": sublocations or None,
        "packages": [],
        "patientAffiliations": None,
        "plantBatches": None,
        "plants": None,
        "remediationMethods": [dict(m) for m in lic.remediation_methods.values()],
        "submitForTesting": False,
        "tags": [lic.emit("tags", tag, ctx.retrieved_at) for tag in package_tags(lic)],
        "unitsOfMeasure": [dict(u) for u in _live(lic.units.values())],
    }


@routes.get("/v2/packages/create/source-items")
def source_items(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, ITEMS, ctx.license.members(ITEMS), cache=True, as_response=True)


@routes.get("/v2/packages/create/source-packages")
def source_packages(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, ACTIVE_PACKAGES, ctx.license.members(ACTIVE_PACKAGES), cache=True, as_response=True)


@routes.get("/v2/packages/create/source-tags")
def source_tags(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, "tags", package_tags(ctx.license))


# --- transfers ----------------------------------------------------------------------------------


@routes.get("/v2/transfers/create/inputs")
def transfer_inputs(ctx: Ctx) -> dict[str, Any]:
    lic = ctx.license
    at = ctx.retrieved_at
    return {
        "adding": True,
        "daysWholesalePriceCanEdit": 0,
        "defaultPhoneNumberForQuestions": "",
        "destinationFacilities": [lic.emit("destinations", f, at) for f in lic.destinations.values()],
        "details": None,
        "drivers": [dict(d) for d in _live(lic.drivers.values())],
        "editDeliveryDetailsOnly": False,
        "editWholesalePriceOnly": False,
        "facilities": {},
        "isOutgoingInactive": False,
        "items": None,
        "packages": [],
        "selectedDeliveryIds": [],
        "selectedTransferIds": [],
        "selectedTransferTemplateIds": None,
        "transferTypes": [dict(t) for t in lic.transfer_types.values()],
        "transporterFacilities": [lic.emit("transporters", f, at) for f in lic.transporter_facilities.values()],
        "unitsOfMeasure": [dict(u) for u in _live(lic.units.values())],
        "vehicles": [dict(v) for v in _live(lic.vehicles.values())],
    }


@routes.get("/v2/transfers/create/destinations")
def destinations(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, "destinations", list(ctx.license.destinations.values()))


@routes.get("/v2/transfers/create/transporters")
def transporters(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, "transporters", list(ctx.license.transporter_facilities.values()))


@routes.get("/v2/transfers/create/packages")
def transfer_packages(ctx: Ctx) -> dict[str, Any]:
    return respond(ctx, ACTIVE_PACKAGES, _transferable(ctx.license), as_response=True)


# The eligible list only changes with the license, so page 2..N of a 50k license reuse page 1's.
_ELIGIBLE: weakref.WeakKeyDictionary[LicenseState, tuple[int, list[Obj]]] = weakref.WeakKeyDictionary()


def _transferable(lic: LicenseState) -> list[Obj]:
    hit = _ELIGIBLE.get(lic)
    if hit is None or hit[0] != lic.version:
        hit = (lic.version, transferable_packages(lic))
        _ELIGIBLE[lic] = hit
    return hit[1]
