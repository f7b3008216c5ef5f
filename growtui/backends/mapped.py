"""What a backend does the same way once rows are fetched: hands them to its system's mapping
module, and says plainly which choice lists and forms it does not offer. A backend class sets
``mapping`` (its mapping module) and ``title`` (its name for people) and inherits the rest."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from growtui.backends.base import Page
from growtui.backends.client_backed import ClientBacked
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import License
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.query import Query


class MappedRows(ClientBacked):
    mapping: ModuleType  # to_domain(collection, raw), raw_paths(family), license_to_domain(raw)
    title: str  # "Metrc", said in messages

    def to_domain(self, collection: Collection | SubCollection, raw: Mapping[str, Any]) -> Any:
        return self.mapping.to_domain(collection, raw)

    def raw_paths(self, family: Family) -> dict[str, str]:
        return self.mapping.raw_paths(family)

    def license_to_domain(self, raw: Mapping[str, Any]) -> License:
        return self.mapping.license_to_domain(raw)

    async def picker_page(self, license_number: str, picker: Picker, page: int, page_size: int,
                          query: Query = Query()) -> Page:
        raise ValueError(f"{self.title} offers no {picker} choice list in growtui")

    async def create_inputs(self, license_number: str, form: CreateForm) -> dict[str, Any]:
        raise ValueError(f"{self.title} has no {form} form in growtui")

    def picker_to_domain(self, picker: Picker, raw: Mapping[str, Any]) -> Any:
        raise ValueError(f"{self.title} offers no {picker} choice list in growtui")

    def create_inputs_to_domain(self, form: CreateForm, raw: Mapping[str, Any]) -> Any:
        raise ValueError(f"{self.title} has no {form} form in growtui")

