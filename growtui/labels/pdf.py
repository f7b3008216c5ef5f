"""PDF labels for office printers (reportlab): one page per label at the stock's size, the tag as
Code 128 and QR, then the facts; the same layouts as the ZPL ones.

Upstream text is drawn as plain strings (reportlab's canvas has no markup), clipped to the label.
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from growtui.domain.documents import LabelSize
from growtui.labels.content import LabelContent

FONT = "Helvetica"


def _qr(canvas: Canvas, text: str, x: float, y: float, side: float) -> None:
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (right - left), 0, 0, side / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _lines(canvas: Canvas, lines: tuple[str, ...], x: float, top: float, right: float, size: float) -> None:
    y = top
    for line in (line for line in lines if line):
        if y < size:
            break  # the label is full: what does not fit is left off rather than printed off the edge
        text = line
        while text and canvas.stringWidth(text, FONT, size) > right - x:
            text = text[:-1]
        canvas.setFont(FONT, size)
        canvas.drawString(x, y - size, text)
        y -= size * 1.25


def _draw(canvas: Canvas, label: LabelContent, width: float, height: float, compact: bool) -> None:
    margin = 0.1 * inch
    if compact:
        side = height - 2 * margin
        _qr(canvas, label.tag, margin, margin, side)
        left = 2 * margin + side
        fits = (width - margin - left) / max(canvas.stringWidth(label.tag, FONT, 1), 1)  # the whole tag, always
        _lines(canvas, (label.tag, label.item), left, height - margin, width - margin, min(height / 9, fits))
        return
    bars = Code128(label.tag, barHeight=0.4 * inch, barWidth=0.01 * inch, humanReadable=True, quiet=False)
    scale = min(1.0, (width * 0.7 - 2 * margin) / max(bars.width, 1))
    canvas.saveState()
    canvas.translate(margin, height - margin - 0.55 * inch)
    canvas.scale(scale, 1)
    bars.drawOn(canvas, 0, 0.12 * inch)
    canvas.restoreState()
    side = min(0.9 * inch, width * 0.25)
    _qr(canvas, label.tag, width - margin - side, height - margin - side, side)
    _lines(canvas, label.facts, margin, height - margin - 0.75 * inch, width - margin, min(10.0, height / 12))


def render(labels: list[LabelContent], size: LabelSize = LabelSize(), *, compact: bool = False) -> bytes:
    width, height = size.width_in * inch, size.height_in * inch
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), pageCompression=1)
    canvas.setTitle("Labels")
    canvas.setCreator("growtui")
    for label in labels:
        _draw(canvas, label, width, height, compact)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
