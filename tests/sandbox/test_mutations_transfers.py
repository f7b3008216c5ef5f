"""transfers/create and transfers/templates/create: validation, state moves, faults, real HTTP."""

from __future__ import annotations

import httpx
import pytest

from growtui.sandbox.t3 import schema
from tests.sandbox.test_mutations_helpers import sandbox_config  # noqa: F401 (fixture: a smaller world)
from tests.sandbox.test_mutations_helpers import (
    LIC,
    active_packages,
    assert_400,
    assert_model,
    destination,
    get_rows,
    labels_in,
    license_of,
    post,
    snapshot,
    transfer_type,
    unit_id,
)
from tests.sandbox_fixtures import bearer


@pytest.fixture
def lic(sandbox_world):
    return license_of(sandbox_world)


async def test_transfer_create_moves_packages_and_fills_sub_collections(asgi_client, auth_headers, lic):
    # Pick everything from the create pickers, as a client would.
    picks = await get_rows(asgi_client, auth_headers, "/v2/transfers/create/packages")
    dests = await get_rows(asgi_client, auth_headers, "/v2/transfers/create/destinations")
    first, second, third = picks[:3]
    body = [
        {
            "destinations": [
                destination(lic, [first, second], type_name="Wholesale Manifest", recipient=dests[0], invoiceNumber="INV-A"),
                destination(lic, [third], recipient=dests[1], invoiceNumber="INV-A"),
            ]
        }
    ]
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", body)
    assert r.status_code == 200 and r.json() == {"message": "Success"}

    rows = await get_rows(asgi_client, auth_headers, "/v2/transfers/outgoing/active", filter="invoiceNumber__eq:INV-A")
    assert len(rows) == 2  # one row per delivery
    for row in rows:
        assert_model(row, schema.TRANSFER)
        assert row["index"] == "ACTIVE_OUTGOING_TRANSFER"
    assert len({r["manifestNumber"] for r in rows}) == 1 and len({r["id"] for r in rows}) == 1
    assert len({r["deliveryId"] for r in rows}) == 2
    by_recipient = {r["recipientFacilityId"]: r for r in rows}
    wholesale = by_recipient[dests[0]["id"]]
    assert wholesale["deliveryPackageCount"] == 2 and wholesale["packageCount"] == 3
    assert wholesale["shipmentTransactionTypeName"] == "Wholesale"
    assert wholesale["driverName"] == "Dana Driver" and wholesale["createdByUserName"] == "grower.ca"
    manifest = wholesale["manifestNumber"]

    deliveries = await get_rows(asgi_client, auth_headers, "/v2/transfers/deliveries", manifestNumber=manifest)
    assert sorted(d["id"] for d in deliveries) == sorted(r["deliveryId"] for r in rows)
    assert all(d["plannedRoute"] == "I-5 N, no stops" for d in deliveries)

    shipped = await get_rows(asgi_client, auth_headers, "/v2/transfers/packages", deliveryId=wholesale["deliveryId"])
    assert sorted(p["packageLabel"] for p in shipped) == sorted([first["label"], second["label"]])
    assert all(p["shipperWholesalePrice"] == 120.5 and p["isInTransit"] for p in shipped)
    carriers = await get_rows(asgi_client, auth_headers, "/v2/transfers/transporters", deliveryId=wholesale["deliveryId"])
    assert [c["vehicleLicensePlateNumber"] for c in carriers] == ["7ABC123"]
    details = await get_rows(asgi_client, auth_headers, "/v2/transfers/transporter-details", manifestNumber=manifest)
    assert len(details) == 2 and {d["shipmentDeliveryId"] for d in details} == {r["deliveryId"] for r in rows}
    history = await get_rows(asgi_client, auth_headers, "/v2/transfers/history", manifestNumber=manifest)
    assert any("created with 3 package(s)" in line for e in history for line in e["descriptions"])

    for pkg in (first, second, third):
        assert await labels_in(asgi_client, auth_headers, "packages/active", pkg["label"]) == 0
        moved = await get_rows(asgi_client, auth_headers, "/v2/packages/intransit", filter=f"label__eq:{pkg['label']}")
        assert moved[0]["transferManifestNumber"] == manifest and moved[0]["index"] == "INTRANSIT_PACKAGE"
    left = {p["id"] for p in await get_rows(asgi_client, auth_headers, "/v2/transfers/create/packages")}
    assert not left & {first["id"], second["id"], third["id"]}

    again = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [destination(lic, [first])]}])
    assert_400(again, f"Package {first['label']} is already in transit and cannot be transferred")


