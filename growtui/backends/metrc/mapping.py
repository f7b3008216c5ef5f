"""Raw Metrc rows (PascalCase, metrc-api.md §8) -> the same domain models T3's rows map to.

Field tables compiled by the shared lenient row mapper: a missing key, a wrong type or an enum
value growtui does not know gives a default, never an exception; ``raw`` keeps the row verbatim.
Metrc names state plainly (``State``, ``GrowthPhase``, ``LabTestingState``); enum fields may come
as strings or ints (``Package.Item`` vs ``/items``), so they are read as text either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from growtui.backends.rowmapper import BOOL, DAY, DECIMAL, INT, MOMENT, TEXT, Read, compile_mapper
from growtui.backends.wire import decimal_value, integer, text, unit_value
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import (
    Delivery,
    DeliveryPackage,
    Harvest,
    Item,
    License,
    Location,
    Package,
    Plant,
    PlantBatch,
    Strain,
    Tag,
    Transfer,
    Transporter,
    UnitOfMeasure,
)
from growtui.domain.units import Quantity

Raw = Mapping[str, Any]

license_to_domain = compile_mapper(License, {"number": TEXT("License.Number"), "name": TEXT("Name", "DisplayName")})
license_to_domain.__doc__ = "One element of ``GET /facilities/v2`` -> ``License``."

unit_of_measure = compile_mapper(
    UnitOfMeasure,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "abbreviation": TEXT("Abbreviation"),
        "unit": lambda raw: unit_value(raw.get("Abbreviation")) or unit_value(raw.get("Name")),
        "quantity_type": TEXT("QuantityType"),
    },
)

location = compile_mapper(
    Location,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "location_type": TEXT("LocationTypeName"),
        "for_plants": BOOL("ForPlants"),
        "for_plant_batches": BOOL("ForPlantBatches"),
        "for_harvests": BOOL("ForHarvests"),
        "for_packages": BOOL("ForPackages"),
    },
)

tag = compile_mapper(
    Tag,
    {
        "id": INT("Id"),
        "label": TEXT("Label"),
        "tag_type": TEXT("TagTypeName"),
        "group_tag_type": TEXT("GroupTagTypeName"),
        "inventory_type": TEXT("TagInventoryTypeName"),
    },
)


def _weight(value_key: str, unit_keys: tuple[str, ...]) -> Callable[[Raw], Quantity | None]:
    def read(raw: Raw) -> Quantity | None:
        unit = next((u for k in unit_keys if (u := unit_value(raw.get(k))) is not None), None)
        value = decimal_value(raw.get(value_key))
        return None if unit is None or value is None else Quantity(value, unit)

    return read


_PACKAGE_UNIT = ("UnitOfMeasureAbbreviation", "UnitOfMeasureName")
_HARVEST_UNIT = ("UnitOfWeightAbbreviation", "UnitOfWeightName")


plant = compile_mapper(
    Plant,
    {
        "id": INT("Id"),
        "label": TEXT("Label"),
        "index": TEXT("State"),
        "state": TEXT("State"),
        "growth_phase": TEXT("GrowthPhase"),
        "strain_id": INT("StrainId"),
        "strain_name": TEXT("StrainName"),
        "plant_batch_name": TEXT("PlantBatchName"),
        "plant_batch_type": TEXT("PlantBatchTypeName"),
        "location_name": TEXT("LocationName"),
        "sublocation_name": TEXT("SublocationName"),
        "location_type": TEXT("LocationTypeName"),
        "patient_license_number": TEXT("PatientLicenseNumber"),
        "harvest_count": INT("HarvestCount"),
        "is_on_hold": BOOL("IsOnHold"),
        "planted_date": DAY("PlantedDate"),
        "vegetative_date": DAY("VegetativeDate"),
        "flowering_date": DAY("FloweringDate"),
        "destroyed_date": DAY("DestroyedDate"),
        "destroyed_note": TEXT("DestroyedNote"),
        "destroyed_by": TEXT("DestroyedByUserName"),
        "harvest_id": INT("HarvestId"),
        "last_modified": MOMENT("LastModified"),
    },
)

plant_batch = compile_mapper(
    PlantBatch,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "batch_type": TEXT("PlantBatchTypeName"),
        "strain_id": INT("StrainId"),
        "strain_name": TEXT("StrainName"),
        "location_name": TEXT("LocationName"),
        "sublocation_name": TEXT("SublocationName"),
        "location_type": TEXT("LocationTypeName"),
        "tracked_count": INT("TrackedCount"),
        "untracked_count": INT("UntrackedCount"),
        "packaged_count": INT("PackagedCount"),
        "destroyed_count": INT("DestroyedCount"),
        "source_package_label": TEXT("SourcePackageLabel"),
        "source_plant_label": TEXT("SourcePlantLabel"),
        "patient_license_number": TEXT("PatientLicenseNumber"),
        "is_on_hold": BOOL("IsOnHold"),
        "planted_date": DAY("PlantedDate"),
        "last_modified": MOMENT("LastModified"),
    },
)

harvest = compile_mapper(
    Harvest,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "harvest_type": TEXT("HarvestType"),
        "strain_names": TEXT("SourceStrainNames"),
        "multi_strain": lambda raw: (integer(raw, "SourceStrainCount") or 0) > 1,
        "drying_location_name": TEXT("DryingLocationName"),
        "drying_sublocation_name": TEXT("DryingSublocationName"),
        "plant_count": INT("PlantCount"),
        "package_count": INT("PackageCount"),
        "unit_label": TEXT("UnitOfWeightAbbreviation", "UnitOfWeightName"),
        "current_weight": _weight("CurrentWeight", _HARVEST_UNIT),
        "wet_weight": _weight("TotalWetWeight", _HARVEST_UNIT),
        "waste_weight": _weight("TotalWasteWeight", _HARVEST_UNIT),
        "packaged_weight": _weight("TotalPackagedWeight", _HARVEST_UNIT),
        "restored_weight": _weight("TotalRestoredWeight", _HARVEST_UNIT),
        "lab_testing_state": TEXT("LabTestingState"),
        "lab_testing_state_date": MOMENT("LabTestingStateDate"),
        "is_on_hold": BOOL("IsOnHold"),
        "is_finished": lambda raw: raw.get("FinishedDate") not in (None, ""),
        "finished_date": MOMENT("FinishedDate"),
        "is_archived": lambda raw: raw.get("ArchivedDate") not in (None, ""),
        "archived_date": MOMENT("ArchivedDate"),
        "harvest_start_date": DAY("HarvestStartDate"),
        "patient_license_number": TEXT("PatientLicenseNumber"),
        "last_modified": MOMENT("LastModified"),
    },
)

package = compile_mapper(
    Package,
    {
        "id": INT("Id", "PackageId"),
        "label": TEXT("Label", "PackageLabel"),
        "package_type": TEXT("PackageType"),
        "item_id": INT("Item.Id", "ItemId"),
        "item_name": TEXT("Item.Name", "ItemName"),
        "item_category": TEXT("Item.ProductCategoryName", "ItemCategoryName"),
        "strain_name": TEXT("Item.StrainName", "ItemStrainName"),
        "quantity": _weight("Quantity", _PACKAGE_UNIT),
        "unit_label": TEXT("UnitOfMeasureAbbreviation", "UnitOfMeasureName"),
        "location_name": TEXT("LocationName"),
        "sublocation_name": TEXT("SublocationName"),
        "location_type": TEXT("LocationTypeName"),
        "lab_testing_state": TEXT("LabTestingState"),
        "lab_testing_state_date": MOMENT("LabTestingStateDate"),
        "packaged_date": DAY("PackagedDate"),
        "received_date": MOMENT("ReceivedDateTime"),
        "is_on_hold": BOOL("IsOnHold"),
        "is_finished": BOOL("IsFinished"),
        "finished_date": MOMENT("FinishedDate"),
        "is_in_transit": BOOL("IsInTransit"),
        "is_archived": lambda raw: raw.get("ArchivedDate") not in (None, ""),
        "is_testing_sample": BOOL("IsTestingSample"),
        "is_trade_sample": BOOL("IsTradeSample"),
        "is_donation": BOOL("IsDonation"),
        "is_production_batch": BOOL("IsProductionBatch"),
        "production_batch_number": TEXT("ProductionBatchNumber"),
        "contains_remediated_product": BOOL("ContainsRemediatedProduct"),
        "product_requires_remediation": BOOL("ProductRequiresRemediation"),
        "source_harvest_names": TEXT("SourceHarvestNames"),
        "source_package_labels": TEXT("SourcePackageLabels"),
        "note": TEXT("Note"),
        "packaged_by_license_number": TEXT("ItemFromFacilityLicenseNumber"),
        "received_from_license_number": TEXT("ReceivedFromFacilityLicenseNumber"),
        "received_from_manifest_number": TEXT("ReceivedFromManifestNumber"),
        "expiration_date": DAY("ExpirationDate"),
        "use_by_date": DAY("UseByDate"),
        "sell_by_date": DAY("SellByDate"),
        "last_modified": MOMENT("LastModified"),
    },
)

item = compile_mapper(
    Item,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "category": TEXT("ProductCategoryName"),
        "category_type": TEXT("ProductCategoryType"),
        "quantity_type": TEXT("QuantityType"),
        "unit_name": TEXT("UnitOfMeasureName"),
        "unit": lambda raw: unit_value(raw.get("UnitOfMeasureName")),
        "strain_id": INT("StrainId"),
        "strain_name": TEXT("StrainName"),
        "brand_name": TEXT("ItemBrandName", "ProductBrandName"),
        "approval_status": TEXT("ApprovalStatus"),
        "is_used": BOOL("IsUsed"),
        "last_modified": MOMENT("LastModified"),
    },
)

strain = compile_mapper(
    Strain,
    {
        "id": INT("Id"),
        "name": TEXT("Name"),
        "thc_level": DECIMAL("ThcLevel"),
        "cbd_level": DECIMAL("CbdLevel"),
        "indica_percentage": DECIMAL("IndicaPercentage"),
        "sativa_percentage": DECIMAL("SativaPercentage"),
        "testing_status": TEXT("TestingStatus"),
        "is_used": BOOL("IsUsed"),
    },
)


def _vehicle(raw: Raw) -> str:
    plate = text(raw, "VehicleLicensePlateNumber")
    car = " ".join(s for s in (text(raw, "VehicleMake"), text(raw, "VehicleModel")) if s)
    return f"{car} ({plate})" if car and plate else car or plate


transfer = compile_mapper(
    Transfer,
    {
        "id": INT("Id"),
        "manifest_number": TEXT("ManifestNumber"),
        "name": TEXT("Name"),
        "delivery_id": INT("DeliveryId"),
        "shipper_license_number": TEXT("ShipperFacilityLicenseNumber"),
        "shipper_name": TEXT("ShipperFacilityName"),
        "recipient_license_number": TEXT("RecipientFacilityLicenseNumber"),
        "recipient_name": TEXT("RecipientFacilityName"),
        "transporter_license_number": TEXT("TransporterFacilityLicenseNumber"),
        "transporter_name": TEXT("TransporterFacilityName"),
        "driver_name": TEXT("DriverName"),
        "vehicle": _vehicle,
        "shipment_type": TEXT("ShipmentTypeName"),
        "transaction_type": TEXT("ShipmentTransactionType"),
        "package_count": INT("PackageCount"),
        "received_package_count": INT("ReceivedPackageCount"),
        "delivery_package_count": INT("DeliveryPackageCount"),
        "estimated_departure": MOMENT("EstimatedDepartureDateTime"),
        "actual_departure": MOMENT("ActualDepartureDateTime"),
        "estimated_arrival": MOMENT("EstimatedArrivalDateTime"),
        "actual_arrival": MOMENT("ActualArrivalDateTime"),
        "received_at": MOMENT("ReceivedDateTime"),
        "created_at": MOMENT("CreatedDateTime"),
        "created_by": TEXT("CreatedByUserName"),
        "invoice_number": TEXT("InvoiceNumber"),
        "is_voided": BOOL("IsVoided"),
        "last_modified": MOMENT("LastModified"),
    },
)

delivery = compile_mapper(
    Delivery,
    {
        "id": INT("Id"),
        "manifest_number": TEXT("ManifestNumber"),
        "delivery_number": INT("DeliveryNumber"),
        "recipient_license_number": TEXT("RecipientFacilityLicenseNumber"),
        "recipient_name": TEXT("RecipientFacilityName"),
        "planned_route": TEXT("PlannedRoute"),
        "shipment_type": TEXT("ShipmentTypeName"),
        "transaction_type": TEXT("ShipmentTransactionType"),
        "estimated_departure": MOMENT("EstimatedDepartureDateTime"),
        "actual_departure": MOMENT("ActualDepartureDateTime"),
        "estimated_arrival": MOMENT("EstimatedArrivalDateTime"),
        "actual_arrival": MOMENT("ActualArrivalDateTime"),
        "gross_weight": _weight("GrossWeight", ("GrossUnitOfWeightName",)),
        "package_count": INT("DeliveryPackageCount"),
        "received_package_count": INT("DeliveryReceivedPackageCount"),
        "received_at": MOMENT("ReceivedDateTime"),
        "invoice_number": TEXT("InvoiceNumber"),
        "rejected_packages_returned": BOOL("RejectedPackagesReturned"),
    },
)

delivery_package = compile_mapper(
    DeliveryPackage,
    {
        "package_id": INT("PackageId"),
        "label": TEXT("PackageLabel"),
        "item_name": TEXT("ItemName"),
        "item_category": TEXT("ItemCategoryName"),
        "strain_name": TEXT("ItemStrainName"),
        "package_type": TEXT("PackageType"),
        "shipped": _weight("ShippedQuantity", ("ShippedUnitOfMeasureName",)),
        "received": _weight("ReceivedQuantity", ("ReceivedUnitOfMeasureName",)),
        "shipment_package_state": TEXT("ShipmentPackageState"),
        "lab_testing_state": TEXT("LabTestingState"),
        "packaged_date": MOMENT("PackagedDate"),
        "production_batch_number": TEXT("ProductionBatchNumber"),
        "source_harvest_names": TEXT("SourceHarvestNames"),
        "source_package_labels": TEXT("SourcePackageLabels"),
        "is_testing_sample": BOOL("IsTestingSample"),
        "is_trade_sample": BOOL("IsTradeSample"),
        "is_donation": BOOL("IsDonation"),
    },
)

transporter = compile_mapper(
    Transporter,
    {
        "license_number": TEXT("TransporterFacilityLicenseNumber"),
        "name": TEXT("TransporterFacilityName"),
        "direction": TEXT("TransporterDirection"),
        "driver_name": TEXT("DriverName"),
        "driver_occupational_license_number": TEXT("DriverOccupationalLicenseNumber"),
        "driver_license_number": TEXT("DriverVehicleLicenseNumber"),
        "vehicle_make": TEXT("VehicleMake"),
        "vehicle_model": TEXT("VehicleModel"),
        "vehicle_license_plate_number": TEXT("VehicleLicensePlateNumber"),
        "driver_layover_leg": TEXT("DriverLayoverLeg"),
        "delivery_id": INT("ShipmentDeliveryId"),
        "actual_departure": MOMENT("ActualDriverStartDateTime"),
    },
)

BY_FAMILY: dict[Family, Callable[[Raw], Any]] = {
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

BY_SUB: dict[SubCollection, Callable[[Raw], Any]] = {
    SubCollection.TRANSFER_DELIVERIES: delivery,
    SubCollection.DELIVERY_PACKAGES: delivery_package,
    SubCollection.DELIVERY_TRANSPORTERS: transporter,
}


def to_domain(collection: Collection | SubCollection, raw: Raw) -> Any:
    """One raw row of ``collection`` -> its domain model (never raises on odd rows)."""
    mapper = BY_SUB[collection] if isinstance(collection, SubCollection) else BY_FAMILY[collection.family]
    return mapper(raw)


# Fields read by a function of the row whose raw value still is the display cell.
_DISPLAY_PATHS = {"quantity": "Quantity", "current_weight": "CurrentWeight"}


def raw_paths(family: Family) -> dict[str, str]:
    """Where each domain field of ``family`` sits in a raw Metrc row (its first wire key)."""
    table = BY_FAMILY[family].table  # type: ignore[attr-defined]
    paths = {name: r.keys[0] for name, r in table.items() if isinstance(r, Read)}
    paths.update({k: v for k, v in _DISPLAY_PATHS.items() if k in table and k not in paths})
    return paths
