"""Sign-in routes (§2): credentials (with MI one-time passwords and CO emails), apikey, whoami."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pyotp

from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.tokens import mint_token

HOSTNAME_RE = re.compile(r"^([a-zA-Z0-9-]+\.)*metrc\.com$")
OTP_HOSTNAMES = frozenset({"mi.metrc.com"})
EMAIL_HOSTNAMES = frozenset({"co.metrc.com"})

routes = Routes()


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison that accepts any unicode input."""
    return secrets.compare_digest(expected.encode(), given.encode())



def _field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "BadRequest", f"{name} must be a string")
    return value


@routes.post("/v2/auth/credentials", auth=False)
def credentials(ctx: Ctx) -> dict[str, Any]:
    body = ctx.body
    if not isinstance(body, dict):
        raise ApiError(400, "BadRequest", "The request body must be a JSON object")
    username, password, hostname = _field(body, "username"), _field(body, "password"), _field(body, "hostname")
    for name, value in (("username", username), ("password", password), ("hostname", hostname)):
        if not value:
            raise ApiError(400, "BadRequest", f"{name} is required")
    assert hostname is not None
    if not HOSTNAME_RE.match(hostname):
        raise ApiError(400, "BadRequest", f"hostname {hostname!r} does not match ^([a-zA-Z0-9-]+\\.)*metrc\\.com$")
    otp, email = _field(body, "otp"), _field(body, "email")
    if hostname in OTP_HOSTNAMES and not otp:
        raise ApiError(400, "BadRequest", f"otp is required to sign in to {hostname}")
    if hostname in EMAIL_HOSTNAMES and not email:
        raise ApiError(400, "BadRequest", f"email is required to sign in to {hostname}")
    user = ctx.world.users.get(username or "")
    if user is None or user.hostname != hostname or not _same(user.password, password or ""):
        raise ApiError(401, "Unauthorized", "Metrc rejected the username or password.")
    if user.otp_secret and not pyotp.TOTP(user.otp_secret).verify(otp or "", for_time=ctx.world.now(), valid_window=1):
        raise ApiError(401, "Unauthorized", "The one-time password is not valid.")
    if user.email and (email or "").strip().lower() != user.email.lower():
        raise ApiError(401, "Unauthorized", "The email does not match this Metrc account.")
    return {"accessToken": mint_token(ctx.world, user)}


@routes.post("/v2/auth/secretkey", auth=False)
def secretkey(ctx: Ctx) -> dict[str, Any]:
    """A long-lived ``?secretKey=`` for the report routes; "generating a new secret key will invalidate
    all previously generated keys" (§2.3). MI accounts give their TOTP seed (``otpSeed``)."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    username, password, hostname = _field(body, "username"), _field(body, "password"), _field(body, "hostname")
    otp_seed = _field(body, "otpSeed")
    user = ctx.world.users.get(username or "")
    if user is None or user.hostname != hostname or not _same(user.password, password or ""):
        raise ApiError(401, "Unauthorized", "Metrc rejected the username, password or hostname.")
    if user.otp_secret and not _same(user.otp_secret, otp_seed or ""):
        raise ApiError(401, "Unauthorized", "otpSeed is required for this account and must be its TOTP seed.")
    keys = ctx.world.secret_keys
    for old in [k for k, owner in keys.items() if owner == user.username]:
        del keys[old]
    key = secrets.token_urlsafe(24)
    keys[key] = user.username
    return {"secretKey": key}


@routes.post("/v2/auth/apikey", auth=False)
def apikey(ctx: Ctx) -> dict[str, Any]:
    """Consulting clients: the sandbox accepts ``apiKey`` = "<username>:<password>" (sandbox only)."""
    body = ctx.body if isinstance(ctx.body, dict) else {}
    key, state = _field(body, "apiKey"), _field(body, "stateCode")
    username, _, password = (key or "").partition(":")
    user = ctx.world.users.get(username)
    if user is None or not _same(user.password, password):
        raise ApiError(401, "Unauthorized", "The API key is not valid.")
    if state and not user.hostname.startswith(state.lower() + "."):
        raise ApiError(400, "BadRequest", f"The API key is not valid for state {state}")
    return {"accessToken": mint_token(ctx.world, user, auth_mode="apikey")}


@routes.get("/v2/auth/whoami", license=False, paid=False)
def whoami(ctx: Ctx) -> dict[str, Any]:
    claims = ctx.claims
    return {k: claims.get(k) for k in ("authMode", "credentialKey", "hasT3plus", "t3plusSubscriptionTier", "username", "hostname")}
