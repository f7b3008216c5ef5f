"""Which lists a T3 license can have, read from its permission views (t3-api.md §3).

``/v2/licenses`` carries no facility type, but ``GET /v2/permissions/views?licenseNumber=``
(Free) names the views the license has, and those depend on its class: a distributor has no
plant or harvest views. View names are matched by word, leniently; an answer that does not name
packages (every license class holds packages) is not understood, and then nothing is hidden.
"""

from __future__ import annotations

from typing import Any

from growtui.domain.collections import Family

MAX_VIEWS = 500  # bound what upstream may send
_TRANSFERS = (Family.TRANSFERS_INCOMING, Family.TRANSFERS_OUTGOING, Family.TRANSFERS_REJECTED)
# A word in a view's name -> the lists that view is about.
_VIEW_WORDS: tuple[tuple[str, tuple[Family, ...]], ...] = (
    ("plant", (Family.PLANTS, Family.PLANT_BATCHES)),
    ("harvest", (Family.HARVESTS,)),
    ("package", (Family.PACKAGES,)),
    ("item", (Family.ITEMS,)),
    ("strain", (Family.STRAINS,)),
    ("transfer", _TRANSFERS),
)


def families_of_views(body: Any) -> frozenset[Family] | None:
    """The families named by a list of view names; None when the answer cannot be read."""
    if not isinstance(body, list):
        return None
    families: set[Family] = set()
    for view in body[:MAX_VIEWS]:
        if not isinstance(view, str):
            continue
        name = view[:200].casefold()
        for word, named in _VIEW_WORDS:
            if word in name:
                families.update(named)
    return frozenset(families) if Family.PACKAGES in families else None
