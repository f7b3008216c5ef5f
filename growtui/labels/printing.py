"""From label contents to paper: render as the settings say (ZPL or PDF), then send to the printer
(TCP 9100 or a CUPS queue) or save a file. In training nothing reaches a printer: the file is
saved and its path said."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from growtui.config import LabelSettings
from growtui.domain.documents import LabelSize
from growtui.files import save_new
from growtui.labels import zpl
from growtui.labels.content import LabelContent
from growtui.labels.transport import RAW_PORT, send_cups, send_tcp


def size_of(settings: LabelSettings) -> LabelSize:
    return LabelSize(settings.width_in, settings.height_in, settings.dpi)


def render(labels: list[LabelContent], settings: LabelSettings) -> bytes:
    compact = settings.template == "compact"
    if settings.format == "pdf":
        from growtui.labels import pdf  # reportlab: a third of a second, only when printing PDF

        return pdf.render(labels, size_of(settings), compact=compact)
    return zpl.render_all(labels, size_of(settings), compact=compact).encode("utf-8")


def destination(settings: LabelSettings, training: bool) -> str:
    """Where labels will go, for people, said before printing."""
    if training or settings.printer == "file":
        return "a file in your downloads folder" + (" (training: no printer is used)" if training else "")
    if settings.printer.startswith("tcp://"):
        where = urlsplit(settings.printer)
        return f"printer {where.hostname}:{where.port or RAW_PORT}"
    return f"print queue {settings.printer.removeprefix('cups:')}"


def deliver(data: bytes, count: int, settings: LabelSettings, *, training: bool, folder: Path) -> str:
    """Send or save ``data`` (``count`` labels); returns what happened, for the status bar.
    Raises ``PrintError`` with a message for people when a printer does not take it."""
    noun = f"{count} label{'s' if count != 1 else ''}"
    if training or settings.printer == "file":
        name = time.strftime(f"labels-%Y%m%d-%H%M%S.{settings.format}")
        return f"Saved {noun} to {save_new(folder, name, data)}"
    if settings.printer.startswith("tcp://"):
        where = urlsplit(settings.printer)
        send_tcp(where.hostname or "", data, port=where.port or RAW_PORT)
    else:
        send_cups(settings.printer.removeprefix("cups:"), data, raw=settings.format == "zpl")
    return f"Sent {noun} to {destination(settings, training)}"
