"""``/{state}/v1/config/strains[/{id}]``: list, one, create, update, deactivate (seed 004).

Where the seed is unclear (noted, inferred): POST answers 200 with ``results`` as one object (the
response sample; its schema says array); DELETE appends a ``deleted`` entry to ``entity_state``
(the only way to reach that state, since PUT may not set it) and a repeat answers
``deleted: false`` with a warning; the list holds strains whose current state is ``active``
unless ``entity_state`` asks for another; ``limit`` above ``MAX_LIMIT`` is capped with a warning.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from growtui.sandbox.trace.checks import license_number, strain_changes
from growtui.sandbox.trace.http import Ctx, TraceError, route
from growtui.sandbox.trace.store import ENTITY_STATES, License, Strain, current_state, iso

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
BASE = "/{state}/v1/config/strains"


def list_strains(ctx: Ctx) -> Response:
    params = ctx.request.query_params
    lic = ctx.license(params.get("license_number"))
    wanted = params.get("entity_state") or "active"
    if wanted not in ENTITY_STATES:
        raise TraceError(400, f"entity_state must be one of {', '.join(ENTITY_STATES)}")
    limit = _count(params.get("limit"), "limit", DEFAULT_LIMIT, minimum=1)
    if limit > MAX_LIMIT:
        ctx.warn("limit", f"limit {limit} was capped at {MAX_LIMIT}")
        limit = MAX_LIMIT
    offset = _count(params.get("offset"), "offset", 0, minimum=0)
    rows = [s for s in lic.strains.values() if current_state(s) == wanted]
    page = rows[offset : offset + limit]
    url = ctx.request.url
    return ctx.reply(
        page,
        count=f"records {offset + 1}-{offset + len(page)} of {len(rows)}" if page else f"records 0 of {len(rows)}",
        total=len(rows),
        previous=str(url.include_query_params(offset=max(0, offset - limit), limit=limit)) if offset > 0 else None,
        next=str(url.include_query_params(offset=offset + limit, limit=limit)) if offset + limit < len(rows) else None,
    )


def get_strain(ctx: Ctx) -> Response:
    lic = ctx.license(ctx.request.query_params.get("license_number"))
    return ctx.reply(_strain(ctx, lic))


def create_strain(ctx: Ctx) -> Response:
    lic = ctx.license(license_number(ctx.body))
    fields = strain_changes(ctx, current=None)
    _unique_name(lic, fields["name"], None)
    now = iso(ctx.world.now())
    history = fields.pop("entity_state", None) or [
        {"state": "active", "date": now, "reason": "Strain created", "actioned_by": ctx.account.username}
    ]
    strain: Strain = {"id": ctx.world.new_id(), "average_yield": "", "flowering_time": "", "gender": "female", "breeder": ""}
    strain.update(fields, entity_state=history)
    lic.strains[strain["id"]] = strain
    return ctx.reply(strain)


def update_strain(ctx: Ctx) -> Response:
    lic = ctx.license(license_number(ctx.body))
    strain = _strain(ctx, lic)
    if current_state(strain) == "deleted":
        raise TraceError(400, f"Strain {strain['id']} is deleted and cannot be changed")
    fields = strain_changes(ctx, current=strain)
    if "name" in fields:
        _unique_name(lic, fields["name"], strain["id"])
    strain["entity_state"] = strain["entity_state"] + fields.pop("entity_state", [])
    strain.update(fields)
    return ctx.reply(strain)


def delete_strain(ctx: Ctx) -> Response:
    number = license_number(ctx.body) or ctx.request.query_params.get("license_number")
    strain = _strain(ctx, ctx.license(number))
    if current_state(strain) == "deleted":
        ctx.warn("already_deleted", f"Strain {strain['id']} was already deleted")
        return ctx.reply({"id": strain["id"], "deleted": False})
    entry = {"state": "deleted", "date": iso(ctx.world.now()), "reason": "Deactivated", "actioned_by": ctx.account.username}
    strain["entity_state"] = [*strain["entity_state"], entry]
    return ctx.reply({"id": strain["id"], "deleted": True})


def _strain(ctx: Ctx, lic: License) -> Strain:
    strain = lic.strains.get(ctx.request.path_params["id"])
    if strain is None:
        raise TraceError(404, f"No strain {ctx.request.path_params['id']} under license {lic.number}")
    return strain


def _unique_name(lic: License, name: str, own_id: str | None) -> None:
    for other in lic.strains.values():
        if other["id"] != own_id and other["name"].casefold() == name.casefold() and current_state(other) != "deleted":
            raise TraceError(400, f"A strain named '{name}' already exists under license {lic.number}")


def _count(raw: Any, name: str, default: int, *, minimum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise TraceError(400, f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise TraceError(400, f"{name} must be at least {minimum}")
    return value


routes = [
    route(BASE, "GET", list_strains),
    route(BASE, "POST", create_strain),
    route(BASE + "/{id}", "GET", get_strain),
    route(BASE + "/{id}", "PUT", update_strain),
    route(BASE + "/{id}", "DELETE", delete_strain),
]
