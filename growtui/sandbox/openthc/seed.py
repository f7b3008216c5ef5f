"""The OpenTHC sandbox's seeded world: five companies' licenses, well-known product types and lab
metrics, and a grow floor on the main Grower license (sections, varieties, products, lots, plants,
a lab sample with its result, an open outgoing transfer, and an incoming one to accept).

Company and license ids are vanity strings in the style of the reference server's test fixtures
(``010PENTHC0…``): like OpenTHC's well-known ids they are not valid Crockford ULIDs, so clients must
check ids loosely. Objects made at runtime get real ULIDs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from growtui.sandbox.openthc.config_routes import product_wire
from growtui.sandbox.openthc.http import Ctx
from growtui.sandbox.openthc.inventory import new_lot
from growtui.sandbox.openthc.plants import plant_wire
from growtui.sandbox.openthc.store import LIVE, Account, LicenseState, Obj, OpenTHCWorld, Session, iso

SERVICE_KEY = "sandbox-service-key"
CRE = "openthc"


@dataclass(frozen=True)
class LicenseSpec:
    letter: str
    name: str
    code: str
    kind: str  # Grower, Processor, Laboratory, Retail

    @property
    def id(self) -> str:
        return f"010PENTHC0SANDB0XL1CENSE0{self.letter}"

    @property
    def key(self) -> str:
        return f"sandbox-{self.code.lower()}-key"


@dataclass(frozen=True)
class CompanySpec:
    letter: str
    name: str
    account: str
    licenses: tuple[LicenseSpec, ...]

    @property
    def id(self) -> str:
        return f"010PENTHC0SANDB0XC0MPANY0{self.letter}"


MAIN = LicenseSpec("G", "Sandbox Grow Co Cultivation", "G-10001", "Grower")
PROCESSOR = LicenseSpec("P", "Sandbox Grow Co Processing", "P-10002", "Processor")
NURSERY = LicenseSpec("N", "Mother Plant Nursery", "G-10077", "Grower")
LAB = LicenseSpec("L", "Sandbox Labs", "L-20001", "Laboratory")
RETAIL = LicenseSpec("R", "Corner Dispensary", "R-30001", "Retail")
COMPANIES = (
    CompanySpec("A", "Sandbox Grow Co", "grower", (MAIN, PROCESSOR)),
    CompanySpec("B", "Mother Plant Nursery", "nursery", (NURSERY,)),
    CompanySpec("C", "Sandbox Labs", "lab", (LAB,)),
    CompanySpec("D", "Corner Dispensary", "retail", (RETAIL,)),
)
LICENSE_TYPES = {kind: f"018NY6XC00LT{kind.upper():0<14}"[:26] for kind in ("Grower", "Processor", "Laboratory", "Retail")}
# name, unit type, unit uom, kind (source lots can start plants; bulk lots take collected weight)
PRODUCT_TYPES = (
    ("Clone", "each", "ea", "source"),
    ("Seed", "each", "ea", "source"),
    ("Flower", "bulk", "g", "bulk"),
    ("Trim", "bulk", "g", "bulk"),
    ("Pre-Roll", "each", "ea", "packaged"),
    ("Packaged Flower", "each", "ea", "packaged"),
    ("Oil", "bulk", "ml", "bulk"),
)
LAB_METRICS = (
    ("018NY6XC00LM49CV7QP9KM9QH9", "THC", "Cannabinoid"),  # the id seed 002 shows for THC
    ("018NY6XC00LM0000000000CBD0", "CBD", "Cannabinoid"),
    ("018NY6XC00LM00000000TERPS0", "Total Terpenes", "Terpene"),
    ("018NY6XC00LM0000000M01STR0", "Moisture", "General"),
    ("018NY6XC00LM00000000EC0L10", "E. coli", "Microbe"),
    ("018NY6XC00LM000000000LEAD0", "Lead", "Metal"),
)
VARIETIES = (
    ("Blue Dream", "Hybrid"), ("Northern Lights", "Indica"), ("Sour Diesel", "Sativa"), ("Gelato", "Hybrid"),
    ("Granddaddy Purple", "Indica"), ("Jack Herer", "Sativa"), ("Cherry Wine", "Hemp"), ("Lowryder", "Ruderalis"),
    ("OG Kush", "Hybrid"), ("Durban Poison", "Sativa"), ("Bubba Kush", "Indica"), ("Wedding Cake", "Hybrid"),
)
SECTIONS = (("Clone Room", "crop"), ("Veg Room", "crop"), ("Flower Room A", "crop"), ("Flower Room B", "crop"),
            ("Vault", "inventory"), ("Dry Room", "inventory"), ("Quarantine", "inventory-quarantine"))
# product name, product type, base unit, net weight of one unit
PRODUCTS = (("Clone", "Clone", "ea", None), ("Seed Pack", "Seed", "ea", None), ("Bulk Flower", "Flower", "g", None),
            ("Bulk Trim", "Trim", "g", None), ("Pre-Roll 1g", "Pre-Roll", "ea", 1.0),
            ("Flower 3.5g", "Packaged Flower", "ea", 3.5), ("Distillate", "Oil", "l", None))


def users_public() -> list[dict[str, Any]]:
    """Each company's sign-in, named as ``POST /auth/open`` names the fields, with its licenses."""
    return [
        {
            "account": spec.account,
            "cre": CRE,
            "service-key": SERVICE_KEY,
            "company": spec.id,
            "company_name": spec.name,
            "license": spec.licenses[0].id,
            "license-key": spec.licenses[0].key,
            "licenses": [{"id": lic.id, "name": lic.name, "code": lic.code, "type": lic.kind, "license-key": lic.key} for lic in spec.licenses],
        }
        for spec in COMPANIES
    ]


