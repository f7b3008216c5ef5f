"""The way back from "marked for deletion" (the two-step delete, issue 13).

OpenTHC has no route that takes a mark back: the OpenAPI has no restore for inventory or plants,
and the reference server's DELETE only moves ``stat`` forward (200 -> 410 -> 423, openthc/cre
``Controller/Inventory/Delete``); no other route changes ``stat``. So the way back is growtui's
own: the second DELETE is never sent. ``K`` on marked rows keeps them: growtui records that
choice locally (per account and license, as a draft file), the detail says so, and ``Z`` leaves
kept rows out. ``K`` again drops the keep. In OpenTHC they stay marked for deletion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from growtui.data.drafts import DraftKey, DraftStore
from growtui.domain.deletion import MARKED, ConfirmDeletion, is_marked
from growtui.domain.writes import spec_of

if TYPE_CHECKING:
    from growtui.ui.screens.main import MainScreen

KIND = "kept-deletions"
KEPT = f"{MARKED} — kept: growtui will not delete it (OpenTHC has no undo for the mark; K lets Z delete it)"


def _key(main: MainScreen) -> DraftKey | None:
    account = main.app.account
    return None if account is None else DraftKey(account, main.license_number, KIND)


def kept_ids(main: MainScreen) -> set[str]:
    key = _key(main)
    draft = DraftStore().load(key) if key is not None else None
    ids = draft.data.get("ids") if draft is not None else None
    return {str(i) for i in ids} if isinstance(ids, list) else set()


def available(main: MainScreen) -> bool:
    """On a list that can hold rows marked for deletion, with a backend that marks them."""
    confirm = spec_of(ConfirmDeletion.__name__)
    return (confirm is not None and confirm.capability in main.app.backend.capabilities
            and main.collection is not None and main.collection.state == "inactive"
            and (confirm.lists is None or main.collection.family in confirm.lists))


def toggle(main: MainScreen) -> None:
    """Keep the selected marked rows (or, when all of them are kept already, drop the keep)."""
    from growtui.ui.write_commands import selection

    key = _key(main)
    rows = [r for r in selection(main) if is_marked(r)]
    if key is None or not rows:
        main.notify("Choose rows marked for deletion (they wait here, on Inactive).", severity="warning")
        return
    ids, chosen = kept_ids(main), {str(r.id) for r in rows}
    if chosen <= ids:
        ids -= chosen
        note = f"{len(chosen)} no longer kept: Z can delete them for good."
    else:
        ids |= chosen
        note = (f"{len(chosen)} kept: growtui will not delete them. They stay marked for deletion in "
                "OpenTHC, which has no undo for the mark.")
    DraftStore().save(key, {"ids": sorted(ids)}, now=main.app.clock())
    main.status.set_note(note)
    main.notify(note, markup=False)
    main.refresh_detail()


def shown(main: MainScreen, row_id: Any, raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The row as the detail shows it: a kept row says so where its state is."""
    if raw is None or row_id is None or not available(main) or str(row_id) not in kept_ids(main):
        return raw
    return {**raw, "_state": KEPT}


def leave_out(main: MainScreen, kind: str, rows: list[Any]) -> list[Any]:
    """Confirming a deletion never takes a kept row."""
    if kind != ConfirmDeletion.__name__:
        return rows
    ids = kept_ids(main)
    left = [r for r in rows if str(r.id) not in ids]
    if len(left) < len(rows):
        main.notify(f"{len(rows) - len(left)} selected row(s) are kept (K); left out.", severity="warning")
    return left
