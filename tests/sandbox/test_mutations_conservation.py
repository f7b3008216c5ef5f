"""Property: a packages/create split never makes or loses material, whatever the units.

Runs the planner directly on one seeded license (no HTTP) so hypothesis can try many splits
quickly; each example restores the tags and packages it touched.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growtui.sandbox.t3.mutation_checks import Invalid, convert, plain, units_by_id
from growtui.sandbox.t3.package_writes import plan_create
from growtui.sandbox.t3.runner import SandboxConfig, build_world_from
from tests.sandbox.test_mutations_helpers import LIC, active_packages, free_tags, package_location, weight_item

amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("2000"), places=3)
weights = st.sampled_from(["mg", "g", "kg", "oz", "lb"])


@pytest.fixture(scope="module")
def lic():
    return build_world_from(SandboxConfig(packages=60)).licenses[LIC]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=amounts, draws=st.lists(st.tuples(amounts, weights), min_size=1, max_size=4))
def test_split_conserves_mass(lic, start, draws):
    units = {u.abbreviation: u for u in units_by_id(lic.units.values()).values()}
    grams = units["g"]
    source = active_packages(lic, "g")[0]
    source["quantity"] = float(start)
    tags = free_tags(lic, len(draws))
    body = [
        {
            "actualDate": lic.world.now().date().isoformat(),
            "itemId": weight_item(lic)["id"],
            "locationId": package_location(lic)["id"],
            "tagId": tag["id"],
            "quantity": float(amount),
            "unitOfMeasureId": units[abbrev].id,
            "ingredients": [{"packageId": source["id"], "quantity": float(amount), "unitOfMeasureId": units[abbrev].id}],
        }
        for tag, (amount, abbrev) in zip(tags, draws)
    ]
    wanted = sum((convert(amount, units[abbrev], grams, "") for amount, abbrev in draws), Decimal(0))
    before = set(lic.packages)
    try:
        if wanted > start:
            with pytest.raises(Invalid, match=f"has {plain(start)} g"):
                plan_create(lic, body, "prop")
            assert set(lic.packages) == before and source["quantity"] == float(start)
            return
        plan_create(lic, body, "prop")()
        made = [lic.packages[i] for i in set(lic.packages) - before]
        assert len(made) == len(draws)
        made_g = sum(
            (convert(Decimal(str(p["quantity"])), units[p["unitOfMeasureAbbreviation"]], grams, "") for p in made),
            Decimal(0),
        )
        left = Decimal(str(source["quantity"]))
        assert left >= 0
        # every conversion keeps 4 places, so each package may round by half a unit in the last place
        assert abs(left + made_g - start) <= Decimal("0.0001") * len(draws)
    finally:
        for new_id in set(lic.packages) - before:
            del lic.packages[new_id]
        for tag in tags:
            tag["isUsed"] = False
        lic.bump()
