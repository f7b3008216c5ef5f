"""``OpenTHCBackend``: the Backend protocol over the OpenTHC API (seeds 002/003, reference Part A).

One sign-in opens a session for one license (``POST /auth/open``). Lists are bare arrays in
``data`` with no paging and no "changed since" (reference A.1), so a list is read whole when its
first page is asked for and later pages are cut from that read; every refresh is a full load.
Lots and plants name their section, product and variety by id: those lists are read alongside
and the names added to each row under ``_names``; a row marked for deletion also gets
``_state: "marked for deletion"``.

The keys stay in this object only: ``Session.token`` is a random handle, so a session file
written for ``--stay-signed-in`` holds nothing that opens OpenTHC.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from urllib.parse import quote

import httpx

from growtui.backends.mapped import MappedRows
from growtui.backends.base import (
    BackendError,
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
from growtui.backends.openthc import auth, mapping, payloads
from growtui.backends.openthc.client import Answer, OpenTHCClient
from growtui.backends.wire import text_value
from growtui.domain.capabilities import Capability
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.query import Field, Logic, Op
from growtui.domain.writes import WRITES

MAX_PAGE_SIZE = 500
MAX_ROWS = 100_000  # one list read whole; more is a broken upstream
MAX_RESULTS, MAX_METRICS = 50, 1000  # per sample, per result: a lot's lab lines stay readable
STRAINS, ITEMS = Collection(Family.STRAINS), Collection(Family.ITEMS)
PACKAGES, PACKAGES_MARKED = Collection(Family.PACKAGES, "active"), Collection(Family.PACKAGES, "inactive")
PLANTS, PLANTS_MARKED = Collection(Family.PLANTS, "vegetative"), Collection(Family.PLANTS, "inactive")
OUTGOING, OUTGOING_DONE = Collection(Family.TRANSFERS_OUTGOING, "active"), Collection(Family.TRANSFERS_OUTGOING, "inactive")
INCOMING, INCOMING_DONE = Collection(Family.TRANSFERS_INCOMING, "active"), Collection(Family.TRANSFERS_INCOMING, "inactive")


def _live(row: Mapping[str, Any]) -> bool:
    return not mapping.marked(row)


def _waiting(row: Mapping[str, Any]) -> bool:
    return not mapping.b2b_done(row)


# collection -> (list path, which of its rows this collection shows)
LISTS: dict[Collection, tuple[str, Callable[[Mapping[str, Any]], bool]]] = {
    PLANTS: ("/plant", _live), PLANTS_MARKED: ("/plant", mapping.marked),
    PACKAGES: ("/inventory", _live), PACKAGES_MARKED: ("/inventory", mapping.marked),
    STRAINS: ("/variety", _live), ITEMS: ("/product", _live),
    OUTGOING: ("/b2b/outgoing", _waiting), OUTGOING_DONE: ("/b2b/outgoing", mapping.b2b_done),
    INCOMING: ("/b2b/incoming", _waiting), INCOMING_DONE: ("/b2b/incoming", mapping.b2b_done),
}
NAMED = {"section": "/section", "product": "/product", "variety": "/variety"}  # ids rows refer to


def _page(rows: list[dict[str, Any]], page: int, size: int) -> Page:
    chunk = rows[(page - 1) * size : page * size]
    return Page(page=page, page_size=size, total=len(rows), total_pages=math.ceil(len(rows) / size), rows=chunk)


# The CRE you report to publishes its URL; give it with --host.
DEFAULT_BASE_URL = "https://cre.openthc.invalid"


class OpenTHCBackend(MappedRows):
    mapping = mapping
    title = "OpenTHC"
    name = "openthc"
    capabilities = frozenset({Capability.LAB_RESULTS, *(w.capability for w in WRITES if w.action in payloads.SUPPORTED_ACTIONS)})
    collections = tuple(LISTS)
    sign_in = auth.SIGN_IN
    paging = Paging(MAX_PAGE_SIZE, modified_filter=False, full_only=frozenset(c.family for c in LISTS))

    def __init__(
        self,
        base_url: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        stats: RequestStats | None = None,
        clock: Any = None,  # accepted like every backend's; OpenTHC's answers carry no times we plan by
    ) -> None:
        self.client = OpenTHCClient(base_url or DEFAULT_BASE_URL, budget=budget, retry=retry,
                                    stats=stats, timeout=timeout, transport=transport)
        self._session: Session | None = None
        self._tokens: dict[str, str] = {}  # session handle -> OpenTHC session token (memory only)
        self._license: dict[str, Any] = {}
        self._lists: dict[Collection, list[dict[str, Any]]] = {}  # the last whole read, for later pages
        self._metrics: dict[str, str] = {}  # lab metric id -> name, read once
        self._names: dict[str, dict[str, str]] = {}  # "section"/… -> name (folded) -> id, as last read

    def known_hosts(self) -> list[dict[str, str]]:
        return [dict(c) for c in auth.KNOWN_CRES]

    async def states(self) -> list[dict[str, Any]]:
        return self.known_hosts()

    # --- session ---------------------------------------------------------------------------

    async def login(self, credentials: Credentials) -> Session:
        form = auth.form_of(credentials)
        answer = await self.client.open(form)
        token = answer.data if isinstance(answer.data, str) else text_value(
            answer.data.get("sid") if isinstance(answer.data, Mapping) else None)
        if not token or len(token) > 512 or not token.isprintable():
            raise BackendError(ErrorKind.PROTOCOL, "OpenTHC opened a session but sent no usable session token.")
        self.client.token = token
        self._license = await self._own_license(form["license"])
        handle = secrets.token_urlsafe(24)
        self._tokens = {handle: token}
        self._lists.clear()
        self._session = Session(hostname=form["cre"], username=form["company"], token=handle,
                                claims={"account": form["company"][-8:], "license": form["license"]})
        return self._session

    async def _own_license(self, license_id: str) -> dict[str, Any]:
        """The signed-in license's row (its code and name), from ``GET /license/{id}``."""
        try:
            answer = await self.client.get(f"/license/{license_id}")
        except BackendError as exc:
            if exc.kind is not ErrorKind.VALIDATION:  # a server without the route: keep the id
                raise
            return {"id": license_id}
        return dict(answer.data) if isinstance(answer.data, Mapping) else {"id": license_id}

    async def resume(self, session: Session) -> None:
        token = self._tokens.get(session.token)
        if token is None:  # another process's handle: the token was never written anywhere
            raise ReauthRequired("Enter your OpenTHC license key to continue.")
        self.client.token = token
        self._session = session

    async def logout(self) -> None:
        if self.client.token:
            try:
                await self.client.get("/auth/shut")
            except BackendError:
                pass  # signing out locally is what matters; a dead session is already shut
        self._session = None
        self._tokens.clear()
        self.client.token = ""

    async def licenses(self) -> list[dict[str, Any]]:
        return [self._license] if self._license else []

    # --- reading ---------------------------------------------------------------------------

    async def _get(self, path: str, params: list[tuple[str, str | int]] | None = None) -> Answer:
        try:
            return await self.client.get(path, params or [])
        except BackendError as exc:
            if exc.kind is ErrorKind.AUTH:
                self._session = None
                raise ReauthRequired("OpenTHC closed the session. Sign in again.") from None
            raise

    async def _rows(self, path: str) -> list[dict[str, Any]]:
        answer = await self._get(path)
        rows = answer.data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BackendError(ErrorKind.PROTOCOL, f"OpenTHC sent a malformed list for {path}: 'data' is not a list of objects.")
        if len(rows) > MAX_ROWS:
            raise BackendError(ErrorKind.PROTOCOL, f"OpenTHC sent {len(rows)} rows for {path}; growtui reads at most {MAX_ROWS}.")
        return rows

    async def _read_names(self) -> dict[str, dict[str, str]]:
        """id -> name for sections, products and varieties (and name -> id kept for writes)."""
        out: dict[str, dict[str, str]] = {}
        units: dict[str, str] = {}
        for key, path in NAMED.items():
            rows = await self._rows(path)
            out[key] = {text_value(r.get("id")): text_value(r.get("name")) for r in rows}
            if key == "product":
                units = {text_value(r.get("id")): mapping.product_uom(r) for r in rows}
        self._names = {key: {payloads.fold(name): oid for oid, name in ids.items() if name} for key, ids in out.items()}
        self._names[payloads.UNITS] = units
        return out

    async def _whole(self, collection: Collection) -> list[dict[str, Any]]:
        path, shows = LISTS[collection]
        rows = [r for r in await self._rows(path) if shows(r)]
        if collection.family not in (Family.PLANTS, Family.PACKAGES):
            return rows
        for row in rows:
            if mapping.marked(row):
                row[mapping.STATE] = mapping.MARKED_TEXT  # said in words beside the raw ``stat``
        names = await self._read_names()
        for row in rows:
            row[mapping.NAMES] = {k: names[k].get(mapping.ref_id(row, k), "") for k in NAMED}
        return rows

    def _check_license(self, license_number: str) -> None:
        if license_number not in (text_value(self._license.get("code")), text_value(self._license.get("id"))):
            raise BackendError(ErrorKind.FORBIDDEN, f"This OpenTHC session is for license "
                               f"{text_value(self._license.get('code')) or '?'}; sign in again for {license_number}.")

    async def fetch_page(
        self, license_number: str, collection: Collection, page: int, page_size: int, query: Query = Query(),
    ) -> Page:
        if page < 1:
            raise ValueError(f"page is 1-based, got {page}")
        size = max(1, min(page_size, MAX_PAGE_SIZE))
        if collection not in LISTS:
            return _page([], page, size)
        self._check_license(license_number)
        keep = matcher(query)  # ValueError for what cannot be asked of OpenTHC's lists
        if page == 1 or collection not in self._lists:
            self._lists[collection] = await self._whole(collection)
        return _page([r for r in self._lists[collection] if keep(r)], page, size)

    async def fetch_sub(
        self, license_number: str, sub: SubCollection, parent_id: int | str, page: int = 1, page_size: int = 100,
    ) -> Page:
        """A lot's lab results (samples taken from it, their results' metrics); OpenTHC keeps no
        per-object history lists."""
        size = max(1, page_size)
        if sub is not SubCollection.PACKAGE_LAB_RESULTS:
            return _page([], page, size)
        self._check_license(license_number)
        return _page(await self._lab_lines(str(parent_id)), page, size)

    async def _lab_lines(self, lot_id: str) -> list[dict[str, Any]]:
        samples = [s for s in await self._rows("/lab/sample") if mapping.ref_id(mapping.nested(s, "origin"), "inventory") == lot_id]
        if not samples:
            return []
        if not self._metrics:
            self._metrics = {text_value(m.get("id")): text_value(m.get("name")) for m in await self._rows("/lab/metric")}
        by_sample: dict[str, list[str]] = {}
        for result in await self._rows("/lab/result"):
            by_sample.setdefault(mapping.ref_id(result, "lab_sample"), []).append(text_value(result.get("id")))
        lines = []
        for sample in samples:
            result_ids = by_sample.get(text_value(sample.get("id")), [])
            if not result_ids:
                lines.append(mapping.lab_line(sample, None, None, ""))
            for rid in result_ids[:MAX_RESULTS]:
                answer = await self._get(payloads.object_path("/lab/result", rid))  # the detail has the metrics
                result = answer.data if isinstance(answer.data, Mapping) else {}
                listed = result.get("metric_list")
                metrics = [m for m in listed if isinstance(m, Mapping)][:MAX_METRICS] if isinstance(listed, list) else []
                lines += [mapping.lab_line(sample, result, m, self._metrics.get(text_value(m.get("lab_metric_id")), ""))
                          for m in metrics] or [mapping.lab_line(sample, result, None, "")]
        return lines

    # --- writing ---------------------------------------------------------------------------

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        if dry_run:
            raise BackendError(ErrorKind.VALIDATION, "OpenTHC has no dry run: a change sent to OpenTHC is applied.")
        self._check_license(license_number)
        if type(action) in payloads.NEEDS_NAMES:
            await self._read_names()  # rooms and products by name, as they are now
        try:
            requests = payloads.requests_of(action, self._with_own())
        except (TypeError, ValueError) as exc:
            raise BackendError(ErrorKind.VALIDATION, f"OpenTHC cannot do this: {exc}") from exc
        return await self._send_all(requests)

    async def _send_all(self, requests: list[payloads.Request]) -> SubmitResult:
        """Each request once, in order. The first refused stops the rest; what went before it was
        applied, so the write as a whole is then in doubt (the outbox shows which)."""
        first = ""  # the id the first answer gave (a collect group, a transfer), for the rest
        notes: list[str] = []
        for n, request in enumerate(requests):
            body = {**request.body, request.joins: first} if request.joins and first else request.body
            path = request.path.replace("{first}", quote(first, safe="")) if n else request.path
            try:
                if request.needs_stat is not None:
                    await self._check_stat(request)
                answer = await self.client.write(request.method, path, body, ok=request.ok, as_json=request.as_json)
            except BackendError as exc:
                if n == 0 and exc.kind is ErrorKind.AUTH and not exc.in_doubt:  # refused: nothing applied
                    self._session = None
                    raise ReauthRequired("OpenTHC closed the session. Sign in again, then send it again.") from None
                if n == 0:
                    raise
                raise _partly(requests, n, exc.message, exc) from exc
            if n == 0 and len(requests) > 1:
                first = text_value(answer.data.get("id")) if isinstance(answer.data, Mapping) else ""
                if not first and any(r.joins or "{first}" in r.path for r in requests[1:]):
                    raise _partly(requests, 1, "OpenTHC sent no id for the rest to join", None)
            if answer.note:
                notes.append(answer.note)
        said = notes[0] if notes else "Applied"
        return SubmitResult(dry_run=False, message=said if len(requests) == 1 else f"{said} ({len(requests)} requests)")

    async def _check_stat(self, request: payloads.Request) -> None:
        """Refuse (nothing sent) unless the object's ``stat`` is what the request needs now."""
        answer = await self._get(request.path)
        found = mapping.stat(answer.data) if isinstance(answer.data, Mapping) else None
        if found != request.needs_stat:
            state = {mapping.LIVE: "live", mapping.MARKED: "marked for deletion"}.get(found or 0, f"in state {found}")
            raise BackendError(ErrorKind.VALIDATION, f"OpenTHC says {request.label} is {state} now; nothing was sent "
                               "for it. Refresh the list.")

    def _with_own(self) -> dict[str, dict[str, str]]:
        return {**self._names, payloads.OWN: {"license": text_value(self._license.get("id"))}}

    def request_preview(self, action: Any) -> object:
        try:
            requests = payloads.requests_of(action, self._with_own())
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        return [{r.method: r.path.replace("{first}", "<id the first answer gives>"),
                 "body": {**r.body, r.joins: "<id the first answer gives>"} if r.joins else r.body} for r in requests]