@pytest.mark.parametrize("submit", [None, "false", "True"])
async def test_transfer_dry_run_changes_nothing(asgi_client, auth_headers, lic, submit):
    body = [{"destinations": [destination(lic, active_packages(lic)[:2])]}]
    before = snapshot(lic)
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", body, submit=submit)
    assert r.json() == {"message": "Dry run"} and snapshot(lic) == before


def _drop(key):
    return lambda d: d.pop(key)


def _set(key, value):
    return lambda d: d.__setitem__(key, value)


@pytest.mark.parametrize(
    "change, fragments",
    [
        (_set("recipientId", 5), ("Transfer 1, destination 1: recipient facility 5 is not an available destination",)),
        (_set("transferTypeId", 99), ("transfer type 99 does not exist",)),
        (_drop("plannedRoute"), ("plannedRoute is required",)),
        (_set("estimatedArrivalDateTime", "2026-12-01T08:00:00Z"), ("must be after estimatedDepartureDateTime",)),
        (_set("estimatedDepartureDateTime", "next tuesday"), ("is not an ISO-8601 date-time",)),
        (_set("packages", []), ("packages must not be empty",)),
        (_drop("transporters"), ("transporters is required",)),
        (lambda d: d["transporters"][0].__setitem__("transporterId", 6), ("transporter 1: transporter facility 6",)),
        (lambda d: d["transporters"][0]["transporterDetails"][0].pop("vehicleModel"), ("transporter 1, driver 1: vehicleModel is required",)),
        (lambda d: d["transporters"][0].pop("phoneNumberForQuestions"), ("phoneNumberForQuestions is required",)),
        (lambda d: d["packages"].append(dict(d["packages"][0])), ("package 2", "is already in this request")),
        (lambda d: d["packages"].append({"id": 77}), ("package 77 does not exist",)),
    ],
)
async def test_transfer_validation(asgi_client, auth_headers, lic, change, fragments):
    dest = destination(lic, active_packages(lic)[:1])
    change(dest)
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [dest]}])
    assert_400(r, *fragments)


async def test_transfer_type_rules(asgi_client, auth_headers, lic):
    pkgs = active_packages(lic)[:1]
    wholesale = destination(lic, pkgs, type_name="Wholesale Manifest")
    del wholesale["packages"][0]["wholesalePrice"]
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [wholesale]}])
    assert_400(r, "is Wholesale; wholesalePrice is required for Package")
    wholesale["packages"][0]["wholesalePrice"] = -1
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [wholesale]}])
    assert_400(r, "wholesalePrice must not be negative, not -1")
    transfer_type(lic, "Wholesale Manifest")["maximumWholesalePrice"] = 100
    wholesale["packages"][0]["wholesalePrice"] = 100.01
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [wholesale]}])
    assert_400(r, "wholesalePrice 100.01 is above the maximum 100 for 'Wholesale Manifest'")

    lab = destination(lic, pkgs, type_name="Lab Sample Transfer")
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [lab]}])
    assert_400(r, "destination 1: this transfer type requires grossWeight and grossUnitOfWeightId")
    lab.update(grossWeight=1.2, grossUnitOfWeightId=unit_id(lic, "ml"))
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [lab]}])
    assert_400(r, "grossUnitOfWeightId must be a weight unit, not ml")
    lab["grossUnitOfWeightId"] = unit_id(lic, "kg")
    assert (await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [lab]}], submit="false")).status_code == 200

    affiliated = destination(lic, pkgs, type_name="Affiliated Transfer")
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [affiliated]}])
    assert_400(r, "package 1: this transfer type requires grossWeight")

    transfer_type(lic, "Transfer")["requiresInvoiceNumber"] = True
    plain = destination(lic, pkgs, invoiceNumber="")
    assert_400(await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [plain]}]), "requires an invoiceNumber")


async def test_ineligible_packages_are_refused(asgi_client, auth_headers, lic, sandbox_world):
    pkgs = active_packages(lic)
    held, failed = pkgs[0], pkgs[1]
    held["isOnHold"] = True
    failed["labTestingStateName"] = "TestFailed"
    lic.bump()
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [destination(lic, [held])]}])
    assert_400(r, f"Package {held['label']} is onhold and cannot be transferred")
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [destination(lic, [failed])]}])
    assert_400(r, "failed lab testing (TestFailed)")
    other = next(o for o in sandbox_world.licenses.values() if o is not lic and o.packages)
    foreign = next(iter(other.packages.values()))
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [destination(lic, [foreign])]}])
    assert_400(r, "belongs to another license")
    picks = {p["id"] for p in await get_rows(asgi_client, auth_headers, "/v2/transfers/create/packages")}
    assert held["id"] not in picks and failed["id"] not in picks and pkgs[2]["id"] in picks


