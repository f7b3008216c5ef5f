"""OpenTHC sign-in: the spec's form post ``POST /auth/open`` (``cre``, ``service-key``,
``company``, ``license``, ``license-key``), field names as ``growtui sandbox users --system
openthc --json`` lists them. The session token comes back in ``data``; later requests send
``Authorization: Bearer <token>``.

A session is opened for one license (object routes act on the session's license), so one
sign-in is one license. The reference server's encrypted "v2024 box" is not spoken (reference A.3).
"""

from __future__ import annotations

import re

from growtui.backends.base import BackendError, Credentials, ErrorKind, FieldKind, SignInField

ID_RE = r"[0-9A-Za-z]{26}"  # ULID-shaped, checked loosely: well-known ids are not valid ULIDs
KEY_RE = r"[\x21-\x7e]{8,400}"
# The engines growtui knows by code; another CRE's code can be typed.
KNOWN_CRES: tuple[dict[str, str], ...] = (
    {"abbreviation": "OPENTHC", "name": "OpenTHC CRE", "hostname": "openthc"},
)

CRE = SignInField(
    "cre", "Engine (CRE)", FieldKind.HOST, placeholder="the compliance engine's code, e.g. openthc",
    pattern=r"[a-z0-9][a-z0-9._-]{0,39}", problem="Choose the compliance engine (CRE) you report to.",
)
COMPANY = SignInField(
    "company", "Company id", placeholder="26 letters and digits", pattern=ID_RE,
    problem="Enter your company's OpenTHC id (26 letters and digits).",
)
LICENSE = SignInField(
    "license", "License id", placeholder="26 letters and digits", pattern=ID_RE,
    problem="Enter the OpenTHC id of the license you work on (26 letters and digits).",
)
SERVICE_KEY = SignInField(
    "service-key", "Service key", secret=True, pattern=KEY_RE,
    problem="Enter the service (software) key from your OpenTHC settings.",
)
LICENSE_KEY = SignInField(
    "license-key", "License key", secret=True, reask=True, pattern=KEY_RE,
    problem="Enter the license's key from your OpenTHC settings.",
)
SIGN_IN = (CRE, COMPANY, LICENSE, SERVICE_KEY, LICENSE_KEY)


def form_of(credentials: Credentials) -> dict[str, str]:
    """The ``/auth/open`` form, or VALIDATION for values OpenTHC would refuse anyway."""
    form = {f.name: credentials.text(f.name) for f in SIGN_IN}
    form["cre"] = form["cre"].lower()
    for f in SIGN_IN:
        if not re.fullmatch(f.pattern, form[f.name]):
            raise BackendError(ErrorKind.VALIDATION, f.problem)
    return form
