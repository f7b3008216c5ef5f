"""A deterministic Metrc world: integrator keys, user keys, three facilities and their floor.

``build_world(seed, packages)`` sizes the main cultivation facility by ``packages`` (active
packages); plants, batches, harvests, transfers and tags follow from it. The nursery is a tenth of
that; the dispensary (another user's facility) exists so a grower's key can be refused it.
``LastModified`` values spread over the last 60 days with about one object in six changed in the
last 24 hours, so the no-window default (the last day, §6.4) returns a real subset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from growtui.sandbox.metrc import shapes
from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.wire import day, stamp
from growtui.sandbox.metrc.world import Settings, UserKey, World

VENDOR_KEY = "sbx-vendor-growtui-0001"
SANDBOX_HOST = "sandbox-api-co.metrc.com"  # Metrc's own name for Colorado's sandbox (metrc-api.md §2)
OTHER_VENDOR_KEY = "sbx-vendor-otherapp-0002"  # a second integrator: GET limits are per vendor key


@dataclass(frozen=True)
class FacilitySpec:
    number: str
    name: str
    license_type: str
    code: int  # tag prefix: each facility's tags are its own
    scale: float  # share of --packages
    grows: bool = True


MAIN = FacilitySpec("SF-SBX-CO-21-8002", "Sandbox Cultivation", "Marijuana Cultivation", 0x21, 1.0)
NURSERY = FacilitySpec("SF-SBX-CO-1-13402", "Sandbox Nursery", "Marijuana Cultivation", 0x13, 0.1)
DISPENSARY = FacilitySpec("SF-SBX-CO-3-5501", "Sandbox Dispensary", "Retail Marijuana Store", 0x35, 0.05, grows=False)
FACILITIES = (MAIN, NURSERY, DISPENSARY)
# user key -> (person, facilities, view only)
USERS: dict[str, tuple[str, tuple[FacilitySpec, ...], bool]] = {
    "sbx-user-grower-0001": ("Sandbox Grower", (MAIN, NURSERY), False),
    "sbx-user-trimmer-0002": ("Sandbox Trimmer", (NURSERY,), False),
    "sbx-user-budtender-0003": ("Sandbox Budtender", (DISPENSARY,), False),
    "sbx-user-auditor-0004": ("Sandbox Auditor", (MAIN,), True),
}
GROWER_KEY = "sbx-user-grower-0001"

_GROW_FLAGS = (
    "CanGrowPlants", "CanTrackVegetativePlants", "CanTagPlantBatches", "CanAssignLocationsToPlantBatches",
    "CanClonePlantBatches", "CanCreateOpeningBalancePlantBatches", "CanCreateOpeningBalancePackages",
    "CanPackageVegetativePlants", "CanPackageWaste", "CanUpdatePlantStrains", "CanCreateImmaturePlantPackagesFromPlants",
)
_COMMON_FLAGS = (
    "EnableSublocations", "CanUpdateLocationsOnPackages", "CanAssignLocationsToPackages", "CanCreateDerivedPackages",
    "CanCreatePartialPackages", "CanCreateTradeSamplePackages", "CanDonatePackages", "CanSubmitPackagesForTesting",
    "CanViewSourcePackages", "IsMedical", "IsRetail", "CanDestroyProduct", "CanRecordProductForDestruction",
)
_OFF_FLAGS = (
    "AdvancedSales", "CanAccessCatalog", "CanAdjustSourcePackagesWithPartials", "CanCreateProcessValidationPackages",
    "CanDecontaminatePackagesWithFailedLabResults", "CanDeliverSalesToConsumers", "CanDeliverSalesToPatients",
    "CanDownloadProductLabel", "CanHaveMemberPatients", "CanInfuseProducts", "CanManageItemBrands",
    "CanReceiveAssociateProductLabel", "CanRecordProcessingJobs", "CanRemediatePackagesWithFailedLabResults",
    "CanReportAdulteration", "CanReportHarvestSchedules", "CanReportOperationalExceptions", "CanReportPatientCheckIns",
    "CanReportPatientsAdverseResponses", "CanReportStrainProperties", "CanRequestProductDecontamination",
    "CanRequestProductRemediation", "CanRequireHarvestSampleLabTestBatches", "CanRequirePackageSampleLabTestBatches",
    "CanReturnPackageQuantity", "CanSellToCaregivers", "CanSellToConsumers", "CanSellToExternalPatients",
    "CanSellToPatients", "CanSpecifyPatientSalesLimitExemption", "CanSubmitHarvestsForTesting", "CanTestPackages",
    "CanTrackMotherPlantsAsGrowthPhase", "CanTransferFromExternalFacilities", "CanUseComplianceLabel",
    "DeliverySalesToNonResidentConsumer", "EnableExternalIdentifier", "IsHemp", "IsSalesDeliveryHub",
    "PackagesRequirePatientAffiliation", "PlantBatchesCanContainMotherPlants", "PlantsRequirePatientAffiliation",
    "RetailSalesToNonResidentConsumer", "RetailerDelivery", "RetailerDeliveryAllowDonations",
    "RetailerDeliveryAllowPartialPackages", "RetailerDeliveryAllowTradeSamples", "RetailerDeliveryRequirePrice",
    "SalesDeliveryAllowAddress", "SalesDeliveryAllowCity", "SalesDeliveryAllowCounty", "SalesDeliveryAllowPlannedRoute",
    "SalesDeliveryAllowState", "SalesDeliveryAllowZip", "SalesDeliveryRequireConsumerId",
    "SalesDeliveryRequirePatientNumber", "SalesDeliveryRequireRecipientName", "SalesDeliveryRequireZone",
    "SalesRequireCaregiverNumber", "SalesRequireCaregiverPatientNumber", "SalesRequireExternalPatientIdentificationMethod",
    "SalesRequireExternalPatientNumber", "SalesRequirePatientNumber", "TaxExemptReportingFeesFacilityType",
    "TaxExemptTagOrdersFacilityType", "TestsRequireLabSample",
)  # fmt: skip

STRAINS = [("Blue Dream", 40), ("OG Kush", 75), ("Sour Diesel", 10), ("Gelato", 55), ("Wedding Cake", 60), ("Durban Poison", 5), ("GSC", 50), ("Northern Lights", 95)]
LOCATIONS = [
    ("Veg Room 1", "Plant Room"),
    ("Flower Room 1", "Plant Room"),
    ("Flower Room 2", "Plant Room"),
    ("Mother Room", "Plant Room"),
    ("Dry Room", "Drying Room"),
    ("Vault", "Vault"),
    ("Quarantine", "Default Location Type"),
]
SUBLOCATIONS = ["Bench A", "Bench B", "Rack 1", "Shelf 1"]


def tag_label(code: int, kind: str, seq: int) -> str:
    """24 characters like ``1A4021100000000000000042``; the sequence runs on in the last digits."""
    return f"1A4{code:03X}{'1' if kind == 'Plant' else '2'}{seq:017d}"


def next_tag_label(label: str, step: int = 1) -> str:
    return label[:7] + f"{int(label[7:]) + step:017d}"


def users_public() -> list[dict[str, Any]]:
    """The demo keys (sandbox only) and each key's facilities, as ``sandbox users --json`` prints."""
    return [
        {
            "vendorKey": VENDOR_KEY,
            "userKey": key,
            "hostname": SANDBOX_HOST,  # the state the demo facilities are in: Enter fills the whole form
            "name": person,
            "readOnly": read_only,
            "facilities": [{"License": {"Number": f.number}, "Name": f.name} for f in specs],
        }
        for key, (person, specs, read_only) in USERS.items()
    ]


