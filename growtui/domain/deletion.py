"""The two-step delete (OpenTHC, issue 13; rest.ad and the reference server): a first DELETE marks
lots, plants or an open outgoing transfer for deletion (202), a second, separate one confirms it (410); after that the object
is locked (423). Marking and confirming are two write kinds with their own confirmations, so no
single keypress deletes anything; confirming asks for the word ``delete`` to be typed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from growtui.domain.actions import FieldError, _plural
from growtui.domain.collections import Family
from growtui.domain.models import Plant, Transfer

MARKED = "marked for deletion"  # how a marked object's state reads in the lists
CONFIRM_WORD = "delete"


def is_marked(row: Any) -> bool:
    return getattr(row, "index", "") == MARKED


FAMILIES = (Family.PLANTS, Family.PACKAGES, Family.TRANSFERS_OUTGOING)  # what can be marked


def family_of(rows: Sequence[Any]) -> Family:
    first = rows[0] if rows else None
    return (Family.PLANTS if isinstance(first, Plant) else Family.TRANSFERS_OUTGOING if isinstance(first, Transfer)
            else Family.PACKAGES)


def labels_of(rows: Sequence[Any]) -> tuple[str, ...]:
    """Lots and plants by label, transfers by manifest."""
    return tuple(str(getattr(r, "label", None) or getattr(r, "manifest_number", "")) for r in rows)


def markable(row: Any) -> bool:
    """Not marked yet; a transfer only while it is open (a committed one cannot be voided)."""
    return not is_marked(row) and (not isinstance(row, Transfer) or row.index == "open")


def _noun(family: Family, n: int) -> str:
    return _plural(n, {Family.PLANTS: "plant", Family.TRANSFERS_OUTGOING: "transfer"}.get(family, "lot"))


@dataclass(frozen=True, slots=True)
class MarkForDeletion:
    family: Family  # plants or packages (lots)
    ids: tuple[str, ...]
    labels: tuple[str, ...]

    def summary(self) -> str:
        return f"Mark {_noun(self.family, len(self.ids))} for deletion"

    def detail_lines(self) -> list[str]:
        return ["They move to Inactive, marked for deletion; nothing is deleted until you confirm it there.",
                *(f"  {label}" for label in self.labels)]

    def validate(self) -> list[FieldError]:
        return [] if self.ids else [FieldError("", "Choose what to mark for deletion.")]


@dataclass(frozen=True, slots=True)
class ConfirmDeletion:
    family: Family
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    typed: str  # the confirm word, typed

    def summary(self) -> str:
        return f"Delete {_noun(self.family, len(self.ids))} for good"

    def detail_lines(self) -> list[str]:
        return ["OpenTHC deletes them for good; this cannot be undone.", *(f"  {label}" for label in self.labels)]

    def validate(self) -> list[FieldError]:
        errors = [] if self.ids else [FieldError("", "Choose rows marked for deletion.")]
        if self.typed.strip().lower() != CONFIRM_WORD:
            errors.append(FieldError("typed", f"Type {CONFIRM_WORD} to delete them for good."))
        return errors
