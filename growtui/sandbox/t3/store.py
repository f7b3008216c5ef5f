"""In-memory state of the T3 sandbox: one ``World`` of users and licenses.

Shape (what write routes may rely on):

* ``World``: ``users`` (username -> ``User``), ``licenses`` (licenseNumber -> ``LicenseState``),
  ``lock`` (a ``threading.RLock``; route handlers run under it), ``now()`` (a clock tests may
  replace via ``world.clock = lambda: datetime(...)``), ``next_id()`` (ids unique across the
  world, like Metrc's), ``next_manifest()`` (10-digit manifest numbers as strings), ``ops``
  (the operations-realism control object, attached by the runner).
* ``LicenseState``: the identity (``hostname``, ``license_number``, ``license_name``, ``state_code``,
  ``owner``) and plain dicts keyed by id holding *raw wire dicts without the five envelope fields*
  (``hostname``, ``dataModel``, ``retrievedAt``, ``licenseNumber``, ``index``).

Collection membership is never stored: ``classify(family, obj)`` derives it from the object's own
fields (e.g. a package with ``isFinished`` is in ``packages/inactive``), so changing a field moves
the object between sibling collections. Membership lists are cached per ``LicenseState.version``;
**after changing, adding or removing any stored object call ``lic.touch(obj)`` (sets
``lastModified`` and bumps the version) or ``lic.bump()``**, otherwise readers may see stale lists.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from growtui.sandbox.t3.route_table import Collection, Family, SubCollection

Obj = dict[str, Any]

ENVELOPE_FIELDS = ("hostname", "dataModel", "retrievedAt", "licenseNumber", "index")


def iso(dt: datetime) -> str:
    """Wire format of every date-time the sandbox emits: UTC, milliseconds, ``Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


@dataclass
class User:
    """A Metrc account the sandbox accepts. ``password`` lives only in memory."""

    username: str
    password: str = field(repr=False)
    hostname: str
    licenses: list[str]
    has_t3plus: bool = True
    tier: str | None = "basic"  # t3plusSubscriptionTier: manual|basic|team|enterprise|unlimited
    otp_secret: str | None = None  # MI: a TOTP secret; login needs a current code
    email: str | None = None  # CO: login needs this email

    def public(self) -> dict[str, Any]:
        """What ``sandbox users`` prints for demo sign-ins (sandbox accounts only)."""
        out: dict[str, Any] = {
            "hostname": self.hostname,
            "username": self.username,
            "password": self.password,
            "hasT3plus": self.has_t3plus,
        }
        if self.otp_secret:
            out["otpSecret"] = self.otp_secret
        if self.email:
            out["email"] = self.email
        return out


# --- collection membership -------------------------------------------------------------------


def _plant_state(p: Obj) -> str:
    if p.get("destroyedDate") or p.get("stateName") == "Destroyed" or p.get("growthPhaseName") == "Harvest":
        return "inactive"
    if p.get("isOnHold"):
        return "onhold"
    return "flowering" if p.get("growthPhaseName") == "Flowering" else "vegetative"


def _plant_batch_state(b: Obj) -> str:
    if (b.get("untrackedCount") or 0) <= 0:
        return "inactive"
    return "onhold" if b.get("isOnHold") else "active"


def _harvest_state(h: Obj) -> str:
    if h.get("isFinished") or h.get("finishedDate") or h.get("isArchived"):
        return "inactive"
    return "onhold" if h.get("isOnHold") else "active"


def _package_state(p: Obj) -> str:
    if p.get("isInTransit"):
        return "intransit"
    if p.get("isFinished") or p.get("finishedDate"):
        return "inactive"
    return "onhold" if p.get("isOnHold") else "active"


def _active_unless_archived(o: Obj) -> str | None:
    return None if o.get("isArchived") else ""


def _incoming_state(t: Obj) -> str:
    return "inactive" if t.get("receivedDateTime") or t.get("isVoided") else "active"


def _outgoing_state(t: Obj) -> str | None:
    if t.get("approvalRejectDateTime"):
        return None  # lives in transfers/rejected
    return "inactive" if t.get("receivedDateTime") or t.get("isVoided") else "active"


def _rejected_state(t: Obj) -> str | None:
    return "" if t.get("approvalRejectDateTime") else None


