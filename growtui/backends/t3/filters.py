"""Neutral queries and collections -> T3 routes and query grammar (the filter, filterLogic
and sort parameters of the T3 OpenAPI spec, https://api.trackandtrace.tools/v2/spec/openapi.json).

T3 filters are repeated ``filter=<wireField>__<op>:<value>`` parameters joined by ``filterLogic``
(and/or), sorted by ``sort=<wireField>:asc|desc``; datetimes are UTC with milliseconds and a Z.
"""

from __future__ import annotations

from datetime import UTC, datetime

from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.query import Field, Op, Query, Value

# Domain field -> T3 wire field (the same name across T3's lists and pickers).
WIRE_FIELDS: dict[Field, str] = {
    Field.ID: "id",
    Field.LABEL: "label",
    Field.NAME: "name",
    Field.FACILITY_NAME: "facilityName",
    Field.LAST_MODIFIED: "lastModified",
    Field.CREATED_AT: "createdDateTime",
}

WIRE_OPS: dict[Op, str] = {Op.EQ: "eq", Op.CONTAINS: "contains", Op.GTE: "gte", Op.LTE: "lte"}

# The list route of each family; a state adds its own segment (``/v2/packages/active``).
FAMILY_ROUTES: dict[Family, str] = {
    Family.PLANTS: "/v2/plants",
    Family.PLANT_BATCHES: "/v2/plantbatches",
    Family.HARVESTS: "/v2/harvests",
    Family.PACKAGES: "/v2/packages",
    Family.ITEMS: "/v2/items",
    Family.STRAINS: "/v2/strains",
    Family.TRANSFERS_INCOMING: "/v2/transfers/incoming",
    Family.TRANSFERS_OUTGOING: "/v2/transfers/outgoing",
    Family.TRANSFERS_REJECTED: "/v2/transfers/rejected",
}

# Sub-collection route and the query parameter that carries the parent id (the T3 spec).
# Harvest sub-collections really do take the harvest id in plantId/packageId.
SUB_ROUTES: dict[SubCollection, tuple[str, str]] = {
    SubCollection.PLANT_HISTORY: ("/v2/plants/history", "plantId"),
    SubCollection.PLANT_BATCH_HISTORY: ("/v2/plantbatches/history", "plantBatchId"),
    SubCollection.HARVEST_HISTORY: ("/v2/harvests/history", "plantId"),
    SubCollection.HARVEST_PLANTS: ("/v2/harvests/plants", "plantId"),
    SubCollection.HARVEST_PACKAGES: ("/v2/harvests/packages", "packageId"),
    SubCollection.PACKAGE_HISTORY: ("/v2/packages/history", "packageId"),
    SubCollection.PACKAGE_LAB_RESULTS: ("/v2/packages/labresults", "packageId"),
    SubCollection.ITEM_HISTORY: ("/v2/items/history", "itemId"),
    SubCollection.TRANSFER_HISTORY: ("/v2/transfers/history", "manifestNumber"),
    SubCollection.TRANSFER_DELIVERIES: ("/v2/transfers/deliveries", "manifestNumber"),
    SubCollection.TRANSFER_TRANSPORTER_DETAILS: ("/v2/transfers/transporter-details", "manifestNumber"),
    SubCollection.DELIVERY_PACKAGES: ("/v2/transfers/packages", "deliveryId"),
    SubCollection.DELIVERY_TRANSPORTERS: ("/v2/transfers/transporters", "deliveryId"),
}

PICKER_ROUTES: dict[Picker, str] = {
    Picker.SOURCE_ITEMS: "/v2/packages/create/source-items",
    Picker.SOURCE_PACKAGES: "/v2/packages/create/source-packages",
    Picker.SOURCE_TAGS: "/v2/packages/create/source-tags",
    Picker.DESTINATIONS: "/v2/transfers/create/destinations",
    Picker.TRANSPORTERS: "/v2/transfers/create/transporters",
    Picker.TRANSFER_PACKAGES: "/v2/transfers/create/packages",
}

CREATE_INPUT_ROUTES: dict[CreateForm, str] = {
    CreateForm.PACKAGE: "/v2/packages/create/inputs",
    CreateForm.TRANSFER: "/v2/transfers/create/inputs",
}


def collection_route(collection: Collection) -> str:
    base = FAMILY_ROUTES[collection.family]
    return f"{base}/{collection.state}" if collection.state else base


def wire_datetime(moment: datetime) -> str:
    """T3's datetime filter format: 2024-07-17T20:26:07.117Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def wire_value(value: Value) -> str:
    if isinstance(value, datetime):
        return wire_datetime(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wire_field(field: Field) -> str:
    try:
        return WIRE_FIELDS[Field(field)]
    except (KeyError, ValueError):
        raise ValueError(f"T3 cannot filter or sort by {field!r}") from None


def query_params(query: Query) -> list[tuple[str, str]]:
    """Repeated ``filter=``, then ``filterLogic`` and ``sort``."""
    params = [
        ("filter", f"{_wire_field(c.field)}__{WIRE_OPS[c.op]}:{wire_value(c.value)}")
        for c in query.conditions
    ]
    if query.conditions:
        params.append(("filterLogic", query.logic.value))
    if query.sort is not None:
        direction = "desc" if query.sort.descending else "asc"
        params.append(("sort", f"{_wire_field(query.sort.field)}:{direction}"))
    return params
