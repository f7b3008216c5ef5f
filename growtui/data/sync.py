"""Sync engine: full loads and incremental refreshes of collections into the cache.

Full load: page 1 (pageSize 500) gives `total`; the other pages are fetched by a bounded pool of
workers through the backend, whose request budget spaces them out only when one window is not
enough. One writer stores each page in its own transaction as it arrives (in a worker thread, so
the event loop stays free), while the fetchers keep going. Rows the load did not see are then
removed from the collection. If the session expires mid-load, ReauthRequired
propagates; the pages already stored are remembered so the re-run after sign-in fetches only the
rest (as long as upstream's total is unchanged).

Incremental refresh of collection X: every sibling of X's family is asked for rows modified since
X's last sync minus an overlap, so an object that moved (active → inactive) lands in its new
collection, replacing its old row (rows are unique per family). Strains and items are always
fully reloaded (see ALWAYS_FULL).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from growtui.backends.base import (
    Backend,
    BackendError,
    Capability,
    ErrorKind,
    Page,
    Query,
    ReauthRequired,
)
from growtui.data.cache import Cache
from growtui.data.types import SyncProgress, SyncResult
from growtui.domain.collections import Collection, Family

ProgressCallback = Callable[[SyncProgress], None]

# Kinds worth another try at page level after the backend's own retries gave up.
_TRANSIENT = frozenset(
    {ErrorKind.RATE_LIMITED, ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.PROTOCOL}
)


# Lists an incremental refresh cannot keep right: strains carry no lastModified, and items leave
# /items when discontinued (no sibling to move to), so only a full load sees either change.
# Both lists are small; a refresh of them is always a full load.
ALWAYS_FULL = frozenset({Family.STRAINS, Family.ITEMS})


def iso_utc(epoch: float) -> str:
    """T3's datetime filter format: 2024-07-17T20:26:07.117Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class _Partial:
    """What a full load interrupted by ReauthRequired had already stored."""

    seen: int
    total: int
    page_size: int
    started: float
    done: set[int] = field(default_factory=set)


@dataclass
class _Run:
    """Counters of one sync run, reported through progress callbacks and the result."""

    collection: Collection
    incremental: bool
    progress: ProgressCallback | None
    pages_total: int = 0
    rows_total: int = 0
    pages_done: int = 0
    rows_done: int = 0
    requests: int = 0

    def report(self) -> None:
        if self.progress is not None:
            self.progress(
                SyncProgress(
                    self.collection.key,
                    self.pages_done,
                    self.pages_total,
                    self.rows_done,
                    self.rows_total,
                    self.incremental,
                )
            )


