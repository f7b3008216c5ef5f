"""Basic auth with vendor and user keys: 401 for missing or wrong keys, 403 without the facility,
400 without a required licenseNumber; answers are ``{"Message": …}``."""

from __future__ import annotations

import base64

import pytest
from metrc_helpers import LICENSE, lic

from growtui.sandbox.metrc.seed import DISPENSARY, GROWER_KEY, NURSERY, OTHER_VENDOR_KEY, VENDOR_KEY


def basic(text: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(text.encode()).decode()}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(f"{VENDOR_KEY}:wrong-user-key"),
        basic(f"wrong-vendor:{GROWER_KEY}"),
        basic(f"{VENDOR_KEY}{GROWER_KEY}"),  # no colon
        {"Authorization": "Basic not-base64!"},
        {"Authorization": f"Bearer {GROWER_KEY}"},
    ],
    ids=["missing", "bad-user", "bad-vendor", "no-colon", "garbage", "bearer"],
)
async def test_bad_or_missing_keys_answer_401_with_message(metrc, headers):
    metrc.auth = None
    r = await metrc.get("/packages/v2/active", params=lic(), headers=headers)
    assert r.status_code == 401
    assert set(r.json()) == {"Message"}


async def test_keys_as_basic_auth_sign_in_and_facilities_list_the_keys_facilities(metrc):
    r = await metrc.get("/facilities/v2")
    assert r.status_code == 200
    numbers = [f["License"]["Number"] for f in r.json()]
    assert numbers == [LICENSE, NURSERY.number]
    # any integrator key the sandbox knows works with the same user key
    metrc.auth = (OTHER_VENDOR_KEY, GROWER_KEY)
    assert (await metrc.get("/facilities/v2")).status_code == 200


async def test_facility_the_user_key_lacks_is_403(metrc):
    for number in (DISPENSARY.number, "SF-SBX-XX-0-0000"):
        r = await metrc.get("/packages/v2/active", params={"licenseNumber": number})
        assert r.status_code == 403 and "Message" in r.json()


async def test_denied_status_is_switchable_to_401(metrc, metrc_world):
    metrc_world.settings.license_denied_status = 401
    r = await metrc.get("/plants/v2/vegetative", params={"licenseNumber": DISPENSARY.number})
    assert r.status_code == 401


async def test_license_number_required_where_metrc_requires_it(metrc):
    r = await metrc.get("/plants/v2/flowering")
    assert r.status_code == 400 and "licenseNumber" in r.json()["Message"]
    # lookups Metrc serves without a license
    for path in ("/unitsofmeasure/v2/active", "/plants/v2/growthphases", "/packages/v2/types", "/wastemethods/v2", "/plantbatches/v2/types"):
        assert (await metrc.get(path)).status_code == 200, path
