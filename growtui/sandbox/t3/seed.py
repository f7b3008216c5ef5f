"""Deterministic demo data: users, licenses and a grow floor's worth of objects per license.

``build_world(seed=7, packages=2000)`` gives the same world for the same arguments and world
clock. ``packages`` is the scale knob of the main CA license (plants, batches, harvests and
transfers follow in proportion); the other licenses get a twentieth of it (40 to 2,000).

Accounts (``ACCOUNTS``; ``growtui sandbox users`` prints them):

* ``grower.ca`` (ca.metrc.com): three licenses, the main one CA-style (no vegetative plants)
* ``grower.mi`` (mi.metrc.com): needs a TOTP code from ``otpSecret``
* ``grower.co`` (co.metrc.com): needs its ``email``
* ``free.ca``: no T3+ subscription (403 on paid routes)
* ``other.ca``: owns a license nobody else may read

Used package/plant tags are not stored (the labels on objects are the record); ``lic.tags`` holds
the available tags a create form may consume. History and lab results of seeded objects are
synthesised on read (``subs.py``), so 50k packages stay cheap.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from growtui.sandbox.t3 import schema
from growtui.sandbox.t3.store import LicenseState, Obj, User, World, iso


@dataclass(frozen=True)
class LicenseSpec:
    number: str
    name: str
    tag_code: str  # 6 chars after "1A4" in this license's tags
    uses_vegetative: bool = True
    main: bool = False
    license_class: str = "Cultivator"  # decides its permission views (a distributor grows nothing)


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    hostname: str
    state: str
    licenses: tuple[LicenseSpec, ...]
    has_t3plus: bool = True
    tier: str | None = "team"
    otp_secret: str | None = None
    email: str | None = None


ACCOUNTS: tuple[Account, ...] = (
    Account(
        "grower.ca",
        "sandbox-ca-pass",
        "ca.metrc.com",
        "CA",
        (
            LicenseSpec("CCL21-0000123", "Emerald Triangle Farms", "FF0100", uses_vegetative=False, main=True),
            LicenseSpec("C11-0000456-LIC", "Golden State Distribution", "FF0200", uses_vegetative=False,
                        license_class="Distributor"),
            LicenseSpec("CDPH-10003789", "Pacific Coast Manufacturing", "FF0300", uses_vegetative=False),
        ),
    ),
    Account(
        "grower.mi",
        "sandbox-mi-pass",
        "mi.metrc.com",
        "MI",
        (LicenseSpec("PC-000321", "Great Lakes Provisioning", "AB0400"),),
        otp_secret="GROWTUISANDBOXMICHIGANTOTP234567",
    ),
    Account(
        "grower.co",
        "sandbox-co-pass",
        "co.metrc.com",
        "CO",
        (LicenseSpec("403R-00789", "Front Range Cultivation", "CD0500"),),
        email="grower.co@example.com",
    ),
    Account(
        "free.ca",
        "sandbox-free-pass",
        "ca.metrc.com",
        "CA",
        (LicenseSpec("CCL21-0000999", "Sunset Micro Farm", "FF0900", uses_vegetative=False),),
        has_t3plus=False,
        tier=None,
    ),
    Account(
        "other.ca",
        "sandbox-other-pass",
        "ca.metrc.com",
        "CA",
        (LicenseSpec("CCL21-0000777", "Not Yours Farms", "FF0700", uses_vegetative=False),),
    ),
)

STATES = (
    {"abbreviation": "CA", "name": "California", "hostname": "ca.metrc.com"},
    {"abbreviation": "CO", "name": "Colorado", "hostname": "co.metrc.com"},
    {"abbreviation": "MI", "name": "Michigan", "hostname": "mi.metrc.com"},
    {"abbreviation": "MO", "name": "Missouri", "hostname": "mo.metrc.com"},
    {"abbreviation": "OR", "name": "Oregon", "hostname": "or.metrc.com"},
    {"abbreviation": "MA", "name": "Massachusetts", "hostname": "ma.metrc.com"},
)

STRAINS = (
    "Blue Dream", "OG Kush", "Sour Diesel", "Girl Scout Cookies", "Gorilla Glue #4", "Wedding Cake",
    "Gelato", "Zkittlez", "Purple Punch", "Granddaddy Purple", "Jack Herer", "Pineapple Express",
    "Northern Lights", "Durban Poison", "White Widow", "Green Crack", "Sunset Sherbet", "Runtz",
    "Mimosa", "Do-Si-Dos", "Ice Cream Cake", "Tangie", "Trainwreck", "AK-47", "Super Lemon Haze",
    "Cherry Pie", "Chemdawg", "Bubba Kush", "Lemon Cherry Gelato", "Apple Fritter",
)  # fmt: skip

# (id, name, abbreviation, quantityType, toBaseFactor) — base units: Grams, Each, Milliliters
UNITS = (
    (1, "Each", "ea", "CountBased", 1.0),
    (2, "Grams", "g", "WeightBased", 1.0),
    (3, "Kilograms", "kg", "WeightBased", 1000.0),
    (4, "Pounds", "lb", "WeightBased", 453.59237),
    (5, "Ounces", "oz", "WeightBased", 28.349523125),
    (6, "Milligrams", "mg", "WeightBased", 0.001),
    (7, "Milliliters", "ml", "VolumeBased", 1.0),
    (8, "Liters", "l", "VolumeBased", 1000.0),
)
BASE_UNITS = frozenset({"Each", "Grams", "Milliliters"})

# (category id, category name, category type, unit id, per-strain?, package quantity range)
CATEGORIES = (
    (1, "Buds", "Buds", 2, True, (100.0, 2000.0)),
    (2, "Shake/Trim", "ShakeTrim", 4, True, (1.0, 12.0)),
    (3, "Pre-Roll", "InfusedPreRoll", 1, True, (20.0, 500.0)),
    (4, "Vape Cartridge", "Concentrate", 1, False, (10.0, 300.0)),
    (5, "Edible", "InfusedEdible", 1, False, (10.0, 400.0)),
    (6, "Concentrate", "Concentrate", 2, True, (5.0, 250.0)),
    (7, "Tincture", "InfusedNonEdible", 7, False, (100.0, 3000.0)),
    (8, "Immature Plants", "Plants", 1, True, (5.0, 100.0)),
)
PRODUCT_NAMES = {
    "Buds": "{strain} Flower",
    "Shake/Trim": "{strain} Trim",
    "Pre-Roll": "{strain} Pre-Roll 1g",
    "Concentrate": "{strain} Live Resin",
    "Immature Plants": "{strain} Clone",
    "Vape Cartridge": "Sandbox Vape Cartridge 0.5g {n}",
    "Edible": "Sandbox Gummies 100mg {n}",
    "Tincture": "Sandbox Tincture 30ml {n}",
}

LOCATIONS = (
    ("Flower Room 1", "Default Location Type"), ("Flower Room 2", "Default Location Type"),
    ("Flower Room 3", "Default Location Type"), ("Greenhouse A", "Greenhouse"),
    ("Outdoor Field", "Outdoor"), ("Veg Room", "Default Location Type"),
    ("Mother Room", "Default Location Type"), ("Drying Room", "Default Location Type"),
    ("Vault", "Default Location Type"), ("Packaging", "Default Location Type"),
    ("Quarantine", "Default Location Type"), ("Shipping Dock", "Default Location Type"),
)  # fmt: skip

PACKAGE_NOTES = (
    "", "", "", "", "Top shelf, hand trimmed", "Re-weighed after drying", "Customer hold requested",
    "Sample pulled for QA", "Moved from Vault 2", "Awaiting COA", "Trim for extraction",
)  # fmt: skip
LAB_STATES = ("TestPassed",) * 7 + ("NotSubmitted", "SubmittedForTesting", "TestFailed", "TestingInProgress", "NotRequired")
HARVEST_LAB_STATES = ("Passed", "Passed", "Passed", "NotSubmitted", "Submitted", "InTesting", "Failed")

FACILITIES = (
    ("Bay Area Wellness Dispensary", "C10-0000881-LIC", "Retailer", "Oakland", "94607"),
    ("Sacramento Green Retail", "C10-0000902-LIC", "Retailer", "Sacramento", "95814"),
    ("Central Valley Labs", "C8-0000114-LIC", "Testing Laboratory", "Fresno", "93721"),
    ("Humboldt Extracts Co", "CDPH-10004411", "Manufacturer", "Eureka", "95501"),
    ("SoCal Distribution Hub", "C11-0000777-LIC", "Distributor", "Los Angeles", "90021"),
    ("Mendocino Craft Collective", "CCL21-0000555", "Cultivator", "Ukiah", "95482"),
    ("Desert Bloom Dispensary", "C10-0000333-LIC", "Retailer", "Palm Springs", "92262"),
    ("North Coast Microbusiness", "C12-0000222-LIC", "Microbusiness", "Arcata", "95521"),
)
TRANSPORTERS = (
    ("Redwood Logistics", "C11-0000601-LIC"),
    ("Golden Route Transport", "C11-0000602-LIC"),
    ("Secure Cannabis Couriers", "C11-0000603-LIC"),
)
DRIVERS = (("Maria Lopez", "D1234567", "EMP-1001"), ("James Chen", "D7654321", "EMP-1002"), ("Ana Silva", "D5550001", "EMP-1003"))
VEHICLES = (("Ford", "Transit 250", "8ABC123"), ("Toyota", "Tacoma", "7XYZ987"), ("Mercedes-Benz", "Sprinter", "6LMN456"))
TRANSFER_TYPES = (
    ("Wholesale Manifest", "Wholesale", False, False),
    ("Transfer", "Standard", False, False),
    ("Lab Sample Transfer", "Standard", True, False),
    ("Affiliated Transfer", "Standard", False, True),
)
EXTRA_FIELDS = {"metrcSyncRevision": 3, "complianceFlagsV2": ["sandbox"], "unknownFutureField": None}


def users_public() -> list[dict[str, Any]]:
    """Demo sign-ins with the licenses each can see (what ``sandbox users --json`` prints)."""
    out = []
    for acc in ACCOUNTS:
        row = _user(acc).public()
        row["licenses"] = [{"licenseNumber": spec.number, "licenseName": spec.name} for spec in acc.licenses]
        row["notes"] = [] if acc.has_t3plus else ["no T3+"]  # what a trainer picking a user should know
        out.append(row)
    return out


def _user(acc: Account) -> User:
    return User(
        username=acc.username,
        password=acc.password,
        hostname=acc.hostname,
        licenses=[spec.number for spec in acc.licenses],
        has_t3plus=acc.has_t3plus,
        tier=acc.tier,
        otp_secret=acc.otp_secret,
        email=acc.email,
    )


def build_world(
    seed: int = 7, packages: int = 2000, *, extra_fields: bool = False, world: World | None = None
) -> World:
    """Populate (a fresh or the given) ``World`` with every account and license."""
    world = world or World()
    pool = TimePool(world.now(), random.Random(f"{seed}:times"))
    for acc in ACCOUNTS:
        world.add_user(_user(acc))
        for spec in acc.licenses:
            scale = packages if spec.main else max(40, min(2000, packages // 20))
            lic = LicenseState(
                world,
                hostname=acc.hostname,
                license_number=spec.number,
                license_name=spec.name,
                state_code=acc.state,
                owner=acc.username,
                uses_vegetative=spec.uses_vegetative,
                license_class=spec.license_class,
            )
            world.add_license(lic)
            LicenseSeeder(lic, spec, random.Random(f"{seed}:{spec.number}"), scale, extra_fields, pool).run()
    return world


class TimePool:
    """4,096 sorted past instants over the last 90 days, as ISO date-times and dates; seeders
    pick indexes, so a later index is a later time and formatting happens once per world."""

    SIZE = 4096

    def __init__(self, now: datetime, rng: random.Random) -> None:
        span = 90 * 86400
        secs = sorted(rng.randrange(span) for _ in range(self.SIZE))
        times = [now - timedelta(seconds=span - s, milliseconds=rng.randrange(1000)) for s in secs]
        self.iso_times = [iso(t) for t in times]
        self.dates = [t.date().isoformat() for t in times]


class LicenseSeeder:
    """Fills one license. Kept as one object so the builders share the rng, clock and pools."""

    def __init__(
        self, lic: LicenseState, spec: LicenseSpec, rng: random.Random, scale: int, extra: bool, pool: TimePool
    ) -> None:
        self.lic, self.spec, self.rng, self.scale, self.extra = lic, spec, rng, scale, extra
        self.world = lic.world
        self.iso_times, self.dates = pool.iso_times, pool.dates
        self._package_seq = 1
        self._plant_seq = 1
        self._tag_seq = 900_000
        self.facility = {"licenseNumber": lic.license_number, "name": lic.license_name}

    # -- helpers

    def when(self, lo: int = 0, hi: int = 4095) -> int:
        return self.rng.randint(lo, hi)

    def roll(self, n: int, forced: tuple[float, ...]) -> float:
        """A uniform roll, except the first objects get ``forced`` rolls so every sibling
        collection is populated even in tiny worlds."""
        value = self.rng.random()
        return forced[n] if n < len(forced) else value

    def tag_label(self, n: int, plant: bool = False) -> str:
        return f"1A4{self.spec.tag_code}{(100_000_000_000_000 if plant else 0) + n:015d}"

    def finish(self, obj: Obj) -> Obj:
        if self.extra:
            obj.update(EXTRA_FIELDS)
        return obj

    def next_package_label(self) -> str:
        label = self.tag_label(self._package_seq)
        self._package_seq += 1
        return label

    # -- run

    def run(self) -> None:
        lic = self.lic
        self.units()
        self.locations()
        self.strains()
        self.items()
        self.tags()
        self.facilities()
        batches = self.plant_batches(max(5, self.scale // 50))
        self.plants(int(self.scale * 0.6), batches)
        harvests = self.harvests(max(5, self.scale // 40))
        self.packages(self.scale, harvests)
        self.transfers(max(4, self.scale // 100))
        lic.seeded_ids = set().union(lic.plants, lic.plant_batches, lic.harvests, lic.packages, lic.items, lic.outgoing, lic.incoming)
        lic.bump()

    def units(self) -> None:
        for uid, name, abbr, qtype, factor in UNITS:
            self.lic.units[uid] = {
                "abbreviation": abbr,
                "fromBaseFactor": 1.0 / factor,
                "id": uid,
                "isArchived": False,
                "isBaseUnit": name in BASE_UNITS,
                "name": name,
                "quantityType": qtype,
                "toBaseFactor": factor,
            }

    def locations(self) -> None:
        for name, ltype in LOCATIONS:
            if name == "Veg Room" and not self.spec.uses_vegetative:
                continue
            lid = self.world.next_id()
            plants_ok = name.startswith(("Flower", "Greenhouse", "Outdoor", "Veg", "Mother"))
            self.lic.locations[lid] = {
                "forHarvests": name in ("Drying Room", "Flower Room 1", "Greenhouse A"),
                "forPackages": not name.startswith(("Veg", "Mother")),
                "forPlantBatches": plants_ok,
                "forPlants": plants_ok,
                "id": lid,
                "isArchived": False,
                "locationTypeId": {"Default Location Type": 1, "Greenhouse": 2, "Outdoor": 3}[ltype],
                "locationTypeName": ltype,
                "name": name,
            }
        locs = list(self.lic.locations.values())
        self.plant_locations = [loc for loc in locs if loc["forPlants"]]
        self.package_locations = [loc for loc in locs if loc["forPackages"]]

    def strains(self) -> None:
        names = STRAINS if self.spec.main else self.rng.sample(STRAINS, 12)
        for name in names:
            sid = self.world.next_id()
            indica = self.rng.choice((10, 20, 30, 40, 50, 60, 70, 80, 90))
            self.lic.strains[sid] = self.finish(
                {
                    "id": sid,
                    "name": name,
                    "sativaPercentage": float(100 - indica),
                    "indicaPercentage": float(indica),
                    "cbdLevel": round(self.rng.uniform(0.0, 1.5), 2),
                    "thcLevel": round(self.rng.uniform(15.0, 31.0), 2),
                    "testingStatus": self.rng.choice(("None", "InHouse", "ThirdParty")),
                    "isUsed": True,
                    "isArchived": False,
                }
            )

    def items(self) -> None:
        strains = list(self.lic.strains.values())
        for cat_id, cat, cat_type, unit_id, per_strain, _ in CATEGORIES:
            picks = strains[:8] if per_strain else [None, None, None]
            for n, strain in enumerate(picks, 1):
                name = PRODUCT_NAMES[cat].format(strain=strain["name"] if strain else "", n=n)
                self.new_item(name, cat_id, cat, cat_type, unit_id, strain)
        self.items_by_category: dict[str, list[Obj]] = {}
        for item in self.lic.items.values():
            self.items_by_category.setdefault(item["productCategoryName"], []).append(item)

    def new_item(self, name: str, cat_id: int, cat: str, cat_type: str, unit_id: int, strain: Obj | None) -> Obj:
        unit = self.lic.units[unit_id]
        item: Obj = dict.fromkeys(schema.ITEM)
        item.update(
            id=self.world.next_id(),
            facilityLicenseNumber=self.lic.license_number,
            facilityName=self.lic.license_name,
            name=name,
            productCategoryId=cat_id,
            productCategoryName=cat,
            productCategoryTypeName=cat_type,
            expirationDateConfiguration="Off",
            expirationConfigurationState="Off",
            sellByDateConfiguration="Off",
            sellByConfigurationState="Off",
            useByDateConfiguration="Off",
            useByConfigurationState="Off",
            quantityTypeName=unit["quantityType"],
            defaultLabTestingStateName="NotSubmitted",
            unitOfMeasureId=unit_id,
            unitOfMeasureName=unit["name"],
            approvalStatusName="Approved",
            approvalStatusDateTime=self.iso_times[self.when(0, 1000)],
            strainId=strain["id"] if strain else None,
            strainName=strain["name"] if strain else None,
            itemBrandId=0,
            administrationMethod="",
            servingSize="",
            publicIngredients="",
            description="",
            allergens="",
            productImages=[],
            productPhotoDescription="",
            labelImages=[],
            labelPhotoDescription="",
            packagingImages=[],
            packagingPhotoDescription="",
            productPDFDocuments=[],
            isUsed=True,
            isArchived=False,
            lastModified=self.iso_times[self.when()],
            productCategoryRequiresApproval=False,
        )
        # every item has a product photo, every other one a label photo too (image file ids from the item id)
        item["productImages"] = [str(item["id"] * 10 + 1)]
        item["labelImages"] = [str(item["id"] * 10 + 2)] if item["id"] % 2 == 0 else []
        self.lic.items[item["id"]] = self.finish(item)
        return item

    def tags(self) -> None:
        count = max(50, self.scale // 20)
        for tag_type, plant in (("CannabisPackage", False), ("CannabisPlant", True)):
            for _ in range(count):
                tid = self.world.next_id()
                self._tag_seq += 1
                self.lic.tags[tid] = {
                    "id": tid,
                    "commissionedDateTime": self.iso_times[self.when(0, 500)],
                    "detachedDateTime": None,
                    "facilityId": self.lic.facility_id,
                    "groupTagTypeId": "1" if plant else "2",
                    "groupTagTypeName": "Plant Tags" if plant else "Package Tags",
                    "isArchived": False,
                    "isUsed": False,
                    "label": self.tag_label(self._tag_seq, plant=plant),
                    "lastModified": self.iso_times[self.when(0, 500)],
                    "maxGroupSize": 100 if plant else 1,
                    "statusName": "Received",
                    "tagInventoryTypeName": "Plant" if plant else "Package",
                    "tagTypeId": "1" if plant else "2",
                    "tagTypeName": tag_type,
                    "usedDateTime": None,
                }

    def facilities(self) -> None:
        lic = self.lic
        for name, number, ftype, city, postal in FACILITIES:
            fid = self.world.next_id()
            lic.destinations[fid] = self._facility(fid, name, number, ftype, city, postal)
        for name, number in TRANSPORTERS:
            fid = self.world.next_id()
            lic.transporter_facilities[fid] = self._facility(fid, name, number, "Distributor", "Sacramento", "95811")
        for name, dl, emp in DRIVERS:
            did = self.world.next_id()
            lic.drivers[did] = {
                "driversLicenseNumber": dl, "employeeId": emp, "facilityId": lic.facility_id, "id": did,
                "isArchived": False, "lastModified": self.iso_times[self.when()], "name": name,
            }  # fmt: skip
        for make, model, plate in VEHICLES:
            vid = self.world.next_id()
            lic.vehicles[vid] = {
                "facilityId": lic.facility_id, "id": vid, "isArchived": False,
                "lastModified": self.iso_times[self.when()], "licensePlateNumber": plate, "make": make, "model": model,
            }  # fmt: skip
        for n, (name, tx, dest_weight, pkg_weight) in enumerate(TRANSFER_TYPES, 1):
            lic.transfer_types[n] = {
                "facilityTypes": [{"facilityTypeId": 1, "facilityTypeName": "Licensed"}],
                "forExternalIncomingShipments": False,
                "forExternalOutgoingShipments": False,
                "forLicensedShipments": True,
                "id": n,
                "maxDiscrepancyPercentage": None,
                "maximumWholesalePrice": None,
                "minimumWholesalePrice": 0.0 if tx == "Wholesale" else None,
                "name": name,
                "recipientAddressFieldsEnabled": False,
                "recipientLicenseNameFieldEnabled": False,
                "recipientLicenseNumberFieldEnabled": False,
                "recipientLicenseNumberFieldLabel": "License Number",
                "requiresDestinationGrossWeight": dest_weight,
                "requiresPackagesGrossWeight": pkg_weight,
                "shipperAddressFieldsEnabled": False,
                "shipperLicenseNameFieldEnabled": False,
                "shipperLicenseNumberFieldEnabled": False,
                "shipperLicenseNumberFieldLabel": "License Number",
                "transactionType": tx,
                "transactionTypeName": tx,
                "transporterFieldsEnabled": True,
            }
        for n, name in enumerate(("Further Drying", "Solvent Extraction", "Re-Testing"), 1):
            lic.remediation_methods[n] = {"id": n, "name": name}

    def _facility(self, fid: int, name: str, number: str, ftype: str, city: str, postal: str) -> Obj:
        return {
            "licenseNumber": number,
            "facilityName": name,
            "id": fid,
            "facilityTypeName": ftype,
            "facilityType": None,
            "physicalAddress": {
                "id": fid + 1, "licenseId": fid, "addressType": "Physical", "recipient": name,
                "contactPhoneNumber": None, "street1": f"{100 + fid % 900} Sandbox Way", "street2": None,
                "street3": None, "street4": None, "city": city, "county": None, "state": self.lic.state_code,
                "postalCode": postal, "country": "US", "assessorParcelNumber": None,
                "isDefaultShippingAddress": True, "isValidated": True, "isArchived": False,
            },  # fmt: skip
            "mainPhoneNumber": f"(555) 01{fid % 100:02d}-{fid % 10000:04d}",
            "mobilePhoneNumber": None,
        }

    # -- cultivation

    def plant_batches(self, count: int) -> list[Obj]:
        lic, rng = self.lic, self.rng
        strains = list(lic.strains.values())
        out = []
        for n in range(count):
            strain = strains[n % len(strains)]
            loc = rng.choice(self.plant_locations)
            planted = self.when(0, 3000)
            roll = self.roll(n, (0.1, 0.99, 0.5))
            untracked = 0 if roll < 0.3 else rng.randint(5, 120)
            bid = self.world.next_id()
            name = self.tag_label(self._next_plant_seq(), plant=True) if lic.state_code == "CA" else f"PB-{strain['name'][:12]}-{n + 1:04d}"
            batch = {
                "id": bid,
                "name": name,
                "plantBatchTypeName": rng.choice(("Clone", "Clone", "Seed")),
                "locationName": loc["name"],
                "sublocationName": None,
                "locationTypeName": loc["locationTypeName"],
                "strainId": strain["id"],
                "strainName": strain["name"],
                "patientLicenseNumber": None,
                "untrackedCount": untracked,
                "trackedCount": rng.randint(0, 60),
                "packagedCount": rng.randint(0, 10),
                "destroyedCount": rng.randint(0, 5),
                "sourcePackageLabel": None,
                "sourcePlantLabel": None,
                "sourcePlantBatchNames": None,
                "multiPlantBatch": False,
                "plantedDate": self.dates[planted],
                "lastModified": self.iso_times[self.when(planted)],
                "isOnHold": untracked > 0 and roll > 0.95,
            }
            lic.plant_batches[bid] = self.finish(batch)
            out.append(batch)
        return out

    def _next_plant_seq(self) -> int:
        self._plant_seq += 1
        return self._plant_seq

    def plants(self, count: int, batches: list[Obj]) -> None:
        lic, rng = self.lic, self.rng
        veg = self.spec.uses_vegetative
        for n in range(count):
            batch = batches[n % len(batches)]
            loc = rng.choice(self.plant_locations)
            roll = self.roll(n, (0.9, 0.82, 0.79, 0.3, 0.6))
            planted = self.when(0, 2500)
            flowering = min(4095, planted + rng.randint(200, 900))
            phase = "Flowering" if (not veg or roll < 0.55) else "Vegetative"
            state, destroyed = "Tracked", None
            if roll > 0.85:
                phase = "Harvest"
            elif roll > 0.8:
                state, destroyed = "Destroyed", self.dates[min(4095, flowering + 50)]
            pid = self.world.next_id()
            plant = {
                "id": pid,
                "label": self.tag_label(self._next_plant_seq(), plant=True),
                "stateName": state,
                "growthPhaseName": phase,
                "plantCount": 1,
                "groupTagTypeMax": 0,
                "tagTypeMax": 0,
                "plantBatchName": batch["name"],
                "plantBatchTypeName": batch["plantBatchTypeName"],
                "strainId": batch["strainId"],
                "strainName": batch["strainName"],
                "locationName": loc["name"],
                "sublocationName": None,
                "locationTypeName": loc["locationTypeName"],
                "patientLicenseNumber": None,
                "harvestCount": 1 if phase == "Harvest" else 0,
                "isOnHold": state == "Tracked" and phase != "Harvest" and 0.78 < roll <= 0.8,
                "plantedDate": self.dates[planted],
                "vegetativeDate": self.dates[planted],
                "floweringDate": self.dates[flowering] if phase != "Vegetative" else None,
                "destroyedDate": destroyed,
                "destroyedNote": "Male plant culled" if destroyed else None,
                "destroyedByUserName": lic.owner if destroyed else None,
                "lastModified": self.iso_times[self.when(flowering)],
                "survivedCount": 1,
                "motherPlantDate": None,
                "descendedCount": 0,
                "clonedCount": 0,
            }
            lic.plants[pid] = self.finish(plant)

    def harvests(self, count: int) -> list[Obj]:
        lic, rng = self.lic, self.rng
        harvested = [p for p in lic.plants.values() if p["growthPhaseName"] == "Harvest"]
        dry = next((loc for loc in lic.locations.values() if loc["name"] == "Drying Room"), None) or self.package_locations[0]
        out = []
        for n in range(count):
            start = self.when(500, 3800)
            roll = self.roll(n, (0.1, 0.95, 0.7))
            finished = roll < 0.5
            wet = round(rng.uniform(5_000, 60_000), 2)
            strain = rng.choice(list(lic.strains.values()))
            hid = self.world.next_id()
            plants = harvested[n::count]
            harvest = {
                "id": hid,
                "facilityLicenseNumber": lic.license_number,
                "facilityName": lic.license_name,
                "name": f"{self.dates[start]}-{strain['name'][:10].strip()}-H{n + 1:03d}",
                "harvestType": "WholePlant",
                "harvestTypeName": "WholePlant",
                "sourceStrainCount": 1,
                "sourceStrainNames": strain["name"],
                "multiStrain": False,
                "dryingLocationName": dry["name"],
                "dryingSublocationName": "",
                "dryingLocationTypeName": dry["locationTypeName"],
                "patientLicenseNumber": None,
                "currentWeight": 0.0 if finished else round(wet * 0.25, 2),
                "totalWasteWeight": round(wet * 0.05, 2),
                "plantCount": len(plants) or rng.randint(10, 200),
                "totalWetWeight": wet,
                "totalRestoredWeight": 0.0,
                "packageCount": 0,
                "totalPackagedWeight": 0.0,
                "unitOfWeightId": 2,
                "unitOfWeightAbbreviation": "g",
                "labTestingStateName": rng.choice(HARVEST_LAB_STATES),
                "labTestingStateDate": self.iso_times[min(4095, start + 100)],
                "isOnHold": not finished and roll > 0.92,
                "harvestStartDate": self.dates[start],
                "isFinished": finished,
                "finishedDate": self.iso_times[min(4095, start + 200)] if finished else None,
                "isArchived": False,
                "archivedDate": None,
                "lastModified": self.iso_times[self.when(start)],
            }
            lic.harvests[hid] = self.finish(harvest)
            lic.harvest_plants[hid] = [p["id"] for p in plants]
            lic.harvest_packages[hid] = []
            out.append(harvest)
        return out

    # -- packages

    def packages(self, count: int, harvests: list[Obj]) -> None:
        for pkg in self._package_stream(count, harvests):
            self.lic.packages[pkg["id"]] = pkg

    def _package_stream(self, count: int, harvests: list[Obj], *, ghost: bool = False) -> Iterator[Obj]:
        """Packages with realistic spreads; ``ghost`` ones (in other licenses' hands) are not linked."""
        lic, rng = self.lic, self.rng
        categories = [c for c in CATEGORIES if c[1] in self.items_by_category]
        weights = [8 if c[1] == "Buds" else 3 if c[1] in ("Pre-Roll", "Shake/Trim") else 1 for c in categories]
        cats = rng.choices(categories, weights, k=count)
        units = lic.units
        for n in range(count):
            _, cat, _, unit_id, _, (lo, hi) = cats[n]
            item = rng.choice(self.items_by_category[cat])
            unit = units[unit_id]
            harvest = harvests[n % len(harvests)] if harvests else None
            loc = rng.choice(self.package_locations)
            packaged = self.when(0, 3900)
            modified = self.when(packaged)
            roll = self.roll(n, (0.1, 0.23, 0.5))
            finished = not ghost and roll < 0.22
            lab = rng.choice(LAB_STATES)
            qty = 0.0 if finished else round(rng.uniform(lo, hi), 2 if unit_id != 1 else 0)
            pid = self.world.next_id()
            pkg = {
                "id": pid, "archivedDate": None, "containsRemediatedProduct": False,
                "donationFacilityLicenseNumber": None, "donationFacilityName": None,
                "facilityLicenseNumber": lic.license_number, "facilityName": lic.license_name,
                "finishedDate": self.iso_times[min(4095, modified)] if finished else None,
                "initialLabTestingState": "NotSubmitted", "isArchived": False, "isDonation": False,
                "isDonationPersistent": False, "isFinished": finished, "isInTransit": False,
                "isOnHold": not finished and 0.22 <= roll < 0.25, "isProcessValidationTestingSample": False,
                "isProductionBatch": False, "isTestingSample": False, "isTradeSample": False,
                "isTradeSamplePersistent": False, "item": item,
                "itemFromFacilityLicenseNumber": lic.license_number, "itemFromFacilityName": lic.license_name,
                "labTestingStateDate": self.iso_times[min(4095, packaged + 20)], "labTestingStateName": lab,
                "labTestingRecordedDate": self.iso_times[min(4095, packaged + 20)],
                "labTestingPerformedDate": self.iso_times[min(4095, packaged + 15)] if lab.startswith("Test") else None,
                "labTestStageId": None, "labTestResultExpirationDateTime": None,
                "label": self.next_package_label(), "lastModified": self.iso_times[modified],
                "locationName": loc["name"], "sublocationName": None, "locationTypeName": loc["locationTypeName"],
                "multiHarvest": False, "multiPackage": False, "multiProductionBatch": False,
                "note": rng.choice(PACKAGE_NOTES), "packageType": "ImmaturePlant" if cat == "Immature Plants" else "Product",
                "packagedByFacilityLicenseNumber": lic.license_number, "packagedByFacilityName": lic.license_name,
                "packagedDate": self.iso_times[packaged], "patientLicenseNumber": "",
                "productRequiresRemediation": False, "productionBatchNumber": "",
                "quantity": qty, "receivedDateTime": None, "receivedFromFacilityLicenseNumber": None,
                "receivedFromFacilityName": None, "receivedFromManifestNumber": None, "remediationDate": None,
                "sourceHarvestNames": harvest["name"] if harvest else "", "sourcePackageIsDonation": False,
                "sourcePackageIsTradeSample": False, "sourcePackageLabels": "", "sourceProductionBatchNumbers": "",
                "tradeSampleFacilityName": None, "tradeSampleFacilityLicenseNumber": None,
                "transferManifestNumber": "", "unitOfMeasureAbbreviation": unit["abbreviation"],
                "unitOfMeasureId": unit_id, "unitOfMeasureQuantityType": unit["quantityType"],
                "sourceHarvestCount": 1 if harvest else 0, "sourcePackageCount": 0,
                "sourceProcessingJobCount": 0, "sourceProcessingJobNumbers": "", "sourceProcessingJobNames": "",
                "multiProcessingJob": False, "expirationDate": None, "sellByDate": None, "useByDate": None,
                "labTestResultDocumentFileId": 7000 + pid % 3 if lab.startswith("Test") else None,
                "isOnRetailerDelivery": False, "packageForProductDestruction": None, "hasPartial": False,
                "isPartial": False, "inTransitStatus": "None", "processingJobTypeId": None, "isOnRecall": False,
                "decontaminationDate": None, "containsDecontaminatedProduct": False,
                "productRequiresDecontamination": False, "productLabel": None, "labTestStage": None,
                "externalId": None,
            }  # fmt: skip
            if harvest is not None and not ghost:
                lic.harvest_packages[harvest["id"]].append(pid)
                harvest["packageCount"] += 1
                if unit["quantityType"] == "WeightBased":
                    harvest["totalPackagedWeight"] = round(harvest["totalPackagedWeight"] + qty * unit["toBaseFactor"], 2)
            yield self.finish(pkg)

    # -- transfers

    def transfers(self, count: int) -> None:
        lic, rng = self.lic, self.rng
        dests = list(lic.destinations.values())
        carriers = list(lic.transporter_facilities.values())
        active_pkgs = [p for p in lic.packages.values() if not p["isFinished"] and not p["isOnHold"]]
        rng.shuffle(active_pkgs)
        for n in range(count):
            dest = dests[n % len(dests)]
            roll = self.roll(n, (0.1, 0.5, 0.95))
            created = self.when(1000, 4000)
            # outgoing: 40% active (packages in transit), 50% received, 10% rejected
            if roll < 0.4 and active_pkgs:
                state = "active"
            elif roll < 0.9:
                state = "inactive"
            else:
                state = "rejected"
            k = rng.randint(1, 6)
            if state == "active":
                shipped = [active_pkgs.pop() for _ in range(min(k, len(active_pkgs)))]
            else:
                shipped = list(self._package_stream(k, [], ghost=True))
            row = self._transfer(dest, rng.choice(carriers), created, shipped, outgoing=True, state=state)
            if state == "active":
                for pkg in shipped:
                    pkg.update(isInTransit=True, inTransitStatus="InTransit", transferManifestNumber=row["manifestNumber"])
            lic.outgoing[row["id"]] = self.finish(row)
        for n in range(count):
            shipper = dests[(n + 3) % len(dests)]
            created = self.when(1000, 4000)
            state = "active" if self.roll(n, (0.1, 0.5)) < 0.35 else "inactive"
            shipped = list(self._package_stream(rng.randint(1, 6), [], ghost=True))
            row = self._transfer(shipper, rng.choice(carriers), created, shipped, outgoing=False, state=state)
            lic.incoming[row["id"]] = self.finish(row)

    def _transfer(self, party: Obj, carrier: Obj, created: int, pkgs: list[Obj], *, outgoing: bool, state: str) -> Obj:
        lic, rng = self.lic, self.rng
        manifest = self.world.next_manifest()
        delivery_id = self.world.next_id()
        driver = rng.choice(list(lic.drivers.values()))
        vehicle = rng.choice(list(lic.vehicles.values()))
        depart, arrive = min(4095, created + 5), min(4095, created + 12)
        received = state == "inactive"
        me = {"licenseNumber": lic.license_number, "facilityName": lic.license_name, "id": lic.facility_id}
        shipper, recipient = (me, party) if outgoing else (party, me)
        n = len(pkgs)
        row = {
            "id": self.world.next_id(), "manifestNumber": manifest, "shipmentLicenseTypeName": "Licensed",
            "shipperFacilityLicenseNumber": shipper["licenseNumber"], "shipperFacilityName": shipper["facilityName"],
            "name": None, "transporterFacilityLicenseNumber": carrier["licenseNumber"],
            "transporterFacilityName": carrier["facilityName"], "driverName": driver["name"],
            "driverOccupationalLicenseNumber": driver["employeeId"], "driverVehicleLicenseNumber": driver["driversLicenseNumber"],
            "vehicleMake": vehicle["make"], "vehicleModel": vehicle["model"], "vehicleLicensePlateNumber": vehicle["licensePlateNumber"],
            "deliveryFacilities": f"{recipient['facilityName']} ({recipient['licenseNumber']})", "deliveryCount": 1,
            "receivedDeliveryCount": 1 if received else 0, "packageCount": n, "receivedPackageCount": n if received else 0,
            "containsPlantPackage": any(p["packageType"] == "ImmaturePlant" for p in pkgs),
            "containsProductPackage": any(p["packageType"] == "Product" for p in pkgs),
            "containsTradeSample": False, "containsDonation": False, "containsTestingSample": False,
            "containsProductRequiresRemediation": False, "containsRemediatedProductPackage": False,
            "editCount": 0, "canEdit": state == "active", "canEditOutgoingInactive": False, "isVoided": False,
            "createdDateTime": self.iso_times[created], "createdByUserName": lic.owner if outgoing else "shipper.user",
            "lastModified": self.iso_times[self.when(created)], "deliveryId": delivery_id,
            "recipientFacilityId": recipient["id"], "recipientFacilityLicenseNumber": recipient["licenseNumber"],
            "recipientFacilityName": recipient["facilityName"], "shipmentTypeName": "Transfer",
            "shipmentTransactionTypeName": rng.choice(("Wholesale", "Standard")),
            "estimatedDepartureDateTime": self.iso_times[depart],
            "actualDepartureDateTime": self.iso_times[depart] if state != "rejected" else None,
            "estimatedArrivalDateTime": self.iso_times[arrive],
            "actualArrivalDateTime": self.iso_times[arrive] if received else None,
            "deliveryPackageCount": n, "deliveryReceivedPackageCount": n if received else 0,
            "receivedByName": "Receiving Clerk" if received else None,
            "receivedDateTime": self.iso_times[arrive] if received else None,
            "estimatedReturnDepartureDateTime": None, "actualReturnDepartureDateTime": None,
            "estimatedReturnArrivalDateTime": None, "actualReturnArrivalDateTime": None,
            "rejectedPackagesReturned": False, "transporterAllApprovalDate": self.iso_times[created],
            "destinationsAllApprovalDate": self.iso_times[created], "transportersAutomaticallyApproved": True,
            "destinationsAutomaticallyApproved": True,
            "approvalRejectDateTime": self.iso_times[min(4095, created + 2)] if state == "rejected" else None,
            "approvalRejectedByUser": "recipient.user" if state == "rejected" else "",
            "approvalRejectedFacilityLicenseNumber": recipient["licenseNumber"] if state == "rejected" else None,
            "approvalRejectReasonId": "1" if state == "rejected" else None,
            "PDFDocumentFileSystemId": 0, "invoiceNumber": f"INV-{manifest[-6:]}", "lineNumber": 1,
        }  # fmt: skip
        self._delivery(row, carrier, driver, vehicle, pkgs, received)
        return row

    def _delivery(self, row: Obj, carrier: Obj, driver: Obj, vehicle: Obj, pkgs: list[Obj], received: bool) -> None:
        lic = self.lic
        manifest, delivery_id = row["manifestNumber"], row["deliveryId"]
        times = {k: row[k] for k in (
            "actualArrivalDateTime", "actualDepartureDateTime", "actualReturnArrivalDateTime",
            "actualReturnDepartureDateTime", "estimatedArrivalDateTime", "estimatedDepartureDateTime",
            "estimatedReturnArrivalDateTime", "estimatedReturnDepartureDateTime", "receivedByName", "receivedDateTime",
        )}  # fmt: skip
        lic.deliveries[manifest] = [
            {
                "id": delivery_id, "manifestNumber": int(manifest), "deliveryNumber": 1, **times,
                "deliveryPackageCount": row["deliveryPackageCount"],
                "deliveryReceivedPackageCount": row["deliveryReceivedPackageCount"],
                "grossUnitOfWeightAbbreviation": None, "grossUnitOfWeightId": None, "grossWeight": None,
                "plannedRoute": "I-5 S to destination, no stops", "recipientFacilityId": row["recipientFacilityId"],
                "recipientFacilityLicenseNumber": row["recipientFacilityLicenseNumber"],
                "recipientFacilityName": row["recipientFacilityName"], "rejectedPackagesReturned": False,
                "shipmentTransactionTypeName": row["shipmentTransactionTypeName"], "shipmentTypeName": "Transfer",
                "recipientApprovalDate": row["receivedDateTime"], "recipientAutoApproval": False,
                "PDFDocumentFileSystemId": 0, "invoiceNumber": row["invoiceNumber"],
            }
        ]  # fmt: skip
        lic.delivery_transporters[delivery_id] = [
            {
                "transporterFacilityLicenseNumber": carrier["licenseNumber"],
                "transporterFacilityName": carrier["facilityName"], "transporterDirectionName": "Outbound",
                "transporterApprovalDate": row["transporterAllApprovalDate"], "transporterAutoApproval": True,
                "driverName": driver["name"], "driverOccupationalLicenseNumber": driver["employeeId"],
                "driverVehicleLicenseNumber": driver["driversLicenseNumber"], "driverLayoverLeg": None,
                "vehicleMake": vehicle["make"], "vehicleModel": vehicle["model"],
                "vehicleLicensePlateNumber": vehicle["licensePlateNumber"],
                "acceptedDateTime": row["transporterAllApprovalDate"], "isLayover": False,
                "estimatedDepartureDateTime": row["estimatedDepartureDateTime"],
                "actualDepartureDateTime": row["actualDepartureDateTime"],
                "estimatedArrivalDateTime": row["estimatedArrivalDateTime"],
                "actualArrivalDateTime": row["actualArrivalDateTime"],
            }
        ]  # fmt: skip
        lic.transporter_details[manifest] = [
            {
                "shipmentPlanId": self.world.next_id(), "shipmentDeliveryId": delivery_id,
                "transporterDirection": "Outbound", "transporterFacilityId": carrier["id"], "lineNumber": 1,
                "driverName": driver["name"], "driverOccupationalLicenseNumber": driver["employeeId"],
                "driverVehicleLicenseNumber": driver["driversLicenseNumber"], "driverLayoverLeg": None,
                "vehicleMake": vehicle["make"], "vehicleModel": vehicle["model"],
                "vehicleLicensePlateNumber": vehicle["licensePlateNumber"],
                "actualDriverStartDateTime": row["actualDepartureDateTime"], "isVoided": False,
                "receivedDateTime": row["receivedDateTime"], "receivedDeliveryCount": row["receivedDeliveryCount"],
            }
        ]  # fmt: skip
        lic.delivery_packages[delivery_id] = [delivery_package(p, received) for p in pkgs]


def delivery_package(pkg: Obj, received: bool, *, wholesale_price: float | None = None,
                     gross_weight: float | None = None, gross_unit: str = "g") -> Obj:
    """A ``MetrcDeliveryPackage`` snapshot of a package on a delivery (shared with transfer writes)."""
    item = pkg.get("item") or {}
    out: Obj = dict.fromkeys(schema.DELIVERY_PACKAGE)
    out.update(
        containsRemediatedProduct=pkg.get("containsRemediatedProduct", False),
        grossUnitOfWeightAbbreviation=gross_unit,
        grossWeight=gross_weight,
        isDonation=False,
        isTestingSample=False,
        isTradeSample=False,
        isTradeSamplePersistent=False,
        itemBrandName=item.get("itemBrandName"),
        itemServingSize=item.get("servingSize") or "",
        itemStrainName=item.get("strainName"),
        itemUnitWeightUnitOfMeasureAbbreviation="",
        labTestingStateName=pkg.get("labTestingStateName"),
        multiHarvest=False,
        multiPackage=False,
        packageId=pkg["id"],
        packageLabel=pkg["label"],
        packageType=pkg.get("packageType"),
        packagedDate=pkg.get("packagedDate"),
        productCategoryName=item.get("productCategoryName", ""),
        productName=item.get("name", ""),
        productRequiresRemediation=False,
        productionBatchNumber=pkg.get("productionBatchNumber") or None,
        receivedQuantity=pkg["quantity"] if received else 0.0,
        receivedUnitOfMeasureAbbreviation=pkg.get("unitOfMeasureAbbreviation"),
        receiverWholesalePrice=wholesale_price if received else None,
        shipmentPackageState="Accepted" if received else "Shipped",
        shippedQuantity=pkg["quantity"],
        shippedUnitOfMeasureAbbreviation=pkg.get("unitOfMeasureAbbreviation"),
        shipperWholesalePrice=wholesale_price,
        sourceHarvestNames=pkg.get("sourceHarvestNames", ""),
        sourcePackageIsDonation=False,
        sourcePackageIsTradeSample=False,
        sourcePackageLabels=pkg.get("sourcePackageLabels", ""),
        inTransitStatus="Delivered" if received else "InTransit",
        isInTransit=not received,
    )
    return out

