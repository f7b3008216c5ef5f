"""The one flow every write goes through.

build action → client validate → ConfirmModal (summary, exact JSON) with the backend's dry run
running in a worker → y/F10 → submit in a worker (journaled by the store) → outcome:
- sent: the affected lists refresh and what changed is highlighted on the main screen;
- rejected: the upstream message is shown and the form stays open with everything typed;
- in doubt (timeout / 504 / connection lost): recorded so in the journal and left for the
  Outbox to reconcile by re-reading upstream. Never resent on its own.

Workers run on the App, not on the form, so a write in flight survives the form closing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from growtui.backends.base import BackendError, Capability
from growtui.data.types import WriteOutcome, WriteStatus
from growtui.domain.actions import Action, CreatePackage, FieldError
from growtui.domain.collections import FAMILY_STATES
from growtui.domain.writes import WriteSpec, spec_of
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.modals.message import MessageModal
from growtui.ui.common import describe_error
from growtui.ui.workers import Failed, run_background, upstream

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

OutcomeCallback = Callable[[WriteOutcome | None], None]

async def reload_lists_after(app: GrowApp, license_number: str, action: object) -> None:
    """Reload in full the loaded lists a write changed in ways increments miss (its spec says)."""
    spec = spec_of(action)
    store = app.store
    for family in spec.full_reload if spec is not None else ():
        for coll in FAMILY_STATES[family]:
            if store.cache_age(license_number, coll) is None:
                continue  # never loaded: it loads in full when opened
            try:
                await store.refresh(license_number, coll, full=True)
            except Exception as exc:  # noqa: BLE001 - the write is done; only the list lags
                app.notify(f"List not reloaded: {describe_error(exc)}", severity="warning", markup=False)


def can_do(app: GrowApp, spec: WriteSpec) -> bool:
    return spec.capability in app.backend.capabilities


def client_errors(action: Action, today: date | None = None) -> list[FieldError]:
    """The action's own checks (CreatePackage also rejects dates after ``today``)."""
    if today is not None and isinstance(action, CreatePackage):
        return list(action.validate(today))
    return list(action.validate())


