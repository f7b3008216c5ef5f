"""Backend-neutral models of what a grow floor tracks.

Plain frozen slotted dataclasses, not pydantic: a license can hold 50k packages and each row is
built once per cache fill. Every backend maps its own JSON into these; ``raw`` keeps the
original object (for the detail view and for fields we do not model). Text fields are data from
upstream: never render them as markup.

Conventions: ``""`` for missing text, ``None`` for missing numbers/dates; ``index`` is the
backend's own state marker (T3 ``FLOWERING_PLANT``) kept verbatim, even when unknown to us.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from growtui.domain.units import Quantity, Unit

_EMPTY: Mapping[str, Any] = MappingProxyType({})  # immutable, so safe as a shared default


def _raw() -> Any:
    return field(default_factory=lambda: _EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class License:
    number: str
    name: str
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class UnitOfMeasure:
    id: int | None
    name: str  # "Grams"
    abbreviation: str  # "g"
    unit: Unit | None  # None when the backend uses a unit we do not know
    quantity_type: str = ""  # "WeightBased" | "CountBased" | "VolumeBased"
    is_archived: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Strain:
    id: int | None
    name: str
    thc_level: Decimal | None = None
    cbd_level: Decimal | None = None
    indica_percentage: Decimal | None = None
    sativa_percentage: Decimal | None = None
    testing_status: str = ""
    is_used: bool = False
    is_archived: bool = False
    index: str = ""
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Item:
    id: int | None
    name: str
    category: str = ""  # productCategoryName, e.g. "Buds"
    category_type: str = ""  # productCategoryTypeName
    quantity_type: str = ""  # WeightBased / CountBased / VolumeBased
    unit_name: str = ""  # "Grams"
    unit: Unit | None = None
    strain_id: int | None = None
    strain_name: str = ""
    brand_name: str = ""
    approval_status: str = ""  # Approved / Revoked
    is_used: bool = False
    is_archived: bool = False
    last_modified: datetime | None = None
    index: str = ""
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Location:
    id: int | None
    name: str
    location_type: str = ""
    for_plants: bool = False
    for_plant_batches: bool = False
    for_harvests: bool = False
    for_packages: bool = False
    is_archived: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Tag:
    id: int | None
    label: str
    index: str = ""  # AVAILABLE_TAG / USED_TAG / VOID_TAG
    status: str = ""
    tag_type: str = ""
    group_tag_type: str = ""
    inventory_type: str = ""  # "MedicalPackage", ...
    is_used: bool = False
    is_archived: bool = False
    commissioned_at: datetime | None = None
    used_at: datetime | None = None
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Plant:
    id: int | None
    label: str
    index: str = ""
    state: str = ""  # Tracked / Untracked / Destroyed
    growth_phase: str = ""  # Vegetative / Flowering / ...
    plant_count: int | None = None
    strain_id: int | None = None
    strain_name: str = ""
    plant_batch_name: str = ""
    plant_batch_type: str = ""  # Clone / Seed
    location_name: str = ""
    sublocation_name: str = ""
    location_type: str = ""
    patient_license_number: str = ""
    harvest_count: int | None = None
    is_on_hold: bool = False
    planted_date: date | None = None
    vegetative_date: date | None = None
    flowering_date: date | None = None
    destroyed_date: date | None = None
    destroyed_note: str = ""
    destroyed_by: str = ""
    harvest_id: int | None = None  # set for rows of a harvest's plant list
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class PlantBatch:
    id: int | None
    name: str  # in CA this is a plant tag label
    index: str = ""
    batch_type: str = ""
    strain_id: int | None = None
    strain_name: str = ""
    location_name: str = ""
    sublocation_name: str = ""
    location_type: str = ""
    tracked_count: int | None = None
    untracked_count: int | None = None
    packaged_count: int | None = None
    destroyed_count: int | None = None
    source_package_label: str = ""
    source_plant_label: str = ""
    patient_license_number: str = ""
    is_on_hold: bool = False
    planted_date: date | None = None
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Harvest:
    id: int | None
    name: str
    index: str = ""
    harvest_type: str = ""  # WholePlant / PartialPlant / Other
    strain_names: str = ""
    multi_strain: bool = False
    drying_location_name: str = ""
    drying_sublocation_name: str = ""
    plant_count: int | None = None
    package_count: int | None = None
    unit_label: str = ""  # unit as the backend spelled it (kept even when unknown)
    current_weight: Quantity | None = None
    wet_weight: Quantity | None = None
    waste_weight: Quantity | None = None
    packaged_weight: Quantity | None = None
    restored_weight: Quantity | None = None
    lab_testing_state: str = ""
    lab_testing_state_date: datetime | None = None
    is_on_hold: bool = False
    is_finished: bool = False
    finished_date: datetime | None = None
    is_archived: bool = False
    archived_date: datetime | None = None
    harvest_start_date: date | None = None
    facility_license_number: str = ""
    facility_name: str = ""
    patient_license_number: str = ""
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Package:
    id: int | None
    label: str
    index: str = ""
    package_type: str = ""  # Product / ImmaturePlant
    item_id: int | None = None
    item_name: str = ""
    item_category: str = ""
    strain_name: str = ""
    quantity: Quantity | None = None
    unit_label: str = ""  # unit as the backend spelled it (kept even when unknown)
    location_name: str = ""
    sublocation_name: str = ""
    location_type: str = ""
    lab_testing_state: str = ""
    lab_testing_state_date: datetime | None = None
    packaged_date: date | None = None
    received_date: datetime | None = None
    is_on_hold: bool = False
    is_finished: bool = False
    finished_date: datetime | None = None
    is_in_transit: bool = False
    is_archived: bool = False
    is_testing_sample: bool = False
    is_trade_sample: bool = False
    is_donation: bool = False
    is_production_batch: bool = False
    production_batch_number: str = ""
    contains_remediated_product: bool = False
    product_requires_remediation: bool = False
    source_harvest_names: str = ""
    source_package_labels: str = ""
    note: str = ""
    packaged_by_license_number: str = ""
    received_from_license_number: str = ""
    received_from_manifest_number: str = ""
    expiration_date: date | None = None
    use_by_date: date | None = None
    sell_by_date: date | None = None
    harvest_id: int | None = None  # set for rows of a harvest's package list
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Facility:
    id: int | None
    license_number: str  # the facility's own license (not the querying one)
    name: str
    facility_type: str = ""
    index: str = ""  # DESTINATION / TRANSPORTER
    address: str = ""  # one line: street, city, state postal code
    main_phone: str = ""
    mobile_phone: str = ""
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class TransferType:
    id: int | None
    name: str
    transaction_type: str = ""  # "Wholesale" needs wholesale prices
    requires_destination_gross_weight: bool = False
    requires_packages_gross_weight: bool = False
    requires_invoice_number: bool = False
    for_licensed_shipments: bool = False
    for_external_incoming: bool = False
    for_external_outgoing: bool = False
    minimum_wholesale_price: Decimal | None = None
    maximum_wholesale_price: Decimal | None = None
    raw: Mapping[str, Any] = _raw()

    @property
    def requires_wholesale_price(self) -> bool:
        return self.transaction_type.lower() == "wholesale"


@dataclass(frozen=True, slots=True)
class Driver:
    id: int | None
    name: str
    occupational_license_number: str = ""  # employeeId
    drivers_license_number: str = ""
    is_archived: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Vehicle:
    id: int | None
    make: str
    model: str
    license_plate_number: str = ""
    is_archived: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class Transfer:
    """One delivery of a manifest, as the incoming/outgoing/rejected lists show it."""

    id: int | None
    manifest_number: str
    index: str = ""
    name: str = ""
    delivery_id: int | None = None
    shipper_license_number: str = ""
    shipper_name: str = ""
    recipient_facility_id: int | None = None
    recipient_license_number: str = ""
    recipient_name: str = ""
    transporter_license_number: str = ""
    transporter_name: str = ""
    driver_name: str = ""
    vehicle: str = ""  # "Make Model (PLATE)"
    shipment_type: str = ""
    transaction_type: str = ""
    package_count: int | None = None
    received_package_count: int | None = None
    delivery_package_count: int | None = None
    estimated_departure: datetime | None = None
    actual_departure: datetime | None = None
    estimated_arrival: datetime | None = None
    actual_arrival: datetime | None = None
    received_at: datetime | None = None
    received_by: str = ""
    created_at: datetime | None = None
    created_by: str = ""
    invoice_number: str = ""
    is_voided: bool = False
    can_edit: bool = False
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()

    @property
    def in_transit(self) -> bool:
        return self.actual_departure is not None and self.actual_arrival is None and not self.is_voided


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int | None
    manifest_number: str
    delivery_number: int | None = None
    recipient_facility_id: int | None = None
    recipient_license_number: str = ""
    recipient_name: str = ""
    planned_route: str = ""
    shipment_type: str = ""
    transaction_type: str = ""
    estimated_departure: datetime | None = None
    actual_departure: datetime | None = None
    estimated_arrival: datetime | None = None
    actual_arrival: datetime | None = None
    gross_weight: Quantity | None = None
    package_count: int | None = None
    received_package_count: int | None = None
    received_at: datetime | None = None
    received_by: str = ""
    invoice_number: str = ""
    rejected_packages_returned: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class DeliveryPackage:
    package_id: int | None
    label: str
    item_name: str = ""
    item_category: str = ""
    strain_name: str = ""
    package_type: str = ""
    shipped: Quantity | None = None
    received: Quantity | None = None
    gross_weight: Quantity | None = None
    shipper_wholesale_price: Decimal | None = None
    receiver_wholesale_price: Decimal | None = None
    shipment_package_state: str = ""  # Accepted / Rejected / Pending (kept verbatim)
    lab_testing_state: str = ""
    packaged_date: datetime | None = None
    production_batch_number: str = ""
    source_harvest_names: str = ""
    source_package_labels: str = ""
    is_testing_sample: bool = False
    is_trade_sample: bool = False
    is_donation: bool = False
    is_in_transit: bool = False
    raw: Mapping[str, Any] = _raw()

    @property
    def id(self) -> int | None:
        return self.package_id


@dataclass(frozen=True, slots=True)
class Transporter:
    """A transporter leg of a delivery (``transporters``) or a manifest (``transporter-details``)."""

    facility_id: int | None = None
    license_number: str = ""
    name: str = ""
    direction: str = ""
    driver_name: str = ""
    driver_occupational_license_number: str = ""
    driver_license_number: str = ""
    vehicle_make: str = ""
    vehicle_model: str = ""
    vehicle_license_plate_number: str = ""
    driver_layover_leg: str = ""
    is_layover: bool = False
    delivery_id: int | None = None
    line_number: int | None = None
    estimated_departure: datetime | None = None
    actual_departure: datetime | None = None
    estimated_arrival: datetime | None = None
    actual_arrival: datetime | None = None
    accepted_at: datetime | None = None
    is_voided: bool = False
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    descriptions: tuple[str, ...]
    user_name: str = ""
    actual_date: date | None = None
    recorded_at: datetime | None = None
    input_source: str = ""
    external_source: str = ""
    raw: Mapping[str, Any] = _raw()

    @property
    def text(self) -> str:
        return "\n".join(self.descriptions)


@dataclass(frozen=True, slots=True)
class LabResult:
    """One test line of a lab result (T3 flattens result + detail into one row)."""

    package_id: int | None
    lab_test_result_id: int | None = None
    lab_test_detail_id: int | None = None
    lab_license_number: str = ""
    lab_name: str = ""
    source_package_label: str = ""
    product_name: str = ""
    test_type: str = ""
    test_passed: bool | None = None
    overall_passed: bool | None = None
    result_level: Decimal | None = None
    comment: str = ""
    informational_only: bool = False
    is_revoked: bool = False
    performed_date: datetime | None = None
    released_at: datetime | None = None
    expires_at: datetime | None = None
    document_file_id: int | None = None
    last_modified: datetime | None = None
    raw: Mapping[str, Any] = _raw()


@dataclass(frozen=True, slots=True)
class PackageCreateInputs:
    locations: tuple[Location, ...] = ()
    sublocations: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    units: tuple[UnitOfMeasure, ...] = ()
    raw: Mapping[str, Any] = _raw()

    def unit_id(self, unit: Unit) -> int | None:
        """The backend's id for a unit (what write requests need), if it offers that unit."""
        return _unit_id(self.units, unit)


@dataclass(frozen=True, slots=True)
class TransferCreateInputs:
    transfer_types: tuple[TransferType, ...] = ()
    units: tuple[UnitOfMeasure, ...] = ()
    drivers: tuple[Driver, ...] = ()
    vehicles: tuple[Vehicle, ...] = ()
    default_phone: str = ""
    raw: Mapping[str, Any] = _raw()

    def unit_id(self, unit: Unit) -> int | None:
        """The backend's id for a unit (what write requests need), if it offers that unit."""
        return _unit_id(self.units, unit)


def _unit_id(units: tuple[UnitOfMeasure, ...], unit: Unit) -> int | None:
    for uom in units:
        if uom.unit is unit and uom.id is not None and not uom.is_archived:
            return uom.id
    return None
