"""The list filter over a real cache: every word must match, column terms, number comparisons
(issue 16: "gelato vault" found nothing, as the filter looked for the whole phrase in one cell)."""

from __future__ import annotations

import pytest

from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path
from growtui.data.filtering import parse
from growtui.data.index import ListIndex
from growtui.data.columns import COLUMNS
from growtui.domain.collections import Collection, Family

ACTIVE = Collection(Family.PACKAGES, "active")


def package(i: int, strain: str, room: str, qty: float) -> dict:
    return {"id": i, "label": f"1A4FF01000000220000{i:05d}", "quantity": qty, "unitOfMeasureAbbreviation": "g",
            "locationName": room, "item": {"id": i, "name": f"{strain} Flower", "strainName": strain}}


@pytest.fixture
def index(tmp_path):
    cache = Cache(cache_path(tmp_path, AccountKey.of("https://api.example", "ca.metrc.com", "grower")), raw_paths)
    cache.store_rows("LIC", ACTIVE, [
        package(1, "Gelato", "Vault", 120.5), package(2, "Gelato", "Drying Room", 80),
        package(3, "OG Kush", "Vault", 1599.72), package(4, "Vault Special", "Room 2", 5),
    ])
    yield ListIndex(ACTIVE, cache.display_rows("LIC", ACTIVE), lambda key: cache.raw("LIC", Family.PACKAGES, key))
    cache.close()


def shown(index: ListIndex, text: str) -> set[int]:
    index.filter(text)
    return {index.key(p) for p in index.view}


def test_every_word_must_match_anywhere_in_the_row(index):
    assert shown(index, "gelato vault") == {1}
    assert shown(index, "  VAULT   gelato ") == {1}
    assert shown(index, "vault") == {1, 3, 4}


def test_column_terms_look_in_one_column(index):
    assert shown(index, "location:vault") == {1, 3}  # not "Vault Special", a strain
    assert shown(index, "loc:vault strain:og") == {3}  # a prefix naming one column
    assert shown(index, "qty>100") == {1, 3}
    assert shown(index, "qty<=80") == {2, 4}
    assert shown(index, "qty=5 location:room") == {4}


def test_typing_on_narrows_and_widens_correctly(index):
    assert shown(index, "qty>1") == {1, 2, 3, 4}
    assert shown(index, "qty>100") == {1, 3}
    assert shown(index, "qty>10") == {1, 2, 3}  # shorter again: the wider set comes back
    assert shown(index, "ge") == {1, 2}
    assert shown(index, "gel vau") == {1}


def test_terms_naming_no_column_are_words():
    terms = parse("10:30 qty>lots nowhere:x", COLUMNS[Family.PACKAGES])
    assert [t.column for t in terms] == [None, None, None]
