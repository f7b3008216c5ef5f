"""Labels (`L`) and documents (`D`) through the real app on the T3 sandbox: previewed, then saved
in training, sent to a listening printer socket, fetched from T3 where T3 renders them; COA and
manifest PDFs land in the downloads folder. Files are parsed, not just found."""

from __future__ import annotations

import io
import os
import socket
import threading
from pathlib import Path

from pypdf import PdfReader

from growtui.config import LabelSettings, Settings
from growtui.domain.collections import Collection, Family
from growtui.sandbox.t3.runner import build_app
from growtui.sandbox.t3.subs import lab_results
from growtui.ui.modals.labels import LabelModal
from growtui.ui.wiring import TRAINING_BASE_URL, sandbox_config, training_demo_users
from tests.ui.conftest import SMALL, app_on, open_main, settle, wait_for

ACTIVE = Collection(Family.PACKAGES, "active")


def downloads() -> Path:
    return Path(os.environ["HOME"]) / "Downloads"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


async def _open_packages(pilot, settings: Settings):
    main = await open_main(pilot)
    main.show_collection(ACTIVE)
    await settle(pilot)
    return main


def _mark_first(main, n: int) -> list[str]:
    """Mark the first ``n`` rows; their tags."""
    index = main.source.index
    keys = [main.source.row_id(pos) for pos in range(n)]
    for key in keys:
        main.record_list.toggle_mark(key)
    return [index.raw(k)["label"] for k in keys]


def _app(settings: Settings, sandbox=None):
    sandbox = sandbox or build_app(sandbox_config(Settings(sandbox_packages=SMALL)))
    app = app_on(sandbox, settings)
    app.demo_users = app.demo_users or training_demo_users("t3")  # a "real" host: sign in as a demo user
    return sandbox, app


async def _print(pilot, main) -> None:
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LabelModal), "the label preview")
    await pilot.press("p")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, LabelModal), "the preview to close")
    await wait_for(pilot, lambda: "label" in main.status._note and "…" not in main.status._note
                   or bool(main.status._error), "the print to finish")


async def test_training_previews_then_saves_zpl_and_says_where():
    _, app = _app(Settings(sandbox_packages=SMALL))
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, app.settings)
        tags = _mark_first(main, 2)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LabelModal), "the label preview")
        modal = pilot.app.screen
        shown = str(modal.query_one("#preview").render())
        assert tags[0] in shown and "█" in shown  # the tag and its QR code, drawn before printing
        assert "training" in str(modal.query_one("#body").render())
        await pilot.press("right")
        assert tags[1] in str(modal.query_one("#preview").render())
        await pilot.press("p")
        await wait_for(pilot, lambda: main.status._note.startswith("Saved 2 labels"), "the saved note")
        (path,) = downloads().glob("labels-*.zpl")
        assert str(path) in main.status._note
        zpl = path.read_text()
        assert zpl.count("^XA") == 2 and all(f"^FD{t}^FS" in zpl for t in tags)
        assert os.stat(path).st_mode & 0o777 == 0o600


async def test_escape_prints_nothing():
    _, app = _app(Settings(sandbox_packages=SMALL))
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, app.settings)
        _mark_first(main, 1)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LabelModal), "the label preview")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, LabelModal)
        assert not downloads().exists() or not list(downloads().iterdir())


async def _pdf_labels(labels: LabelSettings, count: int) -> tuple[list[str], Path, PdfReader]:
    """Print ``count`` marked packages as PDF in training: their tags, the saved file, its reader."""
    settings = Settings(sandbox_packages=SMALL, labels=labels)
    _, app = _app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, settings)
        tags = _mark_first(main, count)
        await _print(pilot, main)
    (path,) = downloads().glob("labels-*.pdf")
    return tags, path, PdfReader(path)


async def test_pdf_labels_come_from_t3_where_t3_renders_them():
    tags, path, reader = await _pdf_labels(LabelSettings(format="pdf"), 3)
    assert len(reader.pages) == 3 and all(t in pdf_text(path) for t in tags)
    assert reader.metadata.creator != "growtui"  # T3's rendering, not ours


async def test_pdf_labels_t3_has_no_layout_for_are_rendered_by_growtui():
    tags, path, reader = await _pdf_labels(LabelSettings(format="pdf", width_in=3, height_in=1.5), 2)
    assert reader.metadata.creator == "growtui" and len(reader.pages) == 2
    assert float(reader.pages[0].mediabox.width) == 3 * 72
    assert all(t in pdf_text(path) for t in tags)


class Printer:
    """A network label printer: takes one job on TCP and keeps its bytes."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.job = bytearray()
        self.thread = threading.Thread(target=self._take, daemon=True)
        self.thread.start()

    def _take(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.job.extend(chunk)
        self.server.close()


async def test_zpl_reaches_a_network_printer_outside_training():
    printer = Printer()
    settings = Settings(host=TRAINING_BASE_URL, sandbox_packages=SMALL,
                        labels=LabelSettings(printer=f"tcp://127.0.0.1:{printer.port}"))
    _, app = _app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, settings)
        tags = _mark_first(main, 2)
        await _print(pilot, main)
        printer.thread.join(timeout=30)
        assert main.status._note == f"Sent 2 labels to printer 127.0.0.1:{printer.port}"
        job = printer.job.decode()
        assert job.count("^XZ") == 2 and all(f"^FD{t}^FS" in job for t in tags)
        assert not downloads().exists()  # sent, not saved


async def test_a_printer_that_refuses_is_said_and_nothing_is_lost():
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings = Settings(host=TRAINING_BASE_URL, sandbox_packages=SMALL,
                        labels=LabelSettings(printer=f"tcp://127.0.0.1:{port}"))
    _, app = _app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, settings)
        _mark_first(main, 1)
        await _print(pilot, main)
        assert f"Printer 127.0.0.1:{port} did not take the label" in main.status._error
        assert main.record_list.marks  # the selection stays for the next try


async def test_d_saves_a_packages_coa_to_downloads():
    sandbox = build_app(sandbox_config(Settings(sandbox_packages=SMALL)))
    _, app = _app(Settings(sandbox_packages=SMALL), sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await _open_packages(pilot, app.settings)
        lic = sandbox.state.world.licenses[main.license_number]
        shown = [lic.packages[main.source.row_id(pos)] for pos in range(len(main.source))]
        tested = next(p for p in shown if any(r.get("labTestResultDocumentFileId") for r in lab_results(lic, p)))
        assert main.record_list.move_to_id(tested["id"])
        await pilot.press("D")
        await wait_for(pilot, lambda: main.status._note.startswith("Saved the certificate"), "the saved COA")
        (path,) = downloads().glob("*.pdf")
        assert str(path) in main.status._note and tested["label"] in pdf_text(path)


async def test_d_saves_a_transfers_manifest():
    _, app = _app(Settings(sandbox_packages=SMALL))
    async with app.run_test(size=(100, 30)) as pilot:
        main = await open_main(pilot)
        main.show_collection(Collection(Family.TRANSFERS_OUTGOING, "active"))
        await settle(pilot)
        number = main.source.index.raw(main.record_list.cursor_id)["manifestNumber"]
        await pilot.press("D")
        await wait_for(pilot, lambda: main.status._note.startswith("Saved the transfer manifest"), "the manifest")
        (path,) = downloads().glob("*.pdf")
        assert f"Transfer manifest {number}" in pdf_text(path)
