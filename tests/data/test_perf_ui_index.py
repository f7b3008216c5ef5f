"""ListIndex's C-loop filter and cached sort orders give exactly what a plain per-row loop gives:
every word of the filter, ties in upstream order (both directions), empty cells last."""

from __future__ import annotations

import random

from growtui.data.columns import COLUMNS
from growtui.data.index import ListIndex
from growtui.domain.collections import Collection, Family

ACTIVE = Collection.parse("packages/active")
NCOLS = len(COLUMNS[Family.PACKAGES])


def rows(n: int, seed: int = 3) -> list[tuple]:
    rnd = random.Random(seed)
    words = ["Gelato", "gelato", "OG Kush", "Blue Dream", "vault", "Vault 1", None]
    out = []
    for i in range(n):
        cells = [f"1A4{i:05d}", rnd.choice(words), rnd.choice([None, 1, 2.5, 10, 3]), "g",
                 rnd.choice(words), rnd.choice(words), None, rnd.choice([None, "2026-01-02", "2025-12-31"]), None]
        cells = cells[:NCOLS] + [None] * (NCOLS - len(cells))
        search = " ".join(str(c).lower() for c in cells if c is not None)
        out.append((i, cells[0], search, "", *cells))
    return out


def expected_order(data, column: int, descending: bool) -> list[int]:
    cells = [r[4 + column] for r in data]
    present = [p for p, c in enumerate(cells) if c is not None]
    keys = [c.lower() if isinstance(c, str) and COLUMNS[Family.PACKAGES][column].kind == "text" else c for c in cells]
    present.sort(key=lambda p: keys[p], reverse=descending)
    return present + [p for p, c in enumerate(cells) if c is None]


def test_filter_and_sort_match_a_plain_loop():
    data = rows(3000)
    idx = ListIndex(ACTIVE, data, lambda key: None)
    names = [c.name for c in idx.columns]
    for text in ("gelato", "GELATO vault", "og kush", "vault 1", "nothing here", ""):
        for column in ("item", "quantity", "strain", "packaged", None):
            for descending in (False, True, False):  # the second ascending sort comes from the cache
                idx.sort(column, descending)
                order = (expected_order(data, names.index(column), descending) if column
                         else list(range(len(data)))[:: -1 if descending else 1])
                words = text.lower().split()
                idx.filter(text)
                assert idx.view == [p for p in order if all(w in data[p][2] for w in words)]
                idx.filter(text + "x")  # narrowing a shown result scans only it
                assert idx.view == [p for p in order if all(w in data[p][2] for w in (text + "x").lower().split())]
                idx.filter(text)


def test_a_filled_index_sorts_its_new_rows():
    """A sort order is kept only until the rows change (fill replaces them)."""
    data = rows(500)
    idx = ListIndex.opening(ACTIVE, len(data), data[:10], data[::50], lambda: data, lambda key: None)
    idx.sort("item", True)
    assert idx.view == expected_order(data, 1, True)
    idx._set_rows(data[::-1])
    idx.sort("item", True)
    assert idx.view == expected_order(data[::-1], 1, True)
