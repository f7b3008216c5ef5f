"""Body rules for strain writes (seed 004): which fields, which types, which entity states.

The seed's prose and its request sample disagree on the license: prose says ``license_number``,
the sample sends ``license: {…}``. Both are accepted (``license.license_number`` inside the object).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from growtui.sandbox.trace.http import Ctx, TraceError
from growtui.sandbox.trace.store import ENTITY_STATES, Strain

TEXT_FIELDS = ("average_yield", "flowering_time", "breeder")
GENDERS = ("female", "male")
NUMBER_GROUPS = {"cannabinoids": ("cbd_percent", "thc_percent"), "contents": ("indica_percent", "sativa_percent")}
KNOWN = frozenset({"id", "license_number", "license", "name", "gender", "entity_state", *TEXT_FIELDS, *NUMBER_GROUPS})
MAX_TEXT = 255


def license_number(body: dict[str, Any]) -> Any:
    if "license_number" in body:
        return body["license_number"]
    lic = body.get("license")
    return lic.get("license_number") if isinstance(lic, dict) else None


def strain_changes(ctx: Ctx, *, current: Strain | None) -> dict[str, Any]:
    """The validated fields of a POST (``current`` None: every required field) or PUT body,
    merged over ``current``; ``entity_state`` holds only the new entries. 400 on bad input."""
    body, create = ctx.body, current is None
    for key in sorted(set(body) - KNOWN):
        ctx.warn("ignored_field", f"Unknown field '{key}' was ignored")
    out: dict[str, Any] = {}
    if create or "name" in body:
        out["name"] = _text(body.get("name"), "name", required=True)
    for key in TEXT_FIELDS:
        if key in body:
            out[key] = _text(body[key], key, required=False)
    if "gender" in body and body["gender"] not in GENDERS:
        raise TraceError(400, f"gender must be one of {', '.join(GENDERS)}")
    if "gender" in body:
        out["gender"] = body["gender"]
    for group, keys in NUMBER_GROUPS.items():
        if create or group in body:
            out[group] = _percents(body.get(group), group, keys, base=None if create else (current or {}).get(group))
    contents = out.get("contents")
    if contents and contents["indica_percent"] + contents["sativa_percent"] != 100:
        total = contents["indica_percent"] + contents["sativa_percent"]
        ctx.warn("contents", f"indica_percent + sativa_percent is {total:g}, not 100")
    if "entity_state" in body:
        out["entity_state"] = _history(body["entity_state"], allow_deleted=create)
    return out


def _text(value: Any, name: str, *, required: bool) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise TraceError(400, f"{name} is required" if value is None else f"{name} must be a non-empty string")
    if len(value) > MAX_TEXT:
        raise TraceError(400, f"{name} is longer than {MAX_TEXT} characters")
    return value.strip() if required else value


def _percents(value: Any, group: str, keys: tuple[str, ...], base: dict[str, float] | None) -> dict[str, float]:
    if not isinstance(value, dict):
        raise TraceError(400, f"{group} is required and must be an object")
    out = dict(base or {})
    for key in keys:
        if key not in value and key in out:
            continue
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise TraceError(400, f"{group}.{key} is required and must be a number")
        if not 0 <= number <= 100:
            raise TraceError(400, f"{group}.{key} must be between 0 and 100")
        out[key] = float(number)
    return out


def _history(value: Any, *, allow_deleted: bool) -> list[dict[str, str]]:
    """New ``entity_state`` entries; ``deleted`` is not settable by PUT (only by DELETE)."""
    allowed = ENTITY_STATES if allow_deleted else tuple(s for s in ENTITY_STATES if s != "deleted")
    if not isinstance(value, list):
        raise TraceError(400, "entity_state must be an array")
    entries = []
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise TraceError(400, f"entity_state[{i}] must be an object")
        if entry.get("state") not in allowed:
            raise TraceError(400, f"entity_state[{i}].state must be one of {', '.join(allowed)}")
        for key in ("date", "reason", "actioned_by"):
            if not isinstance(entry.get(key), str):
                raise TraceError(400, f"entity_state[{i}].{key} is required and must be a string")
        try:
            datetime.fromisoformat(entry["date"].replace("Z", "+00:00"))
        except ValueError:
            raise TraceError(400, f"entity_state[{i}].date is not an ISO 8601 date-time") from None
        entries.append({k: entry[k] for k in ("state", "date", "reason", "actioned_by")})
    return entries
