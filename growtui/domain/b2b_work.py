"""B2B transfers (OpenTHC, issue 13; seed 002 "B2B Transaction"): an outgoing transfer is created
with its items (lots, all or part of each) to another license, then committed as a separate,
deliberate step (the receiver sees it only then); the receiver accepts an incoming one, which makes
a lot per item on its license. The other license is named by its OpenTHC id (26 letters and
digits), as OpenTHC names every license."""

from __future__ import annotations

import re
from dataclasses import dataclass

from growtui.domain.actions import FieldError, _plural
from growtui.domain.deletion import MARKED
from growtui.domain.lot_work import take_lines, takes_errors
from growtui.domain.units import Quantity

DONE = ("accepted", "void", MARKED)  # a transfer's state (its list's ``index``) once nothing is left to do


def waiting(transfer: object) -> bool:
    """Not accepted, voided or marked for deletion (a server that says no more is taken as waiting)."""
    return getattr(transfer, "index", "") not in DONE


_LICENSE_ID = re.compile(r"[0-9A-Za-z]{26}")  # ULID-shaped, validated loosely (reference A.1)


@dataclass(frozen=True, slots=True)
class CreateB2BOutgoing:
    package_ids: tuple[str, ...]
    labels: tuple[str, ...]
    takes: tuple[Quantity | str | None, ...]  # per lot; None: all of it
    target: str  # the receiving license's OpenTHC id
    holdings: tuple[Quantity | None, ...] = ()

    def summary(self) -> str:
        return f"New outgoing transfer of {_plural(len(self.package_ids), 'lot')} to {self.target}"

    def detail_lines(self) -> list[str]:
        return [f"To license: {self.target}", "Not committed: commit it from Transfers › Outgoing (o).",
                *take_lines(self.labels, self.takes, self.holdings)]

    def validate(self) -> list[FieldError]:
        errors = [] if self.package_ids else [FieldError("", "Choose the lots to send.")]
        if not _LICENSE_ID.fullmatch(self.target.strip()):
            errors.append(FieldError("target", "Type the receiving license's OpenTHC id (26 letters and digits)."))
        return errors + takes_errors(self.labels, self.takes, self.holdings)


@dataclass(frozen=True, slots=True)
class CommitB2BOutgoing:
    transfer_id: str
    label: str

    def summary(self) -> str:
        return f"Commit outgoing transfer {self.label}"

    def detail_lines(self) -> list[str]:
        return ["Its items leave your lots and the receiver sees it; it can no longer be changed."]

    def validate(self) -> list[FieldError]:
        return [] if self.transfer_id else [FieldError("", "Choose an open outgoing transfer.")]


@dataclass(frozen=True, slots=True)
class AcceptB2BIncoming:
    transfer_id: str
    label: str
    location: str = ""  # the room the new lots go to, by name; blank: OpenTHC's receiving room

    def summary(self) -> str:
        return f"Accept incoming transfer {self.label}"

    def detail_lines(self) -> list[str]:
        return [f"Room: {self.location or 'as OpenTHC chooses'}", "Each item becomes a lot on your license."]

    def validate(self) -> list[FieldError]:
        return [] if self.transfer_id else [FieldError("", "Choose an incoming transfer waiting to be accepted.")]
