"""HTTP plumbing shared by every HTTP backend: request budget, retry policy, counters.

* ``SlidingWindowBudget`` — an exact "at most N requests in any window of W seconds" limiter, as
  upstream counts them (T3 allows 600 per minute per user), adapting to 429s (``Retry-After``, or
  halve and recover slowly). Under budget it adds no delay at all.
* ``RetryPolicy`` — when and how long to wait before retrying an idempotent request
  (exponential backoff with full jitter, honouring ``Retry-After``).
* ``ResilientSender`` — sends one ``httpx.Request`` through the budget, retrying GETs per the
  policy and never retrying writes, reading every body with a size limit (``MAX_BODY_BYTES``). It returns the final response (any status) or raises the
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

from growtui.backends.base import BackendError, ErrorKind, RequestBudget
from growtui.backends.responses import error_from_transport

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class Slot:
    """One request's place in a budget's window: from its start until one window after its
    answer arrived (``end``; None while the request is in flight)."""

    start: float
    end: float | None

    def expires(self, window_s: float) -> float | None:
        return None if self.end is None else self.end + window_s


class SlidingWindowBudget:
    """Never lets more than ``limit`` requests into any ``window_s`` seconds, as upstream counts.

    Upstream counts *arrivals*, which lie somewhere between a request's start and its answer. So a
    request sent through ``acquire_slot`` holds its place until one window after its answer came
    back (``finished``): however slowly it travelled, upstream never sees more than ``limit`` in a
    window. (``acquire`` alone counts from the start, for callers that report no answers.)
    Waiters are served first come, first served (one lock), so the limit is exact.

    The budget adapts to what upstream says (``finished`` with the status). A 429's
    ``Retry-After``, when sent, pauses every start until then. A 429 also halves the pace: starts
    are spaced to half the rate of the last second (once per burst: requests started before the
    last cut do not cut again). Upstream's window may be shorter than ours, so the pace, not the
    window limit, is what adapts. The pace recovers by a tenth per whole window without a 429 and
    is dropped once it is back to the window's own rate: slower than it fell, so a budget shared
    with another app settles just under what is left for us.

    ``margin_s`` widens the window we keep to.
    """

    def __init__(
        self,
        limit: int = 600,
        window_s: float = 60.0,
        *,
        margin_s: float = 0.0,
        max_pause_s: float = 120.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if limit < 1 or window_s <= 0 or margin_s < 0:
            raise ValueError("limit must be >= 1, window_s > 0 and margin_s >= 0")
        self.limit = limit
        self.pace_rps: float | None = None  # adapted starts per second after a 429; None: unpaced
        self.window_s = window_s + margin_s  # the span actually enforced
        self.max_pause_s = max_pause_s
        self._clock = clock
        self._sleep = sleep
        self._slots: deque[Slot] = deque()
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._answered: asyncio.Event | None = None
        self._paused_until = 0.0
        self._last_cut = float("-inf")
        self._last_change = float("-inf")  # last cut or recovery step
        # Counters: how many started, how many had to wait, total time spent waiting, adaptations.
        self.acquired = 0
        self.delayed = 0
        self.waited_s = 0.0
        self.max_in_window = 0
        self.rate_limited = 0
        self.cuts = 0

    def _get_lock(self) -> asyncio.Lock:
        # An asyncio.Lock binds to the loop that first uses it; tests may run several loops.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock = asyncio.Lock()
            self._answered = asyncio.Event()
            self._lock_loop = loop
        return self._lock

    @property
    def last_start(self) -> float | None:
        """Clock time of the most recent start (read right after ``acquire`` returns)."""
        return self._slots[-1].start if self._slots else None

    def in_window(self) -> int:
        """Requests holding a place in the window now (for status displays)."""
        self._expire(self._clock())
        return len(self._slots)

    def _expire(self, now: float) -> None:
        window = self.window_s
        if any((e := s.expires(window)) is not None and e <= now for s in self._slots):
            self._slots = deque(s for s in self._slots if (e := s.expires(window)) is None or e > now)

    def _recover(self, now: float) -> None:
        if self.pace_rps is not None and now - self._last_change >= self.window_s:
            self.pace_rps *= 1.1
            self._last_change = now
            if self.pace_rps >= self.limit / self.window_s:
                self.pace_rps = None

    async def acquire(self) -> None:
        """Wait for a place; it counts from now (no answer will be reported)."""
        slot = await self.acquire_slot()
        slot.end = slot.start

    async def acquire_slot(self) -> Slot:
        """Wait for a place in the window; report the answer with ``finished``."""
        lock = self._get_lock()
        # Holders never yield except to wait for a place, so a held lock means "queued".
        waited = lock.locked()
        began = self._clock()
        async with lock:
            while True:
                now = self._clock()
                if now < self._paused_until:  # upstream asked us to wait (Retry-After)
                    waited = True
                    await self._sleep(self._paused_until - now)
                    continue
                self._expire(now)
                self._recover(now)
                if len(self._slots) >= self.limit:
                    waited = True
                    await self._wait_for_place(now)
                    continue
                last = self.last_start
                if self.pace_rps is not None and last is not None and now < last + 1 / self.pace_rps:
                    waited = True
                    await self._sleep(last + 1 / self.pace_rps - now)
                    continue
                break
            slot = Slot(now, None)
            self._slots.append(slot)
            self.acquired += 1
            self.max_in_window = max(self.max_in_window, len(self._slots))
            if waited:
                self.delayed += 1
                self.waited_s += now - began
            return slot

    async def _wait_for_place(self, now: float) -> None:
        """Sleep until the earliest place frees; if every place is in flight, until an answer."""
        window = self.window_s
        expiries = [e for s in self._slots if (e := s.expires(window)) is not None]
        if expiries:
            await self._sleep(max(min(expiries) - now, 1e-4))
            return
        assert self._answered is not None
        self._answered.clear()
        await self._answered.wait()

    def finished(self, slot: Slot, status: int | None = None, retry_after: float | None = None) -> None:
        """The answer to ``slot``'s request arrived (``status`` None: no answer, a transport error)."""
        now = self._clock()
        slot.end = now
        if status == 429:
            self.rate_limited += 1
            self._last_change = max(self._last_change, now)
            if retry_after is not None:
                self._paused_until = max(self._paused_until, now + min(retry_after, self.max_pause_s))
            if slot.start > self._last_cut:  # the first 429 of a burst: cut once
                recent = sum(1 for s in self._slots if s.start > now - 1.0)
                rate = self.pace_rps if self.pace_rps is not None else max(1.0, recent)
                self.pace_rps = max(0.05, rate / 2)
                self._last_cut = now
                self.cuts += 1
        if self._answered is not None:
            self._answered.set()


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


