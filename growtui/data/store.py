"""DataStore: the one object the UI talks to for data.

One per signed-in account (API base URL + upstream host + user, see config.AccountKey). It owns the
per-account cache (opened after login), the sync engine,
the write journal and the list indexes, all over a Backend. Nothing here imports textual: the UI
calls these coroutines from its workers. Errors surface as BackendError / ReauthRequired (sign in
again with `login`, then repeat the call: a full load resumes where it stopped). `resume` signs in
with a saved token instead of a password.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from growtui.backends.base import (
    Backend,
    BackendError,
    Credentials,
    DocumentSource,
    ErrorKind,
    ReauthRequired,
    Session,
    SubmitResult,
)
from growtui.config import AccountKey
from growtui.data import effects
from growtui.data.cache import Cache, cache_path, default_cache_root
from growtui.data.index import WIDTH_SAMPLE, ListIndex
from growtui.data.search import DeepSearch, Hit
from growtui.data.journal import Journal, JournalEntry, default_journal_root, journal_path
from growtui.data.sync import SyncEngine
from growtui.data.types import SyncProgress, SyncResult, WriteOutcome, WriteStatus
from growtui.domain.documents import DocumentFile, DocumentKind, LabelSize
from growtui.domain.collections import FAMILY_STATES, Collection, Family, SubCollection
from growtui.domain.pickers import CreateForm, Picker, search_query
from growtui.domain.query import Field, Op, Query

_LICENSES_KEY = "licenses"


class NotSignedIn(RuntimeError):
    """A data call came before `login` opened the user's cache."""


