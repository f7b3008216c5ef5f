"""The T3 wire client: one shared ``httpx.AsyncClient``, JSON in and out, errors mapped.

It knows T3's URL layout, headers and envelopes but nothing about sessions or collections
(``backend.py`` does). Every call goes through the request budget; GETs are retried per the
``RetryPolicy``, POSTs never are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import msgspec

from growtui.backends.base import BackendError, ErrorKind, JsonRows, Page, RequestBudget
from growtui.backends.http import JsonClient
from growtui.backends.responses import decode_json, looks_like_html, unreadable_answer, web_page_instead_of_data
from growtui.backends.t3.errors import error_from_response, success_in_doubt
from growtui.domain.documents import DocumentFile

DEFAULT_BASE_URL = "https://api.trackandtrace.tools"
Params = Sequence[tuple[str, str | int]]


class T3Client(JsonClient):
    title = "T3"
    connections = 32  # a load may have up to 32 pages in flight (data/sync.py): a connection for each

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, budget: RequestBudget, **options: Any) -> None:
        super().__init__(base_url, budget=budget, **options)

    async def get_json(
        self,
        path: str,
        params: Params = (),
        *,
        token: str | None,
        license_number: str | None = None,
    ) -> Any:
        request = self.http.build_request("GET", path, params=list(params), headers=_auth(token))
        return await self._exchange(request, write=False, license_number=license_number)

    async def post_json(
        self,
        path: str,
        body: Any,
        params: Params = (),
        *,
        token: str | None,
        license_number: str | None = None,
        write: bool = True,
    ) -> Any:
        request = self.http.build_request(
            "POST", path, params=list(params), json=body, headers=_auth(token)
        )
        return await self._exchange(request, write=write, license_number=license_number)

    async def get_page(
        self, path: str, params: Params = (), *, token: str | None, license_number: str | None = None
    ) -> Any:
        """A page envelope whose ``data`` rows stay JSON text (``JsonRows``); anything that does not
        decode as an envelope comes back as ``get_json`` would give it, for ``parse_page`` to judge."""
        request = self.http.build_request("GET", path, params=list(params), headers=_auth(token))
        return await self._exchange(request, write=False, license_number=license_number, read=_page_body)

    async def get_file(
        self, path: str, params: Params = (), *, token: str, license_number: str | None = None
    ) -> DocumentFile:
        """A file T3 serves (a PDF): its bytes and the name its Content-Disposition gives."""
        request = self.http.build_request("GET", path, params=list(params), headers=_auth(token))
        return await self._exchange(request, write=False, license_number=license_number, read=_file_body)

    async def post_for_file(self, path: str, body: Any, *, token: str) -> DocumentFile:
        """A POST that renders a file (label PDFs): nothing changes upstream, so it is not a write."""
        request = self.http.build_request("POST", path, json=body, headers=_auth(token))
        return await self._exchange(request, write=False, license_number=None, read=_file_body)

    async def _exchange(
        self, request: httpx.Request, *, write: bool, license_number: str | None,
        read: Callable[..., Any] | None = None,
    ) -> Any:
        # POSTs are never retried, not even the ones that change nothing upstream (label PDFs).
        response = await self._send(request, write=write, idempotent=request.method == "GET")
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, write=write, license_number=license_number)
        return (read or _success_body)(response, write=write)


def _auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _success_body(response: httpx.Response, *, write: bool) -> Any:
    status = response.status_code
    if write and looks_like_html(response):
        raise success_in_doubt(status, "sent a web page instead of its answer")
    if write and not decode_json(response)[0]:
        raise success_in_doubt(status, "its answer was empty or not JSON")
    if looks_like_html(response):
        raise web_page_instead_of_data("T3", response)
    ok, body = decode_json(response)
    if not ok:
        raise unreadable_answer("T3", response)
    return body


class _Envelope(msgspec.Struct):
    """T3's page envelope with each row left as its JSON text: the decoder only finds where a row
    ends, so a 3 MB page costs about 2 ms instead of 25. Counts are checked by ``parse_page``."""

    data: list[msgspec.Raw]
    total: Any = None
    page: Any = None
    pageSize: Any = None  # noqa: N815 - T3's key
    totalPages: Any = None  # noqa: N815


_decode_envelope = msgspec.json.Decoder(_Envelope).decode


def _page_body(response: httpx.Response, *, write: bool) -> Any:
    if not looks_like_html(response):
        try:
            env = _decode_envelope(response.content)
        except msgspec.MsgspecError:  # not JSON, or not this shape: the lenient path says what
            pass
        else:
            return {"total": env.total, "page": env.page, "pageSize": env.pageSize,
                    "totalPages": env.totalPages, "data": JsonRows([bytes(r) for r in env.data])}
    return _success_body(response, write=write)


_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def _file_body(response: httpx.Response, *, write: bool) -> DocumentFile:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if looks_like_html(response) or media.startswith("application/json"):
        _success_body(response, write=write)  # says what the page or JSON means
        raise BackendError(ErrorKind.PROTOCOL, f"T3 sent {media} where a file was expected.", status=response.status_code)
    found = _FILENAME.search(response.headers.get("content-disposition", ""))
    return DocumentFile(found.group(1) if found else "document", response.content, media or "application/octet-stream")


# --- envelope checks -------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_page(body: Any, *, what: str, requested_page_size: int) -> Page:
    """Check T3's ``{page, totalPages, pageSize, total, data}`` envelope and build a ``Page``.

    ``total``, ``page`` and ``data`` must be right; ``pageSize``/``totalPages`` are derived if
    missing (older routes omit them). Extra keys are ignored.
    """

    def bad(reason: str) -> BackendError:
        return BackendError(ErrorKind.PROTOCOL, f"T3 sent a malformed page of {what}: {reason}.")

    if not isinstance(body, dict):
        raise bad(f"expected an object, got {type(body).__name__}")
    total, page, data = body.get("total"), body.get("page"), body.get("data")
    if not _is_int(total) or total < 0:
        raise bad("'total' is missing or not a count")
    if not _is_int(page) or page < 1:
        raise bad("'page' is missing or not a page number")
    if not isinstance(data, list | JsonRows):
        raise bad("'data' is missing or not a list")
    if not (
        all(raw[:1] == b"{" for raw in data.raw) if isinstance(data, JsonRows)
        else all(isinstance(row, dict) for row in data)
    ):
        raise bad("'data' holds something other than objects")
    page_size = body.get("pageSize")
    if not _is_int(page_size) or page_size < 1:
        page_size = requested_page_size
    if len(data) > page_size:
        raise bad(f"{len(data)} rows on a page of {page_size}")
    total_pages = body.get("totalPages")
    if not _is_int(total_pages) or total_pages < 0:
        total_pages = math.ceil(total / page_size)
    return Page(page=page, page_size=page_size, total=total, total_pages=total_pages, rows=data)


def parse_objects(body: Any, *, what: str) -> list[dict[str, Any]]:
    """A bare JSON array of objects (licenses, states)."""
    if not isinstance(body, list) or not all(isinstance(row, dict) for row in body):
        raise BackendError(ErrorKind.PROTOCOL, f"T3 sent a malformed list of {what}.")
    return body


def parse_object(body: Any, *, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BackendError(ErrorKind.PROTOCOL, f"T3 sent malformed {what}.")
    return body
