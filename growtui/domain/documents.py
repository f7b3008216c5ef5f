"""Files a system serves about its records (a package's certificate of analysis, a transfer's
manifest, label sheets), named in domain terms so the UI asks for them without knowing the system.

A backend offers a kind by declaring its capability; the UI offers the kind only on its families.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from growtui.domain.capabilities import Capability
from growtui.domain.collections import Family


class DocumentKind(StrEnum):
    COA = "coa"  # the lab's certificate of analysis behind a package's results
    MANIFEST = "manifest"  # the transfer manifest that travels with the driver
    LABELS = "labels"  # printable package labels rendered upstream


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    kind: DocumentKind
    needs: Capability
    families: frozenset[Family]
    title: str  # for people: "Certificate of analysis"


DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(DocumentKind.COA, Capability.COA_DOCUMENT, frozenset({Family.PACKAGES}), "Certificate of analysis"),
    DocumentSpec(
        DocumentKind.MANIFEST, Capability.MANIFEST_DOCUMENT,
        frozenset({Family.TRANSFERS_INCOMING, Family.TRANSFERS_OUTGOING}), "Transfer manifest",
    ),
    DocumentSpec(DocumentKind.LABELS, Capability.LABEL_PDF, frozenset({Family.PACKAGES}), "Labels"),
)


def document_for(family: Family, capabilities: frozenset[Capability]) -> DocumentSpec | None:
    """The record document (COA, manifest) this family's rows have with this backend, if any."""
    for spec in DOCUMENTS:
        if spec.kind is not DocumentKind.LABELS and family in spec.families and spec.needs in capabilities:
            return spec
    return None


@dataclass(frozen=True, slots=True)
class LabelSize:
    """The label stock: inches and the printer's dots per inch (203 and 300 are the Zebra norms)."""

    width_in: float = 4.0
    height_in: float = 2.0
    dpi: int = 203

    def dots(self, inches: float) -> int:
        return round(inches * self.dpi)


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """One file as upstream named and sent it (the name is upstream text: sanitise before saving)."""

    name: str
    data: bytes
    media_type: str = "application/pdf"