# No answer growtui needs comes near this (a 500-row page of packages is ~3 MB); a bigger one is
# a broken or hostile upstream. Counted after decompression.
MAX_BODY_BYTES = 64 * 1024 * 1024


class ResponseTooLarge(Exception):
    """An answer's body (decompressed) exceeded the limit; it was not read further."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"an answer larger than {limit // (1024 * 1024)} MB")
        self.limit = limit


async def read_body(response: httpx.Response, limit: int) -> None:
    """Read a streamed answer's body, decompressed, but never more than ``limit`` bytes of it.

    Decoding goes chunk by chunk (one network chunk at a time), so even a gzip bomb costs at most
    the limit plus one chunk's inflation before it is refused.
    """
    try:
        declared = int(response.headers.get("content-length", ""))
    except ValueError:
        declared = 0
    chunks: list[bytes] = []
    size = 0
    try:
        if declared > limit:
            raise ResponseTooLarge(limit)
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(limit)
            chunks.append(chunk)
    finally:
        await response.aclose()
    response._content = b"".join(chunks)  # what Response.aread() stores; the body is now read


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
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.max_body_bytes = max_body_bytes
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
            slot = await self._acquire()
            self.stats.requests += 1
            try:
                response = await self.client.send(request, stream=True)
            except httpx.TransportError as exc:
                self._finished(slot, None, None)
                self.stats.transport_errors += 1
                if attempt >= attempts or not self.retry.retries_exception(exc):
                    raise
                await self._pause(attempt, None)
                continue
            status = response.status_code
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            self._finished(slot, status, retry_after)
            self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
            if status == 429:
                self.stats.rate_limited += 1
            elif status >= 500:
                self.stats.server_errors += 1
            try:
                await read_body(response, self.max_body_bytes)
            except httpx.TransportError as exc:  # the connection broke mid-body
                self.stats.transport_errors += 1
                if attempt >= attempts or not self.retry.retries_exception(exc):
                    raise
                await self._pause(attempt, None)
                continue
            if (
                attempt >= attempts
                or not self.retry.retries_status(status)
                # waiting longer than that silently would look like a hang
                or (retry_after is not None and retry_after > self.retry.max_retry_after_s)
            ):
                return response
            await self._pause(attempt, retry_after)

    async def _acquire(self) -> Slot | None:
        acquire_slot = getattr(self.budget, "acquire_slot", None)
        if acquire_slot is not None:
            return await acquire_slot()
        await self.budget.acquire()  # a budget that does not track answers
        return None

    def _finished(self, slot: Slot | None, status: int | None, retry_after: float | None) -> None:
        if slot is not None:
            self.budget.finished(slot, status, retry_after)  # type: ignore[attr-defined]

    async def _pause(self, attempt: int, retry_after: float | None) -> None:
        self.stats.retries += 1
        await self._sleep(self.retry.backoff(attempt, retry_after, self._rng))


DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
USER_AGENT = "growtui/0.1 (+terminal app for grow floors)"


class JsonClient:
    """An httpx client behind a ResilientSender (request budget, GET retries, bounded bodies):
    where a system's wire client starts. ``gets_per_minute`` sets the budget when none is given."""

    gets_per_minute = 300  # for systems that publish no limit: well clear of any sensible one
    title = "The server"  # the system's name in messages: "Trace sent …"
    connections: int | None = None  # a cap on open connections, for systems that limit requests at once

    def __init__(
        self,
        base_url: str,
        *,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        stats: RequestStats | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        limits = httpx.Limits() if self.connections is None else httpx.Limits(
            max_connections=self.connections, max_keepalive_connections=self.connections)
        self._options = {
            "timeout": timeout, "transport": transport, "limits": limits,
            "headers": {"Accept": "application/json", "User-Agent": USER_AGENT},
        }
        self.budget = budget if budget is not None else self.default_budget()
        self._retry = retry or RetryPolicy()
        self._stats = stats if stats is not None else RequestStats()
        self._sender: ResilientSender | None = None  # and its httpx client: made on first use
        self.server_clock = ServerClock()  # every answer's Date: sync watermarks come from it

    def default_budget(self) -> RequestBudget:
        return SlidingWindowBudget(self.gets_per_minute, 60.0)

    @property
    def sender(self) -> ResilientSender:
        """Made on first use with its httpx client: making one loads the TLS certificates (tens of
        ms), and a warm start draws its cached rows before it sends anything."""
        if self._sender is None:
            client = httpx.AsyncClient(base_url=self.base_url, **self._options)
            self._sender = ResilientSender(client, budget=self.budget, retry=self._retry, stats=self._stats)
        return self._sender

    @property
    def http(self) -> httpx.AsyncClient:
        return self.sender.client

    @property
    def started(self) -> bool:
        """Whether the httpx client has been made (the first request makes it)."""
        return self._sender is not None

    @property
    def stats(self) -> RequestStats:
        return self._stats

    async def aclose(self) -> None:
        if self.started:
            await self.http.aclose()

    async def _send(self, request: httpx.Request, *, write: bool, idempotent: bool | None = None) -> httpx.Response:
        """Any final response; a failure to get one is a BackendError (in doubt for a write).
        Retried unless it is a write (``idempotent`` says otherwise where a read is not safe to repeat)."""
        try:
            response = await self.sender.send(request, idempotent=not write if idempotent is None else idempotent)
        except ResponseTooLarge as exc:
            raise BackendError(ErrorKind.PROTOCOL, f"{self.title} sent {exc}; growtui does not read it.",
                               upstream=exc, in_doubt=write) from exc
        except httpx.TransportError as exc:
            raise error_from_transport(exc, write=write) from exc
        except httpx.HTTPError as exc:  # e.g. a body that could not be decoded
            raise BackendError(ErrorKind.PROTOCOL, f"{self.title} sent an unreadable response ({type(exc).__name__}).",
                               upstream=exc, in_doubt=write) from exc
        self.server_clock.observe(response.headers.get("date"))
        return response
