"""Sync engine: full loads and incremental refreshes of collections into the cache.

Full load: page 1 (pageSize 500) gives `total` and how long an answer takes; the other pages are
fetched through the backend, whose request budget spaces them out only when one window is not
enough: as many at once as the window holds (up to MAX_IN_FLIGHT), beyond it enough to keep the
budget's pace through that latency (``_width``). One writer thread (data/writer.py) stores pages
as they arrive, every page that queued up meanwhile in one transaction, while the fetchers keep
going; the event loop only hands pages over. If the session expires mid-load,
ReauthRequired propagates; the pages already stored are remembered so the re-run after sign-in
fetches only the rest (as long as upstream's total is unchanged).

A load is made consistent before it is trusted. Offset paging under concurrent change skips rows:
when objects leave the list (a package finishes) between two page reads, the rows behind them
shift into pages already read. So after the pages, a *catch-up* pass asks every sibling for rows
modified since the load began (moving the rows that left, adding the ones that came), and a
one-row probe reads upstream's current count. Every row now marked as seen by this load is in
the list upstream (unmodified rows never left it; modified ones were just re-read), so equal
counts mean the cache holds exactly upstream's set; fewer mean rows were skipped, and the pages
are read again (at most MAX_PASSES times). Only then are the rows the load did not see removed.

Incremental refresh of collection X: every sibling of X's family is asked for rows modified since
X's last sync minus an overlap, so an object that moved (active → inactive) lands in its new
collection, replacing its old row (rows are unique per family). What the backend declares in
its ``Paging`` shapes the plan: its page size cap, whether it can filter by lastModified at all,
the longest window it accepts (Metrc: 24 h, so a refresh asks several windows), and the families
only a full load keeps right (e.g. lists whose rows carry no modification time).

Watermarks are upstream's time (the backend's `server_time`, read from its Date headers), never
the local clock: a kiosk whose clock runs ahead would otherwise ask only for the future.

One sync per (license, family) runs at a time, across every process sharing the cache
(data/locks.py). Every request of every sync of this user, and of sub-collection reads, passes
one bounded concurrency limit.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from growtui.backends.base import (
    Backend,
    BackendError,
    ErrorKind,
    Page,
    Query,
    ReauthRequired,
)
from growtui.data.cache import Cache, StoredPage
from growtui.data.locks import SyncLocks
from growtui.data.paging import page_count
from growtui.data.types import SyncProgress, SyncResult
from growtui.data.writer import PageWriter
from growtui.domain.collections import Collection, SubCollection
from growtui.domain.query import modified_windows

log = logging.getLogger(__name__)

ProgressCallback = Callable[[SyncProgress], None]

# Kinds worth another try at page level after the backend's own retries gave up.
_TRANSIENT = frozenset(
    {ErrorKind.RATE_LIMITED, ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT, ErrorKind.NETWORK, ErrorKind.PROTOCOL}
)


# Page passes a full load may make before it stops chasing a list that keeps changing.
MAX_PASSES = 3

# Requests in flight at most when neither upstream nor the caller sets it.
MAX_IN_FLIGHT = 32
MIN_IN_FLIGHT = 4
# Pages fetched but not yet written at most (a 500-row page of packages holds ~3 MB).
MAX_UNWRITTEN = 32


class _Stores:
    """The writer's futures for the pages one ``_fetch_pages`` handed over."""

    def __init__(self) -> None:
        self.futures: list[asyncio.Future[StoredPage]] = []

    async def wait(self) -> None:
        """Until every page is committed; the first failure is raised (the rest still finish)."""
        try:
            await asyncio.gather(*self.futures)
        except BaseException:
            await asyncio.gather(*self.futures, return_exceptions=True)
            raise

    async def abandon(self) -> None:
        """Cancel what the writer has not started; wait for the rest, their failures dropped."""
        for future in self.futures:
            future.cancel()
        await asyncio.gather(*self.futures, return_exceptions=True)


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
    unkeyed: int = 0  # rows with nothing to key them by (counted per collection in `unkeyed_in`)
    unkeyed_in: dict[str, int] = field(default_factory=dict)

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
        concurrency: int | None = None,
        page_size: int = 500,
        overlap_s: float = 300.0,
        page_retries: int = 3,
        retry_delay_s: float = 0.5,
    ) -> None:
        self.backend = backend
        self.cache = cache
        # Requests in flight at most: what upstream allows one client, else what was asked, else
        # MAX_IN_FLIGHT with each load choosing its own width (``_width``).
        self.fixed = bool(backend.paging.at_once or concurrency)
        self.concurrency = max(1, backend.paging.at_once or concurrency or MAX_IN_FLIGHT)
        self.page_size = min(page_size, backend.paging.max_page_size)
        self.overlap_s = overlap_s
        self.page_retries = page_retries
        self.retry_delay_s = retry_delay_s
        self._locks = SyncLocks(cache.path.with_name(cache.path.name + ".locks"))
        self._housekeeping: set[asyncio.Task] = set()
        # Bounds requests in flight across every sync of this user (pages, siblings, families).
        self._in_flight = asyncio.Semaphore(self.concurrency)
        self._partials: dict[tuple[str, str], _Partial] = {}
        self._writer = PageWriter(cache)
        self._latency_s = 0.0  # the slowest first page of a load lately: how long an answer takes

    def _checkpoint_soon(self) -> None:
        """Fold the WAL back into the DB after a sync, in the background (not part of the load)."""
        task = asyncio.ensure_future(asyncio.to_thread(self.cache.checkpoint))
        self._housekeeping.add(task)
        task.add_done_callback(self._housekeeping.discard)

    def hold_writes(self) -> None:
        """The person at the keyboard did something: the page writer leaves them the CPU a moment."""
        self._writer.hold()

    async def drain(self) -> None:
        """Wait for background housekeeping (before closing the cache)."""
        if self._housekeeping:
            await asyncio.gather(*self._housekeeping, return_exceptions=True)

    def _family_lock(self, license: str, collection: Collection):
        # One sync per family at a time, across processes: a removal step must not race a move.
        return self._locks.hold(license, collection.family.value)

    def _can_catch_up(self, collection: Collection) -> bool:
        """Whether "rows modified since" can be asked for this collection."""
        paging = self.backend.paging
        return paging.modified_filter and collection.family not in paging.full_only

    def server_now(self) -> float:
        """Upstream's clock when the backend can tell it (e.g. from its Date headers), else ours."""
        server_time = getattr(self.backend, "server_time", None)
        return server_time() if callable(server_time) else time.time()

    # -- fetching -----------------------------------------------------------------------------------

    async def _fetch(
        self,
        run: _Run,
        license: str,
        collection: Collection,
        page: int,
        query: Query,
        page_size: int | None = None,
    ) -> Page:
        attempt = 0
        while True:
            run.requests += 1
            try:
                async with self._in_flight:
                    return await self.backend.fetch_page(
                        license, collection, page, page_size or self.page_size, query
                    )
            except ReauthRequired:
                raise
            except BackendError as exc:
                attempt += 1
                if exc.kind not in _TRANSIENT or attempt > self.page_retries:
                    raise
                delay = exc.retry_after if exc.retry_after else self.retry_delay_s * 2 ** (attempt - 1)
                await asyncio.sleep(min(delay, 30.0))

    def _width(self, pages: int) -> int:
        """How many of ``pages`` to ask for at once. Pages the budget's window still holds can all
        go now: the load is then as long as a few answers. Beyond the window the budget paces the
        starts, and keeping its pace through answers that take ``_latency_s`` needs
        pace x latency requests in flight (twice that, for jitter)."""
        if self.fixed:
            return self.concurrency
        budget = getattr(self.backend, "budget", None)
        limit, window = getattr(budget, "limit", None), getattr(budget, "window_s", None)
        if not isinstance(limit, int) or not isinstance(window, int | float) or pages <= limit:
            return min(self.concurrency, max(pages, 1))
        return max(MIN_IN_FLIGHT, min(self.concurrency, math.ceil(2 * limit / window * self._latency_s)))

    def _store(
        self, run: _Run, license: str, collection: Collection, page: Page, seen: int | None,
        counted: Callable[[], None] | None = None,
    ) -> asyncio.Future[StoredPage]:
        """Hand one page to the writer now (it writes pages in the order handed over); the future
        ends once the page is committed and counted (then ``counted`` is called)."""
        committed = asyncio.wrap_future(self._writer.submit(license, collection, page.rows, seen))

        def count(done: asyncio.Future[StoredPage]) -> None:
            if done.cancelled() or done.exception() is not None:
                return
            stored = done.result()
            if stored.unkeyed:
                run.unkeyed += stored.unkeyed
                run.unkeyed_in[collection.key] = run.unkeyed_in.get(collection.key, 0) + stored.unkeyed
                log.warning(
                    "%s %s: %d row(s) with no id and no label were not cached",
                    license, collection.key, stored.unkeyed,
                )
            run.pages_done += 1
            run.rows_done += len(page.rows)
            run.report()
            if counted is not None:
                counted()

        committed.add_done_callback(count)
        return committed

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
    ) -> _Stores:
        """Fetch `pages` (``_width`` requests in flight) and hand each to the writer as it
        arrives; returns once every page is fetched and handed over, with the pages' stores to
        wait for (``on_page`` is called as each is committed). `fetched` pages are already here.

        Fetching never waits for a page to be written unless MAX_UNWRITTEN pages are waiting
        (that bounds the memory pages hold), so the fetchers keep every request slot busy and a
        load's last requests (the consistency check) go out while its last pages are written.
        """
        queue = deque(pages)
        width = self._width(len(pages))
        stores = _Stores()
        room = asyncio.Semaphore(MAX_UNWRITTEN)

        async def hand_over(number: int, page: Page) -> None:
            await room.acquire()
            done = self._store(run, license, collection, page, seen,
                               None if on_page is None else lambda: on_page(number))
            done.add_done_callback(lambda _: room.release())
            stores.futures.append(done)

        async def fetcher() -> None:
            while queue:
                number = queue.popleft()
                await hand_over(number, await self._fetch(run, license, collection, number, query))

        try:
            for number, page in fetched:
                await hand_over(number, page)
            await _gather_or_cancel([fetcher() for _ in range(min(width, len(pages)))])
        except BaseException:
            await stores.abandon()
            raise
        return stores

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
        started = self.server_now()
        asked = time.perf_counter()
        first = await self._fetch(run, license, collection, 1, Query())
        self._latency_s = time.perf_counter() - asked
        pages = page_count(first, self.page_size, collection.key)
        total = first.total if pages > 1 else len(first.rows)
        partial = self._partials.get(pkey)
        if partial is None or partial.total != total or partial.page_size != self.page_size:
            partial = _Partial(seen=time.time_ns(), total=total, page_size=self.page_size, started=started)
            self._partials[pkey] = partial
        run.pages_total, run.rows_total = pages, total
        todo = [p for p in range(2, pages + 1) if p not in partial.done]
        run.pages_done = pages - 1 - len(todo)  # pages a resumed load already stored
        stores = await self._fetch_pages(
            run, license, collection, todo, Query(), partial.seen,
            on_page=partial.done.add, fetched=((1, first),),
        )
        # The consistency check's requests go out while the last pages are written.
        passes = await self._make_consistent(run, license, collection, partial, stores)
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
            unkeyed=run.unkeyed_in.get(collection.key, 0),
            passes=passes,
        )

    async def _make_consistent(
        self, run: _Run, license: str, collection: Collection, partial: _Partial, stores: _Stores
    ) -> int:
        """Catch up on what changed since the pass began, then compare counts with upstream once
        the pass's pages (``stores``) are written; read the pages again while rows are missing
        (see the module docstring). Returns the passes made."""
        since = partial.started
        passes = 1
        try:
            while True:
                # The catch-up and the count probe run side by side: one round trip, not two.
                probe_task = asyncio.ensure_future(
                    self._fetch(run, license, collection, 1, Query(), page_size=1)
                )
                try:
                    if self._can_catch_up(collection):
                        await self._changed_since(run, license, collection, since, seen=partial.seen)
                    probe = await probe_task
                finally:
                    probe_task.cancel()
                await stores.wait()
                have = await asyncio.to_thread(self.cache.count_seen, license, collection, partial.seen)
                have += run.unkeyed_in.get(collection.key, 0)
                if have >= probe.total or passes >= MAX_PASSES:
                    if have < probe.total:
                        log.warning(
                            "%s %s: %d of %d rows after %d passes; the list keeps changing",
                            license, collection.key, have, probe.total, passes,
                        )
                    return passes
                passes += 1
                since = self.server_now()
                run.unkeyed_in.pop(collection.key, None)
                first = await self._fetch(run, license, collection, 1, Query())
                pages = page_count(first, self.page_size, collection.key)
                run.pages_total += pages
                stores = await self._fetch_pages(
                    run, license, collection, list(range(2, pages + 1)), Query(), partial.seen,
                    fetched=((1, first),),
                )
        except BaseException:
            await stores.abandon()  # the pages of the pass that failed
            raise

    # -- incremental --------------------------------------------------------------------------------

    async def refresh(
        self, license: str, collection: Collection, progress: ProgressCallback | None = None
    ) -> SyncResult:
        """Incremental refresh; a full load if the collection was never loaded or cannot be
        refreshed incrementally (the backend's ``Paging``: no lastModified filters, or a family
        only a full load keeps right)."""
        async with self._family_lock(license, collection):
            state = self.cache.sync_state(license, collection)
            if state.last_full is None or state.last_any is None or not self._can_catch_up(collection):
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
        started = self.server_now()
        siblings = collection.siblings
        await self._changed_since(run, license, collection, last - self.overlap_s, seen=None)
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
            unkeyed=run.unkeyed,
        )

    async def _changed_since(
        self, run: _Run, license: str, collection: Collection, since: float, *, seen: int | None
    ) -> None:
        """Fetch every sibling's rows modified at or after `since` (upstream time) and store each
        in the collection it is in now; rows landing in `collection` get the `seen` mark. A backend
        whose lastModified windows are bounded is asked one window after another."""
        queries = modified_windows(
            datetime.fromtimestamp(since, UTC),
            datetime.fromtimestamp(self.server_now(), UTC),
            self.backend.paging.window_span_s,
        )
        siblings = collection.siblings
        run.pages_total += len(siblings) * len(queries)

        async def one(sibling: Collection, query: Query) -> None:
            mark = seen if sibling == collection else None
            first = await self._fetch(run, license, sibling, 1, query)
            pages = page_count(first, self.page_size, sibling.key)
            run.pages_total += pages - 1
            run.rows_total += first.total if pages > 1 else len(first.rows)
            stores = await self._fetch_pages(
                run, license, sibling, list(range(2, pages + 1)), query, mark, fetched=((1, first),)
            )
            await stores.wait()

        await _gather_or_cancel([one(s, q) for s in siblings for q in queries])

    # -- sub-collections --------------------------------------------------------------------------

    async def sub_rows(
        self, license: str, sub: SubCollection, parent_id: int | str
    ) -> list[dict]:
        """Every row of a per-object list (history, lab results…), its pages sharing the same
        bounded concurrency limit as syncs: a long history never fans out unbounded."""
        page_size = min(self.page_size, self.backend.paging.max_page_size)

        async def fetch(page: int) -> Page:
            async with self._in_flight:
                return await self.backend.fetch_sub(license, sub, parent_id, page, page_size)

        first = await fetch(1)
        pages = page_count(first, page_size, sub.value)
        rows = list(first.rows)
        for page in await asyncio.gather(*(fetch(p) for p in range(2, pages + 1))):
            rows.extend(page.rows)
        return rows


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
