"""Helpers shared by the sandbox write-route tests (no tests here).

They read the seeded main license to pick real objects (an active gram package, a free tag, …)
and talk to the app only over HTTP, so every assertion goes through the same routes a client uses.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from growtui.sandbox.t3.route_table import Collection, Family
from growtui.sandbox.t3.runner import SandboxConfig
from growtui.sandbox.t3.store import LicenseState, Obj, World, classify
from tests.sandbox_fixtures import MAIN_LICENSE

LIC = MAIN_LICENSE
ERROR_KEYS = {"type", "message", "timestamp", "url", "status_code"}
# Everything a write may change; a dry run must leave all of it equal.
STATE_STORES = (
    "packages", "items", "strains", "tags", "outgoing", "deliveries", "delivery_packages",
    "delivery_transporters", "transporter_details", "transfer_templates", "history",
)  # fmt: skip


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """A smaller world than the shared default: write tests need variety, not volume.

    Test modules opt in with ``from tests.sandbox.test_mutations_helpers import sandbox_config``."""
    return SandboxConfig(packages=120)


def license_of(world: World) -> LicenseState:
    return world.licenses[LIC]


def snapshot(lic: LicenseState) -> dict[str, Any]:
    return {name: copy.deepcopy(getattr(lic, name)) for name in STATE_STORES}


async def post(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, body: Any, submit: str | None = "true"
) -> httpx.Response:
    params = {"licenseNumber": LIC}
    if submit is not None:
        params["submit"] = submit
    return await client.post(path, params=params, json=body, headers=headers)


async def get_rows(client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: Any) -> list[Obj]:
    """Every row of a paged route (``filter`` may be a list)."""
    rows: list[Obj] = []
    page = 1
    while True:
        r = await client.get(path, params={"licenseNumber": LIC, "pageSize": 500, "page": page, **params}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        rows += body["data"]
        if page >= body["totalPages"]:
            return rows
        page += 1


async def labels_in(client: httpx.AsyncClient, headers: dict[str, str], collection: str, label: str) -> int:
    rows = await get_rows(client, headers, f"/v2/{collection}", filter=f"label__eq:{label}")
    return len(rows)


def assert_400(response: httpx.Response, *fragments: str) -> str:
    """The exact T3 error envelope with status 400; returns the message."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status_code"] == 400
    assert body["error"]["timestamp"].endswith("Z")
    assert "/v2/" in body["error"]["url"]
    message = body["error"]["message"]
    for fragment in fragments:
        assert fragment in message, message
    return message


def assert_model(row: Obj, fields: tuple[str, ...]) -> None:
    envelope = {"hostname", "dataModel", "retrievedAt", "licenseNumber", "index"}
    assert set(row) == set(fields) | envelope


def active_packages(lic: LicenseState, abbrev: str | None = None) -> list[Obj]:
    """Active, transferable packages (lab state fine, not on a transfer), optionally in one unit."""
    on_transfer = {dp["packageId"] for dps in lic.delivery_packages.values() for dp in dps}
    return [
        p
        for p in lic.packages.values()
        if classify(Family.PACKAGES, p) == "active"
        and p["id"] not in on_transfer
        and p["labTestingStateName"] not in ("TestFailed", "RetestFailed")
        and p["quantity"]
        and (abbrev is None or p["unitOfMeasureAbbreviation"] == abbrev)
    ]


def set_quantity(lic: LicenseState, pkg: Obj, quantity: float) -> None:
    pkg["quantity"] = quantity
    lic.bump()


def unit_id(lic: LicenseState, abbrev: str) -> int:
    unit = lic.unit_by_abbreviation(abbrev)
    assert unit is not None
    return unit["id"]


def weight_item(lic: LicenseState) -> Obj:
    return next(i for i in lic.items.values() if i["quantityTypeName"] == "WeightBased" and not i["isArchived"])


def package_location(lic: LicenseState) -> Obj:
    return next(loc for loc in lic.locations.values() if loc["forPackages"] and not loc["isArchived"])


def free_tags(lic: LicenseState, n: int = 1) -> list[Obj]:
    tags = lic.available_tags("CannabisPackage")
    assert len(tags) >= n
    return tags[:n]


def members(lic: LicenseState, family: Family, state: str = "") -> list[Obj]:
    return lic.members(Collection(family, state))


def transfer_type(lic: LicenseState, name: str) -> Obj:
    return next(t for t in lic.transfer_types.values() if t["name"] == name)


def destination(lic: LicenseState, packages: list[Obj], *, type_name: str = "Transfer", recipient: Obj | None = None, **over: Any) -> Obj:
    """One transfers/create destination shipping ``packages`` (override any field by keyword)."""
    dest = {
        "recipientId": (recipient or next(iter(lic.destinations.values())))["id"],
        "plannedRoute": "I-5 N, no stops",
        "transferTypeId": transfer_type(lic, type_name)["id"],
        "invoiceNumber": "INV-SBX-1",
        "estimatedDepartureDateTime": "2026-12-01T09:00:00Z",
        "estimatedArrivalDateTime": "2026-12-01T13:30:00.000Z",
        "transporters": [
            {
                "transporterId": next(iter(lic.transporter_facilities.values()))["id"],
                "phoneNumberForQuestions": "555-0100",
                "transporterDetails": [
                    {
                        "driverName": "Dana Driver",
                        "driverOccupationalLicenseNumber": "OL-1",
                        "driverLicenseNumber": "DL-1",
                        "driverLayoverLeg": None,
                        "vehicleMake": "Ford",
                        "vehicleModel": "Transit",
                        "vehicleLicensePlateNumber": "7ABC123",
                    }
                ],
            }
        ],
        "packages": [{"id": p["id"], "wholesalePrice": 120.5} for p in packages],
    }
    dest.update(over)
    return dest
