"""Metrc sign-in: the state's API host, the user key and the integrator (vendor) key.

Metrc has no sessions: every request carries ``Authorization: Basic base64(vendorKey:userKey)``
(metrc-api.md §3). "Signing in" is checking the keys with ``GET /facilities/v2``. The keys live
only in memory (``Session.token`` holds the header value, never shown by ``repr``).
"""

from __future__ import annotations

import base64
import re

from growtui.backends.base import BackendError, Credentials, ErrorKind, FieldKind, SignInField

# States with v2 docs (metrc-api.md §2); the host is api-{st}.metrc.com (sandbox-api-{st} for tests).
_STATES = (
    ("AK", "Alaska"), ("AL", "Alabama"), ("CA", "California"), ("CO", "Colorado"),
    ("DC", "District of Columbia"), ("IL", "Illinois"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("MA", "Massachusetts"), ("MD", "Maryland"), ("ME", "Maine"), ("MI", "Michigan"),
    ("MN", "Minnesota"), ("MO", "Missouri"), ("MS", "Mississippi"), ("MT", "Montana"),
    ("NJ", "New Jersey"), ("NV", "Nevada"), ("NY", "New York"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("RI", "Rhode Island"), ("SD", "South Dakota"), ("VA", "Virginia"),
    ("WV", "West Virginia"),
)
KNOWN_STATES: tuple[dict[str, str], ...] = tuple(
    {"abbreviation": a, "name": n, "hostname": f"api-{a.lower()}.metrc.com"} for a, n in _STATES
)
HOSTNAME_RE = re.compile(r"^(sandbox-)?api-[a-z]{2}\.metrc\.com$")
# Metrc keys are opaque printable tokens; anything with spaces or controls is a paste accident.
KEY_RE = re.compile(r"[\x21-\x7e]{8,200}")

HOST = SignInField(
    "hostname", "State", FieldKind.HOST, placeholder="type a state, e.g. CO or Colorado",
    pattern=HOSTNAME_RE.pattern, problem="Choose your state (type its name or abbreviation).",
)
# Named as Metrc names them (its Postman collection's vendorKey/userKey).
VENDOR_KEY = SignInField(
    "vendorKey", "Integrator key", secret=True, pattern=KEY_RE.pattern,
    problem="Enter the integrator (vendor) API key from your software's settings.",
)
USER_KEY = SignInField(
    "userKey", "User API key", secret=True, pattern=KEY_RE.pattern, reask=True,
    problem="Enter your Metrc user API key (Metrc: your name > API Keys).",
)
SIGN_IN = (HOST, VENDOR_KEY, USER_KEY)


def keys_of(credentials: Credentials) -> tuple[str, str, str]:
    """(hostname, vendor key, user key), or VALIDATION for what Metrc would reject anyway."""
    hostname = credentials.text("hostname").lower()
    if not HOSTNAME_RE.match(hostname):
        raise BackendError(
            ErrorKind.VALIDATION,
            f"{hostname!r} is not a Metrc API host (expected e.g. api-co.metrc.com).",
        )
    vendor, user = credentials.text(VENDOR_KEY.name), credentials.text(USER_KEY.name)
    if not KEY_RE.fullmatch(vendor):
        raise BackendError(ErrorKind.VALIDATION, VENDOR_KEY.problem)
    if not KEY_RE.fullmatch(user):
        raise BackendError(ErrorKind.VALIDATION, USER_KEY.problem)
    return hostname, vendor, user


def basic_header(vendor_key: str, user_key: str) -> str:
    """The Authorization header value: the vendor key is the username, the user key the password."""
    return "Basic " + base64.b64encode(f"{vendor_key}:{user_key}".encode()).decode("ascii")

