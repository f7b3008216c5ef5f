"""Run the Metrc sandbox: ``MetrcSandboxConfig`` -> ``build_app`` (in-process ASGI) or
``serve_in_thread`` (real HTTP on 127.0.0.1, an ephemeral port by default).

    app = build_app(MetrcSandboxConfig(packages=200))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://metrc", auth=(VENDOR_KEY, GROWER_KEY)) as c: ...

    with serve_in_thread(MetrcSandboxConfig(latency_ms=50)) as server:
        httpx.get(f"{server.base_url}/facilities/v2", auth=(VENDOR_KEY, GROWER_KEY))
        server.world.ops.add_fault("503", next=1); server.world.settings.max_window_hours = 24
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from starlette.applications import Starlette

from growtui.sandbox.faults import Fault
from growtui.sandbox.metrc.limits import Limits, MetrcOps, parse_faults
from growtui.sandbox.metrc.seed import build_world
from growtui.sandbox.metrc.server import create_app
from growtui.sandbox.metrc.world import Settings, World
from growtui.sandbox.serving import SandboxServer


@dataclass
class MetrcSandboxConfig:
    seed: int = 7
    packages: int = 2000  # active packages in the main facility; the rest of the world follows
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    faults: Iterable[Fault] | str = ()  # Fault objects or the CLI spec string
    limits: Limits = field(default_factory=Limits)  # GET limits; Limits(None, None, None, None) = off
    settings: Settings = field(default_factory=Settings)  # window, paging, write-size switches
    clock: Callable[[], datetime] | None = None  # world clock (LastModified, windows)


def build_world_from(config: MetrcSandboxConfig) -> World:
    world = World(settings=config.settings, clock=config.clock)
    build_world(config.seed, config.packages, world=world)
    faults = parse_faults(config.faults) if isinstance(config.faults, str) else list(config.faults)
    world.ops = MetrcOps(limits=config.limits, latency_ms=config.latency_ms, jitter_ms=config.jitter_ms, faults=faults, seed=config.seed)
    return world


def build_app(config: MetrcSandboxConfig | None = None, *, world: World | None = None) -> Starlette:
    """The ASGI app with ``app.state.world``; pass ``world`` to serve an existing one."""
    return create_app(world or build_world_from(config or MetrcSandboxConfig()))


def serve_in_thread(config: MetrcSandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, world: World | None = None) -> SandboxServer:
    """A started-on-enter server: ``with serve_in_thread(cfg) as s: s.base_url``."""
    return SandboxServer(build_app(config, world=world), host=host, port=port)
