"""The Metrc wire client: Basic auth on every request, GETs within Metrc's limits, errors mapped.

Metrc limits GETs only: 50 per second per facility, 150 per second per integrator key and 10 at
once per facility (metrc-api.md §10.3). One sliding-window budget below those numbers and a
concurrency cap keep a sync at zero 429s; writes are not counted by Metrc and never retried here.
It knows envelopes and errors, nothing of collections (``backend.py`` does).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind, RequestBudget
from growtui.backends.http import JsonClient, SlidingWindowBudget
from growtui.backends.metrc.errors import error_from_response, success_in_doubt
from growtui.backends.responses import decode_json, looks_like_html, unreadable_answer, web_page_instead_of_data

# Just under Metrc's 50/s per facility (and 150/s per key). No wider margin is needed for network
# jitter: each GET holds its place in the budget until a window after its answer (http.py).
GETS_PER_SECOND = 48
# Metrc's 10 concurrent GETs per facility: a GET is in flight at Metrc for less time than here
# (it arrives after we send it and is answered before we read it), so 10 here is never 11 there.
GETS_AT_ONCE = 10

Params = Sequence[tuple[str, str | int]]


def get_budget() -> SlidingWindowBudget:
    return SlidingWindowBudget(GETS_PER_SECOND, 1.0, margin_s=0.05)


class MetrcClient(JsonClient):
    title = "Metrc"
    # Beyond the 10 GETs at once (the semaphore below), room for writes, which Metrc does not limit.
    connections = GETS_AT_ONCE + 2

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self._at_once = asyncio.Semaphore(GETS_AT_ONCE)
        self.authorization: str | None = None  # "Basic …"; set by the backend at sign-in

    def default_budget(self) -> RequestBudget:
        return get_budget()

    def rebase(self, base_url: str) -> None:
        """Talk to another state's host (chosen at sign-in)."""
        self.base_url = base_url.rstrip("/")
        if self.started:  # else it is made with the new address
            self.http.base_url = httpx.URL(self.base_url)

    async def get_json(
        self, path: str, params: Params = (), *, license_number: str | None = None,
        authorization: str | None = None,
    ) -> Any:
        request = self._request("GET", path, params, None, authorization)
        async with self._at_once:
            response = await self._send(request, write=False)
        return _body(response, write=False, license_number=license_number)

    async def write(
        self, method: str, path: str, body: list[dict[str, Any]], params: Params = (), *,
        license_number: str | None = None,
    ) -> Any:
        """Send one write; the decoded ``{"Ids": …}`` answer, or None for an empty 2xx."""
        request = self._request(method, path, params, body, None)
        response = await self._send(request, write=True)
        return _body(response, write=True, license_number=license_number)

    def _request(
        self, method: str, path: str, params: Params, body: Any, authorization: str | None
    ) -> httpx.Request:
        auth = authorization or self.authorization
        if auth is None:
            raise BackendError(ErrorKind.AUTH, "Sign in to Metrc first.")
        headers = {"Authorization": auth}
        if body is None:
            return self.http.build_request(method, path, params=list(params), headers=headers)
        return self.http.build_request(method, path, params=list(params), json=body, headers=headers)

def _body(response: httpx.Response, *, write: bool, license_number: str | None) -> Any:
    status = response.status_code
    if not 200 <= status < 300:
        raise error_from_response(response, write=write, license_number=license_number)
    if write:
        return _write_answer(response)
    if looks_like_html(response):
        raise web_page_instead_of_data("Metrc", response)
    ok, body = decode_json(response)
    if not ok:
        raise unreadable_answer("Metrc", response)
    return body


def _write_answer(response: httpx.Response) -> dict[str, Any] | None:
    """Metrc answers a write with an empty 2xx or ``{"Ids": […], "Warnings": …}`` (observed even
    where the docs show an empty body); anything else leaves the outcome in doubt."""
    status = response.status_code
    if not response.content.strip():
        return None
    if looks_like_html(response):
        raise success_in_doubt(status, "sent a web page instead of its answer")
    ok, body = decode_json(response)
    if ok and isinstance(body, dict) and isinstance(body.get("Ids", []), list) and (
        "Ids" in body or "Warnings" in body
    ):
        return body
    raise success_in_doubt(status, "its answer was not Metrc's (no Ids)")
