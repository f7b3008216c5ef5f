"""Paper the floor needs: labels for the selected packages or plants (`L`), and the record's
document (`D`: a package's COA, a transfer's manifest) saved to the downloads folder.

Labels: preview and destination first (LabelModal); then the PDF T3 renders where it can, else
growtui's own ZPL or PDF; sent or saved off the event loop. Upstream calls go through ``upstream``
(errors to the status bar, an expired session to the sign-in prompt).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from growtui.domain.collections import Family
from growtui.domain.documents import DOCUMENTS, DocumentKind, DocumentSpec, document_for
from growtui.domain.models import Package, Plant
from growtui.files import save_new
from growtui.labels.content import LabelContent, for_package, for_plant
from growtui.labels.printing import deliver, destination, render, size_of
from growtui.ui.messages import WorkFailed
from growtui.ui.modals.labels import LabelModal
from growtui.ui.workers import Failed, run_background, upstream
from growtui.ui.write_commands import selected_keys

if TYPE_CHECKING:
    from growtui.ui.screens.main import MainScreen

LABEL_FAMILIES = frozenset({Family.PACKAGES, Family.PLANTS})
MAX_LABELS = 500  # one print job: a floor prints a run of tags, not the whole vault


def downloads_dir() -> Path:
    return Path(platformdirs.user_downloads_dir())


def label_of(model: Any, license_number: str) -> LabelContent | None:
    if isinstance(model, Package):
        return for_package(model, license_number)
    if isinstance(model, Plant):
        return for_plant(model, license_number)
    return None


def labels_available(main: MainScreen) -> bool:
    return main.collection is not None and main.collection.family in LABEL_FAMILIES


def document_available(main: MainScreen) -> DocumentSpec | None:
    if main.collection is None:
        return None
    return document_for(main.collection.family, main.app.backend.capabilities)


def open_labels(main: MainScreen) -> None:
    keys = selected_keys(main)[:MAX_LABELS]
    assert main.collection is not None
    models = [main.app.store.model(main.license_number, main.collection, k) for k in keys]
    pairs = [(k, label) for k, m in zip(keys, models, strict=True) if (label := label_of(m, main.license_number))]
    if not pairs:
        main.notify("Select a package or plant first (Space marks rows).", severity="warning")
        return
    settings = main.app.settings.labels
    how = f"{settings.format.upper()}, {settings.width_in:g} x {settings.height_in:g} in, {settings.template}"
    modal = LabelModal([label for _, label in pairs], how, destination(settings, main.app.training),
                       compact=settings.template == "compact")

    def chosen(confirmed: bool | None) -> None:
        if confirmed:
            run_background(main, _print(main, [k for k, _ in pairs], [label for _, label in pairs]), group="paper")

    main.app.push_screen(modal, chosen)


async def _print(main: MainScreen, keys: list[Any], labels: list[LabelContent]) -> None:
    app, settings, collection = main.app, main.app.settings.labels, main.collection
    assert collection is not None
    data: bytes | None = None
    upstream_pdf = next(s for s in DOCUMENTS if s.kind is DocumentKind.LABELS)
    if settings.format == "pdf" and upstream_pdf.needs in app.backend.capabilities and collection.family in upstream_pdf.families:
        main.status.set_note("Asking upstream to render the labels…")
        files = await upstream(app, app.store.documents(
            main.license_number, DocumentKind.LABELS, collection, keys,
            size=size_of(settings), compact=settings.template == "compact",
        ), what="Labels")
        if isinstance(files, Failed):
            return
        data = files[0].data if files else None  # [] = upstream has no layout for these: ours
    try:
        if data is None:
            data = await asyncio.to_thread(render, labels, settings)
        said = await asyncio.to_thread(
            deliver, data, len(labels), settings, training=app.training, folder=downloads_dir()
        )
    except Exception as exc:  # noqa: BLE001 - a printer or disk refusing is said, never fatal
        main.post_message(WorkFailed("Labels", exc))
        return
    _said(main, "Labels", said)


def save_documents(main: MainScreen) -> None:
    spec = document_available(main)
    keys = selected_keys(main)
    if spec is None or not keys:
        main.notify("Select a row first (Space marks rows).", severity="warning")
        return
    run_background(main, _fetch(main, spec, keys), group="paper")


async def _fetch(main: MainScreen, spec: DocumentSpec, keys: list[Any]) -> None:
    app, collection = main.app, main.collection
    assert collection is not None
    title = spec.title.lower()
    main.status.set_note(f"Fetching the {title}…")
    files = await upstream(app, app.store.documents(main.license_number, spec.kind, collection, keys), what=spec.title)
    if isinstance(files, Failed):
        return
    if not files:
        main.status.set_note(f"No {title} upstream for the selected row{'s' if len(keys) > 1 else ''}.")
        return
    folder = downloads_dir()
    try:
        paths = await asyncio.to_thread(lambda: [save_new(folder, f.name, f.data) for f in files])
    except OSError as exc:
        main.post_message(WorkFailed(spec.title, exc))
        return
    more = f" and {len(paths) - 1} more in {folder}" if len(paths) > 1 else ""
    _said(main, spec.title, f"Saved the {title} to {paths[0]}{more}")


def _said(main: MainScreen, title: str, text: str) -> None:
    """In the status bar, and as a notice that wraps: a path is longer than a kiosk's 80 columns."""
    main.status.set_note(text)
    main.notify(text, title=title, timeout=15, markup=False)
