"""T3 sign-in rules: which hostnames need extra fields, the login body, and reading the JWT.

The JWT is decoded *without* verification (we are not its audience; T3 checks it). We only read
``exp`` so an expired session is caught before a request, and the claims (whoami fields) for display.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from growtui.backends.base import (
    BackendError,
    Credentials,
    ErrorKind,
    ReauthRequired,
    Session,
)

# Hostnames whose Metrc login needs a one-time password / an email address (t3-api.md §2.1).
OTP_HOSTNAMES = frozenset({"mi.metrc.com"})
EMAIL_HOSTNAMES = frozenset({"co.metrc.com"})
HOSTNAME_RE = re.compile(r"^([a-zA-Z0-9-]+\.)*metrc\.com$")

# A token this close to its expiry is treated as expired: a page fetch must not die half-way.
EXPIRY_SKEW_S = 30.0


def login_fields(hostname: str) -> frozenset[str]:
    host = hostname.strip().lower()
    if host in OTP_HOSTNAMES:
        return frozenset({"otp"})
    if host in EMAIL_HOSTNAMES:
        return frozenset({"email"})
    return frozenset()


def credentials_body(credentials: Credentials) -> dict[str, str]:
    """The POST /v2/auth/credentials body; raises VALIDATION for what T3 would reject anyway."""
    hostname = credentials.hostname.strip().lower()
    if not HOSTNAME_RE.match(hostname):
        raise BackendError(
            ErrorKind.VALIDATION,
            f"{credentials.hostname!r} is not a Metrc hostname (expected e.g. ca.metrc.com).",
        )
    if not credentials.username.strip() or not credentials.password:
        raise BackendError(ErrorKind.VALIDATION, "Enter your Metrc username and password.")
    body = {
        "hostname": hostname,
        "username": credentials.username.strip(),
        "password": credentials.password,
    }
    needed = login_fields(hostname)
    if "otp" in needed:
        otp = (credentials.otp or "").strip()
        if not otp:
            raise BackendError(
                ErrorKind.VALIDATION, f"{hostname} needs the 6-digit code from your authenticator app."
            )
        body["otp"] = otp
    if "email" in needed:
        email = (credentials.email or "").strip()
        if not email:
            raise BackendError(ErrorKind.VALIDATION, f"{hostname} needs your Metrc account email.")
        body["email"] = email
    return body


def jwt_claims(token: str) -> dict[str, Any]:
    """The JWT payload as a dict, or {} if the token is not a readable JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def session_from_token(hostname: str, username: str, token: str) -> Session:
    claims = jwt_claims(token)
    exp = claims.get("exp")
    expires_at = float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
    return Session(
        hostname=str(claims.get("hostname") or hostname),
        username=str(claims.get("username") or username),
        token=token,
        expires_at=expires_at,
        claims=claims,
    )


def check_fresh(session: Session | None, now: float | None = None) -> Session:
    """The session if it can still be used; ReauthRequired if absent or (nearly) expired."""
    if session is None:
        raise ReauthRequired("Sign in to continue.")
    if session.expires_at is not None:
        if session.expires_at - EXPIRY_SKEW_S <= (time.time() if now is None else now):
            raise ReauthRequired()
    return session


def describe(claims: Mapping[str, Any]) -> str:
    """A one-line account description from whoami-style claims (for the status bar)."""
    tier = claims.get("t3plusSubscriptionTier")
    plus = "T3+" + (f" {tier}" if tier else "") if claims.get("hasT3plus") else "free T3"
    return f"{claims.get('username', '?')} @ {claims.get('hostname', '?')} ({plus})"