@dataclass(frozen=True)
class FamilySpec:
    store: str  # LicenseState attribute holding the objects
    classify: Callable[[Obj], str | None]  # state within the family, None = not in the family


FAMILIES: dict[Family, FamilySpec] = {
    Family.PLANTS: FamilySpec("plants", _plant_state),
    Family.PLANT_BATCHES: FamilySpec("plant_batches", _plant_batch_state),
    Family.HARVESTS: FamilySpec("harvests", _harvest_state),
    Family.PACKAGES: FamilySpec("packages", _package_state),
    Family.ITEMS: FamilySpec("items", _active_unless_archived),
    Family.STRAINS: FamilySpec("strains", _active_unless_archived),
    Family.TRANSFERS_INCOMING: FamilySpec("incoming", _incoming_state),
    Family.TRANSFERS_OUTGOING: FamilySpec("outgoing", _outgoing_state),
    Family.TRANSFERS_REJECTED: FamilySpec("outgoing", _rejected_state),
}

# index/dataModel of objects that are not in a top-level collection (sub-collections, pickers)
OTHER_INDEX: dict[str, str] = {
    SubCollection.PLANT_HISTORY: "PLANT_HISTORY",
    SubCollection.PLANT_BATCH_HISTORY: "PLANTBATCH_HISTORY",
    SubCollection.HARVEST_HISTORY: "HARVEST_HISTORY",
    SubCollection.HARVEST_PLANTS: "HARVEST_PLANT",
    SubCollection.HARVEST_PACKAGES: "HARVEST_PACKAGE",
    SubCollection.PACKAGE_HISTORY: "PACKAGE_HISTORY",
    SubCollection.PACKAGE_LAB_RESULTS: "PACKAGE_LAB_RESULT",
    SubCollection.ITEM_HISTORY: "ITEM_HISTORY",
    SubCollection.TRANSFER_HISTORY: "TRANSFER_HISTORY",
    SubCollection.TRANSFER_DELIVERIES: "TRANSFER_DELIVERY",
    SubCollection.TRANSFER_TRANSPORTER_DETAILS: "TRANSFER_TRANSPORTER_DETAILS",
    SubCollection.DELIVERY_PACKAGES: "TRANSFERRED_PACKAGE",
    SubCollection.DELIVERY_TRANSPORTERS: "TRANSFER_TRANSPORTER",
    "destinations": "DESTINATION",
    "transporters": "TRANSPORTER",
    "tags/available": "AVAILABLE_TAG",
    "tags/used": "USED_TAG",
    "source-harvests": "PACKAGE_SOURCE_HARVEST",
    "labresult-batches": "PACKAGE_LAB_RESULT_BATCH",
}


def classify(family: Family, obj: Obj) -> str | None:
    """The state (collection suffix) ``obj`` belongs to within ``family``; None if outside it."""
    return FAMILIES[family].classify(obj)


def index_for(key: Collection | SubCollection | str, obj: Obj | None = None) -> str:
    """The ``index`` (= ``dataModel``) value for an object served from ``key``.

    Serve MetrcPackage/MetrcItem-shaped pickers with their ``Collection`` key (e.g.
    ``Collection.parse("packages/active")``) so they carry the model's own index values.
    """
    if isinstance(key, Collection):
        return key.index
    if isinstance(key, str) and key.startswith("tags") and obj is not None:
        return "USED_TAG" if obj.get("isUsed") else "AVAILABLE_TAG"
    known = OTHER_INDEX.get(key)
    return known if known is not None else str(key).upper().replace("-", "_").replace("/", "_")


# --- per-license state -----------------------------------------------------------------------


