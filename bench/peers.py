"""The loaders growtui is compared with, as t3-api.md §4.3 describes them (not copied code).

All three use a synchronous httpx client in threads, like the scripts they stand for:
  (a) sequential: pageSize 500, page after page until a page comes back empty;
  (b) probe-then-fetch: a pageSize-5 probe reads `total`, then ThreadPoolExecutor(5) fetches every
      page at pageSize 500, each request retried up to 5 times with a fixed delay;
  (c) unbounded pool: page 1, then all remaining pages at once on ThreadPoolExecutor(max_workers=None)
      (Python's default min(32, cpu+4) threads), no retry.
Every request's start time and status is recorded so the bench can count 429s and requests per window.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Recorder:
    """Start time and status of every HTTP request a loader makes (thread-safe)."""

    starts: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self) -> None:
        with self.lock:
            self.starts.append(time.monotonic())

    def finished(self, status: int) -> None:
        with self.lock:
            self.statuses.append(status)

    @property
    def requests(self) -> int:
        return len(self.starts)

    @property
    def http_429(self) -> int:
        return sum(1 for s in self.statuses if s == 429)

    def max_in_window(self, window_s: float) -> int:
        """Most requests that started within any `window_s` span."""
        times = sorted(self.starts)
        best = lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] >= window_s:
                lo += 1
            best = max(best, hi - lo + 1)
        return best


@dataclass
class LoadResult:
    name: str
    seconds: float
    rows: int
    unique: int
    failed_pages: int
    recorder: Recorder
    error: str = ""
    cpu_s: float = 0.0  # process CPU seconds of the load


class PeerClient:
    """A signed-in synchronous T3 client that records every request."""

    def __init__(self, base_url: str, creds: dict[str, str], recorder: Recorder, pool: int = 64):
        self.recorder = recorder
        self.http = httpx.Client(
            base_url=base_url,
            timeout=60.0,
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
            event_hooks={
                "request": [lambda _r: recorder.started()],
                "response": [lambda r: recorder.finished(r.status_code)],
            },
        )
        answer = self.http.post("/v2/auth/credentials", json=creds)
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['accessToken']}"
        recorder.starts.clear()  # count data requests only, like the growtui side
        recorder.statuses.clear()

    def page(self, path: str, license: str, page: int, page_size: int) -> dict[str, Any]:
        answer = self.http.get(
            path, params={"licenseNumber": license, "page": page, "pageSize": page_size}
        )
        answer.raise_for_status()
        return answer.json()

    def close(self) -> None:
        self.http.close()


def _result(name: str, t0: float, rows: list[dict[str, Any]], failed: int, rec: Recorder,
            error: str = "", id_key: str = "id") -> LoadResult:
    return LoadResult(
        name=name,
        seconds=time.perf_counter() - t0,
        rows=len(rows),
        unique=len({r.get(id_key) for r in rows}),
        failed_pages=failed,
        recorder=rec,
        error=error,
    )


def fetch_pages(fetch: Callable[[int], list[dict[str, Any]] | None], pages: Iterable[int],
                workers: int | None, rows: list[dict[str, Any]]) -> int:
    """Fetch ``pages`` on a pool of ``workers`` threads into ``rows``; returns how many failed."""
    failed = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for data in pool.map(fetch, pages):
            if data is None:
                failed += 1
            else:
                rows.extend(data)
    return failed


def sequential(base_url: str, creds: dict[str, str], license: str, path: str,
               page_size: int = 500) -> LoadResult:
    """(a) One request after another until an empty page (one extra request at the end)."""
    rec = Recorder()
    client = PeerClient(base_url, creds, rec)
    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    page = 1
    try:
        while True:
            data = client.page(path, license, page, page_size)["data"]
            if not data:
                break
            rows.extend(data)
            page += 1
    except httpx.HTTPError as exc:
        return _result("sequential", t0, rows, 1, rec, str(exc))
    finally:
        client.close()
    return _result("sequential", t0, rows, 0, rec)


def probe_then_fetch(base_url: str, creds: dict[str, str], license: str, path: str,
                     page_size: int = 500, workers: int = 5, retries: int = 5,
                     retry_delay_s: float = 5.0) -> LoadResult:
    """(b) Probe pageSize 5 for total, then 5 threads over every page, fixed-delay retries."""
    rec = Recorder()
    client = PeerClient(base_url, creds, rec)
    t0 = time.perf_counter()
    total = client.page(path, license, 1, 5)["total"]
    pages = math.ceil(total / page_size)

    def fetch(page: int) -> list[dict[str, Any]] | None:
        for _attempt in range(retries):
            try:
                return client.page(path, license, page, page_size)["data"]
            except httpx.HTTPError:
                time.sleep(retry_delay_s)
        return None

    rows: list[dict[str, Any]] = []
    failed = fetch_pages(fetch, range(1, pages + 1), workers, rows)
    client.close()
    return _result("probe+5 threads", t0, rows, failed, rec)


def unbounded_pool(base_url: str, creds: dict[str, str], license: str, path: str,
                   page_size: int = 500) -> LoadResult:
    """(c) Page 1 for total, then every other page at once on a default-sized pool, no retry."""
    rec = Recorder()
    client = PeerClient(base_url, creds, rec)
    t0 = time.perf_counter()
    first = client.page(path, license, 1, page_size)
    pages = math.ceil(first["total"] / page_size)

    def fetch(page: int) -> list[dict[str, Any]] | None:
        try:
            return client.page(path, license, page, page_size)["data"]
        except httpx.HTTPError:
            return None

    rows = list(first["data"])
    failed = fetch_pages(fetch, range(2, pages + 1), None, rows)
    client.close()
    return _result("unbounded pool", t0, rows, failed, rec)