def _partly(requests: list[payloads.Request], done: int, why: str, exc: BackendError | None) -> BackendError:
    applied = ", ".join(r.label for r in requests[:done])
    return BackendError(
        exc.kind if exc else ErrorKind.PROTOCOL,
        f"{requests[done].label if done < len(requests) else 'The rest'}: {why} Applied before it: {applied}; "
        f"not sent: {len(requests) - done - 1 if exc else len(requests) - done}. Check the outbox before sending it again.",
        status=exc.status if exc else None, in_doubt=True, upstream=exc.upstream if exc else None,
    )


def matcher(query: Query) -> Any:
    """A row filter for the neutral queries OpenTHC's lists can answer (id, name, label = id)."""
    if query.sort is not None:
        raise ValueError("OpenTHC lists cannot be sorted upstream")
    keys = {Field.ID: "id", Field.LABEL: "id", Field.NAME: "name"}
    tests = []
    for cond in query.conditions:
        key = keys.get(cond.field)
        if key is None or cond.op not in (Op.EQ, Op.CONTAINS):
            raise ValueError(f"OpenTHC lists cannot be looked up by {cond.field} {cond.op}")
        want = str(cond.value).strip().casefold()
        exact = cond.op is Op.EQ
        tests.append(lambda r, k=key, w=want, e=exact: (text_value(r.get(k)).strip().casefold() == w) if e
                     else w in text_value(r.get(k)).casefold())
    combine = any if query.logic is Logic.OR else all
    return lambda row: combine(t(row) for t in tests) if tests else True
