"""Checks of a transfer that no one field can make: the phone number for questions, and packages
going to a retailer without a passed lab test.

The references name the fields (t3-api.md §5.4 ``labTestingStateName`` and its states, §5.7 a
destination's ``facilityTypeName``, §5.10 ``phoneNumberForQuestions``) but document no state's
rule on untested product at retail, and no phone format. So: a package that failed testing is
refused for a retailer (upstream refuses failed packages on any transfer), one not yet passed is
warned about, never refused; a phone number must be a whole one (area code included).
"""

from __future__ import annotations

import re

# LabTestingStates (t3-api.md §5.4)
PASSED_STATES = frozenset({"TestPassed", "RetestPassed", "NotRequired"})
FAILED_STATES = frozenset({"TestFailed", "RetestFailed"})

MIN_PHONE_DIGITS = 10  # area code and number
MAX_PHONE_DIGITS = 15  # E.164's longest
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}\s*$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"\+?[\d\s().\-/]+")


def phone_problem(text: str) -> str:
    """Why ``text`` is not a phone number people can call back ("" when it is one)."""
    number = _EXTENSION.sub("", text.strip())
    if not number:
        return "Enter a phone number for questions."
    if not _PHONE_CHARS.fullmatch(number):
        return f"{text.strip()[:40]} is not a phone number: use digits, spaces, ( ) - and an extension as x123."
    digits = sum(c.isdigit() for c in number)
    if digits < MIN_PHONE_DIGITS:
        return f"A phone number has at least {MIN_PHONE_DIGITS} digits with the area code; this has {digits}."
    if digits > MAX_PHONE_DIGITS:
        return f"A phone number has at most {MAX_PHONE_DIGITS} digits; this has {digits}."
    return ""


def is_retailer(facility_type: str) -> bool:
    """A destination that sells to the public (T3's ``facilityTypeName`` "Retailer"; Metrc's
    "Retail Marijuana Store"; a dispensary)."""
    kind = facility_type.casefold()
    return "retail" in kind or "dispens" in kind


def retail_lab_problem(label: str, lab_state: str) -> tuple[bool, str]:
    """(refused, message) for a package of ``lab_state`` going to a retailer; (False, "") when
    its lab state is passed, not required, or unknown."""
    state = lab_state.strip()
    if not state or state in PASSED_STATES:
        return False, ""
    if state in FAILED_STATES:
        return True, f"{label} failed lab testing ({state}): it cannot go to a retailer."
    return False, f"{label} has not passed lab testing ({state}) and goes to a retailer: check your state's rule first."
