"""Metrc tag labels: normalising scanner/keyboard input, validating, splitting pasted blocks.

A Metrc tag label is the 24-character UID printed on the plant or package tag, encoded in its
GS1-128 barcode and written to its RFID chip (an EPC-96, hence 24 characters). Production
tags start with ``1A4`` followed by the facility's code and a serial, e.g.
``1A4FF0100000022000012345``; sandboxes and older states also use other prefixes, and Metrc's
own samples look like ``ABCDEF012345670000010042``. We therefore accept any 24 uppercase
letters/digits and report ``1A4`` only as a hint, never as a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

TAG_LENGTH = 24
STANDARD_PREFIX = "1A4"

# Barcode readers may prepend an AIM symbology identifier: "]" + code letter + modifier digit,
# e.g. "]C1" for GS1-128 (the symbology Metrc prints), "]Q3" for QR, "]d2" for GS1 DataMatrix.
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# Control characters: CR/LF/tab from the scanner's suffix, GS (0x1D) from GS1 FNC1, NUL, ESC...
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_VALID = re.compile(rf"^[0-9A-Z]{{{TAG_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s,;|]+")


class TagProblem(StrEnum):
    EMPTY = "empty"
    BAD_CHARACTERS = "bad_characters"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


class TagError(ValueError):
    def __init__(self, text: str, problem: TagProblem, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.problem = problem
        self.message = message


@dataclass(frozen=True, slots=True)
class TagIssue:
    text: str  # the normalised input that was rejected
    problem: TagProblem
    message: str


def normalize_tag(text: str) -> str:
    """What the user meant: strip whitespace and control characters, drop an AIM prefix, uppercase.

    Inner spaces are removed too, because people type tags in groups ("1A4F F010 ...") while
    scanners never emit them.
    """
    cleaned = _CONTROL.sub("", text).strip()
    cleaned = _AIM_PREFIX.sub("", cleaned)
    return _SPACES.sub("", cleaned).upper()


def tag_problem(tag: str) -> TagIssue | None:
    """None if ``tag`` (already normalised) is a well-formed label, else what is wrong with it."""
    if _VALID.match(tag):
        return None
    if not tag:
        return TagIssue(tag, TagProblem.EMPTY, "Empty tag: scan or type a 24-character tag.")
    bad = sorted({ch for ch in tag if not ("0" <= ch <= "9" or "A" <= ch <= "Z")})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        return TagIssue(
            tag, TagProblem.BAD_CHARACTERS, f"{tag}: tags contain only letters and digits, not {shown}."
        )
    n = len(tag)
    if n < TAG_LENGTH:
        return TagIssue(
            tag,
            TagProblem.TOO_SHORT,
            f"{tag}: {n} characters, a tag has {TAG_LENGTH}. "
            f"{TAG_LENGTH - n} missing (cut-off scan or typo?).",
        )
    hint = " Two scans ran together? Scan them one at a time." if n % TAG_LENGTH == 0 else ""
    return TagIssue(tag, TagProblem.TOO_LONG, f"{tag}: {n} characters, a tag has {TAG_LENGTH}.{hint}")


def is_valid_tag(tag: str) -> bool:
    return bool(_VALID.match(tag))


def is_standard_prefix(tag: str) -> bool:
    """True for production Metrc tags (``1A4…``). Informational: other prefixes are valid."""
    return tag.startswith(STANDARD_PREFIX)


_LOOKALIKES = {"O": "0 (zero)", "I": "1 (one)", "L": "1 (one)", "S": "5", "Z": "2", "B": "8"}


def tag_hint(tag: str) -> str | None:
    """A gentle warning for a well-formed tag that was probably mistyped, else None.

    Tags are printed from a 96-bit RFID code, so their characters are hexadecimal (0-9, A-F);
    a typed O, I or L is almost always a zero or a one. Never a reason to refuse the tag.
    """
    odd = [ch for ch in dict.fromkeys(tag) if ch in _LOOKALIKES]
    if not odd or not is_valid_tag(tag):
        return None
    guesses = ", ".join(f"{ch} -> {_LOOKALIKES[ch]}" for ch in odd)
    return f"{tag} has letters tags rarely use ({guesses}?). Check it against the printed tag."


def parse_tag(text: str) -> str:
    """Normalise and validate one scanned or typed tag. Raises TagError with a clear message."""
    tag = normalize_tag(text)
    issue = tag_problem(tag)
    if issue is not None:
        raise TagError(issue.text, issue.problem, issue.message)
    return tag


@dataclass(frozen=True, slots=True)
class TagBatch:
    """The result of splitting a pasted block: good tags in order, repeats, and rejects."""

    tags: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()  # each repeat listed once, in the order first repeated
    issues: tuple[TagIssue, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.issues and not self.duplicates


def split_tags(block: str) -> TagBatch:
    """Split a pasted block (lines, commas, semicolons, tabs, spaces) into tags.

    Each piece is normalised separately (so AIM prefixes on every line are dropped); duplicates
    are kept once. Blank pieces are ignored, not reported.
    """
    tags: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    issues: list[TagIssue] = []
    for line in block.splitlines():
        for piece in _SEPARATORS.split(_CONTROL.sub(" ", line)):
            tag = normalize_tag(piece)
            if not tag:
                continue
            issue = tag_problem(tag)
            if issue is not None:
                issues.append(issue)
            elif tag in seen:
                if tag not in duplicates:
                    duplicates.append(tag)
            else:
                seen.add(tag)
                tags.append(tag)
    return TagBatch(tuple(tags), tuple(duplicates), tuple(issues))
