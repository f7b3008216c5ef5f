"""ZPL II for Zebra thermal printers: the tag as Code 128 and QR, then item, strain, quantity, date, license.

Pure text in, text out. Upstream text is printed with ^FH (hex escapes) so a caret or tilde in an
item name cannot end a field or start a command on the printer.
"""

from __future__ import annotations

from growtui.domain.documents import LabelSize
from growtui.labels.content import LabelContent


def field_text(text: str) -> str:
    """Escape ^, ~ and backslash (and anything outside printable ASCII) as _XX for ^FH."""
    out = []
    for ch in text:
        if ch in "^~\\_" or not (32 <= ord(ch) < 127):
            out.extend(f"_{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def _text(x: int, y: int, height: int, text: str) -> str:
    return f"^FO{x},{y}^A0N,{height},{height}^FH^FD{field_text(text)}^FS"


def render(label: LabelContent, size: LabelSize = LabelSize(), *, compact: bool = False) -> str:
    """One label; ``compact`` (small stock) is the QR code beside the tag and item only."""
    margin = size.dots(0.1)
    width = size.dots(size.width_in)
    lines = ["^XA", "^CI28", f"^PW{width}", f"^LL{size.dots(size.height_in)}"]  # ^CI28: UTF-8
    magnification = max(1, min(10, round(size.dpi / 100)))  # QR module size in dots per cell step
    if compact:
        lines.append(f"^FO{margin},{margin}^BQN,2,{magnification}^FH^FDQA,{field_text(label.tag)}^FS")
        x, facts, y = width // 2, (label.tag, label.item), margin
    else:
        qr_side = size.dots(0.9)
        lines.append(f"^FO{margin},{margin}^BY2^BCN,{size.dots(0.45)},Y,N,N^FH^FD{field_text(label.tag)}^FS")
        lines.append(f"^FO{width - margin - qr_side},{margin}^BQN,2,{magnification * 2}^FH^FDQA,{field_text(label.tag)}^FS")
        x, facts, y = margin, label.facts, margin + size.dots(0.75)
    step = size.dots(0.2)
    for line in facts:
        if line:
            lines.append(_text(x, y, size.dots(0.16), line))
            y += step
    lines.append("^XZ")
    return "\n".join(lines) + "\n"


def render_all(labels: list[LabelContent], size: LabelSize = LabelSize(), *, compact: bool = False) -> str:
    return "".join(render(label, size, compact=compact) for label in labels)
