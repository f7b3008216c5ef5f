"""Run the T3 sandbox: ``SandboxConfig`` -> ``build_app`` (in-process) or ``serve_in_thread`` (real
HTTP on 127.0.0.1, an ephemeral port by default).

    app = build_app(SandboxConfig(packages=500))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t3") as c: ...

    with serve_in_thread(SandboxConfig(latency_ms=50)) as server:
        httpx.get(f"{server.base_url}/v2/states", ...); server.world.ops.add_fault("503", next=1)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

import uvicorn
from starlette.applications import Starlette

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


class SandboxServer:
    """uvicorn in a daemon thread. Use as a context manager, or call ``start()``/``stop()``."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0, log_level: str = "critical") -> None:
        self.app = app
        self.world: World = app.state.world
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(128)  # connections queue from here on, before uvicorn is up
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(app, log_level=log_level, lifespan="off", access_log=False, timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"t3-sandbox-{self.port}", daemon=True)

    def _run(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self, timeout: float = 10.0) -> SandboxServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("sandbox server failed to start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._sock.close()

    def serve_forever(self) -> None:
        """Foreground run (CLI): returns on Ctrl-C."""
        self._run()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_thread(config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, world: World | None = None) -> SandboxServer:
    """A started-on-enter server: ``with serve_in_thread(cfg) as s: s.base_url``."""
    return SandboxServer(build_app(config, world=world), host=host, port=port)
