"""Constants and bodies shared by the Trace sandbox tests."""

from __future__ import annotations

MAIN = "402R-00517"  # grower.co's Colorado license: more active strains than one default page
STRAINS = "/co/v1/config/strains"


def new_strain(**over: object) -> dict:
    body = {
        "license_number": MAIN,
        "name": "Sandbox Sunrise",
        "cannabinoids": {"cbd_percent": 0.4, "thc_percent": 21.5},
        "contents": {"indica_percent": 60, "sativa_percent": 40},
        "gender": "female",
        "breeder": "Test Seeds",
    }
    body.update(over)
    return body
