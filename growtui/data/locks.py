"""One sync per (license, family) at a time, across every process that shares a cache file.

Why a cross-process lock and not a load generation swapped in SQLite: both a full load ("remove the
rows this load did not see") and an incremental refresh (move rows between sibling lists) are
read-modify-write over the whole family. Two processes of one user on one kiosk host (two SSH
sessions) interleaving them lose rows, whatever bookkeeping each keeps in its own memory. Holding
an exclusive lock on the (license, family) pair for the whole sync lets each sync run as if it were
alone; a swapped-in generation would still have to merge with the other process's moves. The lock
is ``flock`` on one small file per pair next to the cache (0600 in a 0700 directory): the kernel
drops it when a process dies, so a crash never leaves a stale lock behind. Waiting polls with a
non-blocking ``flock`` so a cancelled sync never leaves a thread behind holding it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the in-process lock is all there is
    fcntl = None  # type: ignore[assignment]

from growtui.data.cache import safe_name


class SyncLocks:
    """Exclusive (license, family) locks: an asyncio lock in-process, ``flock`` across processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._local: dict[tuple[str, str], asyncio.Lock] = {}

    def _path(self, license: str, family: str) -> Path:
        return self.directory / f"{safe_name(license)}.{safe_name(family)}.lock"

    @asynccontextmanager
    async def hold(self, license: str, family: str) -> AsyncIterator[None]:
        local = self._local.setdefault((license, family), asyncio.Lock())
        async with local:
            if fcntl is None:
                yield
                return
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self._path(license, family), os.O_CREAT | os.O_RDWR, 0o600)
            try:
                delay = 0.01
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        await asyncio.sleep(delay)  # another process is syncing this family
                        delay = min(delay * 2, 0.25)
                yield
            finally:
                os.close(fd)  # closing the descriptor releases the flock