def build_world(seed: int = 7, *, lots: int = 40, plants: int = 60, world: OpenTHCWorld | None = None) -> OpenTHCWorld:
    world = world or OpenTHCWorld(seed)
    world.service_key = SERVICE_KEY
    rng = random.Random(f"{seed}:openthc-seed")
    for name, unit_type, uom, kind in PRODUCT_TYPES:
        type_id = f"018NY6XC00PT{name.upper().replace(' ', '').replace('-', ''):0<14}"[:26]
        world.product_types[type_id] = {"id": type_id, "name": name, "unit": {"type": unit_type, "qty": 1, "uom": uom}, "_kind": kind}
    for mid, name, kind in LAB_METRICS:
        world.lab_metrics[mid] = {"id": mid, "name": name, "type": kind}
    for company in COMPANIES:
        world.companies[company.id] = {"id": company.id, "name": company.name, "code": company.letter}
        account = Account(company.account, company.id, [lic.id for lic in company.licenses])
        world.accounts[company.id] = account
        for spec in company.licenses:
            wire = {"id": spec.id, "name": spec.name, "code": spec.code,
                    "type": {"id": LICENSE_TYPES[spec.kind], "name": spec.kind}, "company": {"id": company.id}}
            world.licenses[spec.id] = LicenseState(wire, spec.key)
    for spec in (MAIN, PROCESSOR, NURSERY, LAB, RETAIL):
        _config(_ctx(world, spec.id), full=spec.kind == "Grower")
    _floor(_ctx(world, MAIN.id), rng, lots, plants)
    _floor(_ctx(world, NURSERY.id), rng, 6, 0)
    _floor(_ctx(world, PROCESSOR.id), rng, 5, 0)
    _transfers(world, rng)
    return world


def _ctx(world: OpenTHCWorld, license_id: str) -> Ctx:
    """A handler context for seeding (no request): the same code paths build the objects."""
    account = next(a for a in world.accounts.values() if license_id in a.licenses)
    far = datetime.now(UTC) + timedelta(days=3650)
    return Ctx(None, world, Session("", account, license_id, far))  # type: ignore[arg-type]


def _stamped(ctx: Ctx, obj: Obj) -> Obj:
    now = iso(ctx.world.now())
    return {**obj, "stat": LIVE, "created_at": now, "updated_at": now}


def _config(ctx: Ctx, *, full: bool) -> None:
    lic, world = ctx.lic, ctx.world
    for name, kind in SECTIONS if full else SECTIONS[4:6]:
        obj = _stamped(ctx, {"id": world.new_id(), "name": name, "type": kind, "license": {"id": lic.id}})
        lic.sections[obj["id"]] = obj
    for name, kind in VARIETIES if full else VARIETIES[:4]:
        obj = _stamped(ctx, {"id": world.new_id(), "name": name, "type": kind})
        lic.varieties[obj["id"]] = obj
    types = {t["name"]: t for t in world.product_types.values()}
    for name, type_name, base, net in PRODUCTS:
        obj = _stamped(ctx, product_wire(world.new_id(), name, types[type_name], base, net))
        lic.products[obj["id"]] = obj


