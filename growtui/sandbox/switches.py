"""Latency and fault switches for the sandboxes that render errors their own way (OpenTHC, Trace).

``growtui.sandbox.faults`` decides which armed fault fires; this middleware applies the latency
and renders each fault in the system's own error body::

    switches = Switches(latency_ms=50)
    app = Starlette(routes, middleware=[Middleware(SwitchesMiddleware, switches=switches, error=my_error)])
    switches.add_fault("503", next=1)                 # next request: the system's error body, 503
    switches.add_fault("504", next=1, method="POST")  # next write: applied, then an HTML gateway page
    switches.add_fault("reset", rate=0.1)             # 10%: response started, then the socket dropped

Kinds: ``500``, ``503``, ``504`` (on a write it fires after the write applied), ``reset``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from growtui.sandbox.faults import GATEWAY_TIMEOUT_HTML, ConnectionDropped, Fault, FaultSwitches, parse_fault_spec

__all__ = ["Switches", "SwitchesMiddleware", "SystemFault", "parse_faults"]

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ErrorRenderer = Callable[[Request, int, str], Response]


class SystemFault(Fault):
    KINDS = frozenset({"500", "503", "504", "reset"})


class Switches(FaultSwitches):
    fault_type = SystemFault


def parse_faults(spec: str) -> list[Fault]:
    return parse_fault_spec(spec, SystemFault)


class SwitchesMiddleware:
    """ASGI middleware applying ``Switches``; ``error(request, status, message)`` renders the
    system's error body for an injected 500/503."""

    def __init__(self, app: ASGIApp, switches: Switches, error: ErrorRenderer) -> None:
        self.app = app
        self.switches = switches
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        switches, request = self.switches, Request(scope)
        method, path = request.method, request.url.path
        delay = switches.delay_s()
        if delay:
            await asyncio.sleep(delay)
        write = method in _WRITES
        fault = switches.take(SystemFault.KINDS - ({"504"} if write else set()), method, path)
        if fault is None and write and switches.take(frozenset({"504"}), method, path):
            await self.app(scope, receive, _swallow)  # applied; the client cannot know it was
            await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
        elif fault is None:
            await self.app(scope, receive, send)
        elif fault.kind in ("500", "503"):
            await self.error(request, int(fault.kind), "Service unavailable (sandbox fault)")(scope, receive, send)
        elif fault.kind == "504":
            await HTMLResponse(GATEWAY_TIMEOUT_HTML, status_code=504)(scope, receive, send)
        else:  # reset: start a response we never finish, then drop the connection
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4096")]})
            raise ConnectionDropped()


async def _swallow(message: Message) -> None:
    """Discard the real answer of a write whose reply an injected 504 replaces."""
