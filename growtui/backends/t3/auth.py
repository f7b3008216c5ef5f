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
    FieldKind,
    ReauthRequired,
    Session,
    SignInField,
)

# Hostnames whose Metrc login needs a one-time password / an email address (T3 spec,
# POST /v2/auth/credentials).
OTP_HOSTNAMES = frozenset({"mi.metrc.com"})
EMAIL_HOSTNAMES = frozenset({"co.metrc.com"})
HOSTNAME_RE = re.compile(r"^([a-zA-Z0-9-]+\.)*metrc\.com$")

# A token this close to its expiry is treated as expired: a page fetch must not die half-way.
EXPIRY_SKEW_S = 30.0


# /v2/states needs a token, so before the first sign-in the form offers the Metrc states we know.
_KNOWN = (
    ("AK", "Alaska"), ("AL", "Alabama"), ("CA", "California"), ("CO", "Colorado"),
    ("DC", "District of Columbia"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("MA", "Massachusetts"),
    ("MD", "Maryland"), ("ME", "Maine"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MO", "Missouri"),
    ("MS", "Mississippi"), ("MT", "Montana"), ("NJ", "New Jersey"), ("NV", "Nevada"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("SD", "South Dakota"), ("VA", "Virginia"),
    ("WV", "West Virginia"),
)
KNOWN_STATES: tuple[dict[str, str], ...] = tuple(
    {"abbreviation": a, "name": n, "hostname": f"{a.lower()}.metrc.com"} for a, n in _KNOWN
)

HOST = SignInField(
    "hostname", "State/host", FieldKind.HOST, placeholder="type a state, e.g. CA or Michigan",
    pattern=HOSTNAME_RE.pattern, problem="Choose your state (type its name or abbreviation).",
)
USERNAME = SignInField("username", "Username", problem="Enter your Metrc username.")
PASSWORD = SignInField("password", "Password", secret=True, problem="Enter your password.", reask=True)
OTP = SignInField(
    "otp", "One-time code", FieldKind.CODE, placeholder="6 digits from your authenticator",
    pattern=r"\d{6}", problem="Enter the 6-digit one-time code from your authenticator app.", reask=True,
    hosts=OTP_HOSTNAMES,
)
EMAIL = SignInField(
    "email", "Email", pattern=r".*@.*", problem="Enter the email address of your Metrc account.",
    hosts=EMAIL_HOSTNAMES,
)
SIGN_IN = (HOST, USERNAME, PASSWORD, OTP, EMAIL)


def login_fields(hostname: str) -> frozenset[str]:
    """Extra fields a Metrc hostname needs: {"otp"} for MI, {"email"} for CO."""
    return frozenset(f.name for f in (OTP, EMAIL) if f.asked_for(hostname))


def credentials_body(credentials: Mapping[str, str]) -> dict[str, str]:
    """The POST /v2/auth/credentials body; raises VALIDATION for what T3 would reject anyway."""
    given = Credentials(credentials)
    hostname = given.text("hostname").lower()
    if not HOSTNAME_RE.match(hostname):
        raise BackendError(
            ErrorKind.VALIDATION,
            f"{given.get('hostname', '')!r} is not a Metrc hostname (expected e.g. ca.metrc.com).",
        )
    if not given.text("username") or not given.get("password"):
        raise BackendError(ErrorKind.VALIDATION, "Enter your Metrc username and password.")
    body = {"hostname": hostname, "username": given.text("username"), "password": given["password"]}
    needed = login_fields(hostname)
    if "otp" in needed:
        otp = given.text("otp")
        if not otp:
            raise BackendError(
                ErrorKind.VALIDATION, f"{hostname} needs the 6-digit code from your authenticator app."
            )
        body["otp"] = otp
    if "email" in needed:
        email = given.text("email")
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
