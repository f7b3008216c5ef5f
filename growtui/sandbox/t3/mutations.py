"""Every Metrc-writing POST of t3api 0.6.0 except sales (t3-api.md §6.1–§6.2).

Contract shared by all of them: ``?licenseNumber=`` (required) and ``?submit=``; the body is
validated in full first; a failure is a 400 ``{"error": {...}}`` naming the offending element.
Only ``submit=true`` (the literal string) applies the write and answers ``{"message":"Success"}``;
anything else answers ``{"message":"Dry run"}`` and leaves state untouched. No ids come back.
After applying, the ops hook may replace the answer with a 504 HTML page (the write stays).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from growtui.sandbox.t3.catalog_writes import (
    plan_item_discontinue,
    plan_strain_discontinue,
    plan_strains_create,
)
from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.mutation_checks import Apply, Invalid, is_submit
from growtui.sandbox.t3.package_writes import plan_create, plan_notes, plan_unfinish
from growtui.sandbox.t3.store import LicenseState
from growtui.sandbox.t3.transfer_writes import plan_templates_create, plan_transfers_create

Planner = Callable[[LicenseState, Any, str], Apply]

DRY_RUN = {"message": "Dry run"}
SUCCESS = {"message": "Success"}

WRITES: dict[str, Planner] = {
    "/v2/packages/create": plan_create,
    "/v2/packages/notes": plan_notes,
    "/v2/packages/unfinish": plan_unfinish,
    "/v2/strains/create": plan_strains_create,
    "/v2/strains/discontinue": plan_strain_discontinue,
    "/v2/items/discontinue": plan_item_discontinue,
    "/v2/transfers/create": plan_transfers_create,
    "/v2/transfers/templates/create": plan_templates_create,
}


def run_write(ctx: Ctx, plan: Planner) -> dict[str, str]:
    """Validate, then apply only for ``submit=true``; dry runs pass the very same checks."""
    user = ctx.user.username if ctx.user is not None else ""
    if ctx.body is None:
        raise ApiError(400, "BadRequest", "The request body is empty; this route expects JSON.")
    try:
        apply = plan(ctx.license, ctx.body, user)
    except Invalid as exc:
        raise ApiError(400, "BadRequest", str(exc)) from None
    if not is_submit(ctx.params.get("submit")):
        return dict(DRY_RUN)
    apply()
    ctx.applied()
    return dict(SUCCESS)


def _handler(path: str, plan: Planner) -> Callable[[Ctx], dict[str, str]]:
    def handle(ctx: Ctx) -> dict[str, str]:
        return run_write(ctx, plan)

    handle.__name__ = "post_" + path.removeprefix("/v2/").replace("/", "_")
    return handle


routes = Routes()
for _path, _plan in WRITES.items():
    routes.post(_path)(_handler(_path, _plan))
