"""DeepSearchModal (`?`): find any cached row of the license by any value, nested ones included.

Type words (every one must match, any case); hits are listed by list, each with its tag or name and
the text around the match, the words searched marked. Down moves into the hits, Enter opens the highlighted hit (from the
field: the first) in its list, Esc closes. The search runs in a worker (data/search.py), never on
the event loop; a newer query supersedes an older one.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from growtui.data.search import Hit
from growtui.domain.collections import Collection
from growtui.text import clean_text
from growtui.ui.common import quiet_input
from growtui.ui.sections import collection_title
from growtui.ui.workers import Failed, background, upstream

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

DEBOUNCE_S = 0.15  # one search per pause in typing, not one per key


class DeepSearchModal(ModalScreen["Hit | None"]):
    app: "GrowApp"
    DEFAULT_CSS = """
    DeepSearchModal { align: center middle; }
    DeepSearchModal > #dialog { width: 90%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    DeepSearchModal #title { text-style: bold; }
    DeepSearchModal #summary { color: $text-muted; }
    DeepSearchModal #hits { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "into_hits", show=False),
    ]

    def __init__(self, license_number: str) -> None:
        super().__init__()
        self.license_number = license_number
        self.hits: list[Hit] = []
        self._timer: Timer | None = None
        self.searched = ""  # the query the shown hits answer
        self._open_first = False  # Enter came before the hits: open the first once they come

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"Search every cached list of {self.license_number}"), id="title")
            yield quiet_input(id="query", placeholder="words to find: a tag, a strain, a room, a note…")
            yield Static(Text("Every word must match, in any field."), id="summary")
            yield OptionList(id="hits")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self._search(event.value))

    @background(exclusive=True, group="deep-search")
    async def _search(self, text: str) -> None:
        summary = self.query_one("#summary", Static)
        if not text.strip():
            self._show([], False, text)
            return

        def indexing(count: int) -> None:
            self.app.call_from_thread(summary.update, Text(f"Indexing new rows for search: {count:,}…"))

        found = await upstream(self.app, self.app.store.deep_search(self.license_number, text, indexing), what="Search")
        if not isinstance(found, Failed):
            self._show(*found, text)

    def _show(self, hits: list[Hit], more: bool, text: str) -> None:
        self.hits, self.searched = hits, text
        if self._open_first and text == self.query_one("#query", Input).value:
            self._open_first = False
            if hits:
                self.dismiss(hits[0])
                return
        options: list[Option] = []
        terms = text.casefold().split()
        for coll, group in groupby(enumerate(hits), key=lambda pair: pair[1].collection):
            members = list(group)
            title = collection_title(Collection.parse(coll)) if _known(coll) else coll
            options.append(Option(Text(f"{title} ({len(members)})", style="bold"), disabled=True))
            options.extend(Option(_hit_line(hit, terms), id=str(n)) for n, hit in members)
        hits_list = self.query_one("#hits", OptionList)
        hits_list.clear_options()
        hits_list.add_options(options)
        count = f"{len(hits):,}{'+' if more else ''} row{'s' if len(hits) != 1 else ''}" if text.strip() else ""
        where = f" in {len({h.collection for h in hits})} list(s)" if hits else ""
        self.query_one("#summary", Static).update(Text(f"{count}{where}" if count else "Every word must match, in any field."))

    def action_into_hits(self) -> None:
        hits_list = self.query_one("#hits", OptionList)
        if self.hits and not hits_list.has_focus:
            hits_list.focus()
            hits_list.highlighted = 1  # the first hit, under its list's heading

    @on(Input.Submitted, "#query")
    def _first(self, event: Input.Submitted) -> None:
        """Enter (a scanner's CR too) opens the first hit of what the field holds now."""
        if event.value == self.searched:
            if self.hits:
                self.dismiss(self.hits[0])
            return
        self._open_first = True
        if self._timer is not None:
            self._timer.stop()
        self._search(event.value)

    @on(OptionList.OptionSelected, "#hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.hits[int(event.option.id)])

    def action_close(self) -> None:
        self.dismiss(None)


def _hit_line(hit: Hit, terms: list[str]) -> Text:
    """The row's tag or name, then the text around the match with every word searched marked."""
    line = Text(f"  {clean_text(hit.label):<26} ", no_wrap=True)
    context = Text(clean_text(hit.context))
    context.highlight_words(terms, style="reverse", case_sensitive=False)
    return line.append_text(context)


def _known(key: str) -> bool:
    try:
        Collection.parse(key)
    except KeyError:
        return False
    return True