class SyncEngine:
    def __init__(
        self,
        backend: Backend,
        cache: Cache,
        *,
        concurrency: int = 8,
        page_size: int = 500,
        overlap_s: float = 300.0,
        page_retries: int = 3,
        retry_delay_s: float = 0.5,
    ) -> None:
        self.backend = backend
        self.cache = cache
        self.concurrency = max(1, concurrency)
        self.page_size = min(page_size, getattr(backend, "max_page_size", page_size) or page_size)
        self.overlap_s = overlap_s
        self.page_retries = page_retries
        self.retry_delay_s = retry_delay_s
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._housekeeping: set[asyncio.Task] = set()
        # Bounds requests in flight across every sync of this user (pages, siblings, families).
        self._in_flight = asyncio.Semaphore(self.concurrency)
        self._partials: dict[tuple[str, str], _Partial] = {}

    def _checkpoint_soon(self) -> None:
        """Fold the WAL back into the DB after a sync, in the background (not part of the load)."""
        task = asyncio.ensure_future(asyncio.to_thread(self.cache.checkpoint))
        self._housekeeping.add(task)
        task.add_done_callback(self._housekeeping.discard)

    async def drain(self) -> None:
        """Wait for background housekeeping (before closing the cache)."""
        if self._housekeeping:
            await asyncio.gather(*self._housekeeping, return_exceptions=True)

    def _family_lock(self, license: str, collection: Collection) -> asyncio.Lock:
        # One sync per family at a time: a full load's removal step must not race a move.
        key = (license, collection.family.value)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    # -- fetching -----------------------------------------------------------------------------------

    async def _fetch(
        self, run: _Run, license: str, collection: Collection, page: int, query: Query
    ) -> Page:
        attempt = 0
        while True:
            run.requests += 1
            try:
                async with self._in_flight:
                    return await self.backend.fetch_page(
                        license, collection, page, self.page_size, query
                    )
            except ReauthRequired:
                raise
            except BackendError as exc:
                attempt += 1
                if exc.kind not in _TRANSIENT or attempt > self.page_retries:
                    raise
                delay = exc.retry_after if exc.retry_after else self.retry_delay_s * 2 ** (attempt - 1)
                await asyncio.sleep(min(delay, 30.0))

    async def _store(
        self, run: _Run, license: str, collection: Collection, page: Page, seen: int | None
    ) -> None:
        await asyncio.to_thread(self.cache.store_rows, license, collection, page.rows, seen=seen)
        run.pages_done += 1
        run.rows_done += len(page.rows)
        run.report()

    async def _fetch_pages(
        self,
        run: _Run,
        license: str,
        collection: Collection,
        pages: list[int],
        query: Query,
        seen: int | None,
        on_page: Callable[[int], None] | None = None,
        fetched: tuple[tuple[int, Page], ...] = (),
    ) -> None:
        """Fetch `pages` (at most `concurrency` requests in flight) and store them as they come.

        Fetching and storing are decoupled: one writer stores pages in arrival order (the cache
        has one writer anyway) while the fetchers keep every request slot busy. `fetched` pages
        are already here and only need storing.
        """
        queue = deque(pages)
        arrived: asyncio.Queue[tuple[int, Page] | None] = asyncio.Queue(maxsize=self.concurrency)

        async def fetcher() -> None:
            while queue:
                number = queue.popleft()
                await arrived.put((number, await self._fetch(run, license, collection, number, query)))

        async def fetch_all() -> None:
            for item in fetched:
                await arrived.put(item)
            await _gather_or_cancel([fetcher() for _ in range(min(self.concurrency, len(pages)))])
            await arrived.put(None)

        async def store_all() -> None:
            while (item := await arrived.get()) is not None:
                number, page = item
                await self._store(run, license, collection, page, seen)
                if on_page is not None:
                    on_page(number)

        await _gather_or_cancel([fetch_all(), store_all()])

    # -- full load ----------------------------------------------------------------------------------

    async def full_load(
        self, license: str, collection: Collection, progress: ProgressCallback | None = None
    ) -> SyncResult:
        async with self._family_lock(license, collection):
            return await self._full_load(license, collection, progress)

    async def _full_load(
        self, license: str, collection: Collection, progress: ProgressCallback | None
    ) -> SyncResult:
        t0 = time.perf_counter()
        run = _Run(collection, False, progress)
        pkey = (license, collection.key)
        started = time.time()
        first = await self._fetch(run, license, collection, 1, Query())
        total = max(first.total, len(first.rows))
        pages = max(1, math.ceil(total / self.page_size))
        partial = self._partials.get(pkey)
        if partial is None or partial.total != total or partial.page_size != self.page_size:
            partial = _Partial(seen=time.time_ns(), total=total, page_size=self.page_size, started=started)
            self._partials[pkey] = partial
        run.pages_total, run.rows_total = pages, total
        todo = [p for p in range(2, pages + 1) if p not in partial.done]
        run.pages_done = pages - 1 - len(todo)  # pages a resumed load already stored
        await self._fetch_pages(
            run, license, collection, todo, Query(), partial.seen,
            on_page=partial.done.add, fetched=((1, first),),
        )
        removed = await asyncio.to_thread(self.cache.remove_unseen, license, collection, partial.seen)
        # Incremental refreshes will look back to when the (first attempt of the) load began.
        await asyncio.to_thread(self.cache.mark_full_load, license, collection, partial.started, total)
        del self._partials[pkey]
        self._checkpoint_soon()
        cached = await asyncio.to_thread(self.cache.count, license, collection)
        return SyncResult(
            collection=collection.key,
            incremental=False,
            requests=run.requests,
            rows_fetched=run.rows_done,
            total=total,
            cached=cached,
            removed=removed,
            seconds=time.perf_counter() - t0,
        )

    # -- incremental --------------------------------------------------------------------------------

    async def refresh(
        self, license: str, collection: Collection, progress: ProgressCallback | None = None
    ) -> SyncResult:
        """Incremental refresh; a full load if the collection was never loaded or cannot be
        refreshed incrementally (see ALWAYS_FULL, or a backend without lastModified filters)."""
        async with self._family_lock(license, collection):
            state = self.cache.sync_state(license, collection)
            if (
                state.last_full is None
                or state.last_any is None
                or collection.family in ALWAYS_FULL
                or Capability.INCREMENTAL_SYNC not in self.backend.capabilities
            ):
                return await self._full_load(license, collection, progress)
            return await self._incremental(license, collection, state.last_any, progress)

    async def _incremental(
        self,
        license: str,
        collection: Collection,
        last: float,
        progress: ProgressCallback | None,
    ) -> SyncResult:
        t0 = time.perf_counter()
        run = _Run(collection, True, progress)
        started = time.time()
        query = self.backend.modified_since_filter(iso_utc(last - self.overlap_s))
        siblings = collection.siblings
        run.pages_total = len(siblings)

        async def one(sibling: Collection) -> None:
            first = await self._fetch(run, license, sibling, 1, query)
            pages = max(1, math.ceil(first.total / self.page_size))
            run.pages_total += pages - 1
            run.rows_total += first.total
            await self._fetch_pages(
                run, license, sibling, list(range(2, pages + 1)), query, None, fetched=((1, first),)
            )

        await _gather_or_cancel([one(s) for s in siblings])
        # Every sibling synced at least as recently as `collection` is now current as well.
        current = [collection] + [
            s
            for s in siblings
            if s != collection
            and (st := self.cache.sync_state(license, s)).last_full is not None
            and (st.last_any or 0) >= last
        ]
        await asyncio.to_thread(self.cache.mark_synced, license, current, started)
        self._checkpoint_soon()
        cached = await asyncio.to_thread(self.cache.count, license, collection)
        return SyncResult(
            collection=collection.key,
            incremental=True,
            requests=run.requests,
            rows_fetched=run.rows_done,
            total=run.rows_total,
            cached=cached,
            removed=0,
            seconds=time.perf_counter() - t0,
        )


async def _gather_or_cancel(coros: list) -> None:
    """Run coroutines concurrently; on the first failure cancel the rest and re-raise it."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
