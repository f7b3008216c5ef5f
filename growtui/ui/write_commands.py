"""Which write the main screen offers on which list, and opening its form on the selection.

The selection is the marked rows, else the row under the cursor. Everything offered is also
gated on the backend's declared capabilities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import Screen

from growtui.domain.collections import Family
from growtui.domain.models import Package
from growtui.domain.writes import Rows, WriteSpec, commands, for_list
from growtui.ui import kept_deletions
from growtui.ui.write_flow import can_do
from growtui.ui.workers import run_background

if TYPE_CHECKING:
    from growtui.data.types import WriteOutcome
    from growtui.ui.app import GrowApp
    from growtui.ui.screens.main import MainScreen


@dataclass(frozen=True, slots=True)
class Taken:
    """The rows a write was opened on: its confirmation says how many of the marked ones the
    filter hides, and its result names where those rows are afterwards."""

    kind: str
    keys: tuple[Any, ...] = ()
    marked: int = 0
    hidden: int = 0  # marked rows the filter hides (the write takes them too)

    def notice(self) -> str:
        if not self.hidden:
            return ""
        them = "it" if self.hidden == 1 else "them"
        return f"{self.marked} marked, {self.hidden} not in view (the filter hides {them}): this write takes {them} too."


def taken_for(main: MainScreen, kind: str) -> Taken | None:
    """What the write of ``kind`` was opened on, if it was the last one opened on this screen."""
    taken = getattr(main, "taken", None)
    return taken if isinstance(taken, Taken) and taken.kind == kind else None


def write_bindings() -> list[Binding]:
    """One main-screen binding per write command of the registry."""
    out = []
    for command, specs in commands().items():
        spec = specs[0]
        out.append(Binding(spec.key, f"write('{command}')", spec.footer, show=spec.in_footer,
                           key_display=spec.key_display))
    return out


def palette_commands(main: MainScreen) -> list[tuple[str, Any, str]]:
    """Command-palette entries for the writes this list and backend allow, plus the Outbox."""
    out = []
    for command in commands():
        spec = spec_for(main, command)
        if spec is not None and spec.palette:
            out.append((spec.palette, partial(open_write, main, command), spec.palette_help))
    out.append(("Outbox: writes sent and their outcome", main.action_outbox, "Check in-doubt writes (w)"))
    return out


def spec_for(main: MainScreen, command: str) -> WriteSpec | None:
    """What ``command`` means on the shown list, when the backend can do it."""
    family = main.collection.family if main.collection is not None else None
    spec = for_list(command, family)
    return spec if spec is not None and can_do(main.app, spec) else None


def available(main: MainScreen, command: str) -> bool:
    return spec_for(main, command) is not None


def claimed_keys(main: MainScreen) -> frozenset[str]:
    """Keys of the writes this list and backend offer now: they win over the list's own letters."""
    return frozenset(specs[0].key for command, specs in commands().items() if available(main, command))


def selected_keys(main: MainScreen) -> list[Any]:
    """Keys of the marked rows (in list order), else of the row under the cursor."""
    lst = main.record_list
    keys = list(lst.marks) if lst.marks else ([lst.cursor_id] if lst.cursor_id is not None else [])
    if main.source is not None and len(keys) > 1:
        index = main.source.index
        keys.sort(key=lambda k: index.position(k) if index.position(k) is not None else 0)
    return keys


def selection(main: MainScreen) -> list[Any]:
    """Domain models of the marked rows (in list order), else of the row under the cursor."""
    keys = selected_keys(main)
    models = [main.app.store.model(main.license_number, main.collection, k) for k in keys]
    return [m for m in models if m is not None]


def _taken(main: MainScreen, spec: WriteSpec) -> list[Any] | None:
    """The rows the write takes (None: nothing to open it on; the user was told why)."""
    rows = spec.applies.rows
    if rows is Rows.NONE or main.collection is None:
        return []
    if rows is Rows.MARKED:
        return selection(main) if main.record_list.marks else []
    scanning = rows is Rows.SCANNED  # the form takes more rows by scan: it may open with none
    chosen = selection(main) if main.record_list.marks or not scanning else []
    if not chosen and scanning:
        return []
    if not chosen:
        main.notify("Select a row first (Space marks rows).", severity="warning")
        return None
    hidden = _hidden_marks(main)
    if hidden:  # a filter typed after marking must not hide what the write will take
        main.notify(Taken(spec.kind, marked=len(chosen), hidden=hidden).notice(), severity="warning", timeout=10)
    keep = spec.applies.keep
    allowed = [m for m in chosen if keep is None or keep(m)]
    if len(allowed) < len(chosen) and spec.applies.left_out:
        main.notify(spec.applies.left_out.format(n=len(chosen) - len(allowed)), severity="warning")
    kept = kept_deletions.leave_out(main, spec.kind, allowed)
    if allowed and not kept:  # all kept from deletion (K): leave_out said so
        return None
    if not kept:
        if spec.applies.none_left:
            main.notify(spec.applies.none_left, severity="warning")
        return None
    return kept[:1] if rows is Rows.ONE else kept


