"""The proof that the backend seam is real: a tiny in-memory system defined here in tests/ (two-key
sign-in, offset paging of 3 rows, hour-long change windows, one write kind, no dry run) goes through
the real login screen, list, sync, confirmation and journal, with nothing outside tests/ knowing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.pilot import Pilot

from growtui.backends.base import Capability, SubmitResult
from growtui.config import Settings
from growtui.data.store import DataStore
from growtui.data.types import WriteStatus
from growtui.domain import writes
from growtui.domain.actions import FieldError
from growtui.domain.collections import Collection, Family
from growtui.domain.query import Field, Op
from growtui.ui.app import create_app
from growtui.domain.writes import Applies, FormInput, Rows, WriteSpec
from growtui.ui.modals.confirm import ConfirmModal, Verdict
from growtui.ui.modals.forms.declared import DeclaredForm
from growtui.ui.modals.forms.packages import AddNoteForm
from growtui.ui.screens.login import LoginScreen
from growtui.ui.screens.main import MainScreen
from tests.ui.conftest import palette, settle
from tests.ui.tiny_backend import HOUR, LICENSE, USER_KEY, VENDOR_KEY, TinyBackend, TinyWorld, stamp

ACTIVE = Collection(Family.PACKAGES, "active")
NOW = 1_795_000_000.0


async def until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await settle(pilot, 1)
    raise AssertionError(f"timed out waiting for {what}")


def rig(tmp_path):
    world = TinyWorld.seeded(NOW)
    backend = TinyBackend(world)
    store = DataStore(backend, cache_root=tmp_path / "cache")
    app = create_app(Settings(host=backend.base_url), backend=backend, store=store,
                     clock=lambda: world.now, contain_errors=False)
    return world, app


async def sign_in(pilot: Pilot, user_key: str = USER_KEY) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    for name in ("vendor_key", "user_key"):  # the backend's fields, rendered by the login screen
        assert screen.query_one(f"#{name}").password
    screen.query_one("#host").value = "tiny"
    screen.query_one("#host").focus()
    await pilot.pause()
    await pilot.press("enter")
    screen.query_one("#vendor_key").value = VENDOR_KEY
    screen.query_one("#user_key").value = user_key
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_a_backend_written_in_tests_runs_the_whole_flow(tmp_path):
    world, app = rig(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await sign_in(pilot, user_key="wrong")
        assert isinstance(app.screen, LoginScreen) and "refused the keys" in str(
            app.screen.query_one("#login-error").render()
        )
        assert app.screen.query_one("#user_key").value == ""  # a secret is cleared after use
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        main = app.screen
        await until(pilot, lambda: main.source is not None and len(main.source.index) == 7, "7 rows")

        # Offset paging at the backend's own page size: rows 0-2, 3-5, 6.
        lists = [args for kind, args in world.requests if kind == "list" and args[0] == "packages/active"]
        assert {(offset, size) for _, offset, size, _ in lists} >= {(0, 3), (3, 3), (6, 3)}
        assert all(size <= 3 for _, _, size, _ in lists)

        # One write kind, taken from the registry: key, form, confirmation, journal, refresh.
        world.now += 3 * HOUR  # the refresh after the write must ask several hour-long windows
        main.record_list.focus()
        await pilot.press("space")
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddNoteForm)
        form.query_one("#note").value = "moved to vault 2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal._title == "Add a note to packages" and modal._confirm_label == "Add note"
        assert modal._payload == {"PUT": "/remarks", "body": {"remarks": [{"ref": 100, "remark": "moved to vault 2"}]}}
        assert modal.verdict is Verdict.VALID  # no dry run here: valid on the client's checks
        before = len(world.requests)
        await pilot.press("y")
        await until(pilot, lambda: any(k == "write" for k, _ in world.requests), "the write")
        await until(pilot, lambda: (app.store.model(LICENSE, ACTIVE, 100) or main).note == "moved to vault 2",
                    "the refreshed row")

        assert next(r for r in world.rows[ACTIVE] if r["ref"] == 100)["remark"] == "moved to vault 2"
        (entry,) = app.store.journal.entries(license=LICENSE)
        assert entry.kind == "AddNote" and entry.status is WriteStatus.SENT

        # The refresh asked for changes in windows no longer than the backend allows.
        windows = [args[3] for kind, args in world.requests[before:] if kind == "list"]
        bounded = [q for q in windows if len(q.conditions) == 2]
        assert len(bounded) >= 4 * 2  # >= 4 windows, each over both sibling lists
        for q in bounded:
            (start,), (end,) = ([c.value for c in q.conditions if c.op is op] for op in (Op.GTE, Op.LTE))
            assert all(c.field is Field.LAST_MODIFIED for c in q.conditions)
            assert (end - start).total_seconds() <= HOUR


@dataclass(frozen=True, slots=True)
class Recount:
    """A kind of write growtui has never heard of, defined here with everything it needs."""

    package_ids: tuple[int, ...]
    labels: tuple[str, ...]
    count: int

    def summary(self) -> str:
        return f"Recount {len(self.package_ids)} package(s)"

    def detail_lines(self) -> list[str]:
        return [f"Count: {self.count}", *self.labels]

    def validate(self) -> list[FieldError]:
        return [] if self.count >= 0 else [FieldError("count", "Type the count.")]


RECOUNT = WriteSpec(
    "Recount", Recount, Capability.PACKAGE_UNFINISH, "Recount packages", "Recount",
    command="recount", palette="Recount the selected packages", palette_help="A new kind of write",
    lists=frozenset({Family.PACKAGES}), applies=Applies(Rows.SELECTED), affects=(Family.PACKAGES,),
    inputs=(FormInput("count", "Count", "how many are there"),),
    build=lambda rows, typed: Recount(
        tuple(r.id for r in rows), tuple(r.label for r in rows),
        int(typed["count"]) if typed["count"].isdigit() else -1,
    ),
)


class RecountingTiny(TinyBackend):
    capabilities = TinyBackend.capabilities | {Capability.PACKAGE_UNFINISH}

    def _request(self, action):
        if isinstance(action, Recount):
            return {"counts": [{"ref": pid, "qty": action.count} for pid in action.package_ids]}
        return super()._request(action)

    async def submit(self, license_number, action, *, dry_run):
        if not isinstance(action, Recount):
            return await super().submit(license_number, action, dry_run=dry_run)
        body = self._request(action)
        self.world.requests.append(("write", body))
        self.world.now += 60
        by_ref = {r["ref"]: r for r in self.world.all_rows()}
        for count in body["counts"]:
            by_ref[count["ref"]].update(qty=count["qty"], changed=stamp(self.world.now))
        return SubmitResult(dry_run=False, message="Counted")


async def test_a_write_kind_added_only_in_the_registry_and_a_backend(tmp_path, monkeypatch):
    """One WriteSpec (with declared inputs) plus the backend's wire mapping: palette entry, form,
    confirmation, journal and refresh follow, with no UI code for the new kind."""
    monkeypatch.setattr(writes, "WRITES", (*writes.WRITES, RECOUNT))
    monkeypatch.setitem(writes.BY_KIND, "Recount", RECOUNT)
    world = TinyWorld.seeded(NOW)
    backend = RecountingTiny(world)
    app = create_app(Settings(host=backend.base_url), backend=backend,
                     store=DataStore(backend, cache_root=tmp_path / "cache"), clock=lambda: world.now,
                     contain_errors=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        main = app.screen
        await until(pilot, lambda: main.source is not None and len(main.source.index) == 7, "7 rows")
        main.record_list.focus()
        await pilot.press("space")
        await palette(pilot, "Recount")
        form = app.screen
        assert isinstance(form, DeclaredForm) and form.SPEC is RECOUNT
        form.query_one("#count").value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal) and modal._title == "Recount packages"
        assert modal._payload == {"PUT": "/remarks", "body": {"counts": [{"ref": 100, "qty": 12}]}}
        await pilot.press("y")
        await until(pilot, lambda: (app.store.model(LICENSE, ACTIVE, 100) or main).quantity.value == 12,
                    "the refreshed row")
        (entry,) = app.store.journal.entries(license=LICENSE)
        assert entry.kind == "Recount" and entry.status is WriteStatus.SENT
