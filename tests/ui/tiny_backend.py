"""A tiny in-memory track-and-trace system, written only against the seam (``backends.base``).

It is deliberately unlike T3: it signs in with two API keys, pages by row offset (at most 3 rows a
request), answers "changed since" only in windows of at most an hour, names its fields its own
way, and can do one kind of write (a note on packages), with no dry run. If growtui's login, list,
sync and confirmation flow work over it without any change outside tests/, the seam is real.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from growtui.backends.base import (
    BackendError,
    Capability,
    Credentials,
    ErrorKind,
    FieldKind,
    Page,
    Paging,
    Query,
    Session,
    SignInField,
    SubmitResult,
)
from growtui.domain.actions import AddNote
from growtui.domain.collections import Collection, Family, SubCollection
from growtui.domain.models import License, Package
from growtui.domain.pickers import CreateForm, Picker
from growtui.domain.query import Field, Logic, Op
from growtui.domain.units import Quantity, Unit

HOST = "tiny.local"
VENDOR_KEY = "vendor-7"
USER_KEY = "user-42"
LICENSE = "TINY-1"
HOUR = 3600.0

# Where this system keeps each domain field (its own names, not T3's).
_WIRE = {Field.ID: "ref", Field.LABEL: "tag", Field.LAST_MODIFIED: "changed"}


def stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


@dataclass
class TinyWorld:
    """The upstream data: package rows by collection, and every request the client made."""

    now: float
    rows: dict[Collection, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, Any]] = field(default_factory=list)

    @classmethod
    def seeded(cls, now: float, active: int = 7) -> TinyWorld:
        world = cls(now)
        active_coll, inactive_coll = Collection(Family.PACKAGES, "active"), Collection(Family.PACKAGES, "inactive")
        world.rows[active_coll] = [
            {"ref": 100 + i, "tag": f"TINY{i:04d}", "product": f"Flower {i}", "qty": 10 + i,
             "uom": "g", "remark": "", "changed": stamp(now - 86_400)}
            for i in range(active)
        ]
        world.rows[inactive_coll] = [
            {"ref": 900, "tag": "TINY9000", "product": "Old", "qty": 0, "uom": "g", "remark": "",
             "changed": stamp(now - 86_400), "done": True}
        ]
        return world

    def all_rows(self) -> list[dict[str, Any]]:
        return [r for rows in self.rows.values() for r in rows]


class TinyBackend:
    name = "tiny"
    base_url = f"https://{HOST}/api"
    capabilities = frozenset({Capability.PACKAGE_NOTE})
    collections = (Collection(Family.PACKAGES, "active"), Collection(Family.PACKAGES, "inactive"))
    paging = Paging(max_page_size=3, offset=True, window_span_s=HOUR, full_only=frozenset())
    sign_in = (
        SignInField("host", "System", FieldKind.HOST, pattern=r"tiny\.local", problem="Choose the system."),
        SignInField("vendor_key", "Vendor key", secret=True, problem="Enter the vendor key."),
        SignInField("user_key", "User key", secret=True, reask=True, problem="Enter your user key."),
    )

    def __init__(self, world: TinyWorld) -> None:
        self.world = world
        self.session: Session | None = None

    # -- session --------------------------------------------------------------------------------

    def known_hosts(self) -> list[dict[str, str]]:
        return [{"abbreviation": "TY", "name": "Tiny", "hostname": HOST}]

    async def states(self) -> list[dict[str, Any]]:
        return self.known_hosts()

    async def login(self, credentials: Credentials) -> Session:
        self.world.requests.append(("login", sorted(credentials)))
        if credentials.get("vendor_key") != VENDOR_KEY or credentials.get("user_key") != USER_KEY:
            raise BackendError(ErrorKind.AUTH, "Tiny refused the keys.", status=401)
        self.session = Session(hostname=credentials["host"], username="floor", token="tiny-token")
        return self.session

    async def resume(self, session: Session) -> None:
        self.session = session

    async def logout(self) -> None:
        self.session = None

    async def licenses(self) -> list[dict[str, Any]]:
        return [{"licence": LICENSE, "title": "Tiny Farm"}]

    def license_to_domain(self, raw: Mapping[str, Any]) -> License:
        return License(number=str(raw["licence"]), name=str(raw["title"]), raw=raw)

    # -- reading --------------------------------------------------------------------------------

    async def fetch_page(
        self, license_number: str, collection: Collection, page: int, page_size: int, query: Query = Query()
    ) -> Page:
        size = min(page_size, self.paging.max_page_size)
        offset = (page - 1) * size  # offset paging: the seam's page n is rows from (n - 1) * size
        self.world.requests.append(("list", (collection.key, offset, size, query)))
        rows = [r for r in self.world.rows.get(collection, []) if _matches(r, query)]
        chunk = [dict(r) for r in rows[offset : offset + size]]
        return Page(page, size, len(rows), -(-len(rows) // size), chunk)

    async def fetch_sub(self, license_number: str, sub: SubCollection, parent_id: int | str,
                        page: int = 1, page_size: int = 500) -> Page:
        return Page(page, page_size, 0, 0, [])

    def raw_paths(self, family: Family) -> Mapping[str, str]:
        return {"id": "ref", "label": "tag", "item_name": "product", "quantity": "qty", "unit_label": "uom",
                "last_modified": "changed", "is_finished": "done"}

    def to_domain(self, collection: Collection | SubCollection, raw: Mapping[str, Any]) -> Package:
        return Package(
            id=raw["ref"], label=raw["tag"], item_name=raw["product"],
            quantity=Quantity(Decimal(raw["qty"]), Unit.lookup("g")), unit_label=raw["uom"],
            note=raw.get("remark", ""), is_finished=bool(raw.get("done")),
            last_modified=datetime.fromisoformat(raw["changed"]), raw=raw,
        )

    async def create_inputs(self, license_number: str, form: CreateForm) -> dict[str, Any]:
        raise ValueError("Tiny has no create forms")

    async def picker_page(self, license_number: str, picker: Picker, page: int, page_size: int,
                          query: Query = Query()) -> Page:
        raise ValueError("Tiny has no pickers")

    def picker_to_domain(self, picker: Picker, raw: Mapping[str, Any]) -> Any:
        raise ValueError("Tiny has no pickers")

    def create_inputs_to_domain(self, form: CreateForm, raw: Mapping[str, Any]) -> Any:
        raise ValueError("Tiny has no create forms")

    # -- writing: the wire mapping of the one kind it supports -------------------------------------

    def _request(self, action: Any) -> dict[str, Any]:
        if not isinstance(action, AddNote):
            raise ValueError(f"Tiny cannot {type(action).__name__}")
        return {"remarks": [{"ref": pid, "remark": action.note} for pid in action.package_ids]}

    def request_preview(self, action: Any) -> object:
        return {"PUT": "/remarks", "body": self._request(action)}

    async def submit(self, license_number: str, action: Any, *, dry_run: bool) -> SubmitResult:
        body = self._request(action)
        self.world.requests.append(("write", body))
        self.world.now += 60
        by_ref = {r["ref"]: r for r in self.world.all_rows()}
        for remark in body["remarks"]:
            row = by_ref[remark["ref"]]
            row["remark"], row["changed"] = remark["remark"], stamp(self.world.now)
        return SubmitResult(dry_run=False, message="Remarked")

    def server_time(self) -> float:
        return self.world.now

    async def aclose(self) -> None:
        pass


def _matches(row: Mapping[str, Any], query: Query) -> bool:
    if not query.conditions:
        return True
    hits = [_holds(row, c.field, c.op, c.value) for c in query.conditions]
    return any(hits) if query.logic is Logic.OR else all(hits)


def _holds(row: Mapping[str, Any], field_: Field, op: Op, value: Any) -> bool:
    have = row.get(_WIRE[field_])
    if field_ is Field.LAST_MODIFIED:
        have = datetime.fromisoformat(have)
    if op is Op.EQ:
        return have == value
    if op is Op.GTE:
        return have >= value
    if op is Op.LTE:
        return have <= value
    raise ValueError(f"Tiny cannot {op} on {field_}")
