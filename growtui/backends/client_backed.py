"""What every backend says the same way about the wire client it runs on (a ``JsonClient``,
backends/http.py): its address, its request counters, upstream's clock, the signed-in session,
and closing it. A backend class sets ``client`` and ``_session`` and inherits the rest."""

from __future__ import annotations

from typing import Any

from growtui.backends.base import Session
from growtui.backends.http import RequestStats


class ClientBacked:
    client: Any  # a JsonClient
    _session: Session | None

    @property
    def base_url(self) -> str:
        return self.client.base_url

    @property
    def stats(self) -> RequestStats:
        return self.client.stats

    @property
    def session(self) -> Session | None:
        return self._session

    def server_time(self) -> float:
        """Upstream's clock (epoch seconds) as its Date headers show it: sync watermarks use this."""
        return self.client.server_clock.now()

    async def aclose(self) -> None:
        await self.client.aclose()
