"""Which write the main screen offers on which list, and opening its form on the selection.

The selection is the marked rows, else the row under the cursor. Everything offered is also
gated on the backend's declared capabilities.
"""

from __future__ import annotations

from typing import Any

from growtui.domain.collections import Family
from growtui.domain.models import Package
from growtui.ui.write_flow import can_do

# key of MainScreen.action_write -> (action kind for the capability check, families it applies to)
WRITES: dict[str, tuple[str, frozenset[Family] | None]] = {
    "note": ("AddNote", frozenset({Family.PACKAGES})),
    "unfinish": ("Unfinish", frozenset({Family.PACKAGES})),
    "create_package": ("CreatePackage", frozenset({Family.PACKAGES})),
    "discontinue": ("DiscontinueItem", frozenset({Family.ITEMS, Family.STRAINS})),
    "create_strain": ("CreateStrain", frozenset({Family.STRAINS})),
    "transfer": ("CreateTransfer", None),  # from anywhere; marked packages are added
}


PALETTE: tuple[tuple[str, str, str], ...] = (
    ("note", "Add a note to the selected packages", "Marked rows, or the row under the cursor (n)"),
    ("unfinish", "Unfinish the selected packages", "Finished packages become active again (f)"),
    ("create_package", "Create a package from the selected packages", "Split or repackage (p)"),
    ("discontinue", "Discontinue the selected item or strain", "It leaves the list (x)"),
    ("create_strain", "Create a strain", "Name, THC/CBD, indica/sativa (+)"),
    ("transfer", "Build a transfer", "Destinations, transporter, packages by scan (t)"),
)


def palette_commands(main: Any) -> list[tuple[str, Any, str]]:
    """Command-palette entries for the writes this list and backend allow, plus the Outbox."""
    from functools import partial

    out = [(title, partial(open_write, main, write), help_text)
           for write, title, help_text in PALETTE if available(main, write)]
    out.append(("Outbox: writes sent and their outcome", main.action_outbox, "Check in-doubt writes (w)"))
    return out


def available(main: Any, write: str) -> bool:
    spec = WRITES.get(write)
    if spec is None:
        return False
    kind, families = spec
    if write == "discontinue" and main.collection is not None and main.collection.family is Family.STRAINS:
        kind = "DiscontinueStrain"
    if not can_do(main.app, kind):
        return False
    return families is None or (main.collection is not None and main.collection.family in families)


def selection(main: Any) -> list[Any]:
    """Domain models of the marked rows (in list order), else of the row under the cursor."""
    lst = main.record_list
    keys = list(lst.marks) if lst.marks else ([lst.cursor_id] if lst.cursor_id is not None else [])
    if main.source is not None and len(keys) > 1:
        index = main.source.index
        keys.sort(key=lambda k: index.position(k) if index.position(k) is not None else 0)
    models = [main.app.store.model(main.license_number, main.collection, k) for k in keys]
    return [m for m in models if m is not None]


def open_write(main: Any, write: str) -> None:
    from growtui.ui.screens.actions.catalog import CreateStrainForm, DiscontinueItemForm, DiscontinueStrainForm
    from growtui.ui.screens.actions.create_package import CreatePackageForm
    from growtui.ui.screens.actions.packages import AddNoteForm, UnfinishForm

    if not available(main, write):
        main.app.bell()
        return
    lic = main.license_number
    if write == "create_strain":
        main.app.push_screen(CreateStrainForm(lic))
        return
    if write == "transfer":
        from growtui.ui.screens.transfer_builder import TransferBuilderScreen

        marked = selection(main) if main.collection is not None and main.record_list.marks else []
        packages = [m for m in marked if isinstance(m, Package)]
        main.app.push_screen(TransferBuilderScreen(lic, packages=packages))
        return
    chosen = selection(main) if main.collection is not None else []
    if not chosen:
        main.notify("Select a row first (Space marks rows).", severity="warning")
        return
    if write == "note":
        main.app.push_screen(AddNoteForm(lic, [(p.id, p.label) for p in chosen]))
    elif write == "unfinish":
        finished = [p for p in chosen if p.is_finished]
        if len(finished) < len(chosen):
            main.notify(f"{len(chosen) - len(finished)} selected package(s) are not finished; left out.",
                        severity="warning")
        if finished:
            main.app.push_screen(UnfinishForm(lic, [(p.id, p.label) for p in finished]))
    elif write == "create_package":
        usable = [p for p in chosen if not p.is_finished and not p.is_in_transit and not p.is_on_hold]
        if not usable:
            main.notify("Choose active packages as sources.", severity="warning")
            return
        main.app.push_screen(CreatePackageForm(lic, usable))
    elif write == "discontinue":
        target = chosen[0]
        if main.collection.family is Family.STRAINS:
            main.app.push_screen(DiscontinueStrainForm(lic, target.id, target.name))
        else:
            main.app.push_screen(DiscontinueItemForm(lic, target.id, target.name))


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


def open_manifest(app: Any, license_number: str, outcome: Any) -> None:
    """After a transfer was created: load outgoing transfers and open the new manifest there."""
    from growtui.ui.screens.main import MainScreen

    main = next((s for s in reversed(app.screen_stack) if isinstance(s, MainScreen)), None)
    manifests = list((getattr(outcome, "details", None) or {}).get("manifest_numbers") or [])
    if main is None or not manifests:
        return
    app.run_worker(_open_manifest(main, manifests[0]), group="open-manifest", exit_on_error=False)


async def _open_manifest(main: Any, manifest: str) -> None:
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
