"""The Trace sandbox's seeded world: demo accounts, their licenses, and strains with histories.

The main license (``402R-00517``, Colorado) holds more strains than one default page (100) so
paging is exercised; a few are inactive, tested, used or deleted, each with its state history.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from growtui.sandbox.trace.store import Account, License, Strain, TraceWorld, iso


@dataclass(frozen=True)
class LicenseSpec:
    number: str
    state: str
    name: str
    strains: int


@dataclass(frozen=True)
class AccountSpec:
    username: str
    api_key: str
    vendor_key: str
    user_key: str
    licenses: tuple[LicenseSpec, ...]
    suspended: bool = False


MAIN_LICENSE = LicenseSpec("402R-00517", "co", "Front Range Cultivation", 150)
ACCOUNTS = (
    AccountSpec(
        "grower.co", "b123x21wbHlkYXBpa2V5", "sandbox-vendor-key", "grower-co-user-key",
        (MAIN_LICENSE, LicenseSpec("GAAA-R7X2-UVKP", "ok", "Red Dirt Farms", 12)),
    ),
    AccountSpec(
        "nursery.mi", "c77e0a1bNurseryApiKey", "sandbox-vendor-key", "nursery-mi-user-key",
        (LicenseSpec("AU-G-000311", "mi", "Great Lakes Nursery", 5),),
    ),
    AccountSpec(  # keys are valid but the company is suspended: every call answers 403
        "suspended.or", "d0d0SuspendedApiKey", "sandbox-vendor-key", "suspended-or-user-key",
        (LicenseSpec("050-10045AB", "or", "Willamette Closed Co", 3),), suspended=True,
    ),
)

_FIRST = ("Blue", "Sour", "Northern", "Purple", "Golden", "Lemon", "Cherry", "Granddaddy", "Mango", "Hazy", "Ghost", "Pineapple", "Alpine")
_SECOND = ("Dream", "Diesel", "Lights", "Haze", "Kush", "Cookies", "Breath", "Express", "Tangie", "Skunk", "Glue", "Runtz")
# (state, share) of seeded strains whose history leaves them outside "active"
_LATER_STATES = (("inactive", 0.06), ("in_house_tested", 0.05), ("third_party_tested", 0.05), ("used", 0.03), ("deleted", 0.03))


def kmp_token(vendor_key: str, user_key: str) -> str:
    """The ``Authorization: KMP-JSON token=…`` value: base64 of ``vendor:user`` (reference, Part B)."""
    return base64.b64encode(f"{vendor_key}:{user_key}".encode()).decode()


def users_public() -> list[dict[str, Any]]:
    """Demo sign-ins, named as the API names them (what ``sandbox users --system trace`` prints)."""
    return [
        {
            "username": acc.username,
            # the sign-in form's own fields: the first license's state and number
            "state": acc.licenses[0].state,
            "license_number": acc.licenses[0].number,
            "x-api-key": acc.api_key,
            "vendor_key": acc.vendor_key,
            "user_key": acc.user_key,
            "token": kmp_token(acc.vendor_key, acc.user_key),
            "suspended": acc.suspended,
            "licenses": [{"license_number": s.number, "state": s.state, "name": s.name} for s in acc.licenses],
        }
        for acc in ACCOUNTS
    ]


def build_world(seed: int = 7, world: TraceWorld | None = None) -> TraceWorld:
    world = world or TraceWorld(seed)
    rng = random.Random(f"{seed}:trace")
    for spec in ACCOUNTS:
        numbers = [lic.number for lic in spec.licenses]
        world.add_account(Account(spec.username, spec.api_key, spec.vendor_key, spec.user_key, numbers, spec.suspended))
        for lic_spec in spec.licenses:
            lic = world.licenses[lic_spec.number] = License(lic_spec.number, lic_spec.state, lic_spec.name)
            for n in range(lic_spec.strains):
                strain = _strain(world, rng, n, spec.username)
                lic.strains[strain["id"]] = strain
    return world


def _strain(world: TraceWorld, rng: random.Random, n: int, user: str) -> Strain:
    indica = rng.choice((10, 20, 30, 40, 50, 60, 70, 80, 90))
    created = world.now() - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1440))
    history = [{"state": "active", "date": iso(created), "reason": "Strain created", "actioned_by": user}]
    roll = rng.random()
    for state, share in _LATER_STATES:
        if roll < share:
            when = created + timedelta(days=rng.randint(1, 25))
            history.append({"state": state, "date": iso(when), "reason": f"Seeded: {state.replace('_', ' ')}", "actioned_by": user})
            break
        roll -= share
    return {
        "id": world.new_id(),
        "name": f"{_FIRST[n % len(_FIRST)]} {_SECOND[(n // len(_FIRST)) % len(_SECOND)]}" + (f" #{n // 156 + 1}" if n >= 156 else ""),
        "cannabinoids": {"cbd_percent": round(rng.uniform(0.05, 2.0), 2), "thc_percent": round(rng.uniform(12.0, 29.0), 2)},
        "contents": {"indica_percent": float(indica), "sativa_percent": float(100 - indica)},
        "average_yield": str(rng.choice((350, 400, 450, 500, 550))),
        "flowering_time": str(rng.choice((7, 8, 9, 10))),
        "gender": "female",
        "breeder": rng.choice(("Trace Genetics", "Mile High Seeds", "Sandbox Seed Co")),
        "entity_state": history,
    }
