"""Labels reach a real listening socket byte for byte; files are private; a missing lp is said."""

import os
import socket
import threading

import pytest

from growtui.domain.models import Package
from growtui.labels.content import for_package
from growtui.labels.transport import PrintError, send_cups, send_tcp
from growtui.labels.zpl import render


def test_tcp_printer_receives_exactly_the_label():
    zpl = render(for_package(Package(id=1, label="1A4FF0100000022000000123", item_name="Flower"), "LIC"))
    server = socket.create_server(("127.0.0.1", 0))
    got = bytearray()

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(4096):
                got.extend(chunk)

    reader = threading.Thread(target=accept)
    reader.start()
    send_tcp("127.0.0.1", zpl.encode("utf-8"), port=server.getsockname()[1])
    reader.join(timeout=30)
    server.close()
    assert bytes(got) == zpl.encode("utf-8")


def test_refused_connection_is_a_print_error():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.close()
    with pytest.raises(PrintError, match=f"127.0.0.1:{port}"):
        send_tcp("127.0.0.1", b"^XA^XZ", port=port)


def _fake_lp(tmp_path, monkeypatch, status: int = 0):
    """A stand-in for CUPS' lp on PATH that records its argv and the job it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/argv"\ncat > "{tmp_path}/job"\necho "no such queue" >&2\nexit {status}\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def test_cups_gets_zpl_raw_and_pdf_filtered(tmp_path, monkeypatch):
    seen = _fake_lp(tmp_path, monkeypatch)
    send_cups("Zebra_ZD421", b"^XA^XZ")
    assert (seen / "argv").read_text().split() == ["-d", "Zebra_ZD421", "-o", "raw"]
    assert (seen / "job").read_bytes() == b"^XA^XZ"
    send_cups("Office", b"%PDF-1.4", raw=False)
    assert (seen / "argv").read_text().split() == ["-d", "Office"]


def test_a_refusing_queue_is_said(tmp_path, monkeypatch):
    _fake_lp(tmp_path, monkeypatch, status=1)
    with pytest.raises(PrintError, match="lp refused queue 'nowhere': no such queue"):
        send_cups("nowhere", b"^XA^XZ")


def test_missing_lp_is_said(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(PrintError, match="No 'lp' command"):
        send_cups("zebra", b"^XA^XZ")