def _hidden_marks(main: MainScreen) -> int:
    lst = main.record_list
    return len(lst.marks) - len(lst.marked_in_view()) if lst.marks else 0


def _forms() -> dict[str, Callable[[str, list[Any]], Screen[Any]]]:
    """Write kinds with a form of their own, opened with the rows taken (the one table of UI
    forms); any other kind opens the form its spec declares."""
    from growtui.ui.modals.forms.catalog import CreateStrainForm, DiscontinueItemForm, DiscontinueStrainForm
    from growtui.ui.modals.forms.create_package import CreatePackageForm
    from growtui.ui.modals.forms.harvest import HarvestForm
    from growtui.ui.modals.forms.packages import AddNoteForm, UnfinishForm
    from growtui.ui.screens.transfer_builder import TransferBuilderScreen

    def refs(rows: list[Any]) -> list[tuple[int, str]]:
        return [(p.id, p.label) for p in rows]

    return {
        "AddNote": lambda lic, rows: AddNoteForm(lic, refs(rows)),
        "Unfinish": lambda lic, rows: UnfinishForm(lic, refs(rows)),
        "CreatePackage": lambda lic, rows: CreatePackageForm(lic, rows),
        "DiscontinueItem": lambda lic, rows: DiscontinueItemForm(lic, rows[0].id, rows[0].name),
        "DiscontinueStrain": lambda lic, rows: DiscontinueStrainForm(lic, rows[0].id, rows[0].name),
        "CreateStrain": lambda lic, rows: CreateStrainForm(lic),
        "HarvestPlants": lambda lic, rows: HarvestForm(lic, rows),
        "CreateTransfer": lambda lic, rows: TransferBuilderScreen(
            lic, packages=[m for m in rows if isinstance(m, Package)]
        ),
    }


def open_write(main: MainScreen, command: str) -> None:
    spec = spec_for(main, command)
    if spec is None:
        main.app.bell()
        return
    rows = _taken(main, spec)
    main.taken = None
    if rows is None:
        return
    if rows:
        marks = main.record_list.marks
        main.taken = Taken(spec.kind, tuple(selected_keys(main)), len(marks), _hidden_marks(main))
    form = _forms().get(spec.kind)
    if form is not None:
        main.app.push_screen(form(main.license_number, rows))
        return
    from growtui.ui.modals.forms.declared import DeclaredForm

    main.app.push_screen(DeclaredForm(main.license_number, spec, rows))


def highlight_keys(outcome: Any) -> list[Any]:
    """Row keys a write's outcome points at, most specific first."""
    details = getattr(outcome, "details", None) or {}
    keys: list[Any] = []
    for name in ("package_id", "strain_id", "id"):
        if details.get(name) is not None:
            keys.append(details[name])
    for name in ("transfer_ids", "package_ids"):
        keys.extend(k for k in details.get(name) or () if k is not None)
    return keys


def open_manifest(app: GrowApp, license_number: str, outcome: WriteOutcome) -> None:
    """After a transfer was created: load outgoing transfers and open the new manifest there."""
    main = app.main_screen
    manifests = list((getattr(outcome, "details", None) or {}).get("manifest_numbers") or [])
    if main is None or not manifests:
        return
    run_background(app, _open_manifest(main, manifests[0]), group="open-manifest")


async def _open_manifest(main: MainScreen, manifest: str) -> None:
    from growtui.domain.collections import Collection

    coll = Collection(Family.TRANSFERS_OUTGOING, "active")
    store = main.app.store
    try:
        await store.refresh(main.license_number, coll, full=store.cache_age(main.license_number, coll) is None)
    except Exception as exc:  # noqa: BLE001 - the transfer exists; only the jump failed
        main.show_error(f"Transfer {manifest} created; could not load outgoing transfers: {exc}")
        return
    if main.collection != coll:
        main.show_collection(coll)
    main.reload_after_write(None)  # reopen from the refreshed cache (drops any older index)
    position = main.source.index.find_label(manifest) if main.source is not None else None
    if position is None:
        main.status.set_note(f"Transfer {manifest} created.")
        return
    main.record_list.move_to_id(main.source.index.key(position))
    if not main.detail_visible:
        main.action_toggle_detail()
    main.status.set_note(f"Transfer {manifest} created and opened.")
