"""Files T3 serves about records (reference §7): a package's COA behind its lab results, a
transfer's manifest, and package label PDFs rendered by T3's own layouts.

Pure request planning lives here; ``T3Backend.documents`` runs it with its session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from growtui.domain.documents import LabelSize

MAX_FILES = 50  # COA documents fetched for one request: one per distinct file id, bounded
LABEL_STATES = ("active", "intransit")  # T3 fills label content only for these package lists


def coa_file_ids(results: list[Mapping[str, Any]]) -> list[int]:
    """Distinct lab-result document ids, in result order ("most share one or two", §7)."""
    ids: dict[int, None] = {}
    for row in results:
        value = row.get("labTestResultDocumentFileId")
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            ids.setdefault(value)
    return list(ids)[:MAX_FILES]


def manifest_number(raw: Mapping[str, Any]) -> str | None:
    value = raw.get("manifestNumber")
    return str(value).strip() or None if value is not None else None


def _number(config: Mapping[str, Any], key: str) -> float | None:
    value = config.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def template_layout(layouts: list[Mapping[str, Any]], size: LabelSize) -> Mapping[str, Any] | None:
    """The enabled layout whose labels are this size (a thermal roll before a sheet)."""
    fitting = [
        layout for layout in layouts
        if layout.get("enabled", True) and isinstance(layout.get("labelTemplateLayoutConfig"), Mapping)
        and _number(layout["labelTemplateLayoutConfig"], "labelWidthIn") == size.width_in
        and _number(layout["labelTemplateLayoutConfig"], "labelHeightIn") == size.height_in
    ]
    fitting.sort(key=lambda layout: "THERMAL" not in (layout.get("printerTypes") or ()))
    return fitting[0] if fitting else None


def content_layout(layouts: list[Mapping[str, Any]], compact: bool) -> Mapping[str, Any] | None:
    """T3 names its content layouts freely: the standard one shows the most facts, the compact one
    the fewest; a layout needing T3+ is skipped (it would only come back watermarked)."""
    usable = [
        layout for layout in layouts
        if isinstance(layout.get("elements"), list) and not layout.get("requiresT3plus")
    ]
    if not usable:
        return None
    by_size = sorted(usable, key=lambda layout: len(layout["elements"]))
    return by_size[0] if compact else by_size[-1]
