"""The GET collections a grow floor reads (§8), their shapes (§5.3) and list membership.

Membership is derived from each object's fields, so a write that changes the fields moves the
object between lists exactly as Metrc's lists behave (§6.3: membership of a list is the state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import MetrcError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.world import Facility, Obj

routes = Routes()


def _tracked(p: Obj) -> bool:
    return p["State"] == "Tracked"


def _pkg_open(p: Obj) -> bool:
    return not p["IsFinished"] and not p.get("_Discontinued")


MEMBERSHIP: dict[str, dict[str, Callable[[Obj], bool]]] = {
    "plants": {
        "vegetative": lambda p: _tracked(p) and not p["IsOnHold"] and p["GrowthPhase"] == "Vegetative",
        "flowering": lambda p: _tracked(p) and not p["IsOnHold"] and p["GrowthPhase"] == "Flowering",
        "onhold": lambda p: _tracked(p) and p["IsOnHold"],
        "inactive": lambda p: not _tracked(p),
    },
    "plant_batches": {
        "active": lambda b: b["UntrackedCount"] > 0,
        "inactive": lambda b: b["UntrackedCount"] <= 0,
    },
    "harvests": {
        "active": lambda h: h["FinishedDate"] is None and not h["IsOnHold"],
        "onhold": lambda h: h["FinishedDate"] is None and h["IsOnHold"],
        "inactive": lambda h: h["FinishedDate"] is not None,
    },
    "packages": {
        "active": lambda p: _pkg_open(p) and not p["IsOnHold"] and not p.get("_InTransit"),
        "onhold": lambda p: _pkg_open(p) and p["IsOnHold"],
        "inactive": lambda p: not _pkg_open(p),
        "intransit": lambda p: _pkg_open(p) and bool(p.get("_InTransit")),
    },
    "transfers": {
        "incoming": lambda t: t["_Direction"] == "incoming",
        "outgoing": lambda t: t["_Direction"] == "outgoing",
    },
    "catalog": {
        "active": lambda o: not o.get("_Inactive"),
        "inactive": lambda o: bool(o.get("_Inactive")),
    },
}
# URL segment -> (facility dict, membership family)
_RESOURCES = {
    "plants": ("plants", "plants"),
    "plantbatches": ("plant_batches", "plant_batches"),
    "harvests": ("harvests", "harvests"),
    "packages": ("packages", "packages"),
    "transfers": ("transfers", "transfers"),
    "items": ("items", "catalog"),
    "strains": ("strains", "catalog"),
    "locations": ("locations", "catalog"),
    "sublocations": ("sublocations", "catalog"),
}
# lists without lastModified filtering (§6.1)
_UNWINDOWED = {("items", "inactive"), ("strains", "inactive"), ("locations", "inactive"), ("sublocations", "inactive")}


def members(fac: Facility, resource: str, state: str) -> list[Obj]:
    """The objects in a list now (cached until the facility changes: paging 20 at a time re-reads)."""
    cached = fac.cache.get((resource, state))
    if cached is not None and cached[0] == fac.version:
        return cached[1]
    kind, family = _RESOURCES[resource]
    test = MEMBERSHIP[family][state]
    rows = [o for o in getattr(fac, kind).values() if test(o)]
    fac.cache[(resource, state)] = (fac.version, rows)
    return rows


def _list_route(resource: str, state: str) -> None:
    kind = _RESOURCES[resource][0]

    def handler(ctx: Ctx) -> dict[str, Any]:
        rows = members(ctx.facility, resource, state)
        return ctx.page(kind, rows, windowed=(resource, state) not in _UNWINDOWED, cache_key=(resource, state))

    handler.__name__ = f"{resource}_{state}"
    routes.get(f"/{resource}/v2/{state}")(handler)


for _resource, (_kind, _family) in _RESOURCES.items():
    for _state in MEMBERSHIP[_family]:
        _list_route(_resource, _state)


# --- lookups -------------------------------------------------------------------------------------


@routes.get("/facilities/v2", license=False)
def facilities(ctx: Ctx) -> list[Obj]:
    assert ctx.user is not None
    return [fac.info for fac in ctx.world.facilities_of(ctx.user)]


@routes.get("/unitsofmeasure/v2/active", license=False)
def units_active(ctx: Ctx) -> list[Obj]:
    return vocab.units_rows()


@routes.get("/unitsofmeasure/v2/inactive", license=False)
def units_inactive(ctx: Ctx) -> list[Obj]:
    return vocab.units_rows(vocab.INACTIVE_UNITS)


def _waste_methods(ctx: Ctx) -> list[Obj]:
    stamp = "2024-01-15T10:00:00.000000+00:00"
    return [{"Name": n, "ForPlants": plants, "ForProductDestruction": product, "LastModified": stamp} for n, plants, product in vocab.WASTE_METHODS]


routes.get("/wastemethods/v2", license=False)(_waste_methods)


@routes.get("/plants/v2/waste/methods/all", license=False)
def plant_waste_methods(ctx: Ctx) -> dict[str, Any]:
    return ctx.page("lookup", _waste_methods(ctx), windowed=False)


@routes.get("/plants/v2/waste/reasons")
def plant_waste_reasons(ctx: Ctx) -> dict[str, Any]:
    return _lookup_page(ctx, vocab.PLANT_WASTE_REASONS)


@routes.get("/packages/v2/adjust/reasons")
def package_adjust_reasons(ctx: Ctx) -> dict[str, Any]:
    return _lookup_page(ctx, vocab.PACKAGE_ADJUST_REASONS)


@routes.get("/plantbatches/v2/types", license=False)
def plant_batch_types(ctx: Ctx) -> dict[str, Any]:
    stamp = "2024-01-15T10:00:00.000000+00:00"
    return _lookup_page(ctx, [{"Id": i, "Name": n, "CanBeCloned": c, "LastModified": stamp} for i, n, c in vocab.PLANT_BATCH_TYPES])


@routes.get("/harvests/v2/waste/types", license=False)
def harvest_waste_types(ctx: Ctx) -> dict[str, Any]:
    return _lookup_page(ctx, [{"Name": n} for n in vocab.HARVEST_WASTE_TYPES])


@routes.get("/locations/v2/types")
def location_types(ctx: Ctx) -> dict[str, Any]:
    rows = [{"Id": i + 1, "Name": n, **dict(zip(vocab.LOCATION_TYPE_FLAGS, f))} for i, (n, f) in enumerate(vocab.LOCATION_TYPES.items())]
    return _lookup_page(ctx, rows)


@routes.get("/items/v2/categories")
def item_categories(ctx: Ctx) -> dict[str, Any]:
    return _lookup_page(ctx, [_category(name, spec) for name, spec in vocab.ITEM_CATEGORIES.items()])


@routes.get("/transfers/v2/types")
def transfer_types(ctx: Ctx) -> dict[str, Any]:
    flags = ("BypassApproval", "ExternalIncomingCanRecordExternalIdentifier", "ExternalIncomingExternalIdentifierRequired",
             "ExternalOutgoingCanRecordExternalIdentifier", "ExternalOutgoingExternalIdentifierRequired", "ForExternalIncomingShipments",
             "ForExternalOutgoingShipments", "RequiresDestinationGrossWeight", "RequiresInvoiceNumber", "RequiresPDFDocument",
             "RequiresPackagesGrossWeight")  # fmt: skip
    rows = [{"Name": n, "TransactionType": t, "ForLicensedShipments": True, **dict.fromkeys(flags, False)} for n, t in (("Transfer", "Standard"), ("Wholesale", "Wholesale"))]
    return _lookup_page(ctx, rows)


@routes.get("/plants/v2/growthphases", license=False)
def growth_phases(ctx: Ctx) -> list[str]:
    return list(vocab.GROWTH_PHASES)


@routes.get("/packages/v2/types", license=False)
def package_types(ctx: Ctx) -> list[str]:
    return list(vocab.PACKAGE_TYPES)


@routes.get("/transfers/v2/deliveries/packages/states", license=False)
def delivery_package_states(ctx: Ctx) -> list[str]:
    return list(vocab.DELIVERY_PACKAGE_STATES)


def _available_tags(kind: str) -> Callable[[Ctx], list[Obj]]:
    def handler(ctx: Ctx) -> list[Obj]:
        tags = ctx.facility.tags.values()
        return [shapes.public(t) for t in sorted(tags, key=lambda t: t["Label"]) if t["_Kind"] == kind and not t["_Used"]]

    handler.__name__ = f"{kind.lower()}_tags_available"
    return handler


routes.get("/tags/v2/plant/available")(_available_tags("Plant"))
routes.get("/tags/v2/package/available")(_available_tags("Package"))


def _lookup_page(ctx: Ctx, rows: list[Obj]) -> dict[str, Any]:
    return ctx.page("lookup", rows, windowed=False)


def _category(name: str, spec: tuple[str, str, bool]) -> Obj:
    requires = ("AdministrationMethod", "Allergens", "Description", "ItemBrand", "LabelPhotoDescription", "NumberOfDoses",
                "PackagingPhotoDescription", "ProductPhotoDescription", "PublicIngredients", "ServingSize", "SupplyDurationDays",
                "UnitCbdAContent", "UnitCbdAContentDose", "UnitCbdAPercent", "UnitCbdContent", "UnitCbdContentDose", "UnitCbdPercent",
                "UnitThcAContent", "UnitThcAContentDose", "UnitThcAPercent", "UnitThcContent", "UnitThcContentDose", "UnitThcPercent",
                "UnitVolume", "UnitWeight")  # fmt: skip
    return {
        "Name": name,
        "ProductCategoryType": spec[0],
        "QuantityType": spec[1],
        "RequiresStrain": spec[2],
        **{f"Requires{r}": False for r in requires},
        "RequiresLabelPhotos": 0,
        "RequiresPackagingPhotos": 0,
        "RequiresProductPDFDocuments": 0,
        "RequiresProductPhotos": 0,
        "CanContainSeeds": name == "Immature Plants",
        "CanBeRemediated": False,
        "CanBeDecontaminated": False,
        "CanBeDestroyed": True,
        "LabTestBatchNames": [],
    }


# --- harvest waste, transfer deliveries ----------------------------------------------------------


@routes.get("/harvests/v2/waste")
def harvest_waste(ctx: Ctx) -> dict[str, Any]:
    raw = ctx.require("harvestId")
    fac = ctx.facility
    if not raw.isdigit() or int(raw) not in fac.harvests:
        raise MetrcError(404, f"Harvest {raw} does not exist in the current Facility.")
    return ctx.page("harvest_waste", [w for w in fac.harvest_waste.values() if w["_HarvestId"] == int(raw)], windowed=False)


def _delivery_facility(ctx: Ctx, delivery_id: int) -> Facility:
    """Delivery routes take no licenseNumber (§8.1): find the delivery among the key's facilities."""
    assert ctx.user is not None
    for fac in ctx.world.facilities_of(ctx.user):
        if delivery_id in fac.deliveries:
            return fac
    raise MetrcError(404, f"Delivery {delivery_id} was not found.")