def build_world(seed: int = 7, packages: int = 2000, *, settings: Settings | None = None, world: World | None = None) -> World:
    world = world or World(settings=settings)
    world.vendor_keys |= {VENDOR_KEY, OTHER_VENDOR_KEY}
    for key, (person, specs, read_only) in USERS.items():
        world.users[key] = UserKey(key, person, [f.number for f in specs], read_only)
    for spec in FACILITIES:
        _Seeder(world, spec, random.Random(f"{seed}:{spec.number}"), max(0, round(packages * spec.scale))).run()
    return world


class _Seeder:
    def __init__(self, world: World, spec: FacilitySpec, rng: random.Random, packages: int) -> None:
        self.world, self.spec, self.rng, self.n = world, spec, rng, packages
        self.now = world.now()
        self.fac = world.add_facility(_facility_info(world.next_id(), spec, self.now))
        self.tag_seq = {"Plant": 0, "Package": 0}

    # -- helpers

    def when(self) -> datetime:
        if self.rng.random() < 0.16:
            return self.now - timedelta(hours=self.rng.uniform(0.05, 23.5))
        return self.now - timedelta(days=self.rng.uniform(1.0, 60.0))

    def add(self, kind: str, obj: dict[str, Any], modified: datetime | None = None) -> dict[str, Any]:
        self.fac.add(kind, obj, touched=False)
        if "LastModified" in obj:
            obj["LastModified"] = stamp(modified or self.when())
        return obj

    def new_tag(self, kind: str, used: bool) -> str:
        self.tag_seq[kind] += 1
        label = tag_label(self.spec.code, kind, self.tag_seq[kind])
        row = self.add("tags", shapes.tag(self.world.next_id(), label, kind, self.fac.info["FacilityId"]))
        row["_Used"] = used
        return label

    def pick(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return self.rng.choice(rows)

    # -- the floor

    def run(self) -> None:
        rng, n, wid = self.rng, self.n, self.world.next_id
        type_ids = {name: i + 1 for i, name in enumerate(vocab.LOCATION_TYPES)}
        locs = [self.add("locations", shapes.location(wid(), name, type_ids[t], t)) for name, t in LOCATIONS]
        self.add("locations", shapes.location(wid(), "Old Greenhouse", type_ids["Plant Room"], "Plant Room"))["_Inactive"] = True
        subs = [self.add("sublocations", shapes.sublocation(wid(), name)) for name in SUBLOCATIONS]
        self.add("sublocations", shapes.sublocation(wid(), "Retired Bench"))["_Inactive"] = True
        strains = [self.add("strains", shapes.strain(wid(), name, indica, round(rng.uniform(14, 28), 1))) for name, indica in STRAINS]
        self.add("strains", shapes.strain(wid(), "Discontinued Haze", 30, 12.0))["_Inactive"] = True
        approved = stamp(self.now - timedelta(days=90))
        items: list[dict[str, Any]] = []
        for s in strains[:4]:
            items.append(self.add("items", shapes.item(wid(), f"{s['Name']} Buds", "Buds", "Grams", s, approved)))
            items.append(self.add("items", shapes.item(wid(), f"{s['Name']} Shake", "Shake/Trim", "Grams", s, approved)))
            items.append(self.add("items", shapes.item(wid(), f"{s['Name']} Clones", "Immature Plants", "Each", s, approved)))
        self.add("items", shapes.item(wid(), "Wet Waste", "Waste", "Grams", None, approved))
        self.add("items", shapes.item(wid(), "Retired Pre-Roll", "Buds", "Each", strains[0], approved))["_Inactive"] = True
        product_items = [i for i in items if i["QuantityType"] == "WeightBased"]
        plant_rooms = [loc for loc in locs if loc["ForPlants"]]
        dry, vault = locs[4], locs[5]
        today = self.now.date()

        batches = []
        for i in range(max(3, n // 40) + 2):
            s = self.pick(strains)
            batch_type = vocab.PLANT_BATCH_TYPES[1 if i % 3 else 0]
            planted = today - timedelta(days=rng.randint(5, 40))
            active = i >= 2
            b = self.add("plant_batches", shapes.plant_batch(wid(), f"{s['Name']} {batch_type[1]} {planted:%m%d}-{i + 1}", batch_type, s, locs[0], None, rng.randint(10, 40) if active else 0, planted))
            batches.append(b)
        if self.spec.grows:
            self._plants(batches, plant_rooms, subs, today)
            self._harvests(dry, subs)
        self._packages(product_items, [vault, dry], subs, today)
        self._transfers(items, today)
        for _ in range(max(50, n // 4 + 40)):
            self.new_tag("Plant", used=False)
            self.new_tag("Package", used=False)

    def _plants(self, batches: list[dict[str, Any]], rooms: list[dict[str, Any]], subs: list[dict[str, Any]], today: Any) -> None:
        n, rng = self.n, self.rng
        counts = {"Vegetative": max(6, n // 4), "Flowering": max(6, n // 4), "onhold": max(1, n // 100), "Harvested": max(4, n // 8), "Destroyed": max(2, n // 20)}
        for what, count in counts.items():
            for _ in range(count):
                b = self.pick(batches)
                phase = "Vegetative" if what == "Vegetative" else "Flowering"
                planted = today - timedelta(days=rng.randint(20, 90))
                p = shapes.plant(self.world.next_id(), self.new_tag("Plant", used=True), b, phase, self.pick(rooms), self.pick(subs) if rng.random() < 0.3 else None, planted, planted + timedelta(days=14))
                if what == "onhold":
                    p["IsOnHold"] = True
                elif what == "Harvested":
                    p.update(State="Harvested", HarvestCount=1, HarvestedDate=day(today - timedelta(days=rng.randint(2, 30))), HarvestedWetWeight=round(rng.uniform(300, 900), 2), HarvestedUnitOfWeightName="Grams", HarvestedUnitOfWeightAbbreviation="g")
                elif what == "Destroyed":
                    p.update(State="Destroyed", DestroyedDate=day(today - timedelta(days=rng.randint(1, 30))), DestroyedNote="Seeded: male plant", DestroyedByUserName="Sandbox Grower")
                b["TrackedCount"] += 1
                self.add("plants", p)

    def _harvests(self, dry: dict[str, Any], subs: list[dict[str, Any]]) -> None:
        n, rng = self.n, self.rng
        harvested = [p for p in self.fac.plants.values() if p["State"] == "Harvested"]
        states = ["active"] * max(2, n // 60) + ["onhold", "finished"] + ["finished"] * (n // 100)
        for i, state in enumerate(states):
            started = self.now.date() - timedelta(days=rng.randint(3, 40))
            h = shapes.harvest(self.world.next_id(), f"{started:%Y-%m-%d}-{dry['Name']}-H{i + 1}", "WholePlant", dry, self.pick(subs) if i % 2 else None, "Grams", started)
            for p in harvested[i :: len(states)]:
                p["HarvestId"] = h["Id"]
                h["PlantCount"] += 1
                h["TotalWetWeight"] = round(h["TotalWetWeight"] + p["HarvestedWetWeight"], 6)
                shapes.add_strain_to_harvest(h, p["StrainName"])
            if not h["PlantCount"]:
                h["TotalWetWeight"] = round(rng.uniform(1500, 4000), 2)
                h["PlantCount"] = rng.randint(3, 8)
                shapes.add_strain_to_harvest(h, "Blue Dream")
            self.add("harvests", h)
            waste = self.fac.add("harvest_waste", shapes.harvest_waste(self.world.next_id(), "Plant Material", round(h["TotalWetWeight"] * 0.1, 2), "Grams", started))
            waste["_HarvestId"] = h["Id"]
            h["TotalWasteWeight"] = waste["WasteWeight"]
            if state == "onhold":
                h["IsOnHold"] = True
            elif state == "finished":
                h["TotalPackagedWeight"] = round(h["TotalWetWeight"] - h["TotalWasteWeight"], 6)
                h["PackageCount"] = 1
                h["FinishedDate"] = day(started + timedelta(days=2))
            shapes.reweigh(h)

    def _packages(self, product_items: list[dict[str, Any]], rooms: list[dict[str, Any]], subs: list[dict[str, Any]], today: Any) -> None:
        n, rng = self.n, self.rng
        counts = {"active": n, "onhold": max(1, n // 50), "finished": max(2, n // 10)}
        for what, count in counts.items():
            for _ in range(count):
                it = self.pick(product_items)
                qty = round(rng.uniform(5, 500), 2)
                pkg = shapes.package(self.world.next_id(), self.new_tag("Package", used=True), it, qty, it["UnitOfMeasureName"], self.pick(rooms), self.pick(subs) if rng.random() < 0.3 else None, today - timedelta(days=rng.randint(1, 60)))
                if what == "onhold":
                    pkg["IsOnHold"] = pkg["IsOnHoldCombined"] = True
                elif what == "finished":
                    pkg.update(IsFinished=True, Quantity=0.0, FinishedDate=day(today - timedelta(days=rng.randint(0, 20))))
                self.add("packages", pkg)

    def _transfers(self, items: list[dict[str, Any]], today: Any) -> None:
        fac, rng, wid = self.fac, self.rng, self.world.next_id
        me = (self.spec.number, self.spec.name)
        partners = [(f.number, f.name) for f in FACILITIES if f is not self.spec]
        active = [p for p in fac.packages.values() if not p["IsFinished"] and not p["IsOnHold"]]
        for direction in ("incoming", "outgoing"):
            for k in range(max(2, self.n // 150)):
                partner = partners[k % len(partners)]
                shipper, recipient = (partner, me) if direction == "incoming" else (me, partner)
                created = self.when()
                depart, arrive = (created + timedelta(hours=h) for h in (2, 5))
                fmt = "%Y-%m-%dT%H:%M:%S.000"  # Estimated* times carry no offset (§7)
                tid, did = wid(), wid()
                manifest = f"{rng.randint(10**9, 10**10 - 1):010d}"
                shipped = [active.pop() for _ in range(min(2, len(active)))] if direction == "outgoing" else []
                count = len(shipped) if shipped else rng.randint(1, 3)
                t = shapes.transfer(tid, did, manifest, shipper, recipient, stamp(created), depart.strftime(fmt), arrive.strftime(fmt), count)
                t["_Direction"] = direction
                self.add("transfers", t, created)
                d = self.fac.add("deliveries", shapes.delivery(did, 1, manifest, recipient, t["EstimatedDepartureDateTime"], t["EstimatedArrivalDateTime"], count, "I-25 N to exit 210", tid))
                d["_Facility"] = fac.license_number
                if direction == "outgoing":
                    for pkg in shipped:
                        pkg["_InTransit"] = True
                        self.fac.add("delivery_packages", shapes.delivery_package(did, pkg, fac.items[pkg["_ItemId"]], "Shipped"))
                else:
                    for j in range(count):
                        it = self.pick(items)
                        foreign = shapes.package(wid(), tag_label(0xFF, "Package", tid * 10 + j), it, round(rng.uniform(10, 200), 2), it["UnitOfMeasureName"], None, None, today - timedelta(days=3))
                        self.fac.add("delivery_packages", shapes.delivery_package(did, foreign, it, "Shipped"))


def _facility_info(facility_id: int, spec: FacilitySpec, now: datetime) -> dict[str, Any]:
    flags: dict[str, Any] = dict.fromkeys(_OFF_FLAGS, False)
    flags.update(dict.fromkeys(_COMMON_FLAGS, True))
    flags.update(dict.fromkeys(_GROW_FLAGS, spec.grows))
    flags.update(RestrictHarvestPlantRestoreTimeHours=24, RestrictPlantBatchAdjustmentTimeHours=None, RestrictWholesalePriceEditDays=None, TotalMemberPatientsAllowed=None)
    start = now - timedelta(days=400)
    return {
        "FacilityId": facility_id,
        "HireDate": day(start),
        "IsOwner": True,
        "IsManager": True,
        "IsFinancialContact": True,
        "Email": None,
        "Occupations": [],
        "Name": spec.name,
        "Alias": spec.name,
        "DisplayName": spec.name,
        "CredentialedDate": day(start),
        "SupportActivationDate": None,
        "SupportExpirationDate": None,
        "License": {
            "Number": spec.number,
            "EmployeeLicenseNumber": "",
            "StartDate": day(start),
            "EndDate": day(start + timedelta(days=800)),
            "LicenseType": spec.license_type,
        },
        "FacilityType": flags,
        "AllowTransferOfOnHoldPackages": False,
        "AllowTransferOfOnRecallPackages": False,
    }


__all__ = ["GROWER_KEY", "MAIN", "NURSERY", "DISPENSARY", "VENDOR_KEY", "OTHER_VENDOR_KEY", "build_world", "users_public"]
