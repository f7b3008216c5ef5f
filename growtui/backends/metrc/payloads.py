"""Write kinds of the domain registry -> Metrc v2 requests (metrc-api.md §9).

Metrc names packages by tag label (``Label``; ``PackageLabel`` in the note route) and takes a JSON
array of at most ``MAX_OBJECTS`` rows per request (413 beyond, §10.2), so ``requests`` chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from growtui.domain.actions import AddNote, Unfinish
from growtui.domain.floor import FinishPackages, MovePackages, MovePlants
from growtui.domain.harvest_work import FinishHarvests, HarvestPackage, HarvestWaste, UnfinishHarvests
from growtui.domain.package_adjust import AdjustPackages
from growtui.domain.plant_batches import BatchGrowthPhase, CreatePlantings, DestroyBatchPlants
from growtui.domain.plant_changes import ChangeGrowthPhase, DestroyPlants, HarvestPlants

MAX_OBJECTS = 10


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    rows: list[dict[str, Any]]


def _labels(action: Any) -> tuple[str, ...]:
    labels = tuple(label.strip() for label in action.labels)
    if not labels or len(labels) != len(action.package_ids) or not all(labels):
        raise ValueError("Metrc names packages by tag: every package needs its label.")
    return labels


def _note(action: AddNote) -> Request:
    return Request("PUT", "/packages/v2/note", [{"PackageLabel": lb, "Note": action.note} for lb in _labels(action)])


def _unfinish(action: Unfinish) -> Request:
    return Request("PUT", "/packages/v2/unfinish", [{"Label": lb} for lb in _labels(action)])


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _move_packages(action: MovePackages) -> Request:
    # Packages take MoveDate where plants take ActualDate (§9.4's naming trap).
    return Request("PUT", "/packages/v2/location", [
        {"Label": lb, "Location": action.location, "Sublocation": action.sublocation or None,
         "MoveDate": _day(action.move_date)}
        for lb in _labels(action)
    ])


def _finish(action: FinishPackages) -> Request:
    return Request("PUT", "/packages/v2/finish", [
        {"Label": lb, "ActualDate": _day(action.actual_date)} for lb in _labels(action)
    ])


def _move_plants(action: MovePlants) -> Request:
    # Id or Label, the other null (§4); the id is what the list row surely has.
    return Request("PUT", "/plants/v2/location", [
        {"Id": pid, "Label": None, "Location": action.location, "Sublocation": action.sublocation or None,
         "ActualDate": _day(action.actual_date)}
        for pid in action.plant_ids
    ])


def _growth_phase(action: ChangeGrowthPhase) -> Request:
    # No re-tag: a plant keeps its tag (NewTag null) unless a later write replaces it.
    return Request("PUT", "/plants/v2/growthphase", [
        {"Id": pid, "Label": None, "NewTag": None, "GrowthPhase": action.phase, "NewLocation": action.location,
         "NewSublocation": action.sublocation or None, "GrowthDate": _day(action.growth_date)}
        for pid in action.plant_ids
    ])


def _destroy(action: DestroyPlants) -> Request:
    # DELETE with a JSON body (§9.1); the weighed total is split per plant so the rows add up to it.
    unit = action.waste.unit.metrc_name if not isinstance(action.waste, str) else ""
    return Request("DELETE", "/plants/v2", [
        {"Id": pid, "Label": None, "WasteMethodName": action.method, "WasteMaterialMixed": action.material_mixed,
         "WasteWeight": float(weight), "WasteUnitOfMeasureName": unit, "WasteReasonName": action.reason,
         "ReasonNote": action.note or None, "Count": 1, "ActualDate": _day(action.actual_date)}
        for pid, weight in zip(action.plant_ids, action.weights())
    ])


def _harvest(action: HarvestPlants) -> Request:
    # Plants named by tag (`Plant`); an empty 2xx or {"Ids": …} both mean applied (issue 11).
    return Request("PUT", "/plants/v2/harvest", [
        {"Plant": w.label, "Weight": float(w.weight.value), "UnitOfWeight": w.weight.unit.metrc_name,
         "DryingLocation": action.drying_location, "DryingSublocation": action.drying_sublocation or None,
         "HarvestName": action.harvest_name, "PatientLicenseNumber": None, "ActualDate": _day(action.actual_date)}
        for w in action.weighed
    ])


def _adjust(action: AdjustPackages) -> Request:
    change = action.change
    assert change.quantity is not None
    return Request("POST", "/packages/v2/adjust", [
        {"Label": lb, "Quantity": float(change.signed), "UnitOfMeasure": change.quantity.unit.metrc_name,
         "AdjustmentReason": action.reason, "AdjustmentDate": _day(action.adjustment_date),
         "ReasonNote": action.note or None}
        for lb in _labels(action)
    ])


def _plantings(action: CreatePlantings) -> Request:
    return Request("POST", "/plantbatches/v2/plantings", [{
        "Name": action.name, "Type": action.batch_type, "Count": action.count, "Strain": action.strain,
        "Location": action.location, "Sublocation": action.sublocation or None, "PatientLicenseNumber": None,
        "ActualDate": _day(action.actual_date), "SourcePlantBatches": None,
    }])


def _batch_phase(action: BatchGrowthPhase) -> Request:
    # Metrc takes the starting tag and consumes the next Count tags in sequence (§9.2).
    return Request("POST", "/plantbatches/v2/growthphase", [{
        "Name": action.batch_name, "Count": action.count, "StartingTag": action.starting_tag,
        "GrowthPhase": action.phase, "NewLocation": action.location, "NewSublocation": action.sublocation or None,
        "GrowthDate": _day(action.growth_date), "PatientLicenseNumber": None,
    }])


def _destroy_batch(action: DestroyBatchPlants) -> Request:
    # Batches say WasteUnitOfMeasure where plants say WasteUnitOfMeasureName (§9.2).
    waste = action.waste
    assert not isinstance(waste, str)
    return Request("DELETE", "/plantbatches/v2", [{
        "PlantBatch": action.batch_name, "Count": action.count, "WasteMethodName": action.method,
        "WasteMaterialMixed": action.material_mixed, "WasteReasonName": action.reason, "ReasonNote": action.note or None,
        "WasteWeight": float(waste.value), "WasteUnitOfMeasure": waste.unit.metrc_name,
        "ActualDate": _day(action.actual_date),
    }])


def _harvest_waste(action: HarvestWaste) -> Request:
    weight = action.weight
    assert not isinstance(weight, str)
    return Request("POST", "/harvests/v2/waste", [{
        "Id": action.harvest_id, "WasteType": action.waste_type, "UnitOfWeight": weight.unit.metrc_name,
        "WasteWeight": float(weight.value), "ActualDate": _day(action.actual_date),
    }])


def _harvest_package(action: HarvestPackage) -> Request:
    # No top-level quantity: the ingredient's weight is what comes off the harvest (§9.3).
    weight = action.weight
    assert not isinstance(weight, str)
    unit = weight.unit.metrc_name
    return Request("POST", "/harvests/v2/packages", [{
        "Tag": action.tag, "Location": action.location, "Sublocation": action.sublocation or None,
        "Item": action.item, "UnitOfWeight": unit, "PatientLicenseNumber": None, "Note": None,
        "IsProductionBatch": False, "ProductionBatchNumber": None, "IsTradeSample": False, "IsDonation": False,
        "ProductRequiresRemediation": False, "ActualDate": _day(action.actual_date),
        "Ingredients": [{"HarvestId": action.harvest_id, "HarvestName": None, "Weight": float(weight.value),
                         "UnitOfWeight": unit}],
    }])


def _finish_harvests(action: FinishHarvests) -> Request:
    return Request("PUT", "/harvests/v2/finish", [{"Id": hid, "ActualDate": _day(action.actual_date)}
                                                  for hid in action.harvest_ids])


def _unfinish_harvests(action: UnfinishHarvests) -> Request:
    return Request("PUT", "/harvests/v2/unfinish", [{"Id": hid} for hid in action.harvest_ids])


BUILDERS: dict[type, Any] = {
    AddNote: _note, Unfinish: _unfinish, MovePackages: _move_packages, FinishPackages: _finish,
    MovePlants: _move_plants, ChangeGrowthPhase: _growth_phase, DestroyPlants: _destroy, AdjustPackages: _adjust,
    HarvestPlants: _harvest, CreatePlantings: _plantings, BatchGrowthPhase: _batch_phase,
    DestroyBatchPlants: _destroy_batch, HarvestWaste: _harvest_waste, HarvestPackage: _harvest_package,
    FinishHarvests: _finish_harvests, UnfinishHarvests: _unfinish_harvests,
}
SUPPORTED_ACTIONS = frozenset(BUILDERS)


def request_of(action: Any) -> Request:
    """The whole request; TypeError for a kind Metrc has no route for, ValueError for a bad one."""
    build = BUILDERS.get(type(action))
    if build is None:
        raise TypeError(f"Metrc has no route for {type(action).__name__}")
    return build(action)


def chunks(request: Request, size: int = MAX_OBJECTS) -> list[tuple[int, list[dict[str, Any]]]]:
    """(offset of the first row, rows) per request Metrc accepts."""
    return [(i, request.rows[i : i + size]) for i in range(0, len(request.rows), size)]