@dataclass
class WriteFlow:
    """`WriteFlow(app, license_number, on_outcome).start(action)`; see the module docstring.

    ``on_outcome`` gets the outcome (None when the user cancelled or the write was not sent);
    rejection and in-doubt messages are shown here, so callers only decide whether to close."""

    app: "GrowApp"
    license_number: str
    on_outcome: OutcomeCallback | None = None
    title: str = ""  # "": the write spec's title and confirm label
    confirm_label: str = ""
    modal: ConfirmModal | None = None
    last_outcome: WriteOutcome | None = None

    def start(self, action: Action) -> ConfirmModal:
        """Open the confirmation for an already client-valid action and dry-run it upstream."""
        try:
            payload: object = self.app.backend.request_preview(action)
            problem = ""
        except ValueError as exc:
            payload, problem = None, str(exc)
        spec = spec_of(action)
        modal = ConfirmModal(
            action.summary(),
            action.detail_lines(),
            payload,
            title=self.title or (spec.title if spec is not None else "Confirm"),
            confirm_label=self.confirm_label or (spec.confirm_label if spec is not None else "Send"),
            selection=self._selection_notice(action),
        )
        self.modal = modal
        self.app.push_screen(modal, lambda confirmed: self._confirmed(action, bool(confirmed)))
        if problem:
            modal.set_verdict(Verdict.INVALID, problem)
        elif Capability.DRY_RUN in self.app.backend.capabilities:
            self._dry_run(action)
        else:
            modal.set_verdict(Verdict.VALID, "Valid here; this backend cannot check it before sending.")
        return modal

    def _selection_notice(self, action: Action) -> str:
        """ "2 marked, 1 not in view …" when the rows the write was opened on include some the
        filter hides: said where the write is confirmed, not only when its form opened."""
        from growtui.ui.write_commands import taken_for

        main = self.app.main_screen
        if main is None or main.license_number != self.license_number:
            return ""
        taken = taken_for(main, type(action).__name__)
        return taken.notice() if taken is not None else ""

    # -- dry run ---------------------------------------------------------------------------------

    def _dry_run(self, action: Action) -> None:
        run_background(self.app, self._dry_run_work(action), group="write-dry-run", exclusive=True)

    async def _dry_run_work(self, action: Action) -> None:
        modal = self.modal

        def verdict(kind: Verdict, text: str) -> None:
            if modal is not None:
                modal.set_verdict(kind, text)

        def failed(exc: Exception) -> None:
            if isinstance(exc, BackendError):
                verdict(Verdict.INVALID, f"Invalid: {exc.message}")
            else:  # shown in the dialog; the write stays unconfirmable
                verdict(Verdict.INVALID, f"Could not validate: {describe_error(exc)}")

        result = await upstream(
            self.app, self.app.store.dry_run(self.license_number, action),
            retry=lambda: self._dry_run(action), failed=failed,
            signed_out=lambda: verdict(Verdict.PENDING, "Sign in again to validate…"),
        )
        if not isinstance(result, Failed):
            verdict(Verdict.VALID, f"Valid ✓ (upstream: {result.message})")

    # -- submit ----------------------------------------------------------------------------------

    def _confirmed(self, action: Action, confirmed: bool) -> None:
        self.modal = None
        if not confirmed:
            self._finish(None)
            return
        self.app.notify("Sending…", timeout=2)
        run_background(self.app, self._submit_work(action), group="write-submit")

    async def _submit_work(self, action: Action) -> None:
        def not_sent() -> None:
            self._show("Not sent", ["Your session expired. Sign in again, then send it again."], "warning")

        def interrupted(exc: Exception) -> None:  # the journal already says in doubt
            self._show("Write interrupted", [describe_error(exc), "Check the Outbox before trying again."])

        outcome = await upstream(
            self.app, self.app.store.submit(self.license_number, action), failed=interrupted, signed_out=not_sent
        )
        if isinstance(outcome, Failed):
            self._finish(None)
            return
        self.last_outcome = outcome
        if outcome.ok:
            await reload_lists_after(self.app, self.license_number, action)
        self._finish(outcome)  # first: a form that closes must be on top when it does
        self._report(action, outcome)

    def _report(self, action: Action, outcome: WriteOutcome) -> None:
        if outcome.ok:
            changed = "; ".join(outcome.changed)
            self.app.notify(f"{action.summary()}: done. {changed}".strip(), markup=False)
            warnings = outcome.details.get("warnings") or []
            if warnings:  # applied, but upstream wants people to know something: shown until read
                self._show("Done, with warnings from upstream", [action.summary(), "", *map(str, warnings)], "warning")
            self._highlight(action, outcome)
        elif outcome.status is WriteStatus.REJECTED:
            self._show("Rejected upstream", [outcome.message, "", "Your input is kept: fix it and send again."])
        else:  # in doubt
            self._show(
                "Sent, but the answer was lost",
                [
                    outcome.message,
                    "",
                    "It may or may not have been applied. It is marked IN DOUBT in the Outbox (W),",
                    "where it can be checked against upstream. Do not send it again before that.",
                ],
                "warning",
            )

    def _show(self, title: str, lines: list[str], severity: str = "error") -> None:
        self.app.push_screen(MessageModal(title, lines, severity=severity))  # type: ignore[arg-type]

    def _highlight(self, action: Action, outcome: WriteOutcome) -> None:
        if self.app.main_screen is not None:
            self.app.main_screen.reload_after_write(outcome, type(action).__name__)

    def _finish(self, outcome: WriteOutcome | None) -> None:
        if self.on_outcome is not None:
            self.on_outcome(outcome)
