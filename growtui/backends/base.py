"""The seam between the data layer and every track-and-trace system.

The data layer and the UI talk to a ``Backend``; T3 is the first implementation, Metrc, OpenTHC
and Trace follow. Pages and sub-collections come back as *raw JSON dicts* (kept verbatim in the
cache); ``to_domain`` maps one raw row to a neutral domain model for display and actions.
Every failure a backend can meet surfaces as one ``BackendError`` with a message a floor worker
can act on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from growtui.domain.capabilities import Capability  # re-exported: the seam's vocabulary
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.documents import DocumentFile, DocumentKind, LabelSize
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.query import Query  # neutral; re-exported for backends


class ErrorKind(StrEnum):
    AUTH = "auth"  # bad credentials, expired/invalid token: re-authenticate
    FORBIDDEN = "forbidden"  # no subscription / no access to this license
    VALIDATION = "validation"  # upstream rejected the request (400/422): fix the input
    RATE_LIMITED = "rate_limited"  # 429
    UNAVAILABLE = "unavailable"  # 5xx, HTML error page, maintenance
    TIMEOUT = "timeout"
    NETWORK = "network"  # unreachable, connection reset
    PROTOCOL = "protocol"  # the response did not make sense (bad JSON, wrong shape)


class BackendError(Exception):
    """The one error type backends raise. ``message`` is for people; ``kind`` is for code."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        in_doubt: bool = False,
        upstream: Any = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after
        # For writes: the request may have been applied (timeout, 504, connection lost mid-send).
        self.in_doubt = in_doubt
        self.upstream = upstream

    def __repr__(self) -> str:
        return f"BackendError({self.kind.value!r}, {self.message!r}, status={self.status})"


class ReauthRequired(BackendError):
    """Raised when the session expired or was rejected: the UI asks for the password again."""

    def __init__(self, message: str = "Your session expired. Sign in again to continue.") -> None:
        super().__init__(ErrorKind.AUTH, message, status=401)


class FieldKind(StrEnum):
    TEXT = "text"
    HOST = "host"  # chosen from the backend's hosts (typed text filters them)
    CODE = "code"  # a one-time code (training can make one for a demo user)


@dataclass(frozen=True, slots=True)
class SignInField:
    """One field of a backend's sign-in form; the login screen renders what the backend declares."""

    name: str  # the key in Credentials ("username", "user_key")
    label: str  # "Username"
    kind: FieldKind = FieldKind.TEXT
    secret: bool = False  # masked; cleared after use; never kept or written anywhere
    placeholder: str = ""
    pattern: str = ""  # the stripped value must match it in full ("" = anything non-empty)
    problem: str = ""  # said when the value is missing or does not match
    reask: bool = False  # asked again when the session expires or a kiosk unlocks
    hosts: frozenset[str] = frozenset()  # asked only for these hosts (empty: always)

    def asked_for(self, host: str) -> bool:
        return not self.hosts or host.strip().lower() in self.hosts


class Credentials(Mapping[str, str]):
    """What the sign-in form collected, by ``SignInField.name``; the backend validates it.
    ``repr`` names the fields only, so no secret reaches a log."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, str | None] | None = None, /, **more: str | None) -> None:
        merged = {**(values or {}), **more}
        self._values = {k: v for k, v in merged.items() if v is not None}

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def text(self, name: str) -> str:
        """A field's value stripped ("" when absent)."""
        return str(self._values.get(name) or "").strip()

    def __repr__(self) -> str:
        return f"Credentials({', '.join(self._values)})"


@dataclass(frozen=True, slots=True)
class Paging:
    """How a backend pages its lists and asks for changes; the sync engine plans from it.

    The engine always asks by 1-based page number and page size; a backend that pages by offset
    (``offset=True``) turns page ``n`` into offset ``(n - 1) * page_size`` itself."""

    max_page_size: int  # T3: 500; Metrc: 20
    offset: bool = False  # pages are addressed by row offset (Trace) rather than page number
    modified_filter: bool = True  # lists can be asked for rows changed since a time
    window_span_s: float | None = None  # lastModified windows must be at most this long (Metrc: 24 h)
    # Requests upstream lets one client have in flight (Metrc: 10 per facility); the sync engine
    # keeps to this instead of its own default. None: upstream sets no such cap.
    at_once: int | None = None
    # Families whose changes a "changed since" query cannot show (no lastModified, or rows that
    # leave the family's only list): a refresh of them is always a full load.
    full_only: frozenset[Family] = frozenset()


@dataclass(frozen=True, slots=True)
class Session:
    """Who is signed in. The token lives only in memory unless the user opts in to a 0600 file."""

    hostname: str
    username: str
    token: str = field(repr=False)
    expires_at: float | None = None  # epoch seconds, read from the JWT's exp
    claims: Mapping[str, Any] = field(default_factory=dict)


