"""ULIDs: 48-bit millisecond time + 80 random bits, 26 Crockford base32 characters.

Clients should check ids loosely (``[0-9A-Z]{26}``): OpenTHC's well-known ids are vanity strings
that are not valid Crockford ULIDs (reference A.1), and the sandbox seeds a few of those too.
"""

from __future__ import annotations

import random
from datetime import datetime

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(when: datetime, rng: random.Random) -> str:
    value = (int(when.timestamp() * 1000) << 80) | rng.getrandbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))
