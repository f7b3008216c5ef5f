"""Run the T3 sandbox: ``SandboxConfig`` -> ``build_app`` (in-process) or ``serve_in_thread`` (real
HTTP on 127.0.0.1, an ephemeral port by default).

    app = build_app(SandboxConfig(packages=500))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t3") as c: ...

    with serve_in_thread(SandboxConfig(latency_ms=50)) as server:
        httpx.get(f"{server.base_url}/v2/states", ...); server.world.ops.add_fault("503", next=1)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from starlette.applications import Starlette

from growtui.sandbox.serving import SandboxServer
from growtui.sandbox.t3.ops import Fault, Ops, parse_faults
from growtui.sandbox.t3.seed import build_world
from growtui.sandbox.t3.server import create_app
from growtui.sandbox.t3.store import World


@dataclass
class SandboxConfig:
    seed: int = 7
    packages: int = 2000  # size of the main CA license; the others follow (seed.py)
    extra_fields: bool = False  # unknown extra fields on seeded objects
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rate_limit: int | None = 600  # per user per window; None disables
    rate_window_s: float = 60.0
    max_concurrent: int | None = None  # per user; None = unlimited
    token_ttl_s: float = 24 * 3600.0
    license_denied_status: int = 403  # 401 also plausible (§9 item 5)
    visibility_delay_s: float = 0.0  # eventual consistency: created objects appear this much later
    faults: Iterable[Fault] | str = ()  # Fault objects or the CLI spec string
    clock: Callable[[], datetime] | None = None  # world clock override (token expiry, lastModified)
    extra: dict[str, Any] = field(default_factory=dict)  # room for later switches


def build_world_from(config: SandboxConfig) -> World:
    world = World(clock=config.clock)
    world.token_ttl_s = config.token_ttl_s
    world.license_denied_status = config.license_denied_status
    world.visibility_delay_s = config.visibility_delay_s
    build_world(config.seed, config.packages, extra_fields=config.extra_fields, world=world)
    faults = parse_faults(config.faults) if isinstance(config.faults, str) else list(config.faults)
    world.ops = Ops(
        rate_limit=config.rate_limit,
        rate_window_s=config.rate_window_s,
        max_concurrent=config.max_concurrent,
        latency_ms=config.latency_ms,
        jitter_ms=config.jitter_ms,
        faults=faults,
        seed=config.seed,
    )
    return world


def build_app(config: SandboxConfig | None = None, *, world: World | None = None) -> Starlette:
    """The ASGI app with ``app.state.world``; pass ``world`` to serve an existing one."""
    return create_app(world or build_world_from(config or SandboxConfig()))


def serve_in_thread(config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, world: World | None = None) -> SandboxServer:
    """A started-on-enter server: ``with serve_in_thread(cfg) as s: s.base_url``."""
    # Date comes from the world clock (ops middleware), so a skewed sandbox clock shows in it too.
    return SandboxServer(build_app(config, world=world), host=host, port=port, date_header=False)
