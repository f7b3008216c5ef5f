"""Sign-in, tokens and access scoping of the T3 sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pyotp
import pytest

from growtui.sandbox.t3.seed import ACCOUNTS
from tests.sandbox_fixtures import MAIN_LICENSE, bearer

MI = next(a for a in ACCOUNTS if a.hostname == "mi.metrc.com")
CO = next(a for a in ACCOUNTS if a.hostname == "co.metrc.com")


def _error(resp, status):
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert set(err) == {"type", "message", "timestamp", "url", "status_code"}
    assert err["status_code"] == status and err["timestamp"].endswith("Z")
    return err


async def login(client, **body):
    return await client.post("/v2/auth/credentials", json=body)


async def test_ca_login_returns_jwt_with_whoami_claims_and_exp(asgi_client, sandbox_world):
    r = await login(asgi_client, hostname="ca.metrc.com", username="grower.ca", password="sandbox-ca-pass")
    assert r.status_code == 200 and list(r.json()) == ["accessToken"]
    token = r.json()["accessToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["username"] == "grower.ca" and claims["hostname"] == "ca.metrc.com"
    assert claims["exp"] - claims["iat"] == int(sandbox_world.token_ttl_s)
    who = await asgi_client.get("/v2/auth/whoami", headers={"Authorization": f"Bearer {token}"})
    assert who.status_code == 200
    assert set(who.json()) == {"authMode", "credentialKey", "hasT3plus", "t3plusSubscriptionTier", "username", "hostname"}
    assert who.json()["hasT3plus"] is True


@pytest.mark.parametrize(
    "body, status",
    [
        ({"hostname": "ca.metrc.com", "username": "grower.ca", "password": "wrong"}, 401),
        ({"hostname": "co.metrc.com", "username": "grower.ca", "password": "sandbox-ca-pass", "email": "x@y.z"}, 401),
        ({"hostname": "evil.example.com", "username": "grower.ca", "password": "sandbox-ca-pass"}, 400),
        ({"hostname": "ca.metrc.com", "username": "grower.ca"}, 400),
        ({"hostname": "ca.metrc.com", "username": "nobody", "password": "x"}, 401),
    ],
)
async def test_bad_credentials_get_error_envelope(asgi_client, body, status):
    _error(await login(asgi_client, **body), status)


async def test_michigan_needs_a_valid_totp(asgi_client):
    base = {"hostname": MI.hostname, "username": MI.username, "password": MI.password}
    assert "otp" in _error(await login(asgi_client, **base), 400)["message"]
    totp = pyotp.TOTP(MI.otp_secret)
    now = datetime.now(UTC)
    near = {totp.at(now + timedelta(seconds=s)) for s in range(-90, 91, 15)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in near)
    _error(await login(asgi_client, **base, otp=wrong), 401)
    good = await login(asgi_client, **base, otp=pyotp.TOTP(MI.otp_secret).now())
    assert good.status_code == 200


async def test_colorado_needs_the_account_email(asgi_client):
    base = {"hostname": CO.hostname, "username": CO.username, "password": CO.password}
    assert "email" in _error(await login(asgi_client, **base), 400)["message"]
    _error(await login(asgi_client, **base, email="someone@else.com"), 401)
    assert (await login(asgi_client, **base, email=CO.email.upper())).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-jwt", "Basic abc", "Bearer " + jwt.encode({"sub": "grower.ca", "exp": 9999999999}, "a-different-secret-that-is-32-bytes-long")])
async def test_missing_or_malformed_token_is_401(asgi_client, header):
    headers = {"Authorization": header} if header else {}
    _error(await asgi_client.get("/v2/licenses", headers=headers), 401)


async def test_token_expires_by_world_clock(asgi_client, sandbox_world):
    headers = bearer(sandbox_world)
    assert (await asgi_client.get("/v2/licenses", headers=headers)).status_code == 200
    later = datetime.now(UTC) + timedelta(seconds=sandbox_world.token_ttl_s + 5)
    sandbox_world.clock = lambda: later
    assert "expired" in _error(await asgi_client.get("/v2/licenses", headers=headers), 401)["message"]


async def test_expire_all_tokens_kills_live_tokens_only(asgi_client, sandbox_world):
    old = bearer(sandbox_world)
    sandbox_world.expire_all_tokens()
    _error(await asgi_client.get("/v2/licenses", headers=old), 401)
    assert (await asgi_client.get("/v2/licenses", headers=bearer(sandbox_world))).status_code == 200


async def test_licenses_are_scoped_to_the_user(asgi_client, sandbox_world):
    r = await asgi_client.get("/v2/licenses", headers=bearer(sandbox_world))
    numbers = [row["licenseNumber"] for row in r.json()]
    assert numbers == ["CCL21-0000123", "C11-0000456-LIC", "CDPH-10003789"]
    assert all(set(row) == {"licenseName", "licenseNumber"} for row in r.json())
    err = _error(await asgi_client.get("/v2/packages/active", params={"licenseNumber": "CCL21-0000777"}, headers=bearer(sandbox_world)), 403)
    assert "CCL21-0000777" in err["message"]
    _error(await asgi_client.get("/v2/packages/active", headers=bearer(sandbox_world)), 400)


async def test_license_denied_status_is_configurable(asgi_client, sandbox_world):
    sandbox_world.license_denied_status = 401
    r = await asgi_client.get("/v2/items", params={"licenseNumber": "CCL21-0000777"}, headers=bearer(sandbox_world))
    _error(r, 401)


async def test_user_without_t3plus_gets_403_on_paid_routes_only(asgi_client, sandbox_world):
    headers = bearer(sandbox_world, "free.ca")
    params = {"licenseNumber": "CCL21-0000999"}
    assert (await asgi_client.get("/v2/auth/whoami", headers=headers)).json()["hasT3plus"] is False
    assert (await asgi_client.get("/v2/licenses", headers=headers)).status_code == 200
    assert (await asgi_client.get("/v2/permissions/views", params=params, headers=headers)).status_code == 200
    _error(await asgi_client.get("/v2/packages/active", params=params, headers=headers), 403)


async def test_apikey_login(asgi_client):
    r = await asgi_client.post("/v2/auth/apikey", json={"apiKey": "grower.co:sandbox-co-pass", "stateCode": "CO"})
    assert r.status_code == 200
    assert jwt.decode(r.json()["accessToken"], options={"verify_signature": False})["authMode"] == "apikey"
    _error(await asgi_client.post("/v2/auth/apikey", json={"apiKey": "grower.co:nope"}), 401)


async def test_main_license_is_reachable_with_a_real_login(asgi_client):
    r = await login(asgi_client, hostname="ca.metrc.com", username="grower.ca", password="sandbox-ca-pass")
    headers = {"Authorization": f"Bearer {r.json()['accessToken']}"}
    page = await asgi_client.get("/v2/strains", params={"licenseNumber": MAIN_LICENSE}, headers=headers)
    assert page.status_code == 200 and page.json()["total"] == 30
