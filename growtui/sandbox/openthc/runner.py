"""Run the OpenTHC sandbox: ``OpenTHCConfig`` -> ``build_app`` (in-process ASGI) or
``serve_in_thread`` (real HTTP on 127.0.0.1, an ephemeral port by default).

    with serve_in_thread(OpenTHCConfig(empty_meta="object")) as server:
        token = httpx.post(f"{server.base_url}/auth/open", data=sign_in_form("grower")).json()["data"]
        httpx.get(f"{server.base_url}/inventory", headers={"Authorization": f"Bearer {token}"})
        server.world.ops.add_fault("503", next=1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from growtui.sandbox.faults import Fault
from growtui.sandbox.openthc import auth, b2b, config_routes, inventory, lab, plants
from growtui.sandbox.openthc.http import envelope
from growtui.sandbox.openthc.seed import build_world, users_public
from growtui.sandbox.openthc.store import OpenTHCWorld
from growtui.sandbox.serving import SandboxServer
from growtui.sandbox.switches import Switches, SwitchesMiddleware, parse_faults

__all__ = ["OpenTHCConfig", "SandboxServer", "build_app", "serve_in_thread", "sign_in_form"]


@dataclass
class OpenTHCConfig:
    seed: int = 7
    lots: int = 40  # inventory lots on the main Grower license
    plants: int = 60  # plants on the main Grower license
    empty_meta: Literal["array", "object"] = "array"  # [] as the reference server sends, or {}
    qty_as_string: bool = False  # "25.0000" strings as the reference server sends (spec: numbers)
    session_ttl_s: float = 21600.0  # the reference server's 6 h
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    faults: Iterable[Fault] | str = ()  # Fault objects or the CLI spec string (growtui.sandbox.switches)
    clock: Callable[[], datetime] | None = None
    packages: int | None = None  # from the app's shared training wiring: the lots on the main license

    def __post_init__(self) -> None:
        if self.packages is not None:
            self.lots = self.packages


def sign_in_form(account: str, license_id: str | None = None) -> dict[str, str]:
    """The ``POST /auth/open`` form of a seeded account (its first license unless one is named)."""
    row = next(r for r in users_public() if r["account"] == account)
    lic = next(entry for entry in row["licenses"] if license_id in (None, entry["id"]))
    return {"cre": row["cre"], "service-key": row["service-key"], "company": row["company"], "license": lic["id"], "license-key": lic["license-key"]}


def _error(request: Request, status: int, message: str) -> Response:
    return envelope(request.app.state.world, None, status, note=f"{message} [SBX-{status}]")


async def _http_error(request: Request, exc: Any) -> Response:
    status = getattr(exc, "status_code", 500)
    return _error(request, status, str(getattr(exc, "detail", "")))


def build_app(config: OpenTHCConfig | None = None, *, world: OpenTHCWorld | None = None) -> Starlette:
    """The ASGI app with ``app.state.world``; pass ``world`` to serve an existing one."""
    config = config or OpenTHCConfig()
    if world is None:
        world = build_world(config.seed, lots=config.lots, plants=config.plants, world=OpenTHCWorld(config.seed, clock=config.clock))
    world.empty_meta, world.qty_as_string, world.session_ttl_s = config.empty_meta, config.qty_as_string, config.session_ttl_s
    faults = parse_faults(config.faults) if isinstance(config.faults, str) else list(config.faults)
    world.ops = Switches(latency_ms=config.latency_ms, jitter_ms=config.jitter_ms, faults=faults, seed=config.seed)
    app = Starlette(
        routes=[*auth.routes, *config_routes.routes, *inventory.routes, *lab.routes, *plants.routes, *b2b.routes],
        middleware=[Middleware(SwitchesMiddleware, switches=world.ops, error=_error)],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.world = world
    return app


def serve_in_thread(config: OpenTHCConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, world: OpenTHCWorld | None = None) -> SandboxServer:
    """A started-on-enter server: ``with serve_in_thread(cfg) as s: s.base_url``."""
    return SandboxServer(build_app(config, world=world), host=host, port=port)
