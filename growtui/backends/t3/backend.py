"""``T3Backend``: the Backend protocol over the T3 API (its OpenAPI spec:
https://api.trackandtrace.tools/v2/spec/openapi.json, Swagger UI at /v2/docs/).

Sessions: the token lives only in this object. A 401, or a token whose ``exp`` is within 30 s,
raises ``ReauthRequired``; the password is not kept, so the UI must ask for it and call ``login``
again. Work that failed with ``ReauthRequired`` can ``await backend.wait_for_session()`` and retry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

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
from growtui.backends.client_backed import ClientBacked
from growtui.backends.http import DEFAULT_TIMEOUT, RequestStats, RetryPolicy, SlidingWindowBudget
from growtui.backends.t3 import auth
from growtui.backends.t3.client import (
    DEFAULT_BASE_URL,
    Params,
    T3Client,
    parse_object,
    parse_objects,
    parse_page,
)
from growtui.backends.t3 import documents, filters, mapping, payloads, permissions
from growtui.backends.responses import upstream_message
from growtui.backends.t3.errors import success_in_doubt
from growtui.domain.collections import ALL_COLLECTIONS, Collection, Family, SubCollection
from growtui.domain.documents import DocumentFile, DocumentKind, LabelSize
from growtui.domain.models import License
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.writes import WRITES

MAX_PAGE_SIZE = 500


def clamp_page_size(page_size: int) -> int:
    return max(1, min(page_size, MAX_PAGE_SIZE))


class T3Backend(ClientBacked):
    name = "t3"
    # Every capability growtui knows of; a write kind's only where payloads maps it to a route.
    capabilities = frozenset(
        {c for c in Capability if c not in {w.capability for w in WRITES}}
        | {w.capability for w in WRITES if w.action in payloads.SUPPORTED_ACTIONS}
    )
    collections = ALL_COLLECTIONS
    max_page_size = MAX_PAGE_SIZE
    # Page numbers, lastModified filters of any span. Strains carry no lastModified, and items
    # leave /items when discontinued (no sibling to move to): only a full load sees either change.
    sign_in = auth.SIGN_IN
    paging = Paging(MAX_PAGE_SIZE, full_only=frozenset({Family.STRAINS, Family.ITEMS}))

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
    ) -> None:
        # T3: 600 requests per minute per user; the margin absorbs network jitter (see http.py).
        self.budget = budget if budget is not None else SlidingWindowBudget(600, 60.0, margin_s=0.5)
        self.client = T3Client(
            base_url or DEFAULT_BASE_URL,
            budget=self.budget,
            retry=retry if retry is not None else RetryPolicy(),
            stats=stats,
            timeout=timeout,
            transport=transport,
        )
        self._clock = clock
        self._session: Session | None = None
        self._session_changed = asyncio.Event()

    # --- session -------------------------------------------------------------------------

    def diagnostics(self) -> dict[str, float]:
        """Request counters plus the budget's, flat, for benchmarks and a status line."""
        out: dict[str, float] = dict(self.stats.snapshot())
        for name in ("acquired", "delayed", "waited_s", "max_in_window"):
            value = getattr(self.budget, name, None)
            if isinstance(value, int | float):
                out[f"budget_{name}"] = value
        return out

    def known_hosts(self) -> list[dict[str, str]]:
        return [dict(s) for s in auth.KNOWN_STATES]

    async def login(self, credentials: Credentials) -> Session:
        body = auth.credentials_body(credentials)
        try:
            answer = await self.client.post_json(
                "/v2/auth/credentials", body, token=None, write=False
            )
        except ReauthRequired as exc:  # a 401 here means the credentials were wrong
            extra = {"otp": "one-time code", "email": "email"}
            fields = ["username", "password", *(extra[f] for f in extra if f in body)]
            raise BackendError(
                ErrorKind.AUTH,
                f"Sign-in failed: check the {', '.join(fields[:-1])} and {fields[-1]}."
                + _upstream_suffix(exc.upstream),
                status=401,
                upstream=exc.upstream,
            ) from None
        except BackendError as exc:
            # No such route, or a page where T3 answers JSON: another server at this address (a
            # typo, a web site), not T3 under maintenance (that is a 5xx, said as such).
            if exc.status in (404, 405) or (exc.status is not None and 200 <= exc.status < 300):
                raise BackendError(
                    ErrorKind.PROTOCOL,
                    f"{self.base_url} does not answer like a T3 API (HTTP {exc.status} to a sign-in): "
                    "check the host address.",
                    status=exc.status, upstream=exc,
                ) from exc
            raise
        token = parse_object(answer, what="a sign-in answer").get("accessToken")
        if not isinstance(token, str) or not token:
            raise BackendError(ErrorKind.PROTOCOL, "T3's sign-in answer held no access token.")
        session = auth.session_from_token(body["hostname"], body["username"], token)
        self._set_session(session)
        return session

    async def resume(self, session: Session) -> None:
        auth.check_fresh(session, self._clock())
        claims = parse_object(
            await self.client.get_json("/v2/auth/whoami", token=session.token),
            what="account details",
        )
        merged = {**session.claims, **claims}
        self._set_session(
            Session(session.hostname, session.username, session.token, session.expires_at, merged)
        )

    async def logout(self) -> None:
        self._session = None

    async def wait_for_session(self, timeout: float | None = None) -> Session:
        """Wait until a (new) usable session is set by ``login``/``resume``; work that got
        ``ReauthRequired`` awaits this and retries. Raises TimeoutError after ``timeout`` s."""
        event = self._session_changed
        await asyncio.wait_for(event.wait(), timeout)
        return auth.check_fresh(self._session, self._clock())

    def _set_session(self, session: Session) -> None:
        self._session = session
        # Wake everyone waiting for a session, then arm a fresh event for the next expiry.
        self._session_changed.set()
        self._session_changed = asyncio.Event()

    def _token(self) -> str:
        return auth.check_fresh(self._session, self._clock()).token

    async def _get(
        self, path: str, params: Params, license_number: str | None = None, *, page: bool = False
    ) -> Any:
        token = self._token()
        get = self.client.get_page if page else self.client.get_json
        try:
            return await get(path, params, token=token, license_number=license_number)
        except ReauthRequired as exc:
            raise await self._classify_401(exc, token, license_number) from None

    async def _classify_401(
        self, exc: ReauthRequired, token: str, license_number: str | None
    ) -> BackendError:
        """A 401 on a license-scoped call may mean "not your license" rather than "session over"
        (T3 calls both an authorization error). The free whoami route tells them apart."""
        if license_number is not None:
            try:
                await self.client.get_json("/v2/auth/whoami", token=token)
            except BackendError:
                pass
            else:
                return BackendError(
                    ErrorKind.FORBIDDEN,
                    f"T3 refused access to license {license_number}: this account cannot use it"
                    + _upstream_suffix(exc.upstream),
                    status=401,
                    upstream=exc.upstream,
                )
        self._forget(token)
        return exc

    def _forget(self, token: str) -> None:
        # Only drop the session this request used; a newer login may already have replaced it.
        if self._session is not None and self._session.token == token:
            self._session = None

    # --- account ---------------------------------------------------------------------------

    async def states(self) -> list[dict[str, Any]]:
        # A free route, but T3 still wants a token: before sign-in the UI offers a typed hostname.
        return parse_objects(await self._get("/v2/states", ()), what="states")

    async def licenses(self) -> list[dict[str, Any]]:
        return parse_objects(await self._get("/v2/licenses", ()), what="licenses")

    async def license_families(self, license_number: str) -> frozenset[Family] | None:
        """The lists this license can have, from its permission views (a Free route)."""
        views = await self._get("/v2/permissions/views", (("licenseNumber", license_number),), license_number)
        return permissions.families_of_views(views)

    async def whoami(self) -> dict[str, Any]:
        return parse_object(await self._get("/v2/auth/whoami", ()), what="account details")

    # --- reading ---------------------------------------------------------------------------

    async def fetch_page(
        self,
        license_number: str,
        collection: Collection,
        page: int,
        page_size: int,
        query: Query = Query(),
    ) -> Page:
        return await self._paged(
            filters.collection_route(collection), license_number, page, page_size,
            filters.query_params(query), what=collection.key,
        )

    async def fetch_sub(
        self,
        license_number: str,
        sub: SubCollection,
        parent_id: int | str,
        page: int = 1,
        page_size: int = 500,
    ) -> Page:
        route, parent_param = filters.SUB_ROUTES[sub]
        extra = [(parent_param, str(parent_id))]
        return await self._paged(route, license_number, page, page_size, extra, what=sub.value)

    async def picker_page(
        self, license_number: str, picker: Picker, page: int, page_size: int, query: Query = Query()
    ) -> Page:
        try:
            path = filters.PICKER_ROUTES[Picker(picker)]
        except (KeyError, ValueError):
            raise ValueError(f"unknown picker {picker!r}; known: {[p.value for p in Picker]}") from None
        return await self._paged(
            path, license_number, page, page_size, filters.query_params(query), what=str(picker)
        )

    async def create_inputs(self, license_number: str, form: CreateForm) -> dict[str, Any]:
        try:
            path = filters.CREATE_INPUT_ROUTES[CreateForm(form)]
        except (KeyError, ValueError):
            raise ValueError(f"create form must be 'package' or 'transfer', not {form!r}") from None
        body = await self._get(path, [("licenseNumber", license_number)], license_number)
        return parse_object(body, what=f"{form} form inputs")

    async def _paged(
        self,
        path: str,
        license_number: str,
        page: int,
        page_size: int,
        extra: list[tuple[str, str]],
        *,
        what: str,
    ) -> Page:
        if page < 1:
            raise ValueError(f"page is 1-based, got {page}")
        size = clamp_page_size(page_size)
        params = [("licenseNumber", license_number), ("page", page), ("pageSize", size), *extra]
        body = await self._get(path, params, license_number, page=True)
        return parse_page(body, what=what, requested_page_size=size)

    # --- writing ---------------------------------------------------------------------------

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        try:
            path, body = payloads.action_to_request(action)
        except TypeError as exc:  # an action T3 has no route for
            raise BackendError(
                ErrorKind.VALIDATION, f"T3 cannot perform {type(action).__name__}: {exc}"
            ) from exc
        except ValueError as exc:  # payloads.PayloadError: the form left out an id T3 needs
            raise BackendError(ErrorKind.VALIDATION, str(exc)) from exc
        params: list[tuple[str, str]] = [("licenseNumber", license_number)]
        if not dry_run:
            params.append(("submit", "true"))  # the literal lowercase string the T3 spec asks for
        token = self._token()
        try:
            answer = await self.client.post_json(
                path, body, params, token=token, license_number=license_number, write=not dry_run
            )
        except ReauthRequired as exc:
            raise await self._classify_401(exc, token, license_number) from None
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, str):
            if dry_run:
                raise BackendError(ErrorKind.PROTOCOL, "T3's dry-run answer had no message.")
            raise success_in_doubt(200, "its answer held no message")
        applied = message.strip().lower() == "success"
        if not dry_run and not applied:
            raise BackendError(
                ErrorKind.PROTOCOL,
                f"T3 answered {message!r} instead of 'Success': the change was probably not "
                "applied. Refresh before trying again.",
                in_doubt=True,
            )
        return SubmitResult(dry_run=not applied, message=message)

    # --- documents ----------------------------------------------------------------------------

    async def documents(
        self, license_number: str, kind: DocumentKind, collection: Collection,
        raws: Sequence[Mapping[str, Any]], *, size: LabelSize = LabelSize(), compact: bool = False,
    ) -> list[DocumentFile]:
        token = self._token()
        if kind is DocumentKind.MANIFEST:
            numbers = dict.fromkeys(n for n in map(documents.manifest_number, raws) if n)
            return [
                await self.client.get_file("/v2/transfers/manifest", [("licenseNumber", license_number),
                                           ("manifestNumber", n)], token=token, license_number=license_number)
                for n in list(numbers)[: documents.MAX_FILES]
            ]
        if kind is DocumentKind.COA:
            files = []
            for raw in raws[: documents.MAX_FILES]:
                results = await self.fetch_sub(license_number, SubCollection.PACKAGE_LAB_RESULTS, raw["id"])
                for file_id in documents.coa_file_ids(results.rows):
                    files.append(await self.client.get_file(
                        "/v2/packages/labresults/document",
                        [("licenseNumber", license_number), ("packageId", raw["id"]), ("labTestResultDocumentFileId", file_id)],
                        token=token, license_number=license_number,
                    ))
            return files
        return await self._label_pdf(collection, raws, size, compact, token)

    async def _label_pdf(
        self, collection: Collection, raws: Sequence[Mapping[str, Any]], size: LabelSize, compact: bool, token: str
    ) -> list[DocumentFile]:
        """T3's own label PDF, or [] where T3 has no layout or content for these rows."""
        if collection.family is not Family.PACKAGES or collection.state not in documents.LABEL_STATES:
            return []
        templates = parse_objects(_inner_data(await self._get("/v2/files/labels/label-template-layouts", ())), what="label layouts")
        contents = parse_objects(_inner_data(await self._get("/v2/files/labels/label-content-layouts", ())), what="label contents")
        template, content = documents.template_layout(templates, size), documents.content_layout(contents, compact)
        tags = [str(raw["label"]) for raw in raws if raw.get("label")]
        if template is None or content is None or not tags:
            return []
        ids = {"labelTemplateLayoutId": template.get("labelTemplateLayoutId"), "labelContentLayoutId": content.get("id")}
        filled = await self.client.post_json(
            f"/v2/files/labels/content-data/packages/{collection.state}", {**ids, "data": tags}, token=token, write=False
        )
        entries = parse_objects(_inner_data(filled), what="label content")
        return [await self.client.post_for_file("/v2/files/labels/generate", {**ids, "labelContentData": entries}, token=token)]

    # --- mapping & lifecycle ---------------------------------------------------------------

    def request_preview(self, action: Any) -> object:
        try:
            path, body = payloads.action_to_request(action)
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        return {"POST": f"{path}?licenseNumber=…&submit=true", "body": body}

    def to_domain(self, collection: Collection | SubCollection, raw: Mapping[str, Any]) -> Any:
        return mapping.to_domain(collection, raw)

    def raw_paths(self, family: Family) -> dict[str, str]:
        return mapping.raw_paths(family)

    def license_to_domain(self, raw: Mapping[str, Any]) -> License:
        return mapping.license_to_domain(raw)

    def picker_to_domain(self, picker: Picker, raw: Mapping[str, Any]) -> Any:
        return mapping.picker_to_domain(picker, raw)

    def create_inputs_to_domain(self, form: CreateForm, raw: Mapping[str, Any]) -> Any:
        return mapping.create_inputs_to_domain(form, raw)


def _inner_data(body: Any) -> Any:
    """Label routes wrap their lists: ``{data: [...]}``, layouts ``{data: {data: [...]}}``."""
    for _ in range(3):  # bounded: a body nesting deeper is malformed, and parse_objects says so
        if isinstance(body, dict) and "data" in body:
            body = body["data"]
    return body


def _upstream_suffix(upstream: Any) -> str:
    text = upstream_message(upstream)
    return f" (T3: {text})" if text else ""
