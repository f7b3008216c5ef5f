"""Backend-neutral queries: conditions on domain fields, and/or, one sort.

Fields are named as in ``growtui.domain.models`` (``label``, ``name``, ``last_modified`` …); each
backend translates a ``Query`` into its own grammar (T3: ``filter=label__eq:X``; Metrc: query
parameters; Trace: its own) and refuses, with ``ValueError``, a field or operator it cannot express.
Values stay typed (a ``datetime`` is formatted by the backend, never here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

Value = str | int | float | bool | datetime


class Field(StrEnum):
    """The domain fields queries may name (attribute names of the domain models)."""

    ID = "id"
    LABEL = "label"  # package / plant tag
    NAME = "name"  # item, strain, harvest, batch
    FACILITY_NAME = "facility_name"  # destinations and transporters
    LAST_MODIFIED = "last_modified"
    CREATED_AT = "created_at"


class Op(StrEnum):
    EQ = "eq"
    CONTAINS = "contains"
    GTE = "gte"
    LTE = "lte"


class Logic(StrEnum):
    AND = "and"
    OR = "or"


@dataclass(frozen=True, slots=True)
class Condition:
    field: Field
    op: Op
    value: Value


@dataclass(frozen=True, slots=True)
class Sort:
    field: Field
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """Rows matching all (``Logic.AND``) or any (``Logic.OR``) of ``conditions``, sorted."""

    conditions: tuple[Condition, ...] = ()
    logic: Logic = Logic.AND
    sort: Sort | None = None

    @classmethod
    def where(cls, field: Field, op: Op, value: Value) -> Query:
        return cls((Condition(field, op, value),))

    @classmethod
    def any_of(cls, conditions: tuple[Condition, ...] | list[Condition]) -> Query:
        return cls(tuple(conditions), Logic.OR)


def modified_since(moment: datetime) -> Query:
    """Rows changed at or after ``moment`` (incremental refresh)."""
    return Query.where(Field.LAST_MODIFIED, Op.GTE, moment)


def modified_windows(since: datetime, until: datetime, span_s: float | None) -> list[Query]:
    """The queries that together ask for every row changed from ``since`` on: one open-ended
    query, or (for a backend whose windows are at most ``span_s`` long, e.g. Metrc's 24 h)
    consecutive closed windows from ``since`` to ``until`` (bounds inclusive, so they overlap
    by their edges and nothing falls between them)."""
    if span_s is None:
        return [modified_since(since)]
    step = timedelta(seconds=span_s)
    out: list[Query] = []
    start = since
    while True:
        end = min(start + step, until)
        out.append(Query((Condition(Field.LAST_MODIFIED, Op.GTE, start), Condition(Field.LAST_MODIFIED, Op.LTE, end))))
        if end >= until:
            return out
        start = end
