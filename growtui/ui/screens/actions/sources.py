"""Where write forms get their choices: the backend's create-inputs and paged picker routes.

Raw rows become domain models through the backend's own mapping (``picker_to_domain`` /
``create_inputs_to_domain`` when a backend offers them; T3's mapping module otherwise).
Searches use the collection filter grammar (``field__contains:text``), OR-ed over the fields
people search by.
"""

from __future__ import annotations

from typing import Any

from growtui.backends.base import Query
from growtui.domain.models import PackageCreateInputs, TransferCreateInputs

PICK_PAGE_SIZE = 20

# Fields a person types to find a row in each picker. (Not licenseNumber: T3 reads that name as
# the query's own license parameter and refuses it as a filter.)
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "source-items": ("name",),
    "source-packages": ("label",),
    "source-tags": ("label",),
    "destinations": ("facilityName",),
    "transporters": ("facilityName",),
    "transfer-packages": ("label",),
}


def _t3_mapping() -> Any:
    from growtui.backends.t3 import mapping

    return mapping


def picker_model(backend: Any, picker: str, raw: dict[str, Any]) -> Any:
    mapper = getattr(backend, "picker_to_domain", None)
    if callable(mapper):
        return mapper(picker, raw)
    return _t3_mapping().picker_to_domain(picker, raw)


def inputs_model(backend: Any, kind: str, raw: dict[str, Any]) -> PackageCreateInputs | TransferCreateInputs:
    mapper = getattr(backend, "create_inputs_to_domain", None)
    if callable(mapper):
        return mapper(kind, raw)
    return _t3_mapping().create_inputs_to_domain(kind, raw)


def search_query(picker: str, text: str) -> Query:
    text = text.strip()
    if not text:
        return Query()
    fields = SEARCH_FIELDS.get(picker, ("name",))
    return Query(filters=tuple(f"{f}__contains:{text}" for f in fields), filter_logic="or")


async def search(app: Any, license_number: str, picker: str, text: str, limit: int = PICK_PAGE_SIZE) -> list[Any]:
    """The first ``limit`` rows of a picker matching ``text`` (all rows when blank), as models."""
    page = await app.backend.picker_page(license_number, picker, 1, limit, search_query(picker, text))
    return [picker_model(app.backend, picker, raw) for raw in page.rows]


async def find_by_label(app: Any, license_number: str, picker: str, label: str) -> Any | None:
    """The picker row whose tag label is exactly ``label`` (e.g. is this package eligible?)."""
    query = Query(filters=(f"label__eq:{label}",))
    page = await app.backend.picker_page(license_number, picker, 1, 5, query)
    for raw in page.rows:
        model = picker_model(app.backend, picker, raw)
        if str(getattr(model, "label", "")).upper() == label.upper():
            return model
    return None


async def create_inputs(app: Any, license_number: str, kind: str) -> PackageCreateInputs | TransferCreateInputs:
    raw = await app.backend.create_inputs(license_number, kind)
    return inputs_model(app.backend, kind, raw)


def describe_choice(model: Any) -> str:
    """One line for a picked row: facility (license), item, package (item, quantity) or tag."""
    if model is None:
        return ""
    label = getattr(model, "label", "")
    if label:
        qty = getattr(model, "quantity", None)
        item = getattr(model, "item_name", "")
        extra = ", ".join(s for s in (item, str(qty) if qty is not None else "") if s)
        return f"{label} ({extra})" if extra else label
    name = getattr(model, "name", "") or str(getattr(model, "id", ""))
    lic = getattr(model, "license_number", "")
    return f"{name} ({lic})" if lic else name
