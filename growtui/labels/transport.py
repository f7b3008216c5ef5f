"""Where rendered labels go: raw TCP 9100 to a network printer, a CUPS queue (lp -o raw), or a file."""

from __future__ import annotations

import shutil
import socket
import subprocess

RAW_PORT = 9100


class PrintError(RuntimeError):
    """Said to the user as is."""


def send_tcp(host: str, data: bytes, port: int = RAW_PORT, timeout: float = 10.0) -> None:
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)  # the printer starts on end of data
    except OSError as exc:
        raise PrintError(f"Printer {host}:{port} did not take the label: {exc}") from exc


def send_cups(queue: str, data: bytes, *, raw: bool = True, timeout: float = 30.0) -> None:
    """``raw`` for printer language (ZPL) the queue must pass through untouched; PDFs are filtered."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError("No 'lp' command: install CUPS (cups-client) or print to a network printer or file")
    # the label goes on stdin; argv holds only the queue name, never data or secrets
    try:
        argv = [lp, "-d", queue, *(["-o", "raw"] if raw else [])]
        done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"lp failed: {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()[:200]
        raise PrintError(f"lp refused queue {queue!r}: {said or 'exit ' + str(done.returncode)}")