class LicenseState:
    """Everything one license holds. Dicts map id -> raw wire dict (no envelope fields)."""

    def __init__(
        self,
        world: World,
        *,
        hostname: str,
        license_number: str,
        license_name: str,
        state_code: str,
        owner: str,
        uses_vegetative: bool = True,
        license_class: str = "Cultivator",
    ) -> None:
        self.world = world
        self.hostname = hostname
        self.license_number = license_number
        self.license_name = license_name
        self.state_code = state_code
        self.owner = owner
        self.uses_vegetative = uses_vegetative  # CA-style licenses promote batches straight to flowering
        self.license_class = license_class  # "Cultivator", "Distributor": decides its permission views
        self.facility_id = world.next_id()

        # top-level families
        self.plants: dict[int, Obj] = {}
        self.plant_batches: dict[int, Obj] = {}
        self.harvests: dict[int, Obj] = {}
        self.packages: dict[int, Obj] = {}
        self.items: dict[int, Obj] = {}
        self.strains: dict[int, Obj] = {}
        self.incoming: dict[int, Obj] = {}  # MetrcIncomingTransfer rows (one per delivery)
        self.outgoing: dict[int, Obj] = {}  # MetrcOutgoingTransfer rows, incl. rejected ones
        # lookups and create-form inputs
        self.locations: dict[int, Obj] = {}  # MetrcLocation
        self.tags: dict[int, Obj] = {}  # MetrcTag; isUsed False = available
        self.units: dict[int, Obj] = {}  # UnitOfMeasure
        self.destinations: dict[int, Obj] = {}  # MetrcFacility (its own licenseNumber)
        self.transporter_facilities: dict[int, Obj] = {}  # MetrcFacility
        self.transfer_types: dict[int, Obj] = {}  # transferTypes[] incl. requires* flags
        self.transfer_templates: dict[int, Obj] = {}
        self.drivers: dict[int, Obj] = {}  # MetrcDriver
        self.vehicles: dict[int, Obj] = {}  # MetrcVehicle
        self.remediation_methods: dict[int, Obj] = {}
        # sub-collections, keyed by the parent's id (manifestNumber for transfer-level lists)
        self.history: dict[tuple[str, int | str], list[Obj]] = {}  # ("packages", id) -> MetrcHistory[]
        self.lab_results: dict[int, list[Obj]] = {}  # packageId -> MetrcPackageLabResult[]
        self.harvest_plants: dict[int, list[int]] = {}  # harvestId -> plant ids
        self.harvest_packages: dict[int, list[int]] = {}  # harvestId -> package ids
        self.deliveries: dict[str, list[Obj]] = {}  # manifestNumber -> MetrcTransferDelivery[]
        self.delivery_packages: dict[int, list[Obj]] = {}  # deliveryId -> MetrcDeliveryPackage[]
        self.delivery_transporters: dict[int, list[Obj]] = {}  # deliveryId -> MetrcTransferTransporter[]
        self.transporter_details: dict[str, list[Obj]] = {}  # manifestNumber -> details[]

        self.hidden_until: dict[int, float] = {}  # id(obj) -> epoch s when it becomes visible
        self.seeded_ids: set[int] = set()  # objects made by the seed (their history is synthesised)
        self.version = 0
        self._members: dict[Collection, tuple[int, list[Obj]]] = {}
        self.query_cache: dict[Any, tuple[int, list[Obj]]] = {}  # owned by query.py

    # -- change tracking

    def bump(self) -> None:
        """Invalidate cached membership/query results after any change."""
        self.version += 1

    def touch(self, obj: Obj) -> Obj:
        """Mark ``obj`` modified now (``lastModified``) and invalidate caches."""
        obj["lastModified"] = iso(self.world.now())
        self.bump()
        return obj

    def add(self, store: str, obj: Obj) -> Obj:
        """Insert ``obj`` (which must carry ``id``) into ``getattr(self, store)`` and touch it.

        With ``world.visibility_delay_s`` > 0 the new object stays out of every collection for
        that long (eventual consistency, §9 item 23): clients must poll for what they created.
        """
        getattr(self, store)[obj["id"]] = obj
        delay = self.world.visibility_delay_s
        if delay > 0:
            self.hidden_until[id(obj)] = self.world.now().timestamp() + delay
        return self.touch(obj)

    def add_history(self, kind: str, parent_id: int | str, descriptions: Iterable[str], user: str) -> Obj:
        """Append a MetrcHistory event for ``(kind, parent_id)``; kind is the family path, e.g. "packages"."""
        now = self.world.now()
        event = {
            "descriptions": list(descriptions),
            "userName": user,
            "actualDate": now.date().isoformat(),
            "recordedDateTime": iso(now),
            "inputSourcesNames": "User",
            "externalSourceName": None,
        }
        self.history.setdefault((kind, parent_id), []).insert(0, event)
        self.bump()
        return event

    # -- reading

    def members(self, collection: Collection) -> list[Obj]:
        """Objects currently in ``collection`` in store order (cached until the next change)."""
        if self.hidden_until:
            self._reveal_due()
        hit = self._members.get(collection)
        if hit is not None and hit[0] == self.version:
            return hit[1]
        spec = FAMILIES[collection.family]
        want = collection.state
        hidden = self.hidden_until
        rows = [o for o in getattr(self, spec.store).values() if spec.classify(o) == want and id(o) not in hidden]
        self._members[collection] = (self.version, rows)
        return rows

    def _reveal_due(self) -> None:
        now = self.world.now().timestamp()
        due = [key for key, until in self.hidden_until.items() if until <= now]
        for key in due:
            del self.hidden_until[key]
        if due:
            self.bump()

    def find(self, collection_family: Family, obj_id: int) -> Obj | None:
        return getattr(self, FAMILIES[collection_family].store).get(obj_id)

    def unit(self, unit_id: int) -> Obj | None:
        return self.units.get(unit_id)

    def unit_by_abbreviation(self, abbreviation: str) -> Obj | None:
        return next((u for u in self.units.values() if u["abbreviation"] == abbreviation), None)

    def available_tags(self, tag_type: str | None = None) -> list[Obj]:
        """Unused, unarchived tags; ``tag_type`` "CannabisPackage" or "CannabisPlant" narrows them."""
        return [
            t
            for t in self.tags.values()
            if not t["isUsed"] and not t["isArchived"] and (tag_type is None or t["tagTypeName"] == tag_type)
        ]

    def envelope(self, key: Collection | SubCollection | str, retrieved_at: str, obj: Obj | None = None) -> Obj:
        idx = index_for(key, obj)
        return {
            "hostname": self.hostname,
            "dataModel": idx,
            "retrievedAt": retrieved_at,
            "licenseNumber": self.license_number,
            "index": idx,
        }

    def emit(self, key: Collection | SubCollection | str, obj: Obj, retrieved_at: str | None = None) -> Obj:
        """A wire copy of ``obj`` with the envelope fields; the stored dict is left untouched."""
        env = self.envelope(key, retrieved_at or iso(self.world.now()), obj)
        return {**env, **obj}


