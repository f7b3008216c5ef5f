"""Operations realism for the Metrc sandbox: Metrc's GET limits, latency and injected faults.

GET limits (§10.3; writes are not counted): ``per_facility`` GETs per second per (vendor key,
licenseNumber), ``per_vendor`` per second per vendor key, ``concurrent_facility`` and
``concurrent_vendor`` GETs in flight. Over a limit: 429 ``{"Message": …}`` with ``Retry-After: 1``.
Rates are token buckets refilled continuously (a burst up to one second's worth).

    ops = world.ops
    ops.set_limits(per_facility=2)              # None switches a limit off
    ops.add_fault("503", next=2)                # next 2 requests: 503 {"Message": …}
    ops.add_fault("400", next=1)                # a server fault dressed as 400 {"Message": …} (NY, §10.1)
    ops.add_fault("504", next=1, method="PUT")  # the next PUT applies, then answers a 504 HTML page
    ops.add_fault("reset", rate=0.1)            # 10% of requests: the connection drops mid-answer
    ops.stats()

Fault kinds: ``400``, ``500``, ``503`` (JSON ``Message``), ``504`` (HTML; on a write it fires after
the write applied), ``reset``; schema drift on a list page's rows: ``extra_fields`` (keys the docs
do not have) and ``unknown_enum`` (an enum value no client knows). Matching and the spec grammar:
growtui.sandbox.faults.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from growtui.sandbox.faults import GATEWAY_TIMEOUT_HTML, ConnectionDropped, Fault, FaultSwitches, parse_fault_spec
from growtui.sandbox.metrc.errors import FaultResponse
from growtui.sandbox.metrc.http import basic_keys
from growtui.sandbox.metrc.wire import message
from growtui.sandbox.metrc.world import World

SERVER_FAULT = "Could not load file or assembly 'Metrc.Data' or one of its dependencies. (sandbox fault)"
_WRITES = frozenset({"POST", "PUT", "DELETE"})


_REQUEST_KINDS = frozenset({"400", "500", "503", "504", "reset"})
_ROW_KINDS = frozenset({"extra_fields", "unknown_enum"})
# enum-valued wire fields, in the order the unknown_enum fault looks for one in a row
_ENUM_FIELDS = ("GrowthPhase", "State", "PackageType", "HarvestType", "ShipmentPackageState", "LabTestingState", "QuantityType", "LocationTypeName")
UNKNOWN_ENUM_VALUE = "SandboxFutureValue"


class MetrcFault(Fault):
    KINDS = _REQUEST_KINDS | _ROW_KINDS


def parse_faults(spec: str) -> list[Fault]:
    return parse_fault_spec(spec, MetrcFault)


@dataclass
class Limits:
    per_facility: float | None = 50.0
    per_vendor: float | None = 150.0
    concurrent_facility: int | None = 10
    concurrent_vendor: int | None = 30


class _Bucket:
    def __init__(self, rate: float, now: float) -> None:
        self.tokens, self.at = rate, now

    def take(self, rate: float, now: float) -> bool:
        self.tokens = min(rate, self.tokens + (now - self.at) * rate)
        self.at = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class MetrcOps(FaultSwitches):
    fault_type = MetrcFault

    def __init__(self, *, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic, **switches: Any) -> None:
        super().__init__(**switches)
        self.limits = limits or Limits()
        self.clock = clock
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._in_flight: Counter[tuple[str, ...]] = Counter()
        self.reset_counters()

    def set_limits(self, **changes: Any) -> None:
        for name, value in changes.items():
            if not hasattr(self.limits, name):
                raise TypeError(f"unknown limit {name!r}")
            setattr(self.limits, name, value)
        self._buckets.clear()

    def reset_counters(self) -> None:
        self.gets: Counter[str] = Counter()  # per vendor key
        self.writes = 0
        self.rate_limited = 0
        self.max_in_flight_facility = 0
        self.faults_served = Counter()

    def stats(self) -> dict[str, Any]:
        return {
            "gets": sum(self.gets.values()),
            "gets_by_vendor": dict(self.gets),
            "writes": self.writes,
            "rate_limited": self.rate_limited,
            "max_in_flight_facility": self.max_in_flight_facility,
            "faults_served": dict(self.faults_served),
        }

    def admit_get(self, vendor: str, license_number: str) -> str | None:
        """Count one GET; the reason it is refused (429), or None. Call ``release`` when done."""
        lim, now = self.limits, self.clock()
        self.gets[vendor] += 1
        fac_key, vendor_key = ("fac", vendor, license_number), ("vendor", vendor)
        reason = None
        if lim.concurrent_facility and self._in_flight[fac_key] >= lim.concurrent_facility:
            reason = f"more than {lim.concurrent_facility} concurrent GET requests for facility {license_number}"
        elif lim.concurrent_vendor and self._in_flight[vendor_key] >= lim.concurrent_vendor:
            reason = f"more than {lim.concurrent_vendor} concurrent GET requests for this integrator"
        elif lim.per_facility and not self._bucket(fac_key, lim.per_facility, now):
            reason = f"more than {lim.per_facility:g} GET requests per second for facility {license_number}"
        elif lim.per_vendor and not self._bucket(vendor_key, lim.per_vendor, now):
            reason = f"more than {lim.per_vendor:g} GET requests per second for this integrator"
        if reason:
            self.rate_limited += 1
            return reason
        self._in_flight[fac_key] += 1
        self._in_flight[vendor_key] += 1
        self.max_in_flight_facility = max(self.max_in_flight_facility, self._in_flight[fac_key])
        return None

    def release(self, vendor: str, license_number: str) -> None:
        self._in_flight[("fac", vendor, license_number)] -= 1
        self._in_flight[("vendor", vendor)] -= 1

    def _bucket(self, key: tuple[str, ...], rate: float, now: float) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(rate, now)
        return bucket.take(rate, now)

    def decorate_rows(self, request: Request, rows: list[dict[str, Any]]) -> None:
        """Schema drift on this page: unknown extra keys, or an enum value outside the documented set."""
        fault = self.take(_ROW_KINDS, request.method, request.url.path)
        for row in rows if fault is not None else ():
            if fault.kind == "extra_fields":
                row["SandboxAddedField"] = "a field added after the documentation"
                row["SandboxAddedFlags"] = {"IsBeta": True}
            else:
                name = next((n for n in _ENUM_FIELDS if n in row), None)
                if name is not None:
                    row[name] = UNKNOWN_ENUM_VALUE

    def after_write(self, request: Request) -> None:
        """A write just applied: an armed 504 for it answers with a gateway page, write kept."""
        if self.take(frozenset({"504"}), request.method, request.url.path):
            raise FaultResponse(HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504))


class MetrcOpsMiddleware:
    """Trailing slashes, GET limits, latency and pre-handler faults for every request."""

    def __init__(self, app: ASGIApp, world: World) -> None:
        self.app = app
        self.world = world

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if len(path) > 1 and path.endswith("/"):  # Metrc answers /strains/v2/ and /strains/v2 alike (§4)
            scope = dict(scope, path=path.rstrip("/"))
        ops: MetrcOps | None = self.world.ops
        if ops is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        method = request.method
        slot = None
        if method == "GET":
            keys = basic_keys(request.headers.get("authorization"))
            slot = (keys[0] if keys else "anonymous", request.query_params.get("licenseNumber", ""))
            with self.world.lock:
                refused = ops.admit_get(*slot)
            if refused:
                await message(429, f"Too many requests: {refused}. Please pace the usage rate of the API more apart.", {"Retry-After": "1"})(scope, receive, send)
                return
        else:
            with self.world.lock:
                ops.writes += 1 if method in _WRITES else 0
        try:
            delay = ops.delay_s()
            if delay:
                await asyncio.sleep(delay)
            kinds = _REQUEST_KINDS - {"504"} if method in _WRITES else _REQUEST_KINDS
            with self.world.lock:
                fault = ops.take(kinds, method, scope["path"])
            if fault is None:
                await self.app(scope, receive, send)
            elif fault.kind == "504":
                await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
            elif fault.kind == "reset":
                await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4096")]})
                raise ConnectionDropped()
            else:
                text = SERVER_FAULT if fault.kind == "400" else "An error has occurred. (sandbox fault)"
                await message(int(fault.kind), text)(scope, receive, send)
        finally:
            if slot is not None:
                with self.world.lock:
                    ops.release(*slot)
