"""``MetrcBackend``: the Backend protocol over Metrc's own REST API v2 (metrc-api.md).

Sign-in checks the keys with ``GET /facilities/v2``; the keys stay in this object only. The
``Session.token`` is a random handle, not the keys, so a session file written for
``--stay-signed-in`` holds nothing that opens Metrc (a new process asks for the user key again).

Reading: pages of at most 20, always with an explicit lastModified window (v2 answers a request
without one with only recent rows, §6.2): a full load asks from the facility's license start (or
2000-01-01) to now. If Metrc refuses a long window (some states keep v1's 24-hour rule), the
backend learns the span, declares it in ``paging`` (so refreshes are planned in windows) and
serves the request from consecutive windows, with exact page boundaries across them.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
from growtui.backends.metrc import auth, mapping, payloads, routes
from growtui.backends.metrc.client import GETS_AT_ONCE, MetrcClient, Params
from growtui.backends.metrc.errors import MetrcError, RowError, is_range_error
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import License
from growtui.domain.writes import WRITES

MAX_PAGE_SIZE = 20
DAY_S = 86_400.0
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # before any Metrc license (§6.3)
END_SLACK = timedelta(minutes=5)  # a window's end a little ahead of Metrc's clock misses nothing
PLAN_TTL_S = 600.0  # a windowed full load reuses its window plan (and counts) this long
VENDOR_KEY_ENV = "GROWTUI_VENDOR_KEY"  # the integrator key from configuration, never typed


def _no_rows(page: int, size: int) -> Page:
    return Page(page=page, page_size=size, total=0, total_pages=0, rows=[])


# Colorado's; each state has its own, and signing in moves to the host the user picked.
DEFAULT_BASE_URL = "https://api-co.metrc.com"


class MetrcBackend(MappedRows):
    mapping = mapping
    title = "Metrc"
    name = "metrc"
    capabilities = frozenset({w.capability for w in WRITES if w.action in payloads.SUPPORTED_ACTIONS})
    collections = routes.COLLECTIONS

    def __init__(
        self,
        base_url: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        budget: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        stats: RequestStats | None = None,
        clock: Callable[[], float] = time.time,
        vendor_key: str | None = None,
    ) -> None:
        # A given base URL (training sandbox, a proxy) is kept; otherwise the state chosen at
        # sign-in picks api-{st}.metrc.com.
        self._fixed_url = base_url is not None
        self.client = MetrcClient(
            base_url or DEFAULT_BASE_URL, budget=budget,
            retry=retry if retry is not None else RetryPolicy(), stats=stats, timeout=timeout,
            transport=transport,
        )
        self._clock = clock
        self._vendor_key = vendor_key or os.environ.get(VENDOR_KEY_ENV) or None
        self.sign_in = (auth.HOST, auth.USER_KEY) if self._vendor_key else auth.SIGN_IN
        # Items and strains leave /active when discontinued, with no list to move to.
        self.paging = Paging(MAX_PAGE_SIZE, full_only=frozenset({Family.ITEMS, Family.STRAINS}), at_once=GETS_AT_ONCE)
        self._session: Session | None = None
        self._headers: dict[str, str] = {}  # session handle -> Basic header (memory only)
        self._license_start: dict[str, datetime] = {}
        self._grows: dict[str, bool] = {}  # license -> its FacilityType.CanGrowPlants (§8.12)
        self._plans: OrderedDict[tuple[Any, ...], tuple[float, list[routes.Window], list[int]]] = OrderedDict()

    # --- session ---------------------------------------------------------------------------

    def known_hosts(self) -> list[dict[str, str]]:
        return [dict(s) for s in auth.KNOWN_STATES]

    async def states(self) -> list[dict[str, Any]]:
        return self.known_hosts()

    async def login(self, credentials: Credentials) -> Session:
        if self._vendor_key and not credentials.text(auth.VENDOR_KEY.name):
            credentials = Credentials({**credentials, auth.VENDOR_KEY.name: self._vendor_key})
        hostname, vendor, user = auth.keys_of(credentials)
        header = auth.basic_header(vendor, user)
        if not self._fixed_url:
            self.client.rebase(f"https://{hostname}")
        try:
            facilities = await self.client.get_json("/facilities/v2", authorization=header)
        except BackendError as exc:
            if exc.kind is ErrorKind.AUTH:
                raise BackendError(
                    ErrorKind.AUTH,
                    f"Metrc ({hostname}) refused the keys: check the integrator key and your user API key.",
                    status=exc.status,
                ) from None
            raise
        self._remember_facilities(facilities)
        handle = secrets.token_urlsafe(24)
        self._headers = {handle: header}
        self.client.authorization = header
        account = hashlib.sha256(f"{vendor}:{user}".encode()).hexdigest()[:12]
        self._session = Session(hostname=hostname, username=f"metrc-{account}", token=handle)
        self._vendor_key = self._vendor_key or vendor  # typed once: not asked again this run
        return self._session

    async def resume(self, session: Session) -> None:
        header = self._headers.get(session.token)
        if header is None:  # another process's handle: the keys were never written anywhere
            raise ReauthRequired("Enter your Metrc user API key to continue.")
        self.client.authorization = header
        self._remember_facilities(await self._get("/facilities/v2", ()))
        self._session = session

    async def logout(self) -> None:
        self._session = None
        self._headers.clear()
        self.client.authorization = None

    async def _get(self, path: str, params: Params, license_number: str | None = None) -> Any:
        try:
            return await self.client.get_json(path, params, license_number=license_number)
        except BackendError as exc:
            if exc.kind is ErrorKind.AUTH and license_number is None:
                self._session = None
                raise ReauthRequired("Metrc no longer accepts these keys. Sign in again.") from None
            raise

    # --- account ---------------------------------------------------------------------------

    async def licenses(self) -> list[dict[str, Any]]:
        body = await self._get("/facilities/v2", ())
        return self._remember_facilities(body)

    def _remember_facilities(self, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, list) or not all(isinstance(f, dict) for f in body):
            raise BackendError(ErrorKind.PROTOCOL, "Metrc sent a malformed list of facilities.")
        for facility in body:
            lic = facility.get("License") if isinstance(facility.get("License"), dict) else {}
            number, start = lic.get("Number"), lic.get("StartDate")
            flags = facility.get("FacilityType")
            grows = flags.get("CanGrowPlants") if isinstance(flags, dict) else None
            if isinstance(number, str) and isinstance(grows, bool):
                self._grows[number] = grows
            if isinstance(number, str) and isinstance(start, str):
                try:
                    self._license_start[number] = datetime.combine(
                        date.fromisoformat(start[:10]), datetime.min.time(), UTC
                    ) - timedelta(days=1)
                except ValueError:
                    pass
        return body

    async def license_families(self, license_number: str) -> frozenset[Family] | None:
        """A facility that cannot grow plants (a store, a distributor) has no plants, batches or
        harvests; its FacilityType says so (§8.12). None when the flag is not there."""
        if license_number not in self._grows:
            await self.licenses()
        grows = self._grows.get(license_number)
        if grows is None or grows:
            return None
        return frozenset(Family) - {Family.PLANTS, Family.PLANT_BATCHES, Family.HARVESTS}

    # --- reading ---------------------------------------------------------------------------

    async def fetch_page(
        self, license_number: str, collection: Collection, page: int, page_size: int, query: Query = Query(),
    ) -> Page:
        if page < 1:
            raise ValueError(f"page is 1-based, got {page}")
        size = max(1, min(page_size, MAX_PAGE_SIZE))
        path = routes.COLLECTION_ROUTES.get(collection)
        if path is None:
            return _no_rows(page, size)
        start, end = routes.window_of(query)
        start = start or self._license_start.get(license_number, EARLIEST)
        span = self.paging.window_span_s
        if span is not None and ((end or self._now()) - start).total_seconds() > span:
            return await self._windowed_page(license_number, path, start, end, page, size)
        try:
            return await self._page(license_number, path, (start, end or self._now()), page, size)
        except BackendError as exc:
            if not is_range_error(exc):
                raise
            # Metrc keeps a maximum span here: learn it, plan refreshes by it, serve by windows.
            self.paging = replace(self.paging, window_span_s=DAY_S)
            return await self._windowed_page(license_number, path, start, end, page, size)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.server_time(), UTC) + END_SLACK

    async def _page(
        self, license_number: str, path: str, window: routes.Window, page: int, size: int
    ) -> Page:
        params: list[tuple[str, str | int]] = [("licenseNumber", license_number)]
        start, end = window
        if start is not None:
            params.append(("lastModifiedStart", routes.wire_time(start)))
        if end is not None:
            params.append(("lastModifiedEnd", routes.wire_time(end)))
        params += [("pageNumber", page), ("pageSize", size)]
        return parse_page(await self._get(path, params, license_number), size, what=path)

    async def _windowed_page(
        self, license_number: str, path: str, start: datetime, end: datetime | None, page: int, size: int
    ) -> Page:
        """Page ``page`` of the rows of consecutive windows, as if they were one list."""
        windows, totals = await self._plan(license_number, path, start, end)
        total = sum(totals)
        first, last = (page - 1) * size, page * size  # global row offsets wanted: [first, last)
        rows: list[dict[str, Any]] = []
        offset = 0
        for window, count in zip(windows, totals, strict=True):
            lo, hi = max(first, offset) - offset, min(last, offset + count) - offset
            for number in range(lo // size + 1, (hi - 1) // size + 2) if lo < hi else ():
                chunk = await self._page(license_number, path, window, number, size)
                base = (number - 1) * size
                rows += chunk.rows[max(0, lo - base) : max(0, hi - base)]
            offset += count
        return Page(page=page, page_size=size, total=total, total_pages=math.ceil(total / size), rows=rows)

    async def _plan(
        self, license_number: str, path: str, start: datetime, end: datetime | None
    ) -> tuple[list[routes.Window], list[int]]:
        key = (license_number, path, start, end)
        cached = self._plans.get(key)
        if cached is not None and time.monotonic() - cached[0] < PLAN_TTL_S:
            return cached[1], cached[2]
        span = timedelta(seconds=self.paging.window_span_s or DAY_S)
        stop = end or self._now()
        windows: list[routes.Window] = []
        at = start
        while at < stop:
            # Metrc's bounds are inclusive: the next window starts a millisecond later (§6.2).
            windows.append((at, min(at + span, stop)))
            at = at + span + timedelta(milliseconds=1)
        counts = await asyncio.gather(
            *(self._page(license_number, path, w, 1, 1) for w in windows)
        )
        totals = [c.total for c in counts]
        self._plans[key] = (time.monotonic(), windows, totals)
        while len(self._plans) > 32:
            self._plans.popitem(last=False)
        return windows, totals

    async def fetch_sub(
        self, license_number: str, sub: SubCollection, parent_id: int | str, page: int = 1, page_size: int = 20,
    ) -> Page:
        size = max(1, min(page_size, MAX_PAGE_SIZE))
        template = routes.SUB_ROUTES.get(SubCollection(sub))
        if template is None:
            return _no_rows(page, size)
        path = template.format(id=int(parent_id))
        body = await self._get(path, [("pageNumber", page), ("pageSize", size)], license_number)
        return parse_page(body, size, what=sub.value)


    # --- writing ---------------------------------------------------------------------------

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        if dry_run:
            raise BackendError(
                ErrorKind.VALIDATION, "Metrc has no dry run: a change sent to Metrc is applied."
            )
        try:
            request = payloads.request_of(action)
        except (TypeError, ValueError) as exc:
            raise BackendError(ErrorKind.VALIDATION, f"Metrc cannot do this: {exc}") from exc
        ids: list[Any] = []
        params = [("licenseNumber", license_number)]
        for offset, rows in payloads.chunks(request):
            try:
                answer = await self.client.write(
                    request.method, request.path, rows, params, license_number=license_number
                )
            except BackendError as exc:
                raise _chunk_failed(exc, offset) from None
            if answer and isinstance(answer.get("Ids"), list):
                ids += answer["Ids"]
        message = f"Applied ({len(request.rows)} row{'s' if len(request.rows) != 1 else ''})"
        if ids:
            message += f"; Metrc ids {', '.join(str(i) for i in ids[:10])}"
        return SubmitResult(dry_run=False, message=message)

    def request_preview(self, action: Any) -> object:
        try:
            request = payloads.request_of(action)
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        return {request.method: f"{request.path}?licenseNumber=…", "body": request.rows}




def _chunk_failed(exc: BackendError, offset: int) -> BackendError:
    """Row numbers of a later chunk point into the whole request; earlier chunks were applied."""
    if offset == 0:
        return exc
    rows = tuple(RowError(r.row + offset, r.message) for r in getattr(exc, "rows", ()))
    err = MetrcError(
        exc.kind,
        f"The first {offset} rows were applied; the rest were not sent or failed: {exc.message}",
        rows=rows, status=exc.status, retry_after=exc.retry_after, upstream=exc.upstream,
        in_doubt=True,  # partly applied: only a re-read tells what stands
    )
    return err


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_page(body: Any, requested: int, *, what: str) -> Page:
    """Metrc's 8-key envelope (§5.2) -> ``Page``; ``Data`` and ``Total`` must be right."""

    def bad(reason: str) -> BackendError:
        return BackendError(ErrorKind.PROTOCOL, f"Metrc sent a malformed page of {what}: {reason}.")

    if isinstance(body, list):  # some routes answer a bare array whatever was asked (§5.3)
        body = {"Data": body, "Total": len(body), "Page": 1}
    if not isinstance(body, dict):
        raise bad(f"expected an object, got {type(body).__name__}")
    data, total = body.get("Data"), body.get("Total", body.get("TotalRecords"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise bad("'Data' is missing or holds something other than objects")
    if not _is_int(total) or total < 0:
        raise bad("'Total' is missing or not a count")
    if len(data) > requested and "PageSize" in body:
        raise bad(f"{len(data)} rows on a page of {requested}")
    page = body.get("Page", body.get("CurrentPage"))
    page = page if _is_int(page) and page >= 1 else 1
    return Page(page=page, page_size=requested, total=total, total_pages=math.ceil(total / requested), rows=data)
