"""The seed: deterministic, scaled, realistic, and fast enough for 50k packages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from growtui.sandbox.cli import main as sandbox_main
from growtui.sandbox.t3.seed import ACCOUNTS, build_world
from growtui.sandbox.t3.store import World

FIXED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TAG = re.compile(r"^1A4[0-9A-F]{6}\d{15}$")


def _world(seed: int, packages: int) -> World:
    return build_world(seed, packages, world=World(clock=lambda: FIXED))


def _snapshot(world: World) -> dict:
    return {n: (lic.packages, lic.plants, lic.harvests, lic.outgoing, lic.tags) for n, lic in world.licenses.items()}


def test_same_seed_same_world_different_seed_different_world():
    assert _snapshot(_world(7, 120)) == _snapshot(_world(7, 120))
    assert _snapshot(_world(7, 120)) != _snapshot(_world(8, 120))


def test_scale_knob_drives_proportions():
    world = _world(1, 1000)
    main = world.licenses["CCL21-0000123"]
    assert len(main.packages) == 1000 + 0  # ghosts on delivered manifests are not stored
    assert len(main.plants) == 600 and len(main.harvests) == 25 and len(main.outgoing) == 10
    assert all(len(lic.packages) == 50 for n, lic in world.licenses.items() if n != "CCL21-0000123")


def test_realistic_values():
    lic = _world(3, 300).licenses["CCL21-0000123"]
    labels = [p["label"] for p in lic.packages.values()] + [p["label"] for p in lic.plants.values()]
    assert all(TAG.match(label) for label in labels) and len(set(labels)) == len(labels)
    assert all(TAG.match(t["label"]) and not t["isUsed"] for t in lic.tags.values())
    assert {u["name"] for u in lic.units.values()} >= {"Grams", "Kilograms", "Ounces", "Pounds", "Milligrams", "Each", "Milliliters", "Liters"}
    assert lic.units[2]["name"] == "Grams" and lic.units[4]["name"] == "Pounds"
    assert {i["productCategoryName"] for i in lic.items.values()} >= {"Buds", "Shake/Trim", "Pre-Roll", "Vape Cartridge", "Edible"}
    assert "Blue Dream" in {s["name"] for s in lic.strains.values()}
    modified = sorted(p["lastModified"] for p in lic.packages.values())
    assert modified[0] >= "2026-03-03" and modified[-1] <= "2026-06-01T12:00:00.000Z"
    assert all(p["packagedDate"] <= p["lastModified"] for p in lic.packages.values())
    assert any(p["note"] for p in lic.packages.values())
    assert not any(p["growthPhaseName"] == "Vegetative" for p in lic.plants.values())  # CA-style


def test_accounts_cover_the_login_variants():
    by_host = {a.hostname: a for a in ACCOUNTS}
    assert by_host["mi.metrc.com"].otp_secret and by_host["co.metrc.com"].email
    assert any(not a.has_t3plus for a in ACCOUNTS)
    owners = {spec.number: a.username for a in ACCOUNTS for spec in a.licenses}
    assert len(owners) == sum(len(a.licenses) for a in ACCOUNTS)  # nobody shares a license


def test_users_json_cli(capsys):
    assert sandbox_main(["users", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ca = next(r for r in rows if r["username"] == "grower.ca")
    assert ca["hostname"] == "ca.metrc.com" and ca["password"] and len(ca["licenses"]) == 3
    assert {"licenseNumber", "licenseName"} == set(ca["licenses"][0])
    assert next(r for r in rows if r["hostname"] == "mi.metrc.com")["otpSecret"]
    assert next(r for r in rows if r["hostname"] == "co.metrc.com")["email"]
    assert sandbox_main(["users"]) == 0 and "grower.ca" in capsys.readouterr().out


def test_serve_rejects_a_bad_fault_spec(capsys):
    assert sandbox_main(["serve", "--faults", "teapot:1"]) == 2
    assert "teapot" in capsys.readouterr().err
