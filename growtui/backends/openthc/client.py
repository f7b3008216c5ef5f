"""The OpenTHC wire client: the bearer session, the ``{data, meta}`` envelope.

GETs go through the shared budget and retry policy; writes are sent once and never retried here.
It knows envelopes and errors, nothing of lots or plants (``backend.py`` does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.http import JsonClient
from growtui.backends.openthc.errors import error_from_response, meta_of, note_of, success_in_doubt
from growtui.backends.responses import decode_json, looks_like_html, unreadable_answer, web_page_instead_of_data


Params = Sequence[tuple[str, str | int]]


@dataclass(frozen=True, slots=True)
class Answer:
    """A decoded envelope: ``data`` as sent, ``meta`` as a dict, the status and the note."""

    status: int
    data: Any
    meta: dict[str, Any]
    note: str | None
    body: dict[str, Any]


class OpenTHCClient(JsonClient):
    title = "OpenTHC"

    def __init__(self, base_url: str, **options: Any) -> None:
        super().__init__(base_url, **options)
        self.token = ""  # the session token; set by the backend at sign-in, memory only

    async def open(self, form: Mapping[str, str]) -> Answer:
        """``POST /auth/open``; retried like a read (a session opened twice is harmless)."""
        request = self.http.build_request("POST", "/auth/open", data=dict(form))
        return _answer(await self._send(request, write=False), write=False, signing_in=True)

    async def get(self, path: str, params: Params = ()) -> Answer:
        request = self.http.build_request("GET", path, params=list(params), headers=self._auth())
        return _answer(await self._send(request, write=False), write=False)

    async def write(self, method: str, path: str, body: Mapping[str, Any] | None, *,
                    ok: frozenset[int] = frozenset(), as_json: bool = False) -> Answer:
        """A form-encoded write (the spec's request bodies are forms; JSON where a form cannot say
        it), sent once. ``ok``: statuses that are answers here, not errors (a confirming DELETE
        answers 410 Gone)."""
        content = {"json": dict(body or {})} if as_json else {"data": dict(body) if body else None}
        request = self.http.build_request(method, path, headers=self._auth(), **content)
        return _answer(await self._send(request, write=True), write=True, ok=ok)

    def _auth(self) -> dict[str, str]:
        if not self.token:
            raise BackendError(ErrorKind.AUTH, "Sign in to OpenTHC first.")
        return {"Authorization": f"Bearer {self.token}"}


def _answer(response: httpx.Response, *, write: bool, signing_in: bool = False, ok: frozenset[int] = frozenset()) -> Answer:
    status = response.status_code
    if not 200 <= status < 300 and status not in ok:
        raise error_from_response(response, write=write, signing_in=signing_in)
    html = looks_like_html(response)
    ok, body = (False, None) if html else decode_json(response)
    if ok and isinstance(body, dict) and "data" in body:
        return Answer(status, body["data"], meta_of(body), note_of(body), body)
    if write:
        raise success_in_doubt(status, "a web page" if html else "its answer was not OpenTHC's envelope")
    if html:
        raise web_page_instead_of_data("OpenTHC", response)
    raise unreadable_answer("OpenTHC", response, "an answer without 'data'")
