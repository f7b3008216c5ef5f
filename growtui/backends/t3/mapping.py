"""Raw T3 JSON rows -> backend-neutral domain models (growtui.domain.models).

Field names follow the T3 spec's schemas (/v2/spec/components/schemas/Metrc*.yaml). Each model has a field table (model field -> wire key(s) and a
lenient coercion, or a small function of the row) checked once by ``rowmapper`` and read by a
plain mapper. A missing field, a wrong type or an unknown enum value gives a default instead of an
exception: one odd row from upstream must never break a 50k-row list. ``raw`` is kept verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from growtui.backends.rowmapper import (
    BOOL,
    Read,
    DAY,
    DECIMAL,
    INT,
    MAYBE_BOOL,
    MOMENT,
    STRINGS,
    TEXT,
    compile_mapper,
)
from growtui.backends.wire import (
    as_mapping,
    decimal_value,
    flag,
    integer,
    nested,
    objects,
    quantity,
    strings,
    text,
    unit_value,
)
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import (
    Delivery,
    DeliveryPackage,
    Driver,
    Facility,
    Harvest,
    HistoryEvent,
    Item,
    LabResult,
    License,
    Location,
    Package,
    PackageCreateInputs,
    Plant,
    PlantBatch,
    Strain,
    Tag,
    Transfer,
    TransferCreateInputs,
    TransferType,
    Transporter,
    UnitOfMeasure,
    Vehicle,
)
from growtui.domain.units import Quantity

Raw = Mapping[str, Any]


# ---------------------------------------------------------------------------------------------
# Account and lookups

license_to_domain = compile_mapper(
    License, {"number": TEXT("licenseNumber"), "name": TEXT("licenseName")}
)
license_to_domain.__doc__ = "One element of ``GET /v2/licenses`` -> ``License``."

unit_of_measure = compile_mapper(
    UnitOfMeasure,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "abbreviation": TEXT("abbreviation"),
        "unit": lambda raw: unit_value(raw.get("abbreviation")) or unit_value(raw.get("name")),
        "quantity_type": TEXT("quantityType"),
        "is_archived": BOOL("isArchived"),
    },
)

location = compile_mapper(
    Location,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "location_type": TEXT("locationTypeName"),
        "for_plants": BOOL("forPlants"),
        "for_plant_batches": BOOL("forPlantBatches"),
        "for_harvests": BOOL("forHarvests"),
        "for_packages": BOOL("forPackages"),
        "is_archived": BOOL("isArchived"),
    },
)

tag = compile_mapper(
    Tag,
    {
        "id": INT("id"),
        "label": TEXT("label"),
        "index": TEXT("index"),
        "status": TEXT("statusName"),
        "tag_type": TEXT("tagTypeName"),
        "group_tag_type": TEXT("groupTagTypeName"),
        "inventory_type": TEXT("tagInventoryTypeName"),
        "is_used": BOOL("isUsed"),
        "is_archived": BOOL("isArchived"),
        "commissioned_at": MOMENT("commissionedDateTime"),
        "used_at": MOMENT("usedDateTime"),
        "last_modified": MOMENT("lastModified"),
    },
)


def _address(raw: Raw) -> str:
    addr = nested(raw, "physicalAddress")
    street = ", ".join(s for s in (text(addr, f"street{n}") for n in (1, 2, 3, 4)) if s)
    region = " ".join(s for s in (text(addr, "state"), text(addr, "postalCode")) if s)
    return ", ".join(s for s in (street, text(addr, "city"), region) if s)


facility_to_domain = compile_mapper(
    Facility,
    {
        "id": INT("id"),
        "license_number": TEXT("licenseNumber"),  # the facility's own license here
        "name": TEXT("facilityName"),
        "facility_type": TEXT("facilityTypeName", "facilityType"),
        "index": TEXT("index"),
        "address": _address,
        "main_phone": TEXT("mainPhoneNumber"),
        "mobile_phone": TEXT("mobilePhoneNumber"),
    },
)
facility_to_domain.__doc__ = "One ``MetrcFacility`` (destinations / transporters pickers) -> ``Facility``."

transfer_type = compile_mapper(
    TransferType,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "transaction_type": TEXT("transactionType", "transactionTypeName"),
        "requires_destination_gross_weight": BOOL("requiresDestinationGrossWeight"),
        "requires_packages_gross_weight": BOOL("requiresPackagesGrossWeight"),
        # Named by the spec's field docs but absent from the 0.6.0 schema: read it if sent.
        "requires_invoice_number": BOOL("requiresInvoiceNumber"),
        "for_licensed_shipments": BOOL("forLicensedShipments"),
        "for_external_incoming": BOOL("forExternalIncomingShipments"),
        "for_external_outgoing": BOOL("forExternalOutgoingShipments"),
        "minimum_wholesale_price": DECIMAL("minimumWholesalePrice"),
        "maximum_wholesale_price": DECIMAL("maximumWholesalePrice"),
    },
)

driver = compile_mapper(
    Driver,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "occupational_license_number": TEXT("employeeId"),
        "drivers_license_number": TEXT("driversLicenseNumber"),
        "is_archived": BOOL("isArchived"),
    },
)

vehicle = compile_mapper(
    Vehicle,
    {
        "id": INT("id"),
        "make": TEXT("make"),
        "model": TEXT("model"),
        "license_plate_number": TEXT("licensePlateNumber"),
        "is_archived": BOOL("isArchived"),
    },
)


def create_inputs_to_domain(kind: str, raw: Raw) -> PackageCreateInputs | TransferCreateInputs:
    """``/v2/{packages,transfers}/create/inputs`` (kind "package" or "transfer") -> inputs model."""
    raw = as_mapping(raw)
    units = tuple(unit_of_measure(u) for u in objects(raw, "unitsOfMeasure"))
    if kind == "transfer":
        return TransferCreateInputs(
            transfer_types=tuple(transfer_type(t) for t in objects(raw, "transferTypes")),
            units=units,
            drivers=tuple(driver(d) for d in objects(raw, "drivers")),
            vehicles=tuple(vehicle(v) for v in objects(raw, "vehicles")),
            default_phone=text(raw, "defaultPhoneNumberForQuestions"),
            raw=raw,
        )
    if kind == "package":
        return PackageCreateInputs(
            locations=tuple(location(loc) for loc in objects(raw, "locations")),
            sublocations=strings(raw, "sublocations"),
            tags=tuple(tag(t) for t in objects(raw, "tags")),
            units=units,
            raw=raw,
        )
    raise ValueError(f"unknown create-inputs kind {kind!r} (expected 'package' or 'transfer')")


# ---------------------------------------------------------------------------------------------
# Collections and sub-collections: field tables, each checked against its model (see rowmapper).


def _quantity(value_key: str, unit_key: str) -> Callable[[Raw], Quantity | None]:
    return lambda raw: quantity(raw, value_key, unit_key)


def _package_quantity(raw: Raw) -> Quantity | None:
    u = unit_value(raw.get("unitOfMeasureAbbreviation")) or unit_value(raw.get("unitOfMeasureName"))
    value = decimal_value(raw.get("quantity"))
    return None if u is None or value is None else Quantity(value, u)


def _harvest_weight(key: str) -> Callable[[Raw], Quantity | None]:
    return _quantity(key, "unitOfWeightAbbreviation")


def _plant_id(raw: Raw) -> int | None:
    # Rows of a harvest's plant list carry plantId + harvestId; plain plant rows carry id.
    if raw.get("harvestId") is not None:
        return integer(raw, "plantId")
    pid = integer(raw, "id")
    return pid if pid is not None else integer(raw, "plantId")


def _vehicle(raw: Raw) -> str:
    plate = text(raw, "vehicleLicensePlateNumber")
    car = " ".join(s for s in (text(raw, "vehicleMake"), text(raw, "vehicleModel")) if s)
    return f"{car} ({plate})" if car and plate else car or plate


def _manifest_number(raw: Raw) -> str:
    # Transfer rows carry "0004512345"; the delivery schema types it as an int (T3 spec),
    # which drops the zero padding. Metrc manifest numbers are 10 digits, so pad ints back to
    # match the transfer list (inferred from the spec's string examples and the sandbox).
    value = raw.get("manifestNumber")
    number = integer(raw, "manifestNumber") if not isinstance(value, str) else None
    return f"{number:010d}" if number is not None and number >= 0 else text(raw, "manifestNumber")


def _lab_revoked(raw: Raw) -> bool:
    return flag(raw, "isRevoked") or flag(raw, "labTestDetailIsRevoked")


plant = compile_mapper(
    Plant,
    {
        "id": _plant_id,
        "label": TEXT("label"),
        "index": TEXT("index"),
        "state": TEXT("stateName"),
        "growth_phase": TEXT("growthPhaseName"),
        "plant_count": INT("plantCount", "totalPlantCount"),
        "strain_id": INT("strainId"),
        "strain_name": TEXT("strainName"),
        "plant_batch_name": TEXT("plantBatchName"),
        "plant_batch_type": TEXT("plantBatchTypeName"),
        "location_name": TEXT("locationName"),
        "sublocation_name": TEXT("sublocationName"),
        "location_type": TEXT("locationTypeName"),
        "patient_license_number": TEXT("patientLicenseNumber"),
        "harvest_count": INT("harvestCount"),
        "is_on_hold": BOOL("isOnHold"),
        "planted_date": DAY("plantedDate"),
        "vegetative_date": DAY("vegetativeDate"),
        "flowering_date": DAY("floweringDate"),
        "destroyed_date": DAY("destroyedDate"),
        "destroyed_note": TEXT("destroyedNote"),
        "destroyed_by": TEXT("destroyedByUserName"),
        "harvest_id": INT("harvestId"),
        "last_modified": MOMENT("lastModified"),
    },
)

plant_batch = compile_mapper(
    PlantBatch,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "index": TEXT("index"),
        "batch_type": TEXT("plantBatchTypeName"),
        "strain_id": INT("strainId"),
        "strain_name": TEXT("strainName"),
        "location_name": TEXT("locationName"),
        "sublocation_name": TEXT("sublocationName"),
        "location_type": TEXT("locationTypeName"),
        "tracked_count": INT("trackedCount"),
        "untracked_count": INT("untrackedCount"),
        "packaged_count": INT("packagedCount"),
        "destroyed_count": INT("destroyedCount"),
        "source_package_label": TEXT("sourcePackageLabel"),
        "source_plant_label": TEXT("sourcePlantLabel"),
        "patient_license_number": TEXT("patientLicenseNumber"),
        "is_on_hold": BOOL("isOnHold"),
        "planted_date": DAY("plantedDate"),
        "last_modified": MOMENT("lastModified"),
    },
)

harvest = compile_mapper(
    Harvest,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "index": TEXT("index"),
        "harvest_type": TEXT("harvestType", "harvestTypeName"),
        "strain_names": TEXT("sourceStrainNames"),
        "multi_strain": BOOL("multiStrain"),
        "drying_location_name": TEXT("dryingLocationName"),
        "drying_sublocation_name": TEXT("dryingSublocationName"),
        "plant_count": INT("plantCount"),
        "package_count": INT("packageCount"),
        "unit_label": TEXT("unitOfWeightAbbreviation"),
        "current_weight": _harvest_weight("currentWeight"),
        "wet_weight": _harvest_weight("totalWetWeight"),
        "waste_weight": _harvest_weight("totalWasteWeight"),
        "packaged_weight": _harvest_weight("totalPackagedWeight"),
        "restored_weight": _harvest_weight("totalRestoredWeight"),
        "lab_testing_state": TEXT("labTestingStateName"),
        "lab_testing_state_date": MOMENT("labTestingStateDate"),
        "is_on_hold": BOOL("isOnHold"),
        "is_finished": BOOL("isFinished"),
        "finished_date": MOMENT("finishedDate"),
        "is_archived": BOOL("isArchived"),
        "archived_date": MOMENT("archivedDate"),
        "harvest_start_date": DAY("harvestStartDate"),
        "facility_license_number": TEXT("facilityLicenseNumber"),
        "facility_name": TEXT("facilityName"),
        "patient_license_number": TEXT("patientLicenseNumber"),
        "last_modified": MOMENT("lastModified"),
    },
)

# MetrcPackage, and the slimmer MetrcHarvestPackage of a harvest's package list (packageId,
# productName, actualDate) through the fallback keys.
package = compile_mapper(
    Package,
    {
        "id": INT("id", "packageId"),
        "label": TEXT("label"),
        "index": TEXT("index"),
        "package_type": TEXT("packageType"),
        "item_id": INT("item.id"),
        "item_name": TEXT("item.name", "productName"),
        "item_category": TEXT("item.productCategoryName", "productCategoryName"),
        "strain_name": TEXT("item.strainName", "itemStrainName"),
        "quantity": _package_quantity,
        "unit_label": TEXT("unitOfMeasureAbbreviation", "unitOfMeasureName"),
        "location_name": TEXT("locationName"),
        "sublocation_name": TEXT("sublocationName"),
        "location_type": TEXT("locationTypeName"),
        "lab_testing_state": TEXT("labTestingStateName"),
        "lab_testing_state_date": MOMENT("labTestingStateDate"),
        "packaged_date": DAY("packagedDate", "actualDate"),
        "received_date": MOMENT("receivedDateTime"),
        "is_on_hold": BOOL("isOnHold"),
        "is_finished": BOOL("isFinished"),
        "finished_date": MOMENT("finishedDate"),
        "is_in_transit": BOOL("isInTransit"),
        "is_archived": BOOL("isArchived"),
        "is_testing_sample": BOOL("isTestingSample"),
        "is_trade_sample": BOOL("isTradeSample"),
        "is_donation": BOOL("isDonation"),
        "is_production_batch": BOOL("isProductionBatch"),
        "production_batch_number": TEXT("productionBatchNumber"),
        "contains_remediated_product": BOOL("containsRemediatedProduct"),
        "product_requires_remediation": BOOL("productRequiresRemediation"),
        "source_harvest_names": TEXT("sourceHarvestNames"),
        "source_package_labels": TEXT("sourcePackageLabels"),
        "note": TEXT("note"),
        "packaged_by_license_number": TEXT("packagedByFacilityLicenseNumber"),
        "received_from_license_number": TEXT("receivedFromFacilityLicenseNumber"),
        "received_from_manifest_number": TEXT("receivedFromManifestNumber"),
        "expiration_date": DAY("expirationDate"),
        "use_by_date": DAY("useByDate"),
        "sell_by_date": DAY("sellByDate"),
        "harvest_id": INT("harvestId"),
        "last_modified": MOMENT("lastModified"),
    },
)

item = compile_mapper(
    Item,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "category": TEXT("productCategoryName"),
        "category_type": TEXT("productCategoryTypeName"),
        "quantity_type": TEXT("quantityTypeName"),
        "unit_name": TEXT("unitOfMeasureName"),
        "unit": lambda raw: unit_value(raw.get("unitOfMeasureName")),
        "strain_id": INT("strainId"),
        "strain_name": TEXT("strainName"),
        "brand_name": TEXT("itemBrandName", "brandName", "productBrandName"),
        "approval_status": TEXT("approvalStatusName"),
        "is_used": BOOL("isUsed"),
        "is_archived": BOOL("isArchived"),
        "last_modified": MOMENT("lastModified"),
        "index": TEXT("index"),
    },
)

strain = compile_mapper(
    Strain,
    {
        "id": INT("id"),
        "name": TEXT("name"),
        "thc_level": DECIMAL("thcLevel"),
        "cbd_level": DECIMAL("cbdLevel"),
        "indica_percentage": DECIMAL("indicaPercentage"),
        "sativa_percentage": DECIMAL("sativaPercentage"),
        "testing_status": TEXT("testingStatus"),
        "is_used": BOOL("isUsed"),
        "is_archived": BOOL("isArchived"),
        "index": TEXT("index"),
    },
)

transfer = compile_mapper(
    Transfer,
    {
        "id": INT("id"),
        "manifest_number": TEXT("manifestNumber"),
        "index": TEXT("index"),
        "name": TEXT("name"),
        "delivery_id": INT("deliveryId"),
        "shipper_license_number": TEXT("shipperFacilityLicenseNumber"),
        "shipper_name": TEXT("shipperFacilityName"),
        "recipient_facility_id": INT("recipientFacilityId"),
        "recipient_license_number": TEXT("recipientFacilityLicenseNumber"),
        "recipient_name": TEXT("recipientFacilityName"),
        "transporter_license_number": TEXT("transporterFacilityLicenseNumber"),
        "transporter_name": TEXT("transporterFacilityName"),
        "driver_name": TEXT("driverName"),
        "vehicle": _vehicle,
        "shipment_type": TEXT("shipmentTypeName"),
        "transaction_type": TEXT("shipmentTransactionTypeName"),
        "package_count": INT("packageCount"),
        "received_package_count": INT("receivedPackageCount"),
        "delivery_package_count": INT("deliveryPackageCount"),
        "estimated_departure": MOMENT("estimatedDepartureDateTime"),
        "actual_departure": MOMENT("actualDepartureDateTime"),
        "estimated_arrival": MOMENT("estimatedArrivalDateTime"),
        "actual_arrival": MOMENT("actualArrivalDateTime"),
        "received_at": MOMENT("receivedDateTime"),
        "received_by": TEXT("receivedByName"),
        "created_at": MOMENT("createdDateTime"),
        "created_by": TEXT("createdByUserName"),
        "invoice_number": TEXT("invoiceNumber"),
        "is_voided": BOOL("isVoided"),
        "can_edit": BOOL("canEdit"),
        "last_modified": MOMENT("lastModified"),
    },
)

history_event = compile_mapper(
    HistoryEvent,
    {
        "descriptions": STRINGS("descriptions"),
        "user_name": TEXT("userName"),
        "actual_date": DAY("actualDate"),
        "recorded_at": MOMENT("recordedDateTime"),
        "input_source": TEXT("inputSourcesNames"),
        "external_source": TEXT("externalSourceName"),
    },
)

lab_result = compile_mapper(
    LabResult,
    {
        "package_id": INT("packageId"),
        "lab_test_result_id": INT("labTestResultId"),
        "lab_test_detail_id": INT("labTestDetailId"),
        "lab_license_number": TEXT("labFacilityLicenseNumber"),
        "lab_name": TEXT("labFacilityName"),
        "source_package_label": TEXT("sourcePackageLabel"),
        "product_name": TEXT("productName"),
        "test_type": TEXT("testTypeName"),
        "test_passed": MAYBE_BOOL("testPassed"),
        "overall_passed": MAYBE_BOOL("overallPassed"),
        "result_level": DECIMAL("testResultLevel"),
        "comment": TEXT("testComment"),
        "informational_only": BOOL("testInformationalOnly"),
        "is_revoked": _lab_revoked,
        "performed_date": MOMENT("testPerformedDate"),
        "released_at": MOMENT("resultReleaseDateTime"),
        "expires_at": MOMENT("expirationDateTime"),
        "document_file_id": INT("labTestResultDocumentFileId"),
        "last_modified": MOMENT("labTestResultLastModified"),
    },
)

delivery = compile_mapper(
    Delivery,
    {
        "id": INT("id"),
        "manifest_number": _manifest_number,
        "delivery_number": INT("deliveryNumber"),
        "recipient_facility_id": INT("recipientFacilityId"),
        "recipient_license_number": TEXT("recipientFacilityLicenseNumber"),
        "recipient_name": TEXT("recipientFacilityName"),
        "planned_route": TEXT("plannedRoute"),
        "shipment_type": TEXT("shipmentTypeName"),
        "transaction_type": TEXT("shipmentTransactionTypeName"),
        "estimated_departure": MOMENT("estimatedDepartureDateTime"),
        "actual_departure": MOMENT("actualDepartureDateTime"),
        "estimated_arrival": MOMENT("estimatedArrivalDateTime"),
        "actual_arrival": MOMENT("actualArrivalDateTime"),
        "gross_weight": _quantity("grossWeight", "grossUnitOfWeightAbbreviation"),
        "package_count": INT("deliveryPackageCount"),
        "received_package_count": INT("deliveryReceivedPackageCount"),
        "received_at": MOMENT("receivedDateTime"),
        "received_by": TEXT("receivedByName"),
        "invoice_number": TEXT("invoiceNumber"),
        "rejected_packages_returned": BOOL("rejectedPackagesReturned"),
    },
)

delivery_package = compile_mapper(
    DeliveryPackage,
    {
        "package_id": INT("packageId", "id"),
        "label": TEXT("packageLabel", "label"),
        "item_name": TEXT("productName"),
        "item_category": TEXT("productCategoryName"),
        "strain_name": TEXT("itemStrainName"),
        "package_type": TEXT("packageType"),
        "shipped": _quantity("shippedQuantity", "shippedUnitOfMeasureAbbreviation"),
        "received": _quantity("receivedQuantity", "receivedUnitOfMeasureAbbreviation"),
        "gross_weight": _quantity("grossWeight", "grossUnitOfWeightAbbreviation"),
        "shipper_wholesale_price": DECIMAL("shipperWholesalePrice"),
        "receiver_wholesale_price": DECIMAL("receiverWholesalePrice"),
        "shipment_package_state": TEXT("shipmentPackageState", "shipmentPackageStateName"),
        "lab_testing_state": TEXT("labTestingStateName"),
        "packaged_date": MOMENT("packagedDate"),
        "production_batch_number": TEXT("productionBatchNumber"),
        "source_harvest_names": TEXT("sourceHarvestNames"),
        "source_package_labels": TEXT("sourcePackageLabels"),
        "is_testing_sample": BOOL("isTestingSample"),
        "is_trade_sample": BOOL("isTradeSample"),
        "is_donation": BOOL("isDonation"),
        "is_in_transit": BOOL("isInTransit"),
    },
)

# Both MetrcTransferTransporter (per delivery) and MetrcTransferTransporterDetails (per manifest).
transporter = compile_mapper(
    Transporter,
    {
        "facility_id": INT("transporterFacilityId"),
        "license_number": TEXT("transporterFacilityLicenseNumber"),
        "name": TEXT("transporterFacilityName"),
        "direction": TEXT("transporterDirectionName", "transporterDirection"),
        "driver_name": TEXT("driverName"),
        "driver_occupational_license_number": TEXT("driverOccupationalLicenseNumber"),
        "driver_license_number": TEXT("driverVehicleLicenseNumber"),
        "vehicle_make": TEXT("vehicleMake"),
        "vehicle_model": TEXT("vehicleModel"),
        "vehicle_license_plate_number": TEXT("vehicleLicensePlateNumber"),
        "driver_layover_leg": TEXT("driverLayoverLeg"),
        "is_layover": BOOL("isLayover"),
        "delivery_id": INT("shipmentDeliveryId"),
        "line_number": INT("lineNumber"),
        "estimated_departure": MOMENT("estimatedDepartureDateTime"),
        "actual_departure": MOMENT("actualDepartureDateTime", "actualDriverStartDateTime"),
        "estimated_arrival": MOMENT("estimatedArrivalDateTime"),
        "actual_arrival": MOMENT("actualArrivalDateTime"),
        "accepted_at": MOMENT("acceptedDateTime"),
        "is_voided": BOOL("isVoided"),
    },
)


# ---------------------------------------------------------------------------------------------
# Dispatch

_BY_FAMILY: dict[Family, Callable[[Raw], Any]] = {
    Family.PLANTS: plant,
    Family.PLANT_BATCHES: plant_batch,
    Family.HARVESTS: harvest,
    Family.PACKAGES: package,
    Family.ITEMS: item,
    Family.STRAINS: strain,
    Family.TRANSFERS_INCOMING: transfer,
    Family.TRANSFERS_OUTGOING: transfer,
    Family.TRANSFERS_REJECTED: transfer,
}

_BY_SUB: dict[SubCollection, Callable[[Raw], Any]] = {
    SubCollection.PLANT_HISTORY: history_event,
    SubCollection.PLANT_BATCH_HISTORY: history_event,
    SubCollection.HARVEST_HISTORY: history_event,
    SubCollection.HARVEST_PLANTS: plant,
    SubCollection.HARVEST_PACKAGES: package,
    SubCollection.PACKAGE_HISTORY: history_event,
    SubCollection.PACKAGE_LAB_RESULTS: lab_result,
    SubCollection.ITEM_HISTORY: history_event,
    SubCollection.TRANSFER_HISTORY: history_event,
    SubCollection.TRANSFER_DELIVERIES: delivery,
    SubCollection.TRANSFER_TRANSPORTER_DETAILS: transporter,
    SubCollection.DELIVERY_PACKAGES: delivery_package,
    SubCollection.DELIVERY_TRANSPORTERS: transporter,
}

_BY_PICKER: dict[str, Callable[[Raw], Any]] = {
    "source-items": item,
    "source-packages": package,
    "source-tags": tag,
    "destinations": facility_to_domain,
    "transporters": facility_to_domain,
    "transfer-packages": package,
}


def mapper_for(collection: Collection | SubCollection) -> Callable[[Raw], Any]:
    """The row mapper of a collection or sub-collection (hoist it out of hot loops)."""
    if isinstance(collection, SubCollection):
        return _BY_SUB[collection]
    return _BY_FAMILY[collection.family]


def to_domain(collection: Collection | SubCollection, raw: Raw) -> Any:
    """Map one raw row of ``collection`` to its domain model. Never raises on odd row input
    (a non-dict row maps to an empty model); an unknown collection is a programming error."""
    return mapper_for(collection)(raw)


def map_rows(collection: Collection | SubCollection, rows: Iterable[Raw]) -> list[Any]:
    """Map a page (or a whole cached collection) at once."""
    mapper = mapper_for(collection)
    return [mapper(row) for row in rows]


def picker_to_domain(picker: str, raw: Raw) -> Any:
    """Rows of the paged create-form pickers (``Backend.picker_page``) -> domain models."""
    try:
        mapper = _BY_PICKER[picker]
    except KeyError:
        raise KeyError(f"unknown picker {picker!r}") from None
    return mapper(raw)


# Fields read by a function of the row, where the raw value itself still is a display cell.
_DISPLAY_PATHS: dict[str, str] = {"id": "id", "quantity": "quantity", "current_weight": "currentWeight"}


def raw_paths(family: Family) -> dict[str, str]:
    """Where each domain field of ``family``'s model sits in a raw T3 row (its first wire key),
    so the cache reads display cells straight from the JSON (data/columns.py)."""
    table = _BY_FAMILY[family].table  # type: ignore[attr-defined]
    paths = {name: r.keys[0] for name, r in table.items() if isinstance(r, Read)}
    paths.update({k: v for k, v in _DISPLAY_PATHS.items() if k in table and k not in paths})
    return paths