async def test_same_package_in_two_manifests_of_one_request(asgi_client, auth_headers, lic):
    pkg = active_packages(lic)[0]
    body = [{"destinations": [destination(lic, [pkg])]}, {"destinations": [destination(lic, [pkg])]}]
    assert_400(await post(asgi_client, auth_headers, "/v2/transfers/create", body), "Transfer 2", "already in this request (Transfer 1")


async def test_504_after_the_write_applied(asgi_client, auth_headers, lic, sandbox_world):
    pkg = active_packages(lic)[0]
    sandbox_world.ops.add_fault("504", next=1, path="/v2/transfers/create")
    r = await post(asgi_client, auth_headers, "/v2/transfers/create", [{"destinations": [destination(lic, [pkg], invoiceNumber="INV-504")]}])
    assert r.status_code == 504 and r.text.lstrip().lower().startswith("<!doctype html")
    # The write stuck: a client that re-reads finds it (and must not blindly resubmit).
    rows = await get_rows(asgi_client, auth_headers, "/v2/transfers/outgoing/active", filter="invoiceNumber__eq:INV-504")
    assert len(rows) == 1
    assert await labels_in(asgi_client, auth_headers, "packages/intransit", pkg["label"]) == 1


async def test_504_fault_is_not_spent_on_dry_runs_or_rejections(asgi_client, auth_headers, lic, sandbox_world):
    sandbox_world.ops.add_fault("504", next=1, path="/v2/packages/notes")
    pkg = active_packages(lic)[0]
    assert (await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": pkg["id"], "note": "a"}], submit=None)).status_code == 200
    assert_400(await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": 1, "note": "a"}]))
    r = await post(asgi_client, auth_headers, "/v2/packages/notes", [{"id": pkg["id"], "note": "applied"}])
    assert r.status_code == 504 and pkg["note"] == "applied"


# --- templates ---------------------------------------------------------------------------------


async def test_template_create_stores_it(asgi_client, auth_headers, lic):
    held = active_packages(lic)[0]
    held["isOnHold"] = True  # a template may name a package that cannot ship today
    body = [{"name": "Weekly run", "destinations": [destination(lic, [held])]}]
    before = snapshot(lic)
    assert (await post(asgi_client, auth_headers, "/v2/transfers/templates/create", body, submit=None)).json() == {"message": "Dry run"}
    assert snapshot(lic) == before
    assert (await post(asgi_client, auth_headers, "/v2/transfers/templates/create", body)).json() == {"message": "Success"}
    [template] = lic.transfer_templates.values()
    assert template["name"] == "Weekly run" and template["createdByUserName"] == "grower.ca"
    assert template["destinations"][0]["packages"] == [{"id": held["id"], "wholesalePrice": 120.5}]
    assert held["isInTransit"] is False  # templates move nothing
    r = await post(asgi_client, auth_headers, "/v2/transfers/templates/create", [{"name": "weekly RUN", "destinations": body[0]["destinations"]}])
    assert_400(r, "a transfer template named 'weekly RUN' already exists")


@pytest.mark.parametrize(
    "body, fragment",
    [
        ([{"destinations": []}], "Template 1: name is required"),
        ([{"name": "x"}], "Template 1: destinations is required"),
        ([{"name": "x", "destinations": [{"recipientId": 1}]}], "recipient facility 1 is not an available destination"),
    ],
)
async def test_template_validation(asgi_client, auth_headers, body, fragment):
    assert_400(await post(asgi_client, auth_headers, "/v2/transfers/templates/create", body), fragment)


# --- over real HTTP ----------------------------------------------------------------------------


def test_transfer_over_loopback_http(sandbox_server):
    world = sandbox_server.world
    lic = license_of(world)
    pkg = active_packages(lic)[0]
    headers = bearer(world)
    url = f"{sandbox_server.base_url}/v2/transfers/create"
    body = [{"destinations": [destination(lic, [pkg], invoiceNumber="INV-LOOP")]}]
    with httpx.Client(timeout=10) as client:
        dry = client.post(url, params={"licenseNumber": LIC, "submit": "false"}, json=body, headers=headers)
        assert dry.json() == {"message": "Dry run"}
        done = client.post(url, params={"licenseNumber": LIC, "submit": "true"}, json=body, headers=headers)
        assert done.status_code == 200 and done.json() == {"message": "Success"}
        rows = client.get(
            f"{sandbox_server.base_url}/v2/packages/intransit",
            params={"licenseNumber": LIC, "filter": f"label__eq:{pkg['label']}"},
            headers=headers,
        ).json()["data"]
        assert len(rows) == 1 and rows[0]["transferManifestNumber"]
        bad = client.post(url, params={"licenseNumber": LIC, "submit": "true"}, json=body, headers=headers)
        assert_400(bad, "already in transit")
