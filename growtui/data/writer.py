"""One writer thread per cache for a sync's pages, fed by a queue.

The event loop only hands a page over and keeps fetching; the thread works out each page's
display cells and stored text, then writes every page that queued up meanwhile in one
transaction. The thread starts with the first page and ends once the queue has stayed empty a
while, so nothing needs closing; as it ends it gives the heap the pages took back to the OS.

The thread shares the GIL with the event loop, so while it works a filter or a sort on screen
runs at half speed. The UI calls ``hold`` on every key and click: the thread then waits between
rows until the person has had ``HOLD_S`` of the CPU, and the load goes on after.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from growtui.data.cache import Cache, StoredPage
from growtui.data.heap import release_free_memory
from growtui.domain.collections import Collection

# Pages written per transaction at most: a few seconds of pages, still a short lock.
MAX_BATCH = 16
IDLE_S = 2.0  # how long the thread waits for more pages before it ends
HOLD_S = 0.15  # how long it stays out of the way after a key or a click (a frame or a few)


class PageWriter:
    def __init__(self, cache: Cache, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cache = cache
        self._clock, self._sleep = clock, sleep
        self._held_until = 0.0
        self._queue: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False
        self.batches = 0  # transactions written (for tests and benchmarks)

    @property
    def running(self) -> bool:
        """The thread is alive: pages are queued or were written less than IDLE_S ago."""
        return self._running

    def hold(self, seconds: float = HOLD_S) -> None:
        """Leave the CPU to the event loop for `seconds` from now (any thread may call it)."""
        self._held_until = max(self._held_until, self._clock() + seconds)

    @property
    def held(self) -> bool:
        return self._held_until > self._clock()

    def _wait_if_held(self) -> None:
        while (left := self._held_until - self._clock()) > 0:
            self._sleep(left)

    def submit(
        self, license: str, collection: Collection, rows: Sequence[Any], seen: int | None
    ) -> Future[StoredPage]:
        """Queue one page now (pages are written in the order submitted); the future ends once
        it is committed."""
        done: Future[StoredPage] = Future()
        with self._lock:
            self._queue.put((license, collection, rows, seen, done))
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="growtui-page-writer", daemon=True).start()
        return done

    async def store(
        self, license: str, collection: Collection, rows: Sequence[Any], seen: int | None
    ) -> StoredPage:
        """Queue one page; returns once it is committed."""
        return await asyncio.wrap_future(self.submit(license, collection, rows, seen))

    def _run(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._running = False
                        break
                continue
            batch = [job]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)
        # The load's pages are written and freed: hand the heap they took back to the OS.
        release_free_memory()

    def _write(self, batch: list[tuple[Any, ...]]) -> None:
        prepared = []
        for license, collection, rows, seen, done in batch:
            if not done.set_running_or_notify_cancel():  # its sync was cancelled meanwhile
                continue
            try:
                prepared.append((self.cache.prepare_rows(license, collection, rows, seen=seen,
                                                         pause=self._wait_if_held), done))
            except BaseException as exc:  # noqa: BLE001 - handed to the page's waiter
                done.set_exception(exc)
        if not prepared:
            return
        self._wait_if_held()
        try:
            self.cache.write_prepared([p for p, _ in prepared])
        except BaseException as exc:  # noqa: BLE001 - every page of the batch failed with it
            for _, done in prepared:
                done.set_exception(exc)
            return
        self.batches += 1
        for p, done in prepared:
            done.set_result(p.stored)
