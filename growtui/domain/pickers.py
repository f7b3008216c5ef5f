"""The choice lists write forms search in, named by domain concept.

Each backend serves a picker from its own route (or a filtered collection) and maps its rows to
domain models; ``SEARCH_FIELDS`` says which domain fields a person's typed text is matched against.
"""

from __future__ import annotations

from enum import StrEnum

from growtui.domain.query import Condition, Field, Op, Query


class Picker(StrEnum):
    SOURCE_ITEMS = "source-items"  # items a new package may be of
    SOURCE_PACKAGES = "source-packages"  # packages a new package may draw from
    SOURCE_TAGS = "source-tags"  # unused package tags
    DESTINATIONS = "destinations"  # facilities a transfer may go to
    TRANSPORTERS = "transporters"  # facilities that may carry a transfer
    TRANSFER_PACKAGES = "transfer-packages"  # packages that may go on a transfer


class CreateForm(StrEnum):
    """Forms whose choices (units, locations, transfer types …) the backend serves in one call."""

    PACKAGE = "package"
    TRANSFER = "transfer"


SEARCH_FIELDS: dict[Picker, tuple[Field, ...]] = {
    Picker.SOURCE_ITEMS: (Field.NAME,),
    Picker.SOURCE_PACKAGES: (Field.LABEL,),
    Picker.SOURCE_TAGS: (Field.LABEL,),
    Picker.DESTINATIONS: (Field.FACILITY_NAME,),
    Picker.TRANSPORTERS: (Field.FACILITY_NAME,),
    Picker.TRANSFER_PACKAGES: (Field.LABEL,),
}


def search_query(picker: Picker, text: str) -> Query:
    """Rows of ``picker`` whose searchable fields contain ``text`` (everything when blank)."""
    text = text.strip()
    if not text:
        return Query()
    return Query.any_of([Condition(f, Op.CONTAINS, text) for f in SEARCH_FIELDS[Picker(picker)]])
