"""``TraceBackend``: the Backend protocol over the "Trace" strain API (seed 004).

Trace offers strains only, under ``/{state}/v1/config/strains``: a list of the *active* strains
of one license, paged by ``limit``/``offset`` in the ``{results, warnings, count, total, previous,
next}`` envelope; one strain by id with its ``entity_state`` history; create, update, deactivate.
Its lists cannot be asked for "changed since", so every refresh is a full load. Neutral queries
(by id or name, as the Outbox asks them) are answered by reading the list and filtering here.

The keys stay in this object only: ``Session.token`` is a random handle, so a session file
written for ``--stay-signed-in`` holds nothing that opens Trace.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from typing import Any

import httpx

from growtui.backends.mapped import MappedRows
from growtui.backends.base import (
    BackendError,
    Capability,
    Credentials,
    ErrorKind,
    Page,
    Paging,
    Query,
    ReauthRequired,
    RequestBudget,
    Session,
    SubmitResult,
)
from growtui.backends.http import DEFAULT_TIMEOUT, RequestStats, RetryPolicy
from growtui.backends.trace import auth, mapping, payloads
from growtui.backends.trace.client import Answer, TraceClient
from growtui.backends.wire import text_value
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.query import Field, Logic, Op
from growtui.domain.writes import WRITES

MAX_PAGE_SIZE = 100  # the documented default limit; Trace documents no maximum
MAX_SCAN_PAGES = 100  # a filtered lookup reads at most this many pages (10,000 strains)
STRAINS = Collection(Family.STRAINS)


def _no_rows(page: int, size: int) -> Page:
    return Page(page=page, page_size=size, total=0, total_pages=0, rows=[])


# The vendor is unidentified (reference openthc-trace.md, Part B): give its URL with --host.
DEFAULT_BASE_URL = "https://trace-api.invalid"


class TraceBackend(MappedRows):
    mapping = mapping
    title = "Trace"
    name = "trace"
    capabilities = frozenset(
        {w.capability for w in WRITES if w.action in payloads.SUPPORTED_ACTIONS} | {Capability.STRAIN_HISTORY}
    )
    collections = (STRAINS,)
    sign_in = auth.SIGN_IN
    # Strains leave the active list on deactivation and there is no "changed since": full loads.
    paging = Paging(MAX_PAGE_SIZE, offset=True, modified_filter=False, full_only=frozenset({Family.STRAINS}))

    def __init__(
        self,
        base_url: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        stats: RequestStats | None = None,
        clock: Any = None,  # accepted like every backend's; Trace's answers carry no times we plan by
    ) -> None:
        self.client = TraceClient(base_url or DEFAULT_BASE_URL, budget=budget, retry=retry,
                                  stats=stats, timeout=timeout, transport=transport)
        self._session: Session | None = None
        self._keys: dict[str, dict[str, str]] = {}  # session handle -> headers (memory only)
        self._state = ""
        self._licenses: tuple[str, ...] = ()
        self._username = ""

    def known_hosts(self) -> list[dict[str, str]]:
        return [dict(s) for s in auth.KNOWN_STATES]

    async def states(self) -> list[dict[str, Any]]:
        return self.known_hosts()

    # --- session ---------------------------------------------------------------------------

    async def login(self, credentials: Credentials) -> Session:
        state, headers = auth.headers_of(credentials)
        licenses = auth.license_numbers(credentials.text(auth.LICENSES.name))
        username = credentials.text(auth.USERNAME.name)
        if not username:
            raise BackendError(ErrorKind.VALIDATION, auth.USERNAME.problem)
        for number in licenses:  # Trace has no license list: one small read proves each one
            await self.client.get(self._list_path(state), [("license_number", number), ("limit", 1)],
                                  license_number=number, headers=headers)
        handle = secrets.token_urlsafe(24)
        self._keys = {handle: headers}
        self.client.headers = headers
        self._state, self._licenses, self._username = state, licenses, username
        account = hashlib.sha256(f"{headers['x-api-key']}:{headers['Authorization']}".encode()).hexdigest()[:8]
        self._session = Session(hostname=state, username=username, token=handle, claims={"account": account})
        return self._session

    async def resume(self, session: Session) -> None:
        headers = self._keys.get(session.token)
        if headers is None:  # another process's handle: the keys were never written anywhere
            raise ReauthRequired("Enter your Trace API key and token to continue.")
        self.client.headers = headers
        self._session = session

    async def logout(self) -> None:
        self._session = None
        self._keys.clear()
        self.client.headers = {}

    async def licenses(self) -> list[dict[str, Any]]:
        return [{"license_number": n, "name": n, "state": self._state} for n in self._licenses]

    # --- reading ---------------------------------------------------------------------------

    def _list_path(self, state: str | None = None) -> str:
        return payloads.BASE.format(state=state or self._state)

    async def _get(self, path: str, params: list[tuple[str, str | int]], license_number: str) -> Answer:
        try:
            return await self.client.get(path, params, license_number=license_number)
        except BackendError as exc:
            if exc.kind is ErrorKind.AUTH:
                self._session = None
                raise ReauthRequired("Trace no longer accepts this API key or token. Sign in again.") from None
            raise

    async def _list(self, license_number: str, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        answer = await self._get(self._list_path(), [("license_number", license_number), ("limit", limit),
                                                     ("offset", offset)], license_number)
        return parse_list(answer, limit, offset)

    async def fetch_page(
        self, license_number: str, collection: Collection, page: int, page_size: int, query: Query = Query(),
    ) -> Page:
        if page < 1:
            raise ValueError(f"page is 1-based, got {page}")
        size = max(1, min(page_size, MAX_PAGE_SIZE))
        if collection != STRAINS:
            return _no_rows(page, size)
        if query.conditions or query.sort is not None:
            return await self._filtered_page(license_number, page, size, query)
        rows, total = await self._list(license_number, (page - 1) * size, size)
        return Page(page=page, page_size=size, total=total, total_pages=math.ceil(total / size), rows=rows)

    async def _filtered_page(self, license_number: str, page: int, size: int, query: Query) -> Page:
        keep = matcher(query)  # ValueError for what cannot be asked of Trace's strains
        found: list[dict[str, Any]] = []
        for n in range(MAX_SCAN_PAGES):
            rows, total = await self._list(license_number, n * MAX_PAGE_SIZE, MAX_PAGE_SIZE)
            found += [r for r in rows if keep(r)]
            if len(rows) < MAX_PAGE_SIZE or (n + 1) * MAX_PAGE_SIZE >= total:
                break
        chunk = found[(page - 1) * size : page * size]
        return Page(page=page, page_size=size, total=len(found), total_pages=math.ceil(len(found) / size), rows=chunk)

    async def strain(self, license_number: str, strain_id: int | str) -> dict[str, Any]:
        """One strain by id, whatever its state (the list holds only active ones)."""
        answer = await self._get(payloads.strain_path(self._state, strain_id), [("license_number", license_number)], license_number)
        if not isinstance(answer.results, dict):
            raise BackendError(ErrorKind.PROTOCOL, "Trace sent a strain that is not an object.")
        return answer.results

    async def fetch_sub(
        self, license_number: str, sub: SubCollection, parent_id: int | str, page: int = 1, page_size: int = 100,
    ) -> Page:
        size = max(1, page_size)
        if SubCollection(sub) is not SubCollection.STRAIN_HISTORY:
            return _no_rows(page, size)
        entries = mapping.history(await self.strain(license_number, parent_id))[::-1]  # newest first
        chunk = entries[(page - 1) * size : page * size]
        return Page(page=page, page_size=size, total=len(entries), total_pages=math.ceil(len(entries) / size), rows=chunk)


    # --- writing ---------------------------------------------------------------------------

    def _context(self, license_number: str) -> payloads.Context:
        return payloads.Context(self._state, license_number, self._username)

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        if dry_run:
            raise BackendError(ErrorKind.VALIDATION, "Trace has no dry run: a change sent to Trace is applied.")
        try:
            request = payloads.request_of(action, self._context(license_number))
        except (TypeError, ValueError) as exc:
            raise BackendError(ErrorKind.VALIDATION, f"Trace cannot do this: {exc}") from exc
        try:
            answer = await self.client.write(request.method, request.path, request.body, license_number=license_number)
        except BackendError as exc:
            if exc.kind is ErrorKind.AUTH:  # refused, so not applied: sign in again, then send it again
                self._session = None
                raise ReauthRequired("Trace no longer accepts this API key or token. Sign in again.") from None
            raise
        return _outcome(request, answer)

    def request_preview(self, action: Any) -> object:
        # Writes go to the open license; with one license signed in, that is the one shown.
        shown = self._licenses[0] if len(self._licenses) == 1 else "…"
        try:
            request = payloads.request_of(action, self._context(shown))
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        return {request.method: request.path, "body": request.body}



def _outcome(request: payloads.Request, answer: Answer) -> SubmitResult:
    """A 2xx envelope applied the change, except a DELETE that says ``deleted: false``."""
    results = answer.results if isinstance(answer.results, dict) else {}
    if request.method == "DELETE":
        deleted = results.get("deleted")
        if deleted is False:  # explicit: Trace did not deactivate it (it says why in warnings)
            why = "; ".join(answer.warnings) or "no reason given"
            raise BackendError(ErrorKind.VALIDATION, f"Trace did not deactivate the strain: {why}", upstream=answer.body)
        if deleted is not True:
            raise BackendError(ErrorKind.PROTOCOL, "Trace answered the deactivation without saying whether it "
                               "applied. It may or may not have been applied: check the outbox before sending it again.",
                               in_doubt=True, upstream=answer.body)
    strain_id = text_value(results.get("id"))
    message = "Applied" + (f"; Trace id {strain_id}" if strain_id else "")
    return SubmitResult(dry_run=False, message=message, warnings=answer.warnings)


def parse_list(answer: Answer, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A list envelope's rows and ``total``, checked: rows are objects, at most ``limit`` of them."""
    rows, total = answer.results, answer.body.get("total")

    def bad(reason: str) -> BackendError:
        return BackendError(ErrorKind.PROTOCOL, f"Trace sent a malformed page of strains: {reason}.")

    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise bad("'results' is not a list of objects")
    if len(rows) > limit:
        raise bad(f"{len(rows)} rows for a limit of {limit}")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        if answer.body.get("next") is not None:  # more pages, but no count to plan them by
            raise bad("'total' is missing or not a count")
        total = offset + len(rows)
    return rows, total


def matcher(query: Query) -> Any:
    """A row filter for the neutral queries Trace's strains can answer (id or name)."""
    if query.sort is not None:
        raise ValueError("Trace lists cannot be sorted upstream")
    tests = []
    for cond in query.conditions:
        key = {Field.ID: "id", Field.NAME: "name"}.get(cond.field)
        if key is None or cond.op not in (Op.EQ, Op.CONTAINS):
            raise ValueError(f"Trace strains cannot be looked up by {cond.field} {cond.op}")
        want = str(cond.value).strip().casefold()
        if cond.op is Op.EQ:
            tests.append(lambda r, k=key, w=want: text_value(r.get(k)).strip().casefold() == w)
        else:
            tests.append(lambda r, k=key, w=want: w in text_value(r.get(k)).casefold())
    combine = any if query.logic is Logic.OR else all
    return lambda row: combine(t(row) for t in tests) if tests else True
