"""The Trace wire client: both auth headers on every request, the ``{results, warnings}`` envelope.

GETs go through the shared budget and retry policy; writes are sent once and never retried here.
It knows envelopes and errors, nothing of strains (``backend.py`` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.http import JsonClient
from growtui.backends.responses import decode_json, looks_like_html, unreadable_answer, web_page_instead_of_data
from growtui.backends.trace.errors import error_from_response, success_in_doubt, warnings_of


Params = Sequence[tuple[str, str | int]]


@dataclass(frozen=True, slots=True)
class Answer:
    """A decoded envelope: ``results`` as sent, the list fields, and warnings for people."""

    results: Any
    warnings: tuple[str, ...]
    body: dict[str, Any]


class TraceClient(JsonClient):
    title = "Trace"

    def __init__(self, base_url: str, **options: Any) -> None:
        super().__init__(base_url, **options)
        self.headers: dict[str, str] = {}  # x-api-key and Authorization; set by the backend at sign-in

    async def get(self, path: str, params: Params = (), *, license_number: str | None = None,
                  headers: dict[str, str] | None = None) -> Answer:
        request = self._request("GET", path, params, None, headers)
        return _answer(await self._send(request, write=False), write=False, license_number=license_number)

    async def write(self, method: str, path: str, body: dict[str, Any], *, license_number: str | None = None) -> Answer:
        request = self._request(method, path, (), body, None)
        return _answer(await self._send(request, write=True), write=True, license_number=license_number)

    def _request(self, method: str, path: str, params: Params, body: Any, headers: dict[str, str] | None) -> httpx.Request:
        auth = headers or self.headers
        if not auth:
            raise BackendError(ErrorKind.AUTH, "Sign in to Trace first.")
        if body is None:
            return self.http.build_request(method, path, params=list(params), headers=auth)
        return self.http.build_request(method, path, params=list(params), json=body, headers=auth)


def _answer(response: httpx.Response, *, write: bool, license_number: str | None) -> Answer:
    status = response.status_code
    if not 200 <= status < 300:
        raise error_from_response(response, write=write, license_number=license_number)
    html = looks_like_html(response)
    ok, body = (False, None) if html else decode_json(response)
    if ok and isinstance(body, dict) and "results" in body:
        return Answer(body["results"], warnings_of(body), body)
    if write:
        raise success_in_doubt(status, "a web page" if html else "its answer was not Trace's envelope")
    if html:
        raise web_page_instead_of_data("Trace", response)
    raise unreadable_answer("Trace", response, "an answer without 'results'")
