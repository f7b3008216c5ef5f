"""Run the Trace sandbox: ``TraceConfig`` -> ``build_app`` (in-process ASGI) or ``serve_in_thread``
(real HTTP on 127.0.0.1, an ephemeral port by default).

    with serve_in_thread(TraceConfig(latency_ms=50)) as server:
        httpx.get(f"{server.base_url}/co/v1/config/strains", params={"license_number": "402R-00517"},
                  headers=headers_for("grower.co"))
        server.world.ops.add_fault("503", next=1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from growtui.sandbox.faults import Fault
from growtui.sandbox.serving import SandboxServer
from growtui.sandbox.switches import Switches, SwitchesMiddleware, parse_faults
from growtui.sandbox.trace.http import error_response
from growtui.sandbox.trace.seed import ACCOUNTS, build_world, kmp_token
from growtui.sandbox.trace.store import TraceWorld
from growtui.sandbox.trace.strains import routes

__all__ = ["SandboxServer", "TraceConfig", "build_app", "headers_for", "serve_in_thread"]


@dataclass
class TraceConfig:
    seed: int = 7
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    faults: Iterable[Fault] | str = ()  # Fault objects or the CLI spec string (growtui.sandbox.switches)
    clock: Callable[[], datetime] | None = None
    packages: int | None = None  # accepted from the app's shared training wiring; Trace has no packages


def headers_for(username: str) -> dict[str, str]:
    """Both auth headers of a seeded account."""
    acc = next(a for a in ACCOUNTS if a.username == username)
    return {"x-api-key": acc.api_key, "Authorization": f"KMP-JSON token={kmp_token(acc.vendor_key, acc.user_key)}"}


def _error(request: Request, status: int, message: str) -> Response:
    return error_response(status, message)


async def _http_error(request: Request, exc: Any) -> Response:
    return error_response(getattr(exc, "status_code", 500), str(getattr(exc, "detail", "")))


def build_app(config: TraceConfig | None = None, *, world: TraceWorld | None = None) -> Starlette:
    """The ASGI app with ``app.state.world``; pass ``world`` to serve an existing one."""
    config = config or TraceConfig()
    world = world or build_world(config.seed, TraceWorld(config.seed, clock=config.clock))
    faults = parse_faults(config.faults) if isinstance(config.faults, str) else list(config.faults)
    world.ops = Switches(latency_ms=config.latency_ms, jitter_ms=config.jitter_ms, faults=faults, seed=config.seed)
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SwitchesMiddleware, switches=world.ops, error=_error)],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.world = world
    return app


def serve_in_thread(config: TraceConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, world: TraceWorld | None = None) -> SandboxServer:
    """A started-on-enter server: ``with serve_in_thread(cfg) as s: s.base_url``."""
    return SandboxServer(build_app(config, world=world), host=host, port=port)
