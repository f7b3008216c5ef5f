"""Write kinds of the domain registry -> Trace requests (seed 004): create (POST), update (PUT)
and deactivate (DELETE) a strain under ``/{state}/v1/config/strains``.

Trace records testing as a state change, not a field: a new strain starts ``active`` (a strain
created in another state would not be in the active list at all), and a tested state is set by an
update afterwards. ``deleted`` is reached only by deactivating (PUT may not set it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from growtui.domain.actions import CreateStrain, DiscontinueStrain
from growtui.domain.strains import UpdateStrain

BASE = "/{state}/v1/config/strains"


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Context:
    state: str  # the path segment chosen at sign-in
    license_number: str
    username: str  # recorded as actioned_by


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _group(**values: Decimal | None) -> dict[str, float | int]:
    return {k: _number(v) for k, v in values.items() if v is not None}


def strain_path(state: str, strain_id: Any) -> str:
    """One strain's path; its id is upstream data, so it is quoted into one path segment."""
    text = str(strain_id).strip() if strain_id is not None else ""
    if not text:
        raise ValueError("the strain has no Trace id")
    return BASE.format(state=state) + "/" + quote(text, safe="")


def _create(action: CreateStrain, ctx: Context) -> Request:
    if action.testing_status not in ("", "None"):
        raise ValueError("Trace records testing as a state change: create the strain, then update its state.")
    return Request("POST", BASE.format(state=ctx.state), {
        "license_number": ctx.license_number,
        "name": action.name.strip(),
        "cannabinoids": _group(cbd_percent=action.cbd_level, thc_percent=action.thc_level),
        "contents": _group(indica_percent=action.indica_percentage, sativa_percent=action.sativa_percentage),
    })


def _update(action: UpdateStrain, ctx: Context) -> Request:
    body: dict[str, Any] = {"license_number": ctx.license_number}
    if action.name:
        body["name"] = action.name
    cannabinoids = _group(cbd_percent=action.cbd_level, thc_percent=action.thc_level)
    contents = _group(indica_percent=action.indica_percentage, sativa_percent=action.sativa_percentage)
    if cannabinoids:
        body["cannabinoids"] = cannabinoids
    if contents:
        body["contents"] = contents
    if action.state:
        body["entity_state"] = [
            {"state": action.state, "date": action.at, "reason": action.reason, "actioned_by": ctx.username}
        ]
    return Request("PUT", strain_path(ctx.state, action.strain_id), body)


def _deactivate(action: DiscontinueStrain, ctx: Context) -> Request:
    return Request("DELETE", strain_path(ctx.state, action.strain_id), {"license_number": ctx.license_number})


BUILDERS: dict[type, Any] = {CreateStrain: _create, UpdateStrain: _update, DiscontinueStrain: _deactivate}
SUPPORTED_ACTIONS = frozenset(BUILDERS)


def request_of(action: Any, ctx: Context) -> Request:
    """The request; TypeError for a kind Trace has no route for, ValueError for a bad one."""
    build = BUILDERS.get(type(action))
    if build is None:
        raise TypeError(f"Trace has no route for {type(action).__name__}")
    return build(action, ctx)
