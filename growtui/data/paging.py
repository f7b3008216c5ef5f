"""How many pages a paged list has, from its first page, never trusting upstream's `total` blindly."""

from __future__ import annotations

import math

from growtui.backends.base import BackendError, ErrorKind, Page

# No list growtui loads comes near this; a `total` above it is upstream nonsense, not a plan.
MAX_PAGES = 20_000


def page_count(first: Page, page_size: int, what: str) -> int:
    """How many pages a list has, from its first page, sanity-checked: a short first page is the
    whole list whatever `total` says, and a count past MAX_PAGES is refused, not attempted."""
    if len(first.rows) < page_size:
        return 1
    pages = max(1, math.ceil(first.total / page_size))
    if pages > MAX_PAGES:
        raise BackendError(
            ErrorKind.PROTOCOL,
            f"Upstream says {what} holds {first.total:,} rows ({pages:,} pages), more than growtui "
            f"will load ({MAX_PAGES:,} pages of {page_size}); not loading it.",
        )
    return pages
