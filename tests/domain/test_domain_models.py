"""Behaviour that lives on the domain models themselves (the fields are covered by the mappers)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime

import pytest

from growtui.domain.models import (
    DeliveryPackage,
    HistoryEvent,
    Package,
    PackageCreateInputs,
    Transfer,
    TransferCreateInputs,
    TransferType,
    UnitOfMeasure,
)
from growtui.domain.units import Unit

NOW = datetime(2025, 9, 23, 15, tzinfo=UTC)


def test_transfer_in_transit_means_departed_not_arrived_not_voided():
    t = Transfer(id=1, manifest_number="0000000001")
    assert not t.in_transit
    departed = replace(t, actual_departure=NOW)
    assert departed.in_transit
    assert not replace(departed, actual_arrival=NOW).in_transit
    assert not replace(departed, is_voided=True).in_transit


def test_wholesale_transfer_types_need_prices():
    assert TransferType(1, "Wholesale Manifest", transaction_type="Wholesale").requires_wholesale_price
    assert TransferType(1, "x", transaction_type="WHOLESALE").requires_wholesale_price
    assert not TransferType(2, "Transfer", transaction_type="Transfer").requires_wholesale_price


def test_unit_ids_come_from_the_backend_units_skipping_archived_and_unknown():
    units = (
        UnitOfMeasure(9, "Tons", "t", None),
        UnitOfMeasure(7, "Grams", "g", Unit.G, is_archived=True),
        UnitOfMeasure(1, "Grams", "g", Unit.G),
        UnitOfMeasure(None, "Pounds", "lb", Unit.LB),
    )
    for inputs in (PackageCreateInputs(units=units), TransferCreateInputs(units=units)):
        assert inputs.unit_id(Unit.G) == 1
        assert inputs.unit_id(Unit.LB) is None and inputs.unit_id(Unit.EA) is None


def test_small_conveniences():
    assert HistoryEvent(("Packaged 5 g", "Moved to Vault")).text == "Packaged 5 g\nMoved to Vault"
    assert DeliveryPackage(package_id=42, label="L").id == 42


def test_models_are_frozen_with_slots_and_raw_is_data_not_identity():
    p = Package(id=1, label="A", raw={"id": 1})
    with pytest.raises(FrozenInstanceError):
        p.label = "B"  # type: ignore[misc]
    assert not hasattr(p, "__dict__")  # slots: 50k of them stay small
    assert p == Package(id=1, label="A", raw={"id": 1, "extra": True})
    assert Package(id=1, label="A").raw == {}
    assert hash(p) == hash(Package(id=1, label="A"))
