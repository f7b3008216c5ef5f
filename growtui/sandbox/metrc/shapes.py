"""The wire shape of every Metrc object the sandbox serves (§8), one builder per kind.

Seed data and writes both build objects here, so a shape is defined once. Builders take the
facility objects they refer to (location, strain, item…) and copy their names, as Metrc's rows do.
``view(kind, fac, obj)`` is what a GET returns: the stored dict minus ``_`` keys, plus the nested
``Item``/``ProductLabel`` of a package (built from the item *now*, so an item change shows).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.wire import day

Obj = dict[str, Any]
_HOLD_FLAGS = ("IsOnHold", "IsOnInvestigation", "IsOnInvestigationHold", "IsOnInvestigationRecall")


def _holds() -> Obj:
    return dict.fromkeys(_HOLD_FLAGS, False)


def _place(loc: Obj | None, sub: Obj | None, prefix: str = "") -> Obj:
    return {
        f"{prefix}LocationId": loc["Id"] if loc else None,
        f"{prefix}LocationName": loc["Name"] if loc else None,
        f"{prefix}LocationTypeName": loc["LocationTypeName"] if loc else None,
        f"{prefix}SublocationId": sub["Id"] if sub else None,
        f"{prefix}SublocationName": sub["Name"] if sub else None,
    }


def place(obj: Obj, loc: Obj | None, sub: Obj | None, prefix: str = "") -> None:
    """Move ``obj`` (plant, batch, package; ``prefix="Drying"`` for a harvest)."""
    obj.update(_place(loc, sub, prefix))


def location(id_: int, name: str, type_id: int, type_name: str) -> Obj:
    flags = vocab.LOCATION_TYPES[type_name]
    return {"Id": id_, "Name": name, "LocationTypeId": type_id, "LocationTypeName": type_name, **dict(zip(vocab.LOCATION_TYPE_FLAGS, flags)), "LastModified": ""}


def sublocation(id_: int, name: str) -> Obj:
    return {"Id": id_, "Name": name, "LastModified": ""}


def strain(id_: int, name: str, indica: int, thc: float) -> Obj:
    return {
        "Id": id_,
        "Name": name,
        "TestingStatus": "None",
        "ThcLevel": thc,
        "CbdLevel": None,
        "IndicaPercentage": indica,
        "SativaPercentage": 100 - indica,
        "IsUsed": True,
        "Genetics": f"{indica}% Indica / {100 - indica}% Sativa",
        "LastModified": "",
    }


def item(id_: int, name: str, category: str, unit: str, strain: Obj | None, approved_at: str) -> Obj:
    category_type, quantity_type, _ = vocab.ITEM_CATEGORIES[category]
    row: Obj = {
        "Id": id_,
        "Name": name,
        "GlobalProductName": None,
        "GlobalProductNumber": None,
        "ProductCategoryName": category,
        "ProductCategoryType": category_type,
        "IsExpirationDateRequired": False,
        "HasExpirationDate": False,
        "IsSellByDateRequired": False,
        "HasSellByDate": False,
        "IsUseByDateRequired": False,
        "HasUseByDate": False,
        "QuantityType": quantity_type,
        "DefaultLabTestingState": "NotSubmitted",
        "UnitOfMeasureName": unit,
        "ApprovalStatus": "Approved",
        "ApprovalStatusDateTime": approved_at,
        "StrainId": strain["Id"] if strain else None,
        "StrainName": strain["Name"] if strain else None,
        "ItemBrandId": 0,
        "ItemBrandName": None,
        "AdministrationMethod": None,
        "UnitCbdPercent": None,
        "UnitThcPercent": None,
        "UnitWeight": None,
        "UnitWeightUnitOfMeasureName": None,
        "UnitVolume": None,
        "UnitVolumeUnitOfMeasureName": None,
        "UnitQuantity": None,
        "UnitQuantityUnitOfMeasureName": None,
        "ServingSize": None,
        "NumberOfDoses": None,
        "PublicIngredients": None,
        "Description": None,
        "Allergens": None,
        "ProductImages": [],
        "LabelImages": [],
        "PackagingImages": [],
        "ProductPDFDocuments": [],
        "IsUsed": True,
        "LabTestBatchNames": [],
        "ProcessingJobCategoryName": None,
        "ProcessingJobTypeName": None,
        "ProductBrandName": None,
        "LastModified": "",
    }
    return row


def _item_in_package(it: Obj) -> Obj:
    """``Package.Item``: the item with its enum fields as integers (§8.5's gotcha)."""
    nested = {k: v for k, v in it.items() if k != "LastModified"}
    nested["ProductCategoryType"] = vocab.CATEGORY_TYPE_CODES.get(it["ProductCategoryType"], 0)
    nested["QuantityType"] = vocab.QUANTITY_TYPE_CODES[it["QuantityType"]]
    nested["DefaultLabTestingState"] = 0
    nested["ApprovalStatus"] = 1
    return nested


def tag(id_: int, label: str, kind: str, facility_id: int) -> Obj:
    plant = kind == "Plant"
    return {
        "Id": id_,
        "GroupTagTypeName": "Plant Tags" if plant else "Package Tags",
        "TagTypeName": "Medical Plant" if plant else "Medical Package",
        "GroupTagTypeId": "1" if plant else "2",
        "TagTypeId": "MedicalPlant" if plant else "MedicalPackage",
        "TagInventoryTypeName": "MedicalPlant" if plant else "MedicalPackage",
        "MaxGroupSize": 0,
        "FacilityId": facility_id,
        "Label": label,
        "_Kind": kind,
        "_Used": False,
    }


def plant_batch(id_: int, name: str, type_: tuple[int, str, bool], strain: Obj, loc: Obj | None, sub: Obj | None, count: int, planted: date) -> Obj:
    row: Obj = {
        "Id": id_,
        "Name": name,
        "PlantBatchTypeId": type_[0],
        "PlantBatchTypeName": type_[1],
        "StrainId": strain["Id"],
        "StrainName": strain["Name"],
        "PatientLicenseNumber": None,
        "UntrackedCount": count,
        "TrackedCount": 0,
        "PackagedCount": 0,
        "DestroyedCount": 0,
        "SourcePackageId": None,
        "SourcePackageLabel": None,
        "SourcePlantId": None,
        "SourcePlantLabel": None,
        "SourcePlantBatchIds": [],
        "SourcePlantBatchNames": None,
        "MultiPlantBatch": False,
        "PlantedDate": day(planted),
        "LastModified": "",
        **_holds(),
    }
    place(row, loc, sub)
    return row


def plant(id_: int, label: str, batch: Obj, phase: str, loc: Obj, sub: Obj | None, planted: date, phase_date: date) -> Obj:
    row: Obj = {
        "Id": id_,
        "Label": label,
        "State": "Tracked",
        "GrowthPhase": phase,
        "GroupTagTypeMax": 0,
        "TagTypeMax": 0,
        "PlantBatchId": batch["Id"],
        "PlantBatchName": batch["Name"],
        "PlantBatchTypeId": batch["PlantBatchTypeId"],
        "PlantBatchTypeName": batch["PlantBatchTypeName"],
        "StrainId": batch["StrainId"],
        "StrainName": batch["StrainName"],
        "PatientLicenseNumber": None,
        "HarvestId": None,
        "HarvestedUnitOfWeightName": None,
        "HarvestedUnitOfWeightAbbreviation": None,
        "HarvestedWetWeight": None,
        "HarvestCount": 0,
        "PlantedDate": day(planted),
        "VegetativeDate": day(phase_date),
        "FloweringDate": day(phase_date) if phase == "Flowering" else None,
        "HarvestedDate": None,
        "DestroyedDate": None,
        "DestroyedNote": None,
        "DestroyedByUserName": None,
        "MotherPlantDate": None,
        "ClonedCount": None,
        "SurvivedCount": None,
        "DescendedCount": None,
        "LastModified": "",
        **_holds(),
    }
    place(row, loc, sub)
    return row


def harvest(id_: int, name: str, harvest_type: str, loc: Obj, sub: Obj | None, unit: str, started: date) -> Obj:
    row: Obj = {
        "Id": id_,
        "Name": name,
        "HarvestType": harvest_type,
        "SourceStrainCount": 0,
        "SourceStrainNames": None,
        "Strains": [],
        "PatientLicenseNumber": None,
        "CurrentWeight": 0.0,
        "TotalWasteWeight": 0.0,
        "PlantCount": 0,
        "TotalWetWeight": 0.0,
        "TotalRestoredWeight": 0.0,
        "PackageCount": 0,
        "TotalPackagedWeight": 0.0,
        "UnitOfWeightName": unit,
        "LabTestingState": None,
        "LabTestingStateDate": None,
        "HarvestStartDate": day(started),
        "FinishedDate": None,
        "ArchivedDate": None,
        "LastModified": "",
        **_holds(),
    }
    place(row, loc, sub, "Drying")
    return row


def reweigh(h: Obj) -> None:
    """CurrentWeight = wet - waste - packaged + restored (§8.4), in the harvest's unit."""
    h["CurrentWeight"] = round(h["TotalWetWeight"] - h["TotalWasteWeight"] - h["TotalPackagedWeight"] + h["TotalRestoredWeight"], 6)


def add_strain_to_harvest(h: Obj, strain_name: str) -> None:
    names = sorted({*(h["SourceStrainNames"] or "").split(", "), strain_name} - {""})
    h["SourceStrainNames"] = ", ".join(names)
    h["SourceStrainCount"] = len(names)
    h["Strains"] = names


def harvest_waste(id_: int, waste_type: str, weight: float, unit: str, when: date) -> Obj:
    return {"Id": id_, "WasteTypeName": waste_type, "WasteWeight": weight, "UnitOfWeightName": unit, "ActualDate": day(when)}


def package(id_: int, label: str, it: Obj, quantity: float, unit: str, loc: Obj | None, sub: Obj | None, packaged: date, package_type: str = "Product") -> Obj:
    row: Obj = {
        "Id": id_,
        "Label": label,
        "ExternalId": None,
        "PackageType": package_type,
        "PatientLicenseNumber": None,
        "Note": None,
        "Quantity": quantity,
        "OriginalPackageQuantity": quantity,
        "UnitOfMeasureName": unit,
        "UnitOfMeasureAbbreviation": vocab.abbreviation(unit),
        "SourceHarvestCount": 0,
        "SourcePackageCount": 0,
        "SourceProcessingJobCount": 0,
        "SourceHarvestNames": None,
        "SourcePackageLabels": None,
        "ItemFromFacilityLicenseNumber": None,
        "ItemFromFacilityName": None,
        "ProductionBatchNumber": None,
        "IsProductionBatch": False,
        "SourceProductionBatchNumbers": None,
        "ReceivedDateTime": None,
        "ReceivedFromManifestNumber": None,
        "ReceivedFromFacilityLicenseNumber": None,
        "ReceivedFromFacilityName": None,
        "PackagedDate": day(packaged),
        "ExpirationDate": None,
        "SellByDate": None,
        "UseByDate": None,
        "ArchivedDate": None,
        "FinishedDate": None,
        "LabelsLastGeneratedDateTime": None,
        "InitialLabTestingState": "NotSubmitted",
        "LabTestingState": "NotSubmitted",
        "LabTestingStateDate": day(packaged),
        "LabTestingPerformedDate": None,
        "LabTestResultExpirationDateTime": None,
        "LabTestingRecordedDate": None,
        "LabTestStageId": None,
        "LabTestStage": None,
        "IsTestingSample": False,
        "IsProcessValidationTestingSample": False,
        "IsTradeSample": False,
        "IsTradeSamplePersistent": False,
        "SourcePackageIsTradeSample": False,
        "IsDonation": False,
        "IsDonationPersistent": False,
        "SourcePackageIsDonation": False,
        "ProductRequiresRemediation": False,
        "ContainsRemediatedProduct": False,
        "RemediationDate": None,
        "ProductRequiresDecontamination": False,
        "ContainsDecontaminatedProduct": False,
        "DecontaminationDate": None,
        "IsOnHoldCombined": False,
        "IsOnRecall": None,
        "IsOnRecallCombined": False,
        "IsFinished": False,
        "IsFinishedGood": False,
        "IsOnRetailerDelivery": False,
        "PackageForProductDestruction": None,
        "LastModified": "",
        "_ItemId": it["Id"],
        **_holds(),
    }
    place(row, loc, sub)
    return row


PRODUCT_LABEL = {
    "QrCount": 0,
    "IsChildFromParentWithLabel": False,
    "OriginalSourcePackageId": None,
    "OriginalSourcePackageLabel": None,
    "LabelSource": None,
    "QrCodeRanges": None,
    "LastLabelGenerationDate": None,
    "IsActive": False,
}


def transfer(id_: int, delivery_id: int, manifest: str, shipper: tuple[str, str], recipient: tuple[str, str], created: str, depart: str, arrive: str, packages: int, shipment: str = "Transfer") -> Obj:
    return {
        "Id": id_,
        "ManifestNumber": manifest,
        "InvoiceNumber": None,
        "ShipmentLicenseType": 0,
        "ShipperFacilityLicenseNumber": shipper[0],
        "ShipperFacilityName": shipper[1],
        "Name": None,
        "TransporterFacilityLicenseNumber": shipper[0],
        "TransporterFacilityName": shipper[1],
        "DriverName": "Sam Driver",
        "DriverOccupationalLicenseNumber": "DRV-0042",
        "DriverVehicleLicenseNumber": "D1234567",
        "VehicleMake": "Ford",
        "VehicleModel": "Transit",
        "VehicleLicensePlateNumber": "SBX-042",
        "DeliveryCount": 1,
        "ReceivedDeliveryCount": 0,
        "PackageCount": packages,
        "ReceivedPackageCount": 0,
        "ContainsPlantPackage": False,
        "ContainsProductPackage": True,
        "ContainsTradeSample": False,
        "ContainsDonation": False,
        "ContainsTestingSample": False,
        "ContainsProductRequiresRemediation": False,
        "ContainsRemediatedProductPackage": False,
        "IsVoided": False,
        "CreatedDateTime": created,
        "CreatedByUserName": "Sandbox Grower",
        "LastModified": "",
        "DeliveryId": delivery_id,
        "RecipientFacilityLicenseNumber": recipient[0],
        "RecipientFacilityName": recipient[1],
        "ShipmentTypeName": shipment,
        "ShipmentTransactionType": "Standard",
        "EstimatedDepartureDateTime": depart,
        "ActualDepartureDateTime": None,
        "EstimatedArrivalDateTime": arrive,
        "ActualArrivalDateTime": None,
        "DeliveryPackageCount": packages,
        "DeliveryReceivedPackageCount": 0,
        "ReceivedDateTime": None,
        "EstimatedReturnDepartureDateTime": None,
        "ActualReturnDepartureDateTime": None,
        "EstimatedReturnArrivalDateTime": None,
        "ActualReturnArrivalDateTime": None,
        "OriginatingTemplateId": None,
    }


def delivery(id_: int, number: int, manifest: str | None, recipient: tuple[str, str], depart: str, arrive: str, packages: int, route: str, transfer_id: int, received: str | None = None) -> Obj:
    return {
        "Id": id_,
        "ManifestNumber": manifest,
        "DeliveryNumber": number,
        "RecipientFacilityLicenseNumber": recipient[0],
        "RecipientFacilityName": recipient[1],
        "ShipmentTypeName": "Transfer",
        "ShipmentTransactionType": "Standard",
        "InvoiceNumber": None,
        "EstimatedDepartureDateTime": depart,
        "ActualDepartureDateTime": None,
        "EstimatedArrivalDateTime": arrive,
        "ActualArrivalDateTime": None,
        "GrossWeight": None,
        "GrossUnitOfWeightId": None,
        "GrossUnitOfWeightName": None,
        "PlannedRoute": route,
        "DeliveryPackageCount": packages,
        "DeliveryReceivedPackageCount": 0,
        "ReceivedDateTime": received,
        "EstimatedReturnDepartureDateTime": None,
        "ActualReturnDepartureDateTime": None,
        "EstimatedReturnArrivalDateTime": None,
        "ActualReturnArrivalDateTime": None,
        "RejectedPackagesReturned": False,
        "PDFDocumentFileSystemId": None,
        "_TransferId": transfer_id,
    }


def delivery_package(delivery_id: int, pkg: Obj, it: Obj, state: str, gross_unit: str | None = None) -> Obj:
    return {
        "PackageId": pkg["Id"],
        "PackageLabel": pkg["Label"],
        "PackageType": pkg["PackageType"],
        "SourceHarvestNames": pkg["SourceHarvestNames"],
        "SourcePackageLabels": pkg["SourcePackageLabels"],
        "ItemId": it["Id"],
        "ItemName": it["Name"],
        "ItemCategoryName": it["ProductCategoryName"],
        "ItemStrainName": it["StrainName"],
        "ItemBrandName": None,
        "ItemUnitQuantity": None,
        "ItemUnitQuantityUnitOfMeasureName": None,
        "ItemUnitWeight": None,
        "ItemUnitWeightUnitOfMeasureName": None,
        "ItemUnitVolume": None,
        "ItemUnitVolumeUnitOfMeasureName": None,
        "ItemUnitThcPercent": None,
        "ItemUnitCbdPercent": None,
        "ItemServingSize": None,
        "ItemSupplyDurationDays": None,
        "LabTestingState": pkg["LabTestingState"],
        "ProductionBatchNumber": None,
        "IsTradeSample": False,
        "IsTradeSamplePersistent": False,
        "SourcePackageIsTradeSample": False,
        "IsDonation": False,
        "SourcePackageIsDonation": False,
        "IsTestingSample": False,
        "ProductRequiresRemediation": False,
        "ContainsRemediatedProduct": False,
        "RemediationDate": None,
        "ShipmentPackageState": state,
        "ShippedQuantity": pkg["Quantity"],
        "ShippedUnitOfMeasureName": pkg["UnitOfMeasureName"],
        "GrossUnitOfWeightName": gross_unit,
        "ReceivedQuantity": pkg["Quantity"] if state == "Accepted" else 0.0,
        "ReceivedUnitOfMeasureName": pkg["UnitOfMeasureName"],
        "PackagedDate": pkg["PackagedDate"],
        "ExpirationDate": None,
        "SellByDate": None,
        "UseByDate": None,
        "ProductLabel": dict(PRODUCT_LABEL),
        "SourceProductionBatchNumbers": None,
        "ExternalId": None,
        "IsFinishedGood": False,
        "_DeliveryId": delivery_id,
    }


def public(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def view(kind: str, items: dict[int, Obj], obj: Obj) -> Obj:
    """What GET sends for a stored object (``items``: the facility's items, for packages)."""
    out = public(obj)
    if kind == "delivery_packages":
        del out["Id"]  # the store's key (Facility.add): delivery packages are known by PackageId
    if kind == "packages":
        out["Item"] = _item_in_package(items[obj["_ItemId"]])
        out["ProductLabel"] = dict(PRODUCT_LABEL)
    return out