class DataStore:
    """Cache, sync, journal and list indexes of one signed-in user over a Backend."""

    def __init__(
        self,
        backend: Backend,
        *,
        cache_root: Path | None = None,
        journal_root: Path | None = None,
        concurrency: int | None = None,  # None: each load picks its width (data/sync.py)
        page_size: int = 500,
    ) -> None:
        self.backend = backend
        self.cache_root = Path(cache_root) if cache_root is not None else default_cache_root()
        # The journal is not disposable: it lives in the user data dir, not with the cache.
        self.journal_root = Path(journal_root) if journal_root is not None else default_journal_root()
        # One-line notices for the user from opening the cache/journal (e.g. a damaged cache rebuilt).
        self.notices: list[str] = []
        self.concurrency = concurrency
        self.page_size = page_size
        self.session: Session | None = None
        self.account: AccountKey | None = None
        # Pauses before looking again for what a successful write created (see submit).
        self.discover_delays: tuple[float, ...] = (1.0, 2.0)
        self._cache: Cache | None = None
        self._deep: DeepSearch | None = None  # opened on the first deep search of the account
        self._journal: Journal | None = None
        self._engine: SyncEngine | None = None

    # -- session ----------------------------------------------------------------------------------

    async def login(self, creds: Credentials) -> Session:
        """Sign in through the backend, then open the per-user cache DB. Re-login reuses the cache."""
        session = await self.backend.login(creds)
        return await self._signed_in(session)

    async def resume(self, session: Session) -> Session:
        """Use a saved token (--stay-signed-in), then open the per-user cache as `login` does.

        Raises ReauthRequired when the token is expired or upstream refuses it."""
        await self.backend.resume(session)
        return await self._signed_in(session)

    def account_of(self, session: Session) -> AccountKey:
        return AccountKey.of(self.backend.base_url, session.hostname, session.username)

    async def open_offline(self, hostname: str, username: str) -> AccountKey:
        """Open an account's cache and journal without asking upstream (``growtui export`` and
        ``growtui outbox`` read what the last sync stored). Loads and writes still need `login`."""
        account = AccountKey.of(self.backend.base_url, hostname, username)
        await self._open(account, hostname, username)
        return account

    async def _signed_in(self, session: Session) -> Session:
        """Open the cache of the account the backend now speaks for (kept if it is the same one)."""
        await self._open(self.account_of(session), session.hostname, session.username)
        self.session = session
        return session

    async def _open(self, account: AccountKey, hostname: str, username: str) -> None:
        if account == self.account:
            return
        await self._close_cache()
        path = cache_path(self.cache_root, account)
        # The journal first: it adopts the entries an older growtui kept in the cache file.
        self._journal = await asyncio.to_thread(
            lambda: Journal(journal_path(self.journal_root, account), username=username,
                            hostname=hostname, legacy=path)
        )
        self._cache, cache_notice = await asyncio.to_thread(
            Cache.open_or_rebuild, path, self.backend.raw_paths
        )
        self.notices.extend(n for n in (self._journal.notice, cache_notice) if n)
        self._engine = SyncEngine(
            self.backend, self._cache, concurrency=self.concurrency, page_size=self.page_size
        )
        self.account = account

    def take_notices(self) -> list[str]:
        """Notices not shown yet (each is one line for the status bar or a toast)."""
        notices, self.notices = self.notices, []
        return notices

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            raise NotSignedIn("sign in first")
        return self._cache

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise NotSignedIn("sign in first")
        return self._journal

    @property
    def engine(self) -> SyncEngine:
        if self._engine is None:
            raise NotSignedIn("sign in first")
        return self._engine

    def hold_writes(self) -> None:
        """Called on every key and click: a load's writer thread waits a moment (writer.HOLD_S),
        so what the person asked for is drawn at full speed. Nothing to hold before sign-in."""
        if self._engine is not None:
            self._engine.hold_writes()

    async def licenses(self) -> list[Any]:
        """Licenses as domain models; served from the cache when upstream cannot be reached."""
        try:
            raws = await self.backend.licenses()
        except ReauthRequired:
            raise
        except BackendError as exc:
            if exc.kind not in (ErrorKind.NETWORK, ErrorKind.TIMEOUT, ErrorKind.UNAVAILABLE):
                raise
            raws = self.cache.get_value(_LICENSES_KEY)
            if raws is None:
                raise
        else:
            await asyncio.to_thread(self.cache.put_value, _LICENSES_KEY, raws)
        return [effects.license_model(self.backend, raw) for raw in raws]

    def cached_licenses(self) -> list[Any]:
        """The licenses of the last `licenses` answer, from the cache (no upstream call)."""
        raws = self.cache.get_value(_LICENSES_KEY) or []
        return [effects.license_model(self.backend, raw) for raw in raws]

    # -- lists --------------------------------------------------------------------------------------

    def open_list(self, license: str, collection: Collection, *, first: int | None = None) -> ListIndex:
        """The cached rows of one collection as a ListIndex (synchronous; no JSON parsing).

        With ``first``: only the first ``first`` rows and a sample the list measures its widths on
        are read now, the rest when the index is filled (``ListIndex.opening``; call its ``fill``
        in a worker thread): a 100k list shows its first screen in milliseconds."""
        cache = self.cache
        raw = self._raw_loader(license, collection)
        if first is None:
            return ListIndex(collection, cache.display_rows(license, collection), raw)
        window = cache.display_window(license, collection, first, WIDTH_SAMPLE)
        if len(window.head) == window.count:  # all of it fitted in the window
            return ListIndex(collection, window.head, raw)
        return ListIndex.opening(
            collection, window.count, window.head, window.sample,
            lambda: cache.display_rows(license, collection, apart=True), raw,
        )

    def read_list(self, license: str, collection: Collection) -> ListIndex:
        """Every cached row of one collection as a ListIndex, read on a connection of its own:
        blocking, for a worker thread (the event loop's reader stays free meanwhile)."""
        rows = self.cache.display_rows(license, collection, apart=True)
        return ListIndex(collection, rows, self._raw_loader(license, collection))

    def _raw_loader(self, license: str, collection: Collection) -> Callable[[Any], dict[str, Any] | None]:
        cache, family = self.cache, collection.family
        return lambda key: cache.raw(license, family, key)

    def model(self, license: str, collection: Collection, key: Any) -> Any | None:
        """The domain model of one cached row (parsed from its raw JSON now)."""
        raw = self.cache.raw(license, collection.family, key)
        return None if raw is None else self.backend.to_domain(collection, raw)

    async def refresh(
        self,
        license: str,
        collection: Collection,
        *,
        full: bool = False,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncResult:
        """Incremental refresh across the family's siblings, or a full load (first time / full=True).

        Raises ReauthRequired (sign in again, then call again: a full load resumes) and BackendError.
        """
        if full:
            return await self.engine.full_load(license, collection, progress)
        return await self.engine.refresh(license, collection, progress)

    def cache_age(self, license: str, collection: Collection) -> float | None:
        """Seconds since the collection was last synced; None if it was never fully loaded."""
        state = self.cache.sync_state(license, collection)
        if state.last_full is None or state.last_any is None:
            return None
        # Sync times are upstream's clock (see sync.py), so the age is measured on it too.
        return max(0.0, self.engine.server_now() - state.last_any)

    async def sub_collection(
        self, license: str, sub: SubCollection, parent_id: int | str
    ) -> list[Any]:
        """All rows of a per-object list (history, lab results, deliveries…) as domain models."""
        rows = await self.engine.sub_rows(license, sub, parent_id)
        return [self.backend.to_domain(sub, raw) for raw in rows]

    async def documents(
        self, license: str, kind: DocumentKind, collection: Collection, keys: Sequence[Any],
        *, size: LabelSize = LabelSize(), compact: bool = False,
    ) -> list[DocumentFile]:
        """Upstream's files of ``kind`` for these cached rows (see ``DocumentSource``)."""
        backend = self.backend
        if not isinstance(backend, DocumentSource):
            raise BackendError(ErrorKind.PROTOCOL, f"{backend.name} serves no {kind.value} files.")
        raws = [raw for key in keys if (raw := self.cache.raw(license, collection.family, key)) is not None]
        return await backend.documents(license, kind, collection, raws, size=size, compact=compact)

    async def deep_search(
        self, license: str, text: str, progress: Callable[[int], None] | None = None
    ) -> tuple[list[Hit], bool]:
        """Every cached row of ``license`` whose values hold each word of ``text`` (see search.py);
        rows cached since the last search are indexed first (``progress`` counts them)."""
        deep = self._deep_search()

        def run() -> tuple[list[Hit], bool]:
            deep.catch_up(progress)
            return deep.search(license, text)

        return await asyncio.to_thread(run)

    async def index_for_search(self) -> int:
        """Index rows cached since the last search now (after a load, while people read the list),
        so the next search answers at once; how many rows were indexed."""
        return await asyncio.to_thread(self._deep_search().catch_up)

    def _deep_search(self) -> DeepSearch:
        if self._deep is None:
            self._deep = DeepSearch(self.cache.path)
        return self._deep

    # -- form choices -------------------------------------------------------------------------------

    async def pick(self, license: str, picker: Picker, text: str = "", limit: int = 20) -> list[Any]:
        """The first ``limit`` choices of a picker matching typed ``text`` (all when blank)."""
        page = await self.backend.picker_page(license, picker, 1, limit, search_query(picker, text))
        return [self.backend.picker_to_domain(picker, raw) for raw in page.rows]

    async def pick_label(self, license: str, picker: Picker, label: str) -> Any | None:
        """The picker's choice whose tag label is exactly ``label`` (is this package eligible?)."""
        page = await self.backend.picker_page(
            license, picker, 1, 5, Query.where(Field.LABEL, Op.EQ, label)
        )
        for raw in page.rows:
            model = self.backend.picker_to_domain(picker, raw)
            if str(getattr(model, "label", "")).upper() == label.upper():
                return model
        return None

    async def create_inputs(self, license: str, form: CreateForm) -> Any:
        """The choices of a create form (units, locations, transfer types …) as a domain model."""
        raw = await self.backend.create_inputs(license, form)
        return self.backend.create_inputs_to_domain(form, raw)

    async def find_label(self, license: str, family: Family, label: str) -> list[tuple[Collection, Any]]:
        """Where upstream lists objects tagged ``label`` now: (collection, domain model) pairs."""
        return await effects.find_label(self.backend, license, family, label)

    # -- writes -------------------------------------------------------------------------------------

    async def dry_run(self, license: str, action: Any) -> SubmitResult:
        """Validate a write upstream without applying it (not journaled)."""
        return await self.backend.submit(license, action, dry_run=True)

    async def submit(self, license: str, action: Any) -> WriteOutcome:
        """Journal the write, send it once, record the outcome; on success find what it created
        and refresh the affected lists. Raises ReauthRequired (after journaling it as rejected)."""
        journal = self.journal
        entry_id = await asyncio.to_thread(journal.record, license, action)
        try:
            result = await self.backend.submit(license, action, dry_run=False)
        except ReauthRequired as exc:
            await asyncio.to_thread(
                journal.resolve, entry_id, WriteStatus.REJECTED, f"Not sent: {exc.message}"
            )
            raise
        except BackendError as exc:
            status = WriteStatus.IN_DOUBT if exc.in_doubt else WriteStatus.REJECTED
            entry = await asyncio.to_thread(journal.resolve, entry_id, status, exc.message)
            return _outcome(entry)
        except BaseException:
            # Cancelled or crashed mid-send: it may have reached upstream.
            await asyncio.to_thread(
                journal.resolve, entry_id, WriteStatus.IN_DOUBT, "Interrupted while sending."
            )
            raise
        entry = journal.get(entry_id)
        if effects.creates(entry.kind):
            found = await self._discover_after_success(entry)
        else:  # "Success" is the whole story; the list refresh below shows the change
            found = effects.Found(applied=True, changed=(entry.summary,))
        message = result.message if found.applied else f"{result.message}. {found.message}".strip()
        details = found.details
        if result.warnings:  # applied, with something upstream wants people to know
            message += ". Warnings: " + "; ".join(result.warnings)
            details = {**details, "warnings": list(result.warnings)}
        entry = await asyncio.to_thread(
            journal.resolve, entry_id, WriteStatus.SENT, message, found.changed, details
        )
        await self._refresh_affected(entry.license, entry.kind)
        return _outcome(entry)

    async def _discover_after_success(self, entry: JournalEntry) -> effects.Found:
        """Find what a successful write created/changed. Upstream may list new objects a little
        later (Metrc is eventually consistent), so look again after short pauses."""
        found = effects.Found(applied=None)
        for delay in (0.0, *self.discover_delays):
            if delay:
                await asyncio.sleep(delay)
            try:
                found = await effects.discover(self.backend, entry)
            except BackendError as exc:  # includes ReauthRequired: the write itself succeeded
                return effects.Found(applied=None, details={"discover_error": exc.message})
            except Exception as exc:  # e.g. a backend that cannot look up by tag: still sent, once
                return effects.Found(applied=None, details={"discover_error": str(exc)})
            if found.applied is not False:
                break
        return found

    async def reconcile(self, entry_id: int) -> WriteOutcome:
        """Re-read upstream to decide whether a pending/in-doubt write applied. Never resends."""
        journal = self.journal
        entry = journal.get(entry_id)
        if entry.status not in (WriteStatus.PENDING, WriteStatus.IN_DOUBT):
            return _outcome(entry)
        found = await effects.discover(self.backend, entry)
        if found.applied is None:
            entry = await asyncio.to_thread(
                journal.resolve, entry_id, WriteStatus.IN_DOUBT, found.message, found.changed, found.details
            )
            return _outcome(entry)
        status = WriteStatus.APPLIED if found.applied else WriteStatus.NOT_APPLIED
        entry = await asyncio.to_thread(
            journal.resolve, entry_id, status, found.message, found.changed, found.details
        )
        if found.applied:
            await self._refresh_affected(entry.license, entry.kind)
        return _outcome(entry)

    async def _refresh_affected(self, license: str, kind: str) -> None:
        """Bring the lists a write touched up to date (incremental; only lists already loaded).

        One refresh per family: it asks every sibling, so the stalest loaded sibling is refreshed
        and the others are marked current with it."""
        for family in effects.affected_families(kind):
            loaded = [
                (state.last_any, c)
                for c in FAMILY_STATES[family]
                if (state := self.cache.sync_state(license, c)).last_full is not None
            ]
            if not loaded:
                continue
            collection = min(loaded, key=lambda t: t[0] or 0.0)[1]
            try:
                await self.engine.refresh(license, collection)
            except BackendError:  # incl. ReauthRequired: the write is recorded; lists catch up later
                return

    # -- shutdown -----------------------------------------------------------------------------------

    async def _close_cache(self) -> None:
        if self._engine is not None:
            await self._engine.drain()
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._deep is not None:
            await asyncio.to_thread(self._deep.close)
            self._deep = None
        if self._cache is not None:
            await asyncio.to_thread(self._cache.close)  # its final checkpoint may take a moment
            self._cache = None
        self._engine = None
        self.account = None

    async def aclose(self) -> None:
        await self._close_cache()
        await self.backend.aclose()


def _outcome(entry: JournalEntry) -> WriteOutcome:
    return WriteOutcome(
        entry_id=entry.id,
        status=entry.status,
        message=entry.message,
        changed=entry.changed,
        details=entry.details,
    )