@routes.get("/transfers/v2/{transfer_id:int}/deliveries", license=False)
def transfer_deliveries(ctx: Ctx, transfer_id: int) -> dict[str, Any]:
    assert ctx.user is not None
    for fac in ctx.world.facilities_of(ctx.user):
        if transfer_id in fac.transfers:
            ctx.fac = fac
            return ctx.page("deliveries", [d for d in fac.deliveries.values() if d["_TransferId"] == transfer_id], windowed=False)
    raise MetrcError(404, f"Transfer {transfer_id} was not found.")


@routes.get("/transfers/v2/deliveries/{delivery_id:int}/packages", license=False)
def delivery_packages(ctx: Ctx, delivery_id: int) -> dict[str, Any]:
    ctx.fac = _delivery_facility(ctx, delivery_id)
    if ctx.fac.deliveries[delivery_id].get("_Template"):
        raise MetrcError(404, f"Delivery {delivery_id} was not found.")
    rows = [p for p in ctx.fac.delivery_packages.values() if p["_DeliveryId"] == delivery_id]
    return ctx.page("delivery_packages", rows, windowed=False)


# --- single objects: by id (digits) or by tag label ----------------------------------------------

_SINGLE = {"plants": "plants", "plantbatches": "plant_batches", "harvests": "harvests", "packages": "packages",
           "items": "items", "strains": "strains", "locations": "locations", "sublocations": "sublocations"}  # fmt: skip
_LABELLED = {"plants", "packages"}


def _single_route(resource: str) -> None:
    kind = _SINGLE[resource]

    def handler(ctx: Ctx, key: str) -> Obj:
        fac = ctx.facility
        if key.isdigit():
            obj = getattr(fac, kind).get(int(key))
        else:
            obj = fac.by_label(kind, key) if resource in _LABELLED else None
        if obj is None:
            raise MetrcError(404, f"No {resource} object with Id or Label '{key}' exists in facility {fac.license_number}.")
        return shapes.view(kind, fac.items, obj)

    handler.__name__ = f"{resource}_one"
    routes.get(f"/{resource}/v2/{{key}}")(handler)


for _resource in _SINGLE:
    _single_route(_resource)
