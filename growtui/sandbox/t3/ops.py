"""Operations realism: per-user rate limit, concurrency cap, latency, and fault injection.

One ``Ops`` object per app (``world.ops``); everything is switchable while the server runs::

    ops = world.ops
    ops.set_rate_limit(5, window_s=1.0)          # None disables the limiter
    ops.add_fault("503", next=2)                  # the next 2 requests answer 503 (JSON envelope)
    ops.add_fault("504", next=1, method="POST")   # next write: applied, then a 504 HTML page
    ops.add_fault("reset", rate=0.1, path="/v2/packages")   # 10% of package requests: socket dropped
    ops.add_fault("expire_tokens", next=1)        # every live token dies now (this request gets 401)
    ops.add_fault("unknown_enum", next=1)         # enum fields outside the 0.6.0 sets in that page
    ops.add_fault("extra_fields", rate=1.0)       # unknown extra fields on every emitted row
    ops.stats()                                   # counters for tests and benchmarks

Fault kinds: ``500``, ``503`` (JSON error envelope instead of the handler), ``504`` (HTML body; on a
POST it fires *after* the write applied, via ``Ctx.applied()``), ``reset`` (response started then the
connection is dropped: clients see a transport error), ``expire_tokens``, ``unknown_enum``,
``extra_fields``. A fault fires on the next ``next`` matching requests, or with probability ``rate``;
``path`` (prefix) and ``method`` narrow what matches.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from growtui.sandbox.faults import Fault as BaseFault
from growtui.sandbox.faults import FaultSwitches, parse_fault_spec
from growtui.sandbox.t3.errors import ApiError, FaultResponse
from growtui.sandbox.t3.http import error_response
from growtui.sandbox.t3.store import World
from growtui.sandbox.t3.tokens import bearer_token, decode_token

FAULT_KINDS = frozenset({"500", "503", "504", "reset", "expire_tokens", "unknown_enum", "extra_fields"})
_PRE_HANDLER = frozenset({"500", "503", "504", "reset", "expire_tokens"})
_ROW_KINDS = frozenset({"unknown_enum", "extra_fields"})

GATEWAY_TIMEOUT_HTML = (
    "<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head>"
    "<body><center><h1>504 Gateway Time-out</h1></center><hr><center>cloudflare</center></body></html>\n"
)
# enum-typed wire fields and a value outside every 0.6.0 enum
_ENUM_FIELDS = (
    "packageType",
    "growthPhaseName",
    "stateName",
    "locationTypeName",
    "harvestType",
    "unitOfMeasureQuantityType",
    "shipmentPackageState",
    "transporterDirectionName",
)
UNKNOWN_ENUM_VALUE = "SandboxFutureValue"


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised after the response started so the server drops the socket. In-process
    (ASGITransport) it reaches the client as-is: an ``httpx.TransportError`` either way."""

    def __init__(self) -> None:
        super().__init__("sandbox dropped the connection (injected fault)")


class Fault(BaseFault):
    KINDS = FAULT_KINDS


def parse_faults(spec: str) -> list[Fault]:
    """``503:0.05,504:x2@POST,reset:0.1~/v2/packages`` (grammar: growtui.sandbox.faults)."""
    return parse_fault_spec(spec, Fault)  # type: ignore[return-value]


