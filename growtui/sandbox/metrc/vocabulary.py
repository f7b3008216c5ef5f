"""The sandbox's own Metrc vocabulary: units and their arithmetic, lookup lists, type tables.

Deliberately independent of growtui.domain: an emulator that shared the client's unit table could
not catch the client's conversion mistakes.
"""

from __future__ import annotations

from typing import Any

from growtui.sandbox.metrc.wire import fold

# Name -> (QuantityType, Abbreviation, factor to the base unit of its type: grams, each, millilitres)
UNITS: dict[str, tuple[str, str, float]] = {
    "Each": ("CountBased", "ea", 1.0),
    "Grams": ("WeightBased", "g", 1.0),
    "Kilograms": ("WeightBased", "kg", 1000.0),
    "Milligrams": ("WeightBased", "mg", 0.001),
    "Ounces": ("WeightBased", "oz", 28.349523125),
    "Pounds": ("WeightBased", "lb", 453.59237),
    "Milliliters": ("VolumeBased", "ml", 1.0),
    "Liters": ("VolumeBased", "l", 1000.0),
    "Fluid Ounces": ("VolumeBased", "fl oz", 29.5735295625),
}
INACTIVE_UNITS = {"Tons": ("WeightBased", "t", 907184.74)}


def unit(name: Any) -> str | None:
    """The canonical unit name for ``name`` (case-insensitive), or None."""
    wanted = fold(name)
    return next((u for u in UNITS if fold(u) == wanted or fold(UNITS[u][1]) == wanted), None)


def quantity_type(name: str) -> str:
    return UNITS[name][0]


def abbreviation(name: str) -> str:
    return UNITS[name][1]


def convert(amount: float, from_unit: str, to_unit: str) -> float:
    """``amount`` in ``from_unit`` expressed in ``to_unit``; both must share a quantity type."""
    if UNITS[from_unit][0] != UNITS[to_unit][0]:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    return round(amount * UNITS[from_unit][2] / UNITS[to_unit][2], 6)


def units_rows(table: dict[str, tuple[str, str, float]] = UNITS) -> list[dict[str, Any]]:
    return [{"QuantityType": qt, "Name": name, "Abbreviation": abbr} for name, (qt, abbr, _) in table.items()]


GROWTH_PHASES = ["Vegetative", "Flowering"]
PACKAGE_TYPES = ["Product", "ImmaturePlant", "VegetativePlant", "PlantWaste", "HarvestWaste", "MotherPlant"]
DELIVERY_PACKAGE_STATES = ["Shipped", "Rejected", "Accepted", "Returned"]
PLANT_BATCH_TYPES = [(1, "Seed", False), (2, "Clone", True)]
HARVEST_WASTE_TYPES = ["Plant Material", "Fibrous", "Root Ball"]


def _reason(name: str, *, note: bool = False, weight: bool = False) -> dict[str, Any]:
    return {
        "Name": name,
        "RequiresNote": note,
        "RequiresWasteWeight": weight,
        "RequiresImmatureWasteWeight": False,
        "RequiresMatureWasteWeight": weight,
    }


PLANT_WASTE_REASONS = [
    _reason("Contamination", weight=True),
    _reason("Male Plants", weight=True),
    _reason("Mandated State Destruction", note=True, weight=True),
    _reason("Pest Infestation", weight=True),
    _reason("Other", note=True),
]
PACKAGE_ADJUST_REASONS = [
    _reason("Drying"),
    _reason("Entry Error", note=True),
    _reason("Scale Variance"),
    _reason("Waste", weight=True),
    _reason("Theft", note=True),
]
WASTE_METHODS = [
    ("Compost", True, True),
    ("Grinder", True, True),
    ("Incinerator", True, True),
    ("Mixed with Soil", True, False),
]

# QuantityType / category / labs as integers inside Package.Item (the live and documented quirk, §8.5)
QUANTITY_TYPE_CODES = {"CountBased": 0, "WeightBased": 1, "VolumeBased": 2}
CATEGORY_TYPE_CODES = {"Buds": 0, "Shake/Trim": 1, "ImmaturePlant": 2, "VegetativePlant": 3, "Waste": 4}
# name -> (ProductCategoryType, QuantityType, RequiresStrain)
ITEM_CATEGORIES: dict[str, tuple[str, str, bool]] = {
    "Buds": ("Buds", "WeightBased", True),
    "Shake/Trim": ("Shake/Trim", "WeightBased", True),
    "Immature Plants": ("ImmaturePlant", "CountBased", True),
    "Vegetative Plants": ("VegetativePlant", "CountBased", True),
    "Waste": ("Waste", "WeightBased", False),
}

# name -> (ForPlantBatches, ForPlants, ForHarvests, ForPackages)
LOCATION_TYPES: dict[str, tuple[bool, bool, bool, bool]] = {
    "Default Location Type": (True, True, True, True),
    "Plant Room": (True, True, False, False),
    "Drying Room": (False, False, True, True),
    "Vault": (False, False, False, True),
}
LOCATION_TYPE_FLAGS = ("ForPlantBatches", "ForPlants", "ForHarvests", "ForPackages")
