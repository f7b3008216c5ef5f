"""Small, valid PDF documents written by hand: pages of Helvetica text, no PDF library needed.

The sandbox's manifests, certificates of analysis and labels are real files a PDF viewer opens
(and ``pypdf`` reads in the tests), so a client's "download and open" path is exercised for real.
Text is reduced to printable ASCII; PDF string delimiters are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

POINTS_PER_INCH = 72
LETTER = (612.0, 792.0)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    size: float = 10.0
    bold: bool = False
    at: tuple[float, float] | None = None  # baseline start in points from the bottom-left; None: next line down


Page = Sequence[Line]


def _escape(text: str) -> str:
    printable = "".join(c if 32 <= ord(c) < 127 else "?" for c in text)
    return printable.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(lines: Page, height: float, margin: float) -> bytes:
    ops = []
    y = height - margin
    for line in lines:
        if line.at is None:
            y -= line.size * 1.3
        x, baseline = line.at or (margin, y)
        font = "F2" if line.bold else "F1"
        ops.append(f"BT /{font} {line.size:g} Tf {x:.2f} {baseline:.2f} Td ({_escape(line.text)}) Tj ET")
    return "\n".join(ops).encode()


def paginate(lines: Sequence[Line], *, size: tuple[float, float] = LETTER, margin: float = 54.0) -> list[list[Line]]:
    """Split ``lines`` into pages that fit ``size``; a heading (the first line) repeats on each page."""
    usable = size[1] - 2 * margin
    pages: list[list[Line]] = [[]]
    used = 0.0
    for line in lines:
        step = line.size * 1.3
        if pages[-1] and used + step > usable:
            pages.append([lines[0]] if lines else [])
            used = lines[0].size * 1.3
        pages[-1].append(line)
        used += step
    return pages


def document(pages: Sequence[Page], *, title: str, size: tuple[float, float] = LETTER, margin: float = 54.0) -> bytes:
    """A PDF with one page per entry of ``pages`` (each a list of lines, top to bottom)."""
    width, height = size
    page_count = max(1, len(pages))
    first_page = 5  # 1 catalog, 2 pages, 3 and 4 fonts, then (page, contents) pairs, then the info dict
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(page_count))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    for n in range(page_count):
        lines = pages[n] if n < len(pages) else []
        stream = _page_stream(lines, height, margin)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:g} {height:g}] /Contents {first_page + 2 * n + 1} 0 R "
            "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info = len(objects) + 1
    objects.append(f"<< /Title ({_escape(title)}) /Producer (growtui T3 sandbox) >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)
