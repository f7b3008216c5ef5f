"""In-memory state of the Metrc sandbox: one ``World`` of integrator keys, user keys and facilities.

* ``World``: ``vendor_keys``, ``users`` (user key -> ``UserKey``), ``facilities`` (license number
  -> ``Facility``), ``settings`` (the behaviour switches), ``lock`` (route handlers run under it),
  ``now()`` (a clock tests may replace: ``world.clock = lambda: datetime(...)``), ``next_id()``
  (ids unique across the world, as Metrc's are), ``ops`` (latency, faults, GET limits).
* ``Facility``: its wire row (``info``) and dicts keyed by id of *wire dicts* (PascalCase, as sent).
  Keys starting with ``_`` are the sandbox's own bookkeeping and never leave the server.

Which list an object is in is derived from its fields (``lists.MEMBERSHIP``), so a write that
changes ``State``/``IsFinished``/… moves it between lists. **Every write calls ``fac.touch(obj)``**:
Metrc bumps ``LastModified`` on every change, however small, and ``touch``/``add`` also bump
``fac.version``, which keys the cached list memberships (code that edits objects by hand, e.g. a
test, calls ``fac.bump()``).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from growtui.sandbox.metrc.wire import fold, stamp

Obj = dict[str, Any]


@dataclass
class Settings:
    """Behaviour switches where Metrc's documentation is silent or states disagree (§5, §6, §10)."""

    max_objects: int = 10  # rows per write; more answers 413
    max_page_size: int = 20
    oversize_page: str = "reject"  # "reject" (400) or "clamp" a pageSize above max_page_size
    no_window: str = "recent"  # "recent": no lastModified window = the last 24 h; "all": everything
    max_window_hours: float | None = None  # e.g. 24: a longer lastModified span answers 400
    ids_on_every_write: bool = False  # answer {"Ids":…} even where the docs show an empty body
    license_denied_status: int = 403  # a user key without the facility (401 also seen, §3)


@dataclass
class UserKey:
    """A user API key: a person's key, valid for the facilities their Metrc account can act for."""

    user_key: str = field(repr=False)
    name: str
    facilities: list[str]
    read_only: bool = False  # the person's Metrc permissions allow viewing only: writes answer 403


class Facility:
    """One license's objects, each a wire dict keyed by ``Id``."""

    KINDS = (
        "locations",
        "sublocations",
        "strains",
        "items",
        "plant_batches",
        "plants",
        "harvests",
        "harvest_waste",
        "packages",
        "adjustments",
        "plant_waste",
        "transfers",
        "deliveries",
        "delivery_packages",
        "templates",
        "tags",
    )

    def __init__(self, world: World, info: Obj) -> None:
        self.world = world
        self.info = info
        self.license_number: str = info["License"]["Number"]
        self.name: str = info["Name"]
        for kind in self.KINDS:
            setattr(self, kind, {})
        self.locations: dict[int, Obj]
        self.sublocations: dict[int, Obj]
        self.strains: dict[int, Obj]
        self.items: dict[int, Obj]
        self.plant_batches: dict[int, Obj]
        self.plants: dict[int, Obj]
        self.harvests: dict[int, Obj]
        self.harvest_waste: dict[int, Obj]
        self.packages: dict[int, Obj]
        self.adjustments: dict[int, Obj]
        self.plant_waste: dict[int, Obj]
        self.transfers: dict[int, Obj]
        self.deliveries: dict[int, Obj]
        self.delivery_packages: dict[int, Obj]
        self.templates: dict[int, Obj]
        self.tags: dict[int, Obj]
        self._by_label: dict[str, dict[str, Obj]] = {"plants": {}, "packages": {}, "tags": {}}
        self.version = 0  # bumped on every change; list memberships are cached per version
        self.cache: dict[Any, tuple[int, Any]] = {}

    def bump(self) -> None:
        self.version += 1

    # -- storing

    def add(self, kind: str, obj: Obj, *, touched: bool = True) -> Obj:
        """Store a new object (``Id`` assigned when missing); ``touched`` stamps ``LastModified``."""
        if "Id" not in obj:
            obj["Id"] = self.world.next_id()
        getattr(self, kind)[obj["Id"]] = obj
        self.version += 1
        if kind in self._by_label:
            self._by_label[kind][obj["Label"]] = obj
        if touched and "LastModified" in obj:
            self.touch(obj)
        return obj

    def relabel(self, kind: str, obj: Obj, new_label: str) -> None:
        self._by_label[kind].pop(obj["Label"], None)
        obj["Label"] = new_label
        self._by_label[kind][new_label] = obj
        self.version += 1

    def touch(self, *objs: Obj) -> None:
        now = stamp(self.world.now())
        self.version += 1
        for obj in objs:
            obj["LastModified"] = now

    # -- finding

    def by_label(self, kind: str, label: Any) -> Obj | None:
        return self._by_label[kind].get(label) if isinstance(label, str) else None

    def by_name(self, kind: str, name: Any, *, key: str = "Name") -> Obj | None:
        wanted = fold(name)
        if not wanted:
            return None
        return next((o for o in getattr(self, kind).values() if fold(o.get(key)) == wanted and not o.get("_Inactive")), None)

    def tag(self, label: Any) -> Obj | None:
        return self.by_label("tags", label)


class World:
    def __init__(self, *, settings: Settings | None = None, clock: Callable[[], datetime] | None = None) -> None:
        self.settings = settings or Settings()
        self.clock = clock
        self.lock = threading.RLock()
        self.vendor_keys: set[str] = set()
        self.users: dict[str, UserKey] = {}
        self.facilities: dict[str, Facility] = {}
        self.ops: Any = None  # growtui.sandbox.metrc.limits.MetrcOps, attached by the runner
        self._ids = itertools.count(10001)

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)

    def next_id(self) -> int:
        return next(self._ids)

    def add_facility(self, info: Obj) -> Facility:
        fac = Facility(self, info)
        self.facilities[fac.license_number] = fac
        return fac

    def facilities_of(self, user: UserKey) -> Iterable[Facility]:
        return (self.facilities[n] for n in user.facilities if n in self.facilities)
