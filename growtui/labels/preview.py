"""A label drawn in text for the terminal, before anything is printed: the QR code in half-blocks
(the same code the printer draws) beside the lines the label carries."""

from __future__ import annotations

from growtui.labels.content import LabelContent

_HALF = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_rows(text: str) -> list[str]:
    """Two QR module rows per text row."""
    from reportlab.graphics.barcode.qr import QrCodeWidget  # a fifth of a second: only when previewing

    widget = QrCodeWidget(text)
    widget.qr.make()
    modules = [[bool(cell) for cell in row] for row in widget.qr.modules]
    blank = [False] * len(modules)
    pairs = zip(modules[0::2], [*modules[1::2], blank], strict=False)
    return ["".join(_HALF[top[x], bottom[x]] for x in range(len(top))) for top, bottom in pairs]


def preview(label: LabelContent, *, compact: bool = False) -> list[str]:
    """Plain text lines (upstream text included: render them without markup)."""
    lines = [label.tag, label.item] if compact else [f"|||| {label.tag} ||||", *label.facts]
    lines = [line for line in lines if line]
    code = qr_rows(label.tag or " ")
    width = max((len(line) for line in lines), default=0)
    height = max(len(code), len(lines))
    lines += [""] * (height - len(lines))
    code += [""] * (height - len(code))
    return [f"{text:<{width}}  {qr}".rstrip() for text, qr in zip(lines, code, strict=True)]
