"""Metrc tag labels: normalising scans, validating, splitting pasted blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from growtui.domain.tags import (
    TagError,
    TagProblem,
    is_standard_prefix,
    is_valid_tag,
    normalize_tag,
    parse_tag,
    split_tags,
    tag_hint,
    tag_problem,
)

TAG = "1A4FF0100000022000012345"
OTHER = "1A4FF0100000022000012346"


@pytest.mark.parametrize(
    "scanned",
    [
        TAG,
        TAG.lower(),
        f"  {TAG}\r\n",
        f"{TAG}\r",
        f"]C1{TAG}",  # AIM id for GS1-128, the symbology Metrc prints
        f"]c1{TAG}\n",
        f"]Q3{TAG}",
        f"\x1d{TAG}",  # GS1 FNC1 group separator
        "1A4F F010 0000 0220 0001 2345",  # typed in groups
        f"\t{TAG[:12]} {TAG[12:]}\t",
    ],
)
def test_scans_and_typing_normalise_to_the_tag(scanned):
    assert normalize_tag(scanned) == TAG
    assert parse_tag(scanned) == TAG


def test_valid_tags_include_non_1a4_prefixes():
    # Sandbox and Metrc documentation samples; real tags of some states differ too.
    for tag in ("AAAFF03000001F9000001001", "ABCDEF012345670000010042", TAG):
        assert is_valid_tag(tag) and tag_problem(tag) is None
    assert is_standard_prefix(TAG) and not is_standard_prefix("AAAFF03000001F9000001001")


@pytest.mark.parametrize(
    ("text", "problem", "message"),
    [
        ("", TagProblem.EMPTY, "Empty tag"),
        ("\r\n", TagProblem.EMPTY, "Empty tag"),
        (TAG[:-1], TagProblem.TOO_SHORT, "23 characters, a tag has 24. 1 missing"),
        ("1A4", TagProblem.TOO_SHORT, "3 characters"),
        (TAG + "9", TagProblem.TOO_LONG, "25 characters, a tag has 24."),
        (TAG + OTHER, TagProblem.TOO_LONG, "Two scans ran together"),
        (TAG[:-1] + "-", TagProblem.BAD_CHARACTERS, "not '-'"),
        ("1A4FF01000000220000123é5", TagProblem.BAD_CHARACTERS, "letters and digits"),
    ],
)
def test_bad_tags_get_a_specific_message(text, problem, message):
    with pytest.raises(TagError) as info:
        parse_tag(text)
    assert info.value.problem is problem
    assert message in info.value.message
    assert str(info.value) == info.value.message


def test_split_a_pasted_block():
    block = f"]C1{TAG}\r\n{OTHER.lower()}, {TAG};  xyz\t{TAG[:-1]}\n\n{OTHER}|{TAG + OTHER}"
    batch = split_tags(block)
    assert batch.tags == (TAG, OTHER)
    assert batch.duplicates == (TAG, OTHER)
    assert [i.problem for i in batch.issues] == [TagProblem.TOO_SHORT, TagProblem.TOO_SHORT, TagProblem.TOO_LONG]
    assert batch.issues[0].text == "XYZ"
    assert not batch.ok


def test_split_clean_block_is_ok():
    batch = split_tags(f"{TAG}\n{OTHER}\n")
    assert batch.ok and batch.tags == (TAG, OTHER)
    assert split_tags("").tags == () and split_tags(" \n\r\n ").ok


tags = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=24, max_size=24)
noise = st.sampled_from(["", " ", "\r\n", "\n", "\t", "  \r"])


@given(tags, noise, noise, st.sampled_from(["", "]C1", "]d2", "]Q3"]), st.booleans())
def test_any_valid_tag_survives_scanner_noise(tag, before, after, aim, lower):
    body = tag.lower() if lower else tag
    assert parse_tag(f"{before}{aim}{body}{after}") == tag


@given(st.lists(tags, max_size=20), st.lists(st.sampled_from(["\n", "\r\n", ",", ";", " ", "\t", ", "]), min_size=1))
def test_split_keeps_first_occurrences_in_order(tag_list, seps):
    block = "".join(t + seps[i % len(seps)] for i, t in enumerate(tag_list))
    batch = split_tags(block)
    assert batch.tags == tuple(dict.fromkeys(tag_list))
    assert not batch.issues
    assert set(batch.duplicates) == {t for t in tag_list if tag_list.count(t) > 1}


@given(st.text(max_size=60))
def test_normalise_and_split_never_raise(text):
    tag = normalize_tag(text)
    assert tag == tag.upper() and not any(ch.isspace() for ch in tag)
    batch = split_tags(text)
    assert all(is_valid_tag(t) for t in batch.tags)
    assert all(i.message for i in batch.issues)


def test_hint_for_lookalike_letters_in_typed_tags():
    assert tag_hint(TAG) is None and tag_hint("AAAFF03000001F9000001001") is None
    hint = tag_hint("1A4FF01OOOOO022000012345")
    assert hint is not None and "O -> 0 (zero)" in hint
    assert "I -> 1 (one)" in tag_hint("1A4FF010000002200001234I")
    assert tag_hint("1A4FF01O") is None  # malformed tags get a problem, not a hint
