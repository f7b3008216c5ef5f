"""CollectPlants (OpenTHC): typed type words, the weight split that sums exactly, and its checks."""

from datetime import date
from decimal import Decimal

from growtui.domain.plant_collect import CollectPlants, typed_collect_type
from growtui.domain.units import Quantity, Unit


def test_typed_types_and_an_exact_split():
    assert [typed_collect_type(t) for t in ("r", "Raw", "wet", "N", "dry", "moist")] == ["raw", "raw", "raw", "net", "net", "moist"]
    action = CollectPlants(("a", "b", "c"), ("A", "B", "C"), "net", Quantity(Decimal("100"), Unit.G), date(2026, 12, 1))
    assert sum(action.shares()) == Decimal(100) and action.validate() == []
    assert "  C: 33.3334 g" in action.detail_lines()


def test_bad_inputs_are_said_by_field():
    action = CollectPlants(("a",), ("A",), "moist", "Weight: not a number", None)
    assert {e.path for e in action.validate()} == {"date", "collect_type", "weight"}
