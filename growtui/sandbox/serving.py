"""Serve any sandbox's ASGI app over real HTTP: uvicorn in a daemon thread on a socket bound up front
(port 0 = an ephemeral port), so ``base_url`` is known before the server starts."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn
from starlette.applications import Starlette


class SandboxServer:
    """uvicorn in a daemon thread. Use as a context manager, or call ``start()``/``stop()``."""

    def __init__(
        self, app: Starlette, host: str = "127.0.0.1", port: int = 0, log_level: str = "critical",
        *, date_header: bool = True,
    ) -> None:
        """``date_header=False``: the app sends its own ``Date`` (e.g. from a sandbox's skewable clock)."""
        self.app = app
        self.world: Any = app.state.world  # the sandbox's state, for tests and the CLI
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(128)  # connections queue from here on, before uvicorn is up
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(app, log_level=log_level, lifespan="off", access_log=False, timeout_graceful_shutdown=2,
                                date_header=date_header)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"sandbox-{self.port}", daemon=True)

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


def serve_foreground(server: SandboxServer, banner: str, system: str) -> int:
    """The CLI's run: print ``banner`` (the URL and demo accounts; scripts read its first line)
    and then how to point growtui at the server; serve until Ctrl-C."""
    how = (f"Point growtui at it: growtui --system {system} --host {server.base_url}\n"
           f"  (or GROWTUI_SYSTEM={system} GROWTUI_HOST={server.base_url} growtui)\n")
    print(banner + ("" if banner.endswith("\n") else "\n") + how, end="", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
