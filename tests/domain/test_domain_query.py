"""Neutral queries: the lastModified windows the sync planner asks a backend for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from growtui.domain.pickers import Picker, search_query
from growtui.domain.query import Condition, Field, Logic, Op, Query, modified_windows

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_one_open_window_when_the_backend_has_no_span_limit():
    assert modified_windows(T0, T0 + timedelta(days=3), None) == [Query.where(Field.LAST_MODIFIED, Op.GTE, T0)]


def test_bounded_windows_cover_the_whole_range_edge_to_edge():
    until = T0 + timedelta(hours=50)
    windows = modified_windows(T0, until, 24 * 3600)
    bounds = [(q.conditions[0].value, q.conditions[1].value) for q in windows]
    assert bounds == [
        (T0, T0 + timedelta(hours=24)),
        (T0 + timedelta(hours=24), T0 + timedelta(hours=48)),
        (T0 + timedelta(hours=48), until),
    ]
    assert all(q.conditions[0].op is Op.GTE and q.conditions[1].op is Op.LTE for q in windows)
    assert all(end - start <= timedelta(hours=24) for start, end in bounds)


def test_a_short_range_is_one_closed_window():
    assert len(modified_windows(T0, T0 + timedelta(minutes=5), 24 * 3600)) == 1


def test_picker_search_is_or_over_the_pickers_domain_fields():
    assert search_query(Picker.DESTINATIONS, "  ") == Query()
    query = search_query(Picker.SOURCE_PACKAGES, " 1A4 ")
    assert query.logic is Logic.OR and query.conditions == (Condition(Field.LABEL, Op.CONTAINS, "1A4"),)