def _floor(ctx: Ctx, rng: random.Random, lots: int, plants: int) -> None:
    lic = ctx.lic
    sections = {s["name"]: s for s in lic.sections.values()}
    products = {p["name"]: p for p in lic.products.values()}
    varieties = list(lic.varieties.values())
    store = sections.get("Vault") or next(iter(sections.values()))
    clone_room = sections.get("Clone Room", store)
    amounts = {"g": lambda: Decimal(rng.randint(2000, 90000)) / 10, "l": lambda: Decimal(rng.randint(500, 3000)) / 1000,
               "ea": lambda: Decimal(rng.randint(20, 120))}
    names = [n for n, *_ in PRODUCTS]
    clones = []
    for n in range(lots):
        product = products[names[n % len(names)]]
        room = clone_room if product["_kind"] == "source" else store
        lot = new_lot(ctx, product, amounts[product["_base"]](), room, varieties[n % len(varieties)])
        if product["_kind"] == "source" and product["name"] == "Clone":
            clones.append(lot)
    crop = [s for s in lic.sections.values() if s["type"] == "crop"]
    for n in range(plants):
        source = clones[n % len(clones)]
        source["qty"] -= 1
        variety = lic.varieties[source["variety"]["id"]]
        plant = plant_wire(ctx, variety, crop[n % len(crop)], source, f"{variety['name']} #{len(lic.plants) + 1}")
        lic.plants[plant["id"]] = plant
    if plants:
        _lab(ctx, next(lot for lot in lic.inventory.values() if lot["uom"] == "g"))


def _lab(ctx: Ctx, lot: Obj) -> None:
    lic, world = ctx.lic, ctx.world
    qty = Decimal("5.0000")
    lot["qty"] -= qty
    sample = _stamped(ctx, {"id": world.new_id(), "type": "Lab", "license": {"id": lic.id},
                            "origin": {"inventory": {"id": lot["id"], "license": {"id": lic.id}}}, "qty": qty, "uom": "g"})
    lic.samples[sample["id"]] = sample
    rid = world.new_id()
    metrics = [{"lab_result_id": rid, "lab_metric_id": LAB_METRICS[0][0], "qom": 21.3456, "uom": "percent", "lod": 0.01, "loq": 0.05, "status": "pass"},
               {"lab_result_id": rid, "lab_metric_id": LAB_METRICS[1][0], "qom": 0.4321, "uom": "percent", "lod": 0.01, "loq": 0.05, "status": "pass"}]
    result = _stamped(ctx, {"id": rid, "license": {"id": LAB.id}, "lab_sample": {"id": sample["id"]}, "status": "pass", "metric_list": metrics})
    lic.results[rid] = result
    lot["lab_result"] = {"id": rid}


def _transfers(world: OpenTHCWorld, rng: random.Random) -> None:
    """An incoming transfer (Nursery -> main, committed, waiting to be accepted) and an open
    outgoing draft (main -> retail) with one item."""
    for source, target, commit in ((NURSERY, MAIN, True), (MAIN, RETAIL, False)):
        ctx = _ctx(world, source.id)
        now = iso(world.now())
        transfer = {"id": world.new_id(), "source": ctx.lic.wire, "target": world.licenses[target.id].wire,
                    "depart_at": now, "arrive_at": now, "item_list": [], "status": "open", "stat": LIVE,
                    "created_at": now, "updated_at": now, "_source": source.id, "_target": target.id}
        world.b2b[transfer["id"]] = transfer
        lots = [lot for lot in ctx.lic.inventory.values() if lot["uom"] != "l"][: 2 if commit else 1]
        for lot in lots:
            product = ctx.lic.products[lot["product"]["id"]]
            variety = ctx.lic.varieties[lot["variety"]["id"]]
            count = min(lot["qty"], Decimal(rng.randint(5, 10)))
            transfer["item_list"].append({"id": world.new_id(), "type": "SALE", "inventory": {"id": lot["id"]},
                                          "product": {"id": product["id"], "name": product["name"]},
                                          "variety": {"id": variety["id"], "name": variety["name"]},
                                          "unit_count": count, "uom": lot["uom"], "unit_price": 4.25})
        if commit:
            for item, lot in zip(transfer["item_list"], lots):
                lot["qty"] -= item["unit_count"]
            transfer["status"] = "committed"
