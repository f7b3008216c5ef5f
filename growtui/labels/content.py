"""What one label says, taken from a package or plant row; pure, so every renderer prints the same facts."""

from __future__ import annotations

from dataclasses import dataclass

from growtui.domain.models import Package, Plant

MAX_FIELD = 60  # upstream text is unbounded; a 4x2 in label holds about this much per line


def _clip(text: object) -> str:
    return " ".join(str(text or "").split())[:MAX_FIELD]


@dataclass(frozen=True, slots=True)
class LabelContent:
    tag: str
    item: str = ""
    strain: str = ""
    quantity: str = ""  # number and unit, as displayed
    date_line: str = ""  # "Packaged 2026-12-01"
    license: str = ""

    @property
    def facts(self) -> tuple[str, ...]:
        """The text lines under the codes, in print order (empty ones are skipped by renderers)."""
        return (self.item, self.strain, self.quantity, self.date_line, self.license)


def for_package(package: Package, license_number: str) -> LabelContent:
    if package.quantity is not None:
        quantity = str(package.quantity)
    else:
        quantity = _clip(package.unit_label)
    dated = f"Packaged {package.packaged_date.isoformat()}" if package.packaged_date else ""
    return LabelContent(
        tag=_clip(package.label), item=_clip(package.item_name), strain=_clip(package.strain_name),
        quantity=quantity, date_line=dated, license=_clip(license_number),
    )


def for_plant(plant: Plant, license_number: str) -> LabelContent:
    dated = f"Planted {plant.planted_date.isoformat()}" if plant.planted_date else ""
    count = f"{plant.plant_count} plants" if plant.plant_count and plant.plant_count > 1 else ""
    return LabelContent(
        tag=_clip(plant.label), item=_clip(plant.growth_phase or plant.plant_batch_name),
        strain=_clip(plant.strain_name), quantity=count, date_line=dated, license=_clip(license_number),
    )
