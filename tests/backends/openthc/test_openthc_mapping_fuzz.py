"""Property test: no row from OpenTHC, however odd (keys missing, values of any JSON type, nested
references as strings), makes the OpenTHC mapping raise, for every list and sub-list it maps."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growtui.backends.openthc import mapping
from growtui.backends.openthc.backend import LISTS
from growtui.domain.collections import SubCollection

KEYS = ["id", "name", "code", "type", "stat", "status", "qty", "uom", "section", "product", "variety", "source",
        "target", "license", "company", "item_list", "depart_at", "arrive_at", "created_at", "updated_at", "package",
        "lab_sample", "lab_result", "metric", "qom", "test", "origin", "inventory", "_names", "_state"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["410", "200", "25.0000", "2026-13-45", "2026-12-04T05:00:00Z", "g", "L", "pass"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
                      max_leaves=10)
rows = st.dictionaries(st.sampled_from(KEYS), values, max_size=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_no_row_makes_the_mapping_raise(raw):
    for collection in LISTS:
        mapping.to_domain(collection, raw)
    mapping.to_domain(SubCollection.PACKAGE_LAB_RESULTS, raw)
    mapping.b2b_done(raw)
    mapping.license_to_domain(raw)
