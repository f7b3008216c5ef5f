"""Outbox: the write journal (time, user, license, summary, outcome), newest first.

Writes still pending (the app died while sending) or in doubt (timeout, 504, connection lost) are
settled here with `r`: upstream is re-read to see whether the change is there. Nothing is ever
resent from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from growtui.data.journal import UNRESOLVED, JournalEntry
from growtui.data.types import WriteStatus
from growtui.ui.common import describe_error
from growtui.ui.write_flow import reload_lists_after
from growtui.ui.workers import Failed, background, upstream

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

STATUS_TEXT = {
    WriteStatus.PENDING: "PENDING?",
    WriteStatus.SENT: "sent",
    WriteStatus.REJECTED: "rejected",
    WriteStatus.IN_DOUBT: "IN DOUBT",
    WriteStatus.APPLIED: "applied",
    WriteStatus.NOT_APPLIED: "not applied",
}
STATUS_STYLE = {
    WriteStatus.PENDING: "bold yellow",
    WriteStatus.IN_DOUBT: "bold yellow",
    WriteStatus.REJECTED: "red",
    WriteStatus.NOT_APPLIED: "red",
    WriteStatus.SENT: "green",
    WriteStatus.APPLIED: "green",
}


class OutboxScreen(Screen[None]):
    app: "GrowApp"

    BINDINGS = [
        Binding("r", "reconcile", "Check upstream"),
        Binding("f5", "reload", "Reload"),
        Binding("escape,q", "close", "Back"),
    ]
    AUTO_FOCUS = "#journal"

    def __init__(self, license_number: str | None = None) -> None:
        super().__init__(id="outbox")
        self.license_number = license_number
        self.entries: list[JournalEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Outbox: writes sent from this account"), id="outbox-title")
        table: DataTable[Any] = DataTable(id="journal", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static(id="outbox-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#journal", DataTable)
        table.add_columns("When", "User", "License", "Outcome", "What")
        self.action_reload()

    def action_reload(self) -> None:
        try:
            self.entries = self.app.store.journal.entries(limit=500)
        except Exception as exc:  # noqa: BLE001 - e.g. not signed in
            self.query_one("#outbox-detail", Static).update(Text(describe_error(exc)))
            return
        table = self.query_one("#journal", DataTable)
        row = table.cursor_row
        table.clear()
        for entry in self.entries:
            when = datetime.fromtimestamp(entry.created).strftime("%m-%d %H:%M")
            status = Text(STATUS_TEXT[entry.status], style=STATUS_STYLE[entry.status])
            table.add_row(when, Text(entry.username), Text(entry.license), status, Text(entry.summary),
                          key=str(entry.id))
        if self.entries:
            table.move_cursor(row=min(max(row, 0), len(self.entries) - 1))
        self._show_detail()

    def selected(self) -> JournalEntry | None:
        table = self.query_one("#journal", DataTable)
        if not self.entries or table.cursor_row < 0 or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        entry = self.selected()
        detail = self.query_one("#outbox-detail", Static)
        if entry is None:
            detail.update(Text("No writes yet."))
            return
        lines = [f"#{entry.id} {STATUS_TEXT[entry.status]}: {entry.message}"]
        lines.extend(entry.changed)
        if entry.status in UNRESOLVED:
            lines.append("Press r to check upstream whether it was applied (it is never resent).")
        detail.update(Text("\n".join(lines)))

    def action_reconcile(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.status not in UNRESOLVED:
            self.notify("This write is settled; nothing to check.", markup=False)
            return
        self.query_one("#outbox-detail", Static).update(Text(f"Checking #{entry.id} upstream…"))
        self.reconcile(entry.id)

    @background(group="reconcile", exclusive=True)
    async def reconcile(self, entry_id: int) -> None:
        def failed(exc: Exception) -> None:  # stays in doubt; shown in place
            self.query_one("#outbox-detail", Static).update(Text(f"Could not check: {describe_error(exc)}"))

        outcome = await upstream(
            self.app, self.app.store.reconcile(entry_id), retry=lambda: self.reconcile(entry_id), failed=failed
        )
        if isinstance(outcome, Failed):
            return
        if outcome.ok:
            entry = self.app.store.journal.get(entry_id)
            await reload_lists_after(self.app, entry.license, entry.kind)
            main = self.app.main_screen
            if main is not None and main.license_number == entry.license:
                main.reload_after_write(outcome)
        self.notify(f"#{entry_id}: {STATUS_TEXT[outcome.status]}. {outcome.message}", markup=False)
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)
