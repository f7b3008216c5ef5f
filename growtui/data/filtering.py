"""The list filter's language: words and column terms, every one of which must match a row.

- a word matches anywhere in the row's text: "gelato vault" finds Gelato in the Vault;
- ``column:text`` matches inside one column: ``location:vault``, ``strain:og``;
- ``column>N`` (also ``>=``, ``<``, ``<=``, ``=``) compares a number column: ``qty>100``.
A column is named by its header or id, any case, or a prefix naming only one (``loc:vault``). A
term naming no column is an ordinary word, so a tag or a time with a colon still matches as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from growtui.data.columns import Column


_TERM = re.compile(r"^([a-z][a-z_]*?)(:|>=|<=|>|<|=)(.+)$")  # terms are split on spaces
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, "=": lambda a, b: a == b,
}


@dataclass(frozen=True, slots=True)
class Term:
    column: int | None  # None: a word matched against the whole row
    op: str  # "" for a word, ":" for text in a column, else a comparison
    value: Any  # str, or float for comparisons


def column_named(name: str, columns: Sequence[Column]) -> int | None:
    name = name.strip().lower()
    for i, col in enumerate(columns):
        if name in (col.name.lower(), col.header.lower()):
            return i
    prefixed = [i for i, col in enumerate(columns) if col.header.lower().startswith(name) or col.name.lower().startswith(name)]
    return prefixed[0] if len(prefixed) == 1 else None


def parse(text: str, columns: Sequence[Column]) -> list[Term]:
    terms = []
    for word in text.lower().split():
        found = _TERM.match(word)
        column = column_named(found.group(1), columns) if found else None
        if found is None or column is None:
            terms.append(Term(None, "", word))
            continue
        op, value = found.group(2), found.group(3)
        if op == ":":
            terms.append(Term(column, op, value))
            continue
        try:
            terms.append(Term(column, op, float(value.replace(",", ""))))
        except ValueError:
            terms.append(Term(None, "", word))  # "qty>lots" is just text
    return terms


def is_plain(terms: Sequence[Term]) -> bool:
    return all(t.column is None for t in terms)


def predicate(terms: Sequence[Term], search: Sequence[str], rows: Sequence[tuple[Any, ...]],
              first_cell: int) -> Callable[[int], bool]:
    """Whether the row at a position matches every term (``rows[p][first_cell + column]`` is a cell)."""
    words = [t.value for t in terms if t.column is None]
    checks: list[Callable[[int], bool]] = []
    if len(words) == 1:
        word = words[0]
        checks.append(lambda p: word in search[p])
    elif words:
        checks.append(lambda p: all(w in search[p] for w in words))
    for term in (t for t in terms if t.column is not None):
        at = first_cell + term.column
        if term.op == ":":
            checks.append(lambda p, at=at, v=term.value: v in str(rows[p][at] or "").lower())
        else:
            compare = _COMPARE[term.op]
            checks.append(lambda p, at=at, v=term.value, c=compare: _number(rows[p][at]) is not None
                          and c(_number(rows[p][at]), v))
    if len(checks) == 1:
        return checks[0]
    return lambda p: all(check(p) for check in checks)


def _number(cell: Any) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    try:
        return float(str(cell).replace(",", "").split()[0])
    except (ValueError, IndexError):
        return None