def emit(license: LicenseState, collection: Collection | SubCollection | str, obj: Obj) -> Obj:
    """Module-level spelling of ``LicenseState.emit``."""
    return license.emit(collection, obj)


def touch(license: LicenseState, obj: Obj) -> Obj:
    return license.touch(obj)


# --- the world -------------------------------------------------------------------------------


class World:
    """All users, licenses and shared counters of one sandbox instance."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None) -> None:
        self.users: dict[str, User] = {}
        self.licenses: dict[str, LicenseState] = {}
        self.lock = threading.RLock()
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._ids = itertools.count(100_001)
        self._manifests = itertools.count(1)
        self.ops: Any = None  # growtui.sandbox.t3.ops.Ops, attached by the runner
        self.token_generation = 0  # tokens minted before the current generation are expired
        self.jwt_secret = secrets.token_hex(32)  # per instance: tokens never outlive their server
        self.token_ttl_s = 24 * 3600.0
        self.license_denied_status = 403  # answer for a license the user cannot see (401 also seen)
        self.visibility_delay_s = 0.0  # > 0: objects added by writes show up in collections late
        self.secret_keys: dict[str, str] = {}  # report secret key -> username (§2.3; one live key per user)

    def now(self) -> datetime:
        return self.clock()

    def next_id(self) -> int:
        return next(self._ids)

    def next_manifest(self) -> str:
        return f"{next(self._manifests):010d}"

    def add_user(self, user: User) -> User:
        self.users[user.username] = user
        return user

    def add_license(self, lic: LicenseState) -> LicenseState:
        self.licenses[lic.license_number] = lic
        return lic

    def licenses_of(self, user: User) -> list[LicenseState]:
        return [self.licenses[n] for n in user.licenses if n in self.licenses]

    def expire_all_tokens(self) -> None:
        """Every token issued so far stops working (the next request answers 401)."""
        self.token_generation += 1