class JsonRows(Sequence[dict[str, Any]]):
    """A page's rows kept as the JSON text upstream sent (``raw[i]``, one object each), decoded
    into a dict only when a row is read. The cache stores the text as it came and reads the few
    fields it displays, so a 50k-row load never builds the rows' other hundred fields."""

    __slots__ = ("raw", "_decoded")

    def __init__(self, raw: list[bytes]) -> None:
        self.raw = raw
        self._decoded: list[dict[str, Any] | None] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = self._decoded[i]
        if row is None:
            import msgspec  # keeps start-up imports down: only loads read rows

            row = self._decoded[i] = msgspec.json.decode(self.raw[i])
        return row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[i] for i in range(len(self.raw)))

    def __eq__(self, other: object) -> bool:  # equal to the list of the same rows
        return list(self) == list(other) if isinstance(other, list | JsonRows) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list

    def __add__(self, other: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(self) + list(other)

    def __radd__(self, other: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(other) + list(self)


@dataclass(frozen=True, slots=True)
class Page:
    page: int
    page_size: int
    total: int
    total_pages: int
    rows: Sequence[dict[str, Any]]  # a list, or JsonRows where the backend kept the JSON text


@dataclass(frozen=True, slots=True)
class SubmitResult:
    dry_run: bool
    message: str  # upstream's message ("Success", "Dry run")
    warnings: tuple[str, ...] = ()  # what upstream warned about while applying it (Trace), for people


@runtime_checkable
class RequestBudget(Protocol):
    """A per-user request budget (e.g. 600 per sliding 60 s). Backends await it before each call."""

    async def acquire(self) -> None: ...


@runtime_checkable
class Backend(Protocol):
    name: str  # "t3"
    base_url: str  # the API this backend talks to: part of the key of everything stored locally
    capabilities: frozenset[Capability]
    base_url: str  # the API this backend speaks to (keys what is stored per account)
    collections: tuple[Collection, ...]  # the lists this backend can load
    paging: Paging

    # The sign-in form, host field first; ``SignInField.asked_for(host)`` says which fields the
    # chosen host needs. The login and re-auth screens render it; ``login`` validates the result.
    sign_in: tuple[SignInField, ...]

    def known_hosts(self) -> list[dict[str, str]]:
        """Hosts to offer before the first sign-in: [{abbreviation, name, hostname}]."""

    async def login(self, credentials: Credentials) -> Session: ...

    async def resume(self, session: Session) -> None:
        """Use an existing token (e.g. after unlock); raises ReauthRequired if it is no good."""

    async def logout(self) -> None: ...

    async def states(self) -> list[dict[str, Any]]:
        """Hostnames to sign in to: [{abbreviation, name, hostname}]."""

    async def licenses(self) -> list[dict[str, Any]]: ...

    async def fetch_page(
        self,
        license_number: str,
        collection: Collection,
        page: int,
        page_size: int,
        query: Query = Query(),
    ) -> Page: ...

    async def fetch_sub(
        self,
        license_number: str,
        sub: SubCollection,
        parent_id: int | str,
        page: int = 1,
        page_size: int = 500,
    ) -> Page: ...

    async def create_inputs(self, license_number: str, form: CreateForm) -> dict[str, Any]:
        """The raw choices of a create form (units, locations, transfer types …)."""

    async def picker_page(
        self, license_number: str, picker: Picker, page: int, page_size: int, query: Query = Query()
    ) -> Page:
        """One page of a form's choice list; ``query`` is neutral (ValueError if inexpressible)."""

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        """Send a write (a domain action intent). Never retried automatically."""

    def request_preview(self, action: Any) -> object:
        """The exact request ``submit`` would send, for people to read before confirming.
        Raises ValueError (with a message for people) when the action cannot be expressed."""

    def to_domain(self, collection: Collection | SubCollection, raw: Mapping[str, Any]) -> Any: ...

    def raw_paths(self, family: Family) -> Mapping[str, str]:
        """Where this backend's raw rows of ``family`` hold each domain field (dotted paths such
        as ``{"item_name": "item.name"}``): the cache reads display cells from raw JSON there."""

    def license_to_domain(self, raw: Mapping[str, Any]) -> Any: ...

    def picker_to_domain(self, picker: Picker, raw: Mapping[str, Any]) -> Any: ...

    def create_inputs_to_domain(self, form: CreateForm, raw: Mapping[str, Any]) -> Any: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class DocumentSource(Protocol):
    """A backend declaring COA_DOCUMENT, MANIFEST_DOCUMENT or LABEL_PDF also has this method."""

    async def documents(
        self, license_number: str, kind: DocumentKind, collection: Collection,
        raws: Sequence[Mapping[str, Any]], *, size: LabelSize = LabelSize(), compact: bool = False,
    ) -> list[DocumentFile]:
        """The files of ``kind`` for these rows (raw, as this backend stored them), bounded in
        number; for LABELS, [] where upstream cannot render these rows (growtui renders its own)."""


@runtime_checkable
class LicenseLists(Protocol):
    """Optional: a backend that can tell which lists a license can have (a distributor holds
    no plants or harvests). Without it every list the backend loads is offered."""

    async def license_families(self, license_number: str) -> frozenset[Family] | None:
        """The families of lists this license can have; None when upstream does not say."""


async def license_families(backend: Backend, license_number: str) -> frozenset[Family] | None:
    """Which lists ``license_number`` can have, where the backend can tell; None means all."""
    if isinstance(backend, LicenseLists):
        return await backend.license_families(license_number)
    return None
