"""HTTP plumbing shared by every HTTP backend: request budget, retry policy, counters.

* ``SlidingWindowBudget`` — an exact "at most N request starts in any window of W seconds" limiter
  (T3 allows 600 per minute per user). Under budget it adds no delay at all.
* ``RetryPolicy`` — when and how long to wait before retrying an idempotent request
  (exponential backoff with full jitter, honouring ``Retry-After``).
* ``ResilientSender`` — sends one ``httpx.Request`` through the budget, retrying GETs per the
  policy and never retrying writes. It returns the final response (any status) or raises the
  final ``httpx.TransportError``; turning those into ``BackendError`` is the backend's job,
  because only the backend knows its error envelope.
* ``RequestStats`` — counters the benchmarks and the status bar read.
* ``ServerClock`` — the upstream's clock, read from the ``Date`` header of its answers: sync
  watermarks come from it, never from the local clock (which may be minutes off).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from growtui.backends.base import RequestBudget

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class SlidingWindowBudget:
    """Never lets more than ``limit`` requests start within any ``window_s`` seconds.

    Start times are kept in a deque; when it is full the next caller sleeps until the oldest start
    leaves the window. Waiters are served first come, first served (one lock), so the limit is
    exact rather than a token-bucket approximation.

    ``margin_s`` widens the window we keep to: the server counts *arrivals*, and a request that
    travelled slower than the one ``limit`` places after it would otherwise look like a burst.
    """

    def __init__(
        self,
        limit: int = 600,
        window_s: float = 60.0,
        *,
        margin_s: float = 0.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0 or margin_s < 0:
            raise ValueError("limit must be >= 1, window_s > 0 and margin_s >= 0")
        self.limit = limit
        self.window_s = window_s + margin_s  # the span actually enforced
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        # Counters: how many started, how many had to wait, total time spent waiting.
        self.acquired = 0
        self.delayed = 0
        self.waited_s = 0.0
        self.max_in_window = 0

    def _get_lock(self) -> asyncio.Lock:
        # An asyncio.Lock binds to the loop that first uses it; tests may run several loops.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock = asyncio.Lock()
            self._lock_loop = loop
        return self._lock

    @property
    def last_start(self) -> float | None:
        """Clock time of the most recent start (read right after ``acquire`` returns)."""
        return self._starts[-1] if self._starts else None

    def in_window(self) -> int:
        """Starts within the current window (for status displays)."""
        self._expire(self._clock())
        return len(self._starts)

    def _expire(self, now: float) -> None:
        horizon = now - self.window_s
        starts = self._starts
        while starts and starts[0] <= horizon:
            starts.popleft()

    async def acquire(self) -> None:
        lock = self._get_lock()
        # Holders never yield except to sleep for a full window, so a held lock means "queued".
        waited = lock.locked()
        began = self._clock()
        async with lock:
            while True:
                now = self._clock()
                self._expire(now)
                if len(self._starts) < self.limit:
                    break
                waited = True
                # Sleep until the oldest start is exactly one window old; loop re-checks the clock.
                await self._sleep(max(self._starts[0] + self.window_s - now, 1e-4))
            self._starts.append(now)
            self.acquired += 1
            self.max_in_window = max(self.max_in_window, len(self._starts))
            if waited:
                self.delayed += 1
                self.waited_s += now - began


class ServerClock:
    """The upstream's time as "local time + offset", the offset measured from ``Date`` headers.

    ``Date`` has one-second resolution and is stamped before the answer travels back, so the
    offset measured here errs early (by up to a second plus the latency). That is the safe side
    for a "modified since" watermark: an early watermark only re-reads a few rows.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self.offset: float | None = None  # seconds to add to local time; None until a Date was seen

    def observe(self, date_header: str | None) -> None:
        if not date_header:
            return
        try:
            when = email.utils.parsedate_to_datetime(date_header)
        except (TypeError, ValueError, IndexError):
            return
        if when is None or when.tzinfo is None:
            return
        self.offset = when.timestamp() - self._clock()

    def now(self) -> float:
        """Upstream's current time in epoch seconds (the local clock until a Date was seen)."""
        return self._clock() + (self.offset or 0.0)


class UnlimitedBudget:
    """A budget that never waits (for tests of things other than the budget)."""

    async def acquire(self) -> None:
        return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry idempotent requests on transient failures. Writes are never retried."""

    max_attempts: int = 5
    base_s: float = 0.25
    cap_s: float = 8.0
    max_retry_after_s: float = 60.0  # a longer Retry-After is surfaced rather than slept through
    retry_statuses: frozenset[int] = frozenset({408, 425, 429, 500, 502, 503, 504})

    def retries_status(self, status: int) -> bool:
        return status in self.retry_statuses

    @staticmethod
    def retries_exception(exc: BaseException) -> bool:
        # Timeouts, refused/reset connections, and a server that hung up before answering.
        return isinstance(
            exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
        )

    def backoff(
        self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Delay before attempt ``attempt + 1`` (``attempt`` counts from 1): full jitter,
        but never shorter than the server's ``Retry-After``."""
        ceiling = min(self.cap_s, self.base_s * (2 ** (attempt - 1)))
        delay = (rng or random).uniform(0.0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_retry_after_s))
        return delay


NO_RETRY = RetryPolicy(max_attempts=1)


@dataclass(slots=True)
class RequestStats:
    """Counters for benchmarks and diagnostics. ``requests`` counts every attempt sent."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0  # 429 responses seen (each means someone else shares the budget)
    server_errors: int = 0  # 5xx responses seen
    transport_errors: int = 0  # timeouts, resets, refused connections
    by_status: dict[int, int] = field(default_factory=dict)

    def snapshot(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "server_errors": self.server_errors,
            "transport_errors": self.transport_errors,
        }


class ResilientSender:
    """Sends requests through a budget, retrying the idempotent ones per a ``RetryPolicy``."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        budget: RequestBudget,
        retry: RetryPolicy = RetryPolicy(),
        stats: RequestStats | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.budget = budget
        self.retry = retry
        self.stats = stats if stats is not None else RequestStats()
        self._sleep = sleep
        self._rng = rng or random.Random()

    async def send(self, request: httpx.Request, *, idempotent: bool) -> httpx.Response:
        attempts = self.retry.max_attempts if idempotent else 1
        attempt = 0
        while True:
            attempt += 1
            await self.budget.acquire()
            self.stats.requests += 1
            try:
                response = await self.client.send(request)
            except httpx.TransportError as exc:
                self.stats.transport_errors += 1
                if attempt >= attempts or not self.retry.retries_exception(exc):
                    raise
                await self._pause(attempt, None)
                continue
            status = response.status_code
            self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
            if status == 429:
                self.stats.rate_limited += 1
            elif status >= 500:
                self.stats.server_errors += 1
            if attempt >= attempts or not self.retry.retries_status(status):
                return response
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.retry.max_retry_after_s:
                return response  # waiting that long silently would look like a hang
            await response.aclose()
            await self._pause(attempt, retry_after)

    async def _pause(self, attempt: int, retry_after: float | None) -> None:
        self.stats.retries += 1
        await self._sleep(self.retry.backoff(attempt, retry_after, self._rng))