class Ops(FaultSwitches):
    """Switches and counters; see the module docstring."""

    fault_type = Fault

    def __init__(
        self,
        *,
        rate_limit: int | None = 600,
        rate_window_s: float = 60.0,
        max_concurrent: int | None = None,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        faults: Iterable[Fault] = (),
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(latency_ms=latency_ms, jitter_ms=jitter_ms, faults=faults, seed=seed)
        self.rate_limit = rate_limit
        self.rate_window_s = rate_window_s
        self.max_concurrent = max_concurrent
        self.clock = clock
        self._windows: dict[str, deque[float]] = {}
        self._in_flight: Counter[str] = Counter()
        self.reset_counters()

    # -- runtime control

    def set_rate_limit(self, limit: int | None, window_s: float | None = None) -> None:
        self.rate_limit = limit
        if window_s is not None:
            self.rate_window_s = window_s
        self._windows.clear()

    def set_max_concurrent(self, n: int | None) -> None:
        self.max_concurrent = n

    def reset_counters(self) -> None:
        self.requests_by_user: Counter[str] = Counter()
        self.rate_limited = 0
        self.max_in_window_by_user: dict[str, int] = {}
        self.faults_served: Counter[str] = Counter()
        self.max_in_flight = 0

    def stats(self) -> dict[str, Any]:
        return {
            "requests": sum(self.requests_by_user.values()),
            "requests_by_user": dict(self.requests_by_user),
            "rate_limited": self.rate_limited,
            "max_in_window": max(self.max_in_window_by_user.values(), default=0),
            "max_in_window_by_user": dict(self.max_in_window_by_user),
            "faults_served": dict(self.faults_served),
            "max_in_flight": self.max_in_flight,
        }

    # -- decisions

    def admit(self, user: str) -> bool:
        """Sliding-window limiter: False means answer 429 (rejected requests are not counted)."""
        if not self.rate_limit:
            return True
        now = self.clock()
        window = self._windows.setdefault(user, deque())
        while window and window[0] <= now - self.rate_window_s:
            window.popleft()
        if len(window) >= self.rate_limit:
            self.rate_limited += 1
            return False
        window.append(now)
        self.max_in_window_by_user[user] = max(self.max_in_window_by_user.get(user, 0), len(window))
        return True

    # -- hooks called by route code

    def after_write(self, request: Request) -> None:
        """A write just applied: an armed 504 fault for it answers with an HTML gateway page."""
        if self.take(frozenset({"504"}), request.method, request.url.path):
            raise FaultResponse(HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504))

    def row_faults_armed(self, request: Request) -> bool:
        """Whether ``decorate_rows`` might change this request's rows (without consuming a fault)."""
        return any(f.kind in _ROW_KINDS and f.matches(request.method, request.url.path) for f in self.faults)

    def decorate_rows(self, request: Request, rows: list[dict[str, Any]]) -> None:
        """Schema drift: unknown enum values / unknown extra fields on this page's rows."""
        fault = self.take(_ROW_KINDS, request.method, request.url.path)
        if fault is None:
            return
        for row in rows:
            if fault.kind == "extra_fields":
                row["sandboxExtraNote"] = "field added after t3api 0.6.0"
                row["sandboxExtraFlags"] = {"beta": True}
            else:
                for name in _ENUM_FIELDS:
                    if name in row:
                        row[name] = UNKNOWN_ENUM_VALUE
                        break


class OpsMiddleware:
    """ASGI middleware applying ``world.ops`` to every HTTP request."""

    def __init__(self, app: ASGIApp, world: World) -> None:
        self.app = app
        self.world = world

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ops: Ops | None = self.world.ops
        if scope["type"] != "http" or ops is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        method, path = request.method, request.url.path
        user = self._user_key(request)
        with self.world.lock:
            ops.requests_by_user[user] += 1
            admitted = ops.admit(user)
            busy = bool(ops.max_concurrent) and ops._in_flight[user] >= (ops.max_concurrent or 0)
            if admitted and busy:
                ops.rate_limited += 1
        if not admitted or busy:
            reason = "Too many concurrent requests" if admitted else "Rate limit exceeded"
            await self._error(request, 429, "TooManyRequests", f"{reason} for {user}. Slow down and retry.", scope, receive, send)
            return
        ops._in_flight[user] += 1
        ops.max_in_flight = max(ops.max_in_flight, sum(ops._in_flight.values()))
        try:
            delay = ops.delay_s()
            if delay:
                await asyncio.sleep(delay)
            kinds = _PRE_HANDLER - {"504"} if method == "POST" else _PRE_HANDLER
            with self.world.lock:
                fault = ops.take(kinds, method, path)
            if fault is None:
                await self.app(scope, receive, send)
            elif fault.kind in ("500", "503"):
                status = int(fault.kind)
                kind = "InternalServerError" if status == 500 else "ServiceUnavailable"
                await self._error(request, status, kind, "Metrc is not responding (sandbox fault).", scope, receive, send)
            elif fault.kind == "504":
                await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
            elif fault.kind == "expire_tokens":
                with self.world.lock:
                    self.world.expire_all_tokens()
                await self.app(scope, receive, send)
            else:  # reset: start a response we never finish, then drop the connection
                await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4096")]})
                raise ConnectionDropped()
        finally:
            ops._in_flight[user] -= 1

    def _user_key(self, request: Request) -> str:
        token = bearer_token(request.headers.get("authorization"))
        if token:
            try:
                return str(decode_token(self.world, token, check_expiry=False)["sub"])
            except ApiError:
                pass
        client = request.client.host if request.client else "unknown"
        return f"anonymous@{client}"

    async def _error(self, request: Request, status: int, type_: str, message: str, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(request, status, type_, message)(scope, receive, send)
