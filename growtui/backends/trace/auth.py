"""Trace sign-in: the state (a path segment), the license, the API key and the KMP-JSON token.

Every request carries ``x-api-key: <key>`` and ``Authorization: KMP-JSON token=<token>`` (seed
004); there are no sessions. The token is pasted as issued (base64 of the company and user keys,
reference Part B). Trace has no "who am I" or license list, so the license numbers are typed and
signing in is one small read of that license's strains. Your name is recorded as ``actioned_by``
in the state changes you make.
"""

from __future__ import annotations

import base64
import binascii
import re

from growtui.backends.base import BackendError, Credentials, ErrorKind, FieldKind, SignInField

# The documented path enum (seed 004), lower-case USPS codes.
_STATES = (
    ("ca", "California"), ("or", "Oregon"), ("nv", "Nevada"), ("mt", "Montana"), ("co", "Colorado"),
    ("mi", "Michigan"), ("il", "Illinois"), ("ma", "Massachusetts"), ("ri", "Rhode Island"),
    ("nj", "New Jersey"), ("md", "Maryland"), ("de", "Delaware"), ("va", "Virginia"), ("oh", "Ohio"),
    ("ky", "Kentucky"), ("al", "Alabama"), ("ms", "Mississippi"), ("mn", "Minnesota"),
    ("la", "Louisiana"), ("ok", "Oklahoma"), ("sd", "South Dakota"), ("me", "Maine"),
)
KNOWN_STATES: tuple[dict[str, str], ...] = tuple(
    {"abbreviation": code.upper(), "name": name, "hostname": code} for code, name in _STATES
)
STATE_RE = "|".join(code for code, _ in _STATES)
KEY_RE = re.compile(r"[\x21-\x7e]{8,400}")  # opaque printable tokens; spaces mean a paste accident
LICENSE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_LICENSES = 20

STATE = SignInField(
    "state", "State", FieldKind.HOST, placeholder="type a state, e.g. CO or Colorado",
    pattern=STATE_RE, problem="Choose the state the license is in (type its name or code).",
)
USERNAME = SignInField(
    "username", "Your name", placeholder="recorded with the state changes you make",
    pattern=r"[^\x00-\x1f\x7f]{1,80}", problem="Enter your name (Trace records it with state changes).",
)
LICENSES = SignInField(
    "license_number", "License number", placeholder="e.g. 402R-00517 (several: separate with commas)",
    pattern=r"[A-Za-z0-9._ ,-]{1,1000}", problem="Enter the state license number(s) you work on.",
)
API_KEY = SignInField(
    "x-api-key", "API key", secret=True, pattern=KEY_RE.pattern,
    problem="Enter the Trace API key (the x-api-key from your software's settings).",
)
TOKEN = SignInField(
    "token", "Token", secret=True, reask=True, pattern=KEY_RE.pattern,
    problem="Enter your KMP-JSON token (base64, as Trace issued it).",
)
SIGN_IN = (STATE, USERNAME, LICENSES, API_KEY, TOKEN)


def license_numbers(text: str) -> tuple[str, ...]:
    numbers = tuple(dict.fromkeys(n.strip() for n in text.replace(" ", ",").split(",") if n.strip()))
    if not numbers or len(numbers) > MAX_LICENSES or not all(LICENSE_RE.fullmatch(n) for n in numbers):
        raise BackendError(ErrorKind.VALIDATION, LICENSES.problem)
    return numbers


def headers_of(credentials: Credentials) -> tuple[str, dict[str, str]]:
    """(state, the two auth headers), or VALIDATION for what Trace would refuse anyway."""
    state = credentials.text(STATE.name).lower()
    if not re.fullmatch(STATE_RE, state):
        raise BackendError(ErrorKind.VALIDATION, f"{state!r} is not a state Trace serves. {STATE.problem}")
    api_key, token = credentials.text(API_KEY.name), credentials.text(TOKEN.name)
    if not KEY_RE.fullmatch(api_key):
        raise BackendError(ErrorKind.VALIDATION, API_KEY.problem)
    if not KEY_RE.fullmatch(token):
        raise BackendError(ErrorKind.VALIDATION, TOKEN.problem)
    try:
        base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        raise BackendError(ErrorKind.VALIDATION, f"The token is not base64. {TOKEN.problem}") from None
    return state, {"x-api-key": api_key, "Authorization": f"KMP-JSON token={token}"}
