"""The main screen of one license: sections and states, filter, scan, the list, detail and status.

Lists open from the cache at once (``store.open_list``) and refresh in a background worker whose
progress shows in the status bar. Sub-lists of the detail pane load lazily per object.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Static

from growtui.backends.base import Capability, LicenseLists, ReauthRequired, license_families
from growtui.data.index import ListIndex
from growtui.data.types import WriteOutcome
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import License
from growtui.text import clean_text
from growtui.ui.common import ContainsErrors, describe_error, license_name, license_number, quiet_input
from growtui.ui.messages import ListRefreshed, ListRefreshProgress, SubFailed, SubLoaded, WorkFailed
from growtui.ui.widgets.detail import DetailPane
from growtui.ui.widgets.keybar import KeyBar
from growtui.ui.row_source import IndexRowSource
from growtui.ui.sections import (
    SECTIONS,
    SUB_LISTS,
    Section,
    SubList,
    available_sections,
    collection_title,
    state_title,
)
from growtui.ui.widgets.record_list import RecordList
from growtui.ui.widgets.scan_input import ScanInput
from growtui.ui.widgets.status_bar import StatusBar
from growtui.ui.workers import Failed, background, run_background, upstream
from growtui.ui.write_commands import claimed_keys, write_bindings

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

STALE_AFTER_SECONDS = 120.0  # a list older than this refreshes when opened
# How long a license waits for upstream to say which lists it has before it opens with them all.
LISTS_WAIT_SECONDS = 5.0
FIRST_ROWS = 200  # rows read before a list's first frame (a tall terminal's screen); the rest in a worker
# The capability a sub-list needs from the backend (histories; lab results; Trace's strain states).
_SUB_NEEDS: dict[SubCollection, Capability] = {
    **{s: Capability.HISTORY for s in SubCollection if s.value.endswith("/history")},
    SubCollection.PACKAGE_LAB_RESULTS: Capability.LAB_RESULTS,
    SubCollection.STRAIN_HISTORY: Capability.STRAIN_HISTORY,
}


class MainScreen(ContainsErrors, Screen[None]):
    app: "GrowApp"

    BINDINGS = [
        # Most used first. The KeyBar wraps them all at 80 columns; "?" explains every key.
        Binding("f1", "app.keys", "Keys"),
        Binding("question_mark", "deep_search", "Search all", key_display="?"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("f2", "scan", "Scan"),
        Binding("1", "section('1')", "Lists", key_display="1-7"),
        *(Binding(k, f"section('{k}')", show=False) for k in "234567"),
        Binding("left_square_bracket", "state(-1)", "State", show=False, key_display="["),
        Binding("right_square_bracket", "state(1)", "State", key_display="[ ]"),
        Binding("d", "toggle_detail", "Detail"),
        Binding("f5", "refresh", "Refresh"),
        Binding("e", "export", "Export"),
        Binding("E", "export_json", "Export JSON", key_display="E", show=False),
        Binding("L", "labels", "Labels", key_display="L", show=False),
        Binding("D", "document", "Document", key_display="D", show=False),
        Binding("J", "inspect", "JSON", key_display="J", show=False),
        Binding("c", "columns", "Columns"),
        Binding("l", "app.switch_license", "License"),
        Binding("f3,o", "open_found", "Open found", key_display="F3"),  # F3 works from the scan field
        Binding("escape", "back_to_list", "List", show=False),
        Binding("down", "focus_list", show=False),  # from the filter/scan fields down into the list
        # writes: one binding per command of the write registry (domain/writes.py), offered per
        # list and backend capability
        *write_bindings(),
        Binding("K", "keep_marked", "Keep", key_display="K", show=False),  # the way back (ui/kept_deletions.py)
        Binding("w", "outbox", "Outbox"),
    ]
    AUTO_FOCUS = "#list"

    def __init__(self, license: License) -> None:
        super().__init__(classes="main-screen")  # no id: the next license's screen replaces this one
        self.license = license
        self.license_number = license_number(license)
        self.sections: tuple[Section, ...] = ()
        self.collection: Collection | None = None
        self.source: IndexRowSource | None = None
        self.refreshing: dict[Collection, bool] = {}  # collection -> is it a full (first) load
        # Lists opened from the cache, kept for scans that search every list; dropped on refresh.
        self._indexes: dict[Collection, ListIndex] = {}
        self._fresh: dict[Collection, ListIndex] = {}  # read by a finished refresh, shown on ListRefreshed
        self.found: tuple[Collection, Any] | None = None
        self._detail_timer: Timer | None = None
        self._sub_cache: dict[tuple[SubCollection, Any], list[Any]] = {}
        self._marks_by_list: dict[Collection, frozenset[Any]] = {}
        self.last_export: Any = None
        self.taken: Any = None  # write_commands.Taken: the rows the last write opened took

    # -- layout -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="sections")
        yield Static(id="states")
        with Horizontal(id="bars"):
            yield Label("Filter", classes="bar-label")
            yield quiet_input(id="filter", placeholder="/ words, loc:vault, qty>100")
            yield Label("Scan", classes="bar-label")
            yield ScanInput(id="scan", placeholder="F2, then scan a tag", tags_only=False)
        with Horizontal(id="body"):
            yield RecordList(id="list")
            yield DetailPane(id="detail")
        yield StatusBar(id="status", clock=self.app.clock)
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.main_screen = self  # how other screens reach it (never by searching the stack)
        self.sections = available_sections(tuple(self.app.backend.collections))
        self.app.sub_title = ("TRAINING · " if self.app.training else "") + self.license_number
        self.status.set_license(f"{license_name(self.license)} · {self.license_number}")
        self.record_list.claimed = lambda: claimed_keys(self)
        if isinstance(self.app.backend, LicenseLists):
            remembered = self._remembered_lists()
            if remembered is not None:  # as upstream said last time: open at once, check behind
                self.lists_known(remembered)
            else:
                self._render_bars()
                self.status.set_note("Opening the license…")
            self._learn_lists()  # opens the first list it has (a distributor's is Packages)
        elif self.sections:
            self.show_collection(self.sections[0].collections[0])
        self.warn_unresolved_writes()

    @background(exclusive=True, group="license-lists")
    async def _learn_lists(self) -> None:
        """Hide the lists this license cannot have. A failure or a slow answer keeps what was
        known (else shows them all): the floor is never held up by it, nothing alarming is said."""
        await self.app.session_verified()
        try:
            families = await asyncio.wait_for(
                license_families(self.app.backend, self.license_number), LISTS_WAIT_SECONDS
            )
        except Exception as exc:  # noqa: BLE001 - every list stays offered
            self.log.warning("which lists this license has is unknown", exc)
            if self.collection is None:
                self.lists_known(None)
            return
        account = self.app.account
        if account is not None:
            self.app.ui_state.set_license_lists(
                account, self.license_number, None if families is None else [f.value for f in families]
            )
        self.lists_known(families)

    def _remembered_lists(self) -> frozenset[Family] | None:
        account = self.app.account
        names = self.app.ui_state.license_lists(account, self.license_number) if account is not None else None
        if names is None:
            return None
        known = {f.value for f in Family}
        return frozenset(Family(n) for n in names if n in known)

    def lists_known(self, families: frozenset[Any] | None) -> None:
        """Offer only the lists of ``families`` (None: all), and open the first when none is
        open or the open one is not among them."""
        offered = available_sections(tuple(self.app.backend.collections), families)
        if offered:
            self.sections = offered
        shown = any(self.collection in s.collections for s in self.sections)
        if shown:
            self._render_bars()
            self.refresh_bindings()
        elif self.sections:
            self.collection = None
            self.show_collection(self.sections[0].collections[0])

    def on_unmount(self) -> None:
        if self.app.main_screen is self:
            self.app.main_screen = None

    def warn_unresolved_writes(self) -> None:
        """Writes of this license whose fate is unknown (a crash mid-send, a 504) must not be forgotten:
        say so when the license opens, and where to settle them."""
        waiting = [e for e in self.app.store.journal.unresolved() if e.license == self.license_number]
        if waiting:
            self.notify(
                f"{len(waiting)} earlier write(s) not confirmed upstream. Press w to check them in the Outbox.",
                title="Unresolved writes", severity="warning", timeout=20,
            )

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def record_list(self) -> RecordList:
        return self.query_one("#list", RecordList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def detail_visible(self) -> bool:
        return self.has_class("show-detail")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "export_json"):
            return not self.app.kiosk_mode
        if action == "open_found":
            return self.found is not None
        if action in ("labels", "document"):
            from growtui.ui import paper

            offered = paper.labels_available(self) if action == "labels" else paper.document_available(self)
            return bool(offered) or None  # None: shown dimmed, so the key is still learnt
        if action == "write":
            from growtui.ui.write_commands import available

            return available(self, str(parameters[0]))
        if action == "keep_marked":
            from growtui.ui import kept_deletions

            return kept_deletions.available(self)
        return True

    # -- writes (H8) ----------------------------------------------------------------------------------

    def action_write(self, write: str) -> None:
        from growtui.ui.write_commands import open_write

        open_write(self, write)

    def action_keep_marked(self) -> None:
        from growtui.ui import kept_deletions

        kept_deletions.toggle(self)

    def refresh_detail(self) -> None:
        if self.detail_visible:
            self._update_detail()

    def action_labels(self) -> None:
        from growtui.ui.paper import open_labels

        open_labels(self)

    def action_document(self) -> None:
        from growtui.ui.paper import save_documents

        save_documents(self)

    def action_outbox(self) -> None:
        from growtui.ui.screens.outbox import OutboxScreen

        self.app.push_screen(OutboxScreen(self.license_number))

    def reload_after_write(self, outcome: WriteOutcome | None, kind: str = "") -> None:
        """A write went through (the store refreshed the lists it touched): show the fresh rows
        and put the cursor on what changed when it is in this list, else name where it is."""
        from growtui.ui.write_commands import highlight_keys, taken_for

        if self.collection is None:
            return
        self._indexes.clear()  # the write may have moved rows between any lists
        self._open_from_cache(self.collection, keep_marks=False)
        taken = taken_for(self, kind) if kind else None
        keys = highlight_keys(outcome) or list(taken.keys if taken is not None else ())
        moved = any(self.record_list.move_to_id(key) for key in keys)
        changed = "; ".join(getattr(outcome, "changed", ()) or ())
        where = "" if moved or not keys else self._where_now(keys, kind)
        self.status.set_note(f"{changed}{where}" if changed else "Done.")

    def _where_now(self, keys: list[Any], kind: str) -> str:
        """Where the rows a write touched are now, when not in view: " (hidden by the filter)",
        " (now in Packages › Inactive)"; "" when the cache holds them in no list it can name."""
        from growtui.domain.writes import spec_of

        if self.source is not None and any(self.source.index.position(k) is not None for k in keys):
            return " (hidden by the filter)"
        spec = spec_of(kind)
        for family in spec.affects if spec is not None else ():
            for key in keys:
                try:  # one indexed row read; the lists' indexes are left as they are
                    where = self.app.store.cache.locate(self.license_number, family, key)
                    if where:
                        return f" (now in {collection_title(Collection.parse(where))})"
                except Exception:  # noqa: BLE001 - only the hint is lost
                    continue
        return ""

    def _render_bars(self) -> None:
        current = self.collection
        line = Text(no_wrap=True, overflow="ellipsis")
        for section in self.sections:
            active = current in section.collections
            line.append(f" {section.key} {section.title} ", style="reverse bold" if active else "")
        self.query_one("#sections", Static).update(line)
        states = Text(no_wrap=True, overflow="ellipsis")
        section = self._section()
        if section is not None and len(section.collections) > 1:
            for coll in section.collections:
                states.append(f" {state_title(coll)} ", style="reverse bold" if coll == current else "")
            states.append("   [ ] to switch", style="dim")
        elif section is not None:
            states.append(f" {section.title}", style="bold")
        self.query_one("#states", Static).update(states)

    def _section(self) -> Section | None:
        return next((s for s in self.sections if self.collection in s.collections), None)

    # -- navigation ---------------------------------------------------------------------------------

    def action_section(self, key: str) -> None:
        section = next((s for s in self.sections if s.key == key), None)
        if section is not None:
            self.show_collection(section.collections[0])
            return
        missing = next((s for s in SECTIONS if s.key == key), None)
        if missing is not None:  # hidden for this license (a distributor's Plants): say why
            self.status.set_note(f"This license has no {missing.title} list.")

    def action_state(self, delta: int) -> None:
        section = self._section()
        if section is None or self.collection is None:
            return
        colls = section.collections
        self.show_collection(colls[(colls.index(self.collection) + delta) % len(colls)])

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_scan(self) -> None:
        self.query_one("#scan", ScanInput).focus()

    def action_focus_list(self) -> None:
        self.record_list.focus()

    def action_back_to_list(self) -> None:
        if self.focused is self.record_list and self.detail_visible:
            self.remove_class("show-detail")
        self.record_list.focus()

    def show_collection(self, coll: Collection) -> None:
        """Open a list from the cache now; refresh it in the background when stale or never loaded."""
        if coll == self.collection:
            return
        if self.collection is not None:  # marks stay with their list while another one is shown
            self._marks_by_list[self.collection] = self.record_list.marks
        self.collection = coll
        self.found = None
        self._render_bars()
        with self.prevent(Input.Changed):
            self.query_one("#filter", Input).value = ""
        self.record_list.apply_filter("")
        self._open_from_cache(coll, keep_sort=False)  # a sort column of another list means nothing here
        kept = self._marks_by_list.pop(coll, frozenset())
        if kept and self.source is not None:
            self.record_list.set_marks(k for k in kept if self.source.index.position(k) is not None)
        age = self.app.store.cache_age(self.license_number, coll)
        if age is None or age > STALE_AFTER_SECONDS:
            self.refresh_list(coll, full=age is None)
        self._show_loading()
        self.refresh_bindings()

    def _index(self, coll: Collection) -> ListIndex:
        """The cached rows of a list as a ListIndex, opened once until the list is refreshed. A big
        list opens with its first rows; a worker reads the rest (see ListIndex.opening)."""
        index = self._indexes.get(coll)
        if index is None:
            index = self._indexes[coll] = self.app.store.open_list(self.license_number, coll, first=FIRST_ROWS)
            if not index.complete:  # after the first frame: the reading thread would share the GIL with it
                self.call_after_refresh(
                    lambda: run_background(self, self._fill(index), group=f"fill:{coll.key}", description=f"read {coll.key}")
                )
        return index

    async def _fill(self, index: ListIndex) -> None:
        """Read the rest of a list off the event loop, then redraw it: the same rows in the same
        places (and widths), now with every row behind the filter, sort and scans."""
        await asyncio.to_thread(index.fill)
        if self.source is not None and self.source.index is index:
            self.record_list.data_changed()

    def _open_from_cache(self, coll: Collection, *, keep_marks: bool = False, keep_sort: bool = True) -> None:
        """Show a list from the cache. Opened indexes are reused until a refresh or a write drops
        them (on_list_refreshed, reload_after_write), so switching back to a 50k list is instant."""
        try:
            index = self._index(coll)
        except Exception as exc:
            self.show_error(f"Could not open {collection_title(coll)}: {describe_error(exc)}")
            return
        self.source = IndexRowSource(index, self.app.ui_state.columns(coll.key))
        self.record_list.set_source(self.source, keep_marks=keep_marks, keep_sort=keep_sort)
        self._show_age(coll)

    def _show_age(self, coll: Collection) -> None:
        age = self.app.store.cache_age(self.license_number, coll)
        self.status.set_cached_at(None if age is None else self.app.clock() - age)

    @on(RecordList.ViewChanged, "#list")
    def _view_changed(self, event: RecordList.ViewChanged) -> None:
        if not self.refreshing.get(self.collection):  # a first load shows its own progress
            self.status.set_progress(event.shown, event.total)
        self._show_marked()

    @on(RecordList.Sorted, "#list")
    def _sorted(self, event: RecordList.Sorted) -> None:
        """A sort by a column scrolled out of view is named, or the order on screen is a riddle."""
        if event.off_screen:
            arrow = "→" if event.off_screen == "right" else "←"
            self.status.set_note(f"Sorted by {event.header} {'▼' if event.descending else '▲'} (off screen {arrow})")

    @on(RecordList.MarksChanged, "#list")
    def _show_marked(self) -> None:
        """Marks always show, with those the filter hides: a write takes them too."""
        lst = self.record_list
        count = len(lst.marks)
        self.status.set_marked(count, count - len(lst.marked_in_view()) if count else 0)

    def _show_loading(self) -> None:
        """The note says whether the list on screen is being loaded (other lists load silently)."""
        full = self.refreshing.get(self.collection)
        verb = None if full is None else ("Loading" if full else "Refreshing")
        self.status.set_note(f"{verb} {collection_title(self.collection)}…" if verb and self.collection else "")

    # -- background refresh --------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.collection is not None:
            self.refresh_list(self.collection, full=False)

    def refresh_list(self, coll: Collection, *, full: bool = False) -> None:
        self.refreshing[coll] = full
        self._show_loading()
        run_background(
            self, self._refresh(coll, full), group=f"refresh:{coll.key}", exclusive=True,
            description=f"refresh {coll.key}",
        )

    async def _refresh(self, coll: Collection, full: bool) -> None:
        def progress(p: Any) -> None:
            self.post_message(ListRefreshProgress(coll, p.rows_done, p.rows_total))

        await self.app.session_verified()  # a warm start's saved token is checked first

        result = await upstream(
            self.app, self.app.store.refresh(self.license_number, coll, full=full, progress=progress),
            what=f"Refreshing {collection_title(coll)}", retry=lambda: self.refresh_list(coll, full=full),
        )
        if isinstance(result, Failed):
            self.refreshing.pop(coll, None)
            self._show_loading()
            return
        try:  # every row read here, in a thread: showing the list then never waits on the cache
            self._fresh[coll] = await asyncio.to_thread(self.app.store.read_list, self.license_number, coll)
        except Exception:  # opened from the cache when shown instead, which reports the problem
            self._fresh.pop(coll, None)
        self.post_message(ListRefreshed(coll, result))

    def on_list_refresh_progress(self, message: ListRefreshProgress) -> None:
        if message.collection == self.collection and self.refreshing.get(message.collection):
            self.status.set_progress(message.loaded, message.total)  # "12,431 of 50,000"

    def on_list_refreshed(self, message: ListRefreshed) -> None:
        self.refreshing.pop(message.collection, None)
        # A refresh can move rows between sibling lists: reopen them all from the cache.
        for sibling in message.collection.siblings:
            self._indexes.pop(sibling, None)
        if (fresh := self._fresh.pop(message.collection, None)) is not None:
            self._indexes[message.collection] = fresh
        run_background(self, self.app.store.index_for_search(), group="search-index", exclusive=True)
        if message.collection != self.collection:
            return
        self._show_loading()
        self.status.clear_error()
        self._open_from_cache(message.collection, keep_marks=True)

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        if isinstance(message.error, ReauthRequired):
            self.app.request_reauth()
            return
        self.show_error(f"{message.what}: {describe_error(message.error)}")

    def show_error(self, text: str) -> None:
        self.status.set_error(text)

    # -- filter --------------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.record_list.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.record_list.apply_filter(event.value)
        self.record_list.focus()

    # -- scanning / jump to tag ----------------------------------------------------------------------

    @on(ScanInput.Scanned, "#scan")
    def _scanned(self, event: ScanInput.Scanned) -> None:
        self.find_tag(event.tag, jump=False)

    def find_tag(self, tag: str, *, jump: bool = True) -> None:
        """Move the cursor to the tag in this list, or find which other cached list holds it."""
        tag = tag.strip().upper()
        if not tag or self.source is None:
            return
        if self._move_to_tag(tag):
            return
        self._find_elsewhere(tag, jump)

    def _move_to_tag(self, tag: str) -> bool:
        assert self.source is not None
        position = self.source.index.find_label(tag)
        if position is None:
            return False
        self._show_row(self.source.index.key(position))
        self.status.clear_error()
        self.status.set_note(f"{tag}: found")
        return True

    def _show_row(self, key: Any) -> None:
        """Cursor on the row; a filter hiding it is cleared first."""
        lst = self.record_list
        if not lst.move_to_id(key):
            with self.prevent(Input.Changed):
                self.query_one("#filter", Input).value = ""
            lst.apply_filter("")
            lst.move_to_id(key)

    def action_inspect(self) -> None:
        from growtui.ui.modals.inspector import InspectorModal

        row_id = self.record_list.cursor_id
        raw = self.source.index.raw(row_id) if self.source is not None and row_id is not None else None
        if raw is None or self.collection is None:
            self.notify("Put the cursor on a row first.", severity="warning")
            return
        position = self.source.index.position(row_id)
        label = self.source.index.label(position) if position is not None else str(row_id)
        title = f"Upstream JSON of {clean_text(label)} ({collection_title(self.collection)})"
        self.app.push_screen(InspectorModal(title, raw))

    def action_deep_search(self) -> None:
        from growtui.ui.modals.deep_search import DeepSearchModal

        def chosen(hit: Any) -> None:
            if hit is not None:
                self.found = (Collection.parse(hit.collection), hit.key)
                self.action_open_found()

        self.app.push_screen(DeepSearchModal(self.license_number), chosen)

    @background(exclusive=True, group="find-tag")
    async def _find_elsewhere(self, tag: str, jump: bool) -> None:
        for section in self.sections:
            for coll in section.collections:
                if coll == self.collection:
                    continue
                try:
                    index = self._index(coll)
                except Exception:
                    continue
                position = index.find_label(tag)
                await asyncio.sleep(0)  # keep keys flowing while lists are opened from the cache
                if position is not None:
                    self.found = (coll, index.key(position))
                    self.refresh_bindings()
                    if jump:
                        self.action_open_found()
                    else:
                        self.status.set_note(f"{tag}: in {collection_title(coll)} (F3 opens it)")
                    return
        self.found = None
        self.refresh_bindings()
        self.status.set_note(f"{tag}: not found in the cached lists")
        self.app.bell()

    def action_open_found(self) -> None:
        if self.found is None:
            return
        coll, key = self.found
        self.show_collection(coll)
        self._show_row(key)
        self.found = None
        self.refresh_bindings()
        self.record_list.focus()

    # -- detail pane ---------------------------------------------------------------------------------

    def action_toggle_detail(self) -> None:
        self.toggle_class("show-detail")
        if self.detail_visible:
            self._update_detail()

    @on(RecordList.RowActivated, "#list")
    def _row_activated(self) -> None:
        if not self.detail_visible:
            self.add_class("show-detail")
        self._update_detail()

    @on(RecordList.CursorMoved, "#list")
    def _cursor_moved(self) -> None:
        if not self.detail_visible:
            return
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(0.15, self._update_detail)

    def _sub_lists(self) -> tuple[SubList, ...]:
        assert self.collection is not None
        caps = self.app.backend.capabilities
        subs = SUB_LISTS.get(self.collection.family, ())
        return tuple(s for s in subs if s.sub not in _SUB_NEEDS or _SUB_NEEDS[s.sub] in caps)

    def _update_detail(self) -> None:
        if self.source is None:
            return
        row_id = self.record_list.cursor_id
        raw = self.source.index.raw(row_id) if row_id is not None else None
        # A row without a sub-list's parent field has no such list upstream (OpenTHC's transfers
        # carry their items, not T3's deliveries): it is left out, not shown as failing.
        subs = tuple(s for s in self._sub_lists() if raw.get(s.parent_field) is not None) if raw is not None else ()
        from growtui.ui.kept_deletions import shown

        self.detail.show(row_id, shown(self, row_id, raw), subs)
        if raw is not None and subs:
            self._load_subs(row_id, raw, subs)

    @background(exclusive=True, group="detail-subs")
    async def _load_subs(self, row_id: Any, raw: dict[str, Any], subs: tuple[SubList, ...]) -> None:
        for sub in subs:
            parent = raw.get(sub.parent_field)
            if parent is None:
                self.post_message(SubFailed(row_id, sub.sub, f"no {sub.parent_field}"))
                continue
            cached = self._sub_cache.get((sub.sub, parent))
            if cached is None:
                failures: list[Exception] = []
                rows = await upstream(
                    self.app, self.app.store.sub_collection(self.license_number, sub.sub, parent),
                    retry=self._update_detail, failed=failures.append,
                )
                if isinstance(rows, Failed):
                    if not failures:  # signing in again: the retry reloads the detail
                        return
                    self.post_message(SubFailed(row_id, sub.sub, describe_error(failures[0])))
                    continue
                cached = self._sub_cache[(sub.sub, parent)] = list(rows)
            self.post_message(SubLoaded(row_id, sub.sub, cached))

    def on_sub_loaded(self, message: SubLoaded) -> None:
        if message.parent_id == self.detail.row_id:
            self.detail.set_sub(message.sub, message.rows)

    def on_sub_failed(self, message: SubFailed) -> None:
        if message.parent_id == self.detail.row_id:
            self.detail.set_sub(message.sub, None, message.error)

    # -- columns and export --------------------------------------------------------------------------

    def action_columns(self) -> None:
        if self.source is None or self.collection is None:
            return
        from growtui.ui.modals.columns import ColumnsModal

        columns = [(c.name, c.header) for c in self.source.index.columns]
        coll = self.collection
        self.app.push_screen(
            ColumnsModal(columns, self.source.visible_names), lambda chosen: self._columns_chosen(coll, chosen)
        )

    def _columns_chosen(self, coll: Collection, chosen: list[str] | None) -> None:
        if chosen is None:
            return
        self.app.ui_state.set_columns(coll.key, chosen)
        if coll == self.collection:
            self._open_from_cache(coll, keep_marks=True)

    def action_export(self) -> None:
        from growtui.ui.export import export_path

        if self.app.kiosk_mode or self.source is None or self.collection is None:
            return
        path = export_path(self.license_number, self.collection.key, self.app.clock())
        self._export(path, list(self.source.columns), self.source.view_rows())

    def action_export_json(self) -> None:
        from growtui.ui.export import export_path

        if self.app.kiosk_mode or self.source is None or self.collection is None:
            return
        path = export_path(self.license_number, self.collection.key, self.app.clock(), suffix=".json")
        index = self.source.index
        raws = (raw for key in self.source.view_keys() if (raw := index.raw(key)) is not None)
        self._export(path, None, raws)

    @background(thread=True, exclusive=True, group="export")
    def _export(self, path: Any, headers: list[str] | None, rows: Any) -> None:
        """CSV of ``rows`` (cells) under ``headers``; or, without headers, JSON of ``rows`` (raw objects)."""
        from growtui.ui.export import write_csv, write_json

        try:
            count = write_csv(path, headers, rows) if headers is not None else write_json(path, rows)
        except OSError as exc:
            self.post_message(WorkFailed("Export", exc))
            return
        self.app.call_from_thread(self.status.set_note, f"Exported {count:,} rows to {path}")
        self.last_export = path
