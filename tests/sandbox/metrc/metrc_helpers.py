"""Helpers for the Metrc sandbox tests (imported by basename, as pytest puts this folder on sys.path)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from growtui.sandbox.metrc.seed import MAIN

BASE_URL = "http://metrc.sandbox"
LICENSE = MAIN.number
WIDE = {"lastModifiedStart": "2000-01-01T00:00:00Z", "lastModifiedEnd": "2100-01-01T00:00:00Z"}
SCHEMAS = Path(__file__).resolve().parents[4] / "shared" / "upstream" / "metrc-schemas"

# Required keys whose single documented example had a value, but which real objects leave null in
# some states (the upstream generator inferred each schema from one example: its README).
NULL_IN_SOME_STATES = {
    "_common/Plant": {"FloweringDate"},  # vegetative plants have not flowered
    "Packages/InTransit": {"FinishedDate"},  # only finished packages have one
    "_common/Harvest": {"DryingSublocationId"},  # a harvest drying outside any sublocation
    "_common/Item": {"StrainId", "StrainName"},  # items of a category without strain (waste)
    "Transfers/TransfersDelivery": {"ReceivedDateTime"},  # not yet received
    "Transfers/TemplateDelivery": {"ReceivedDateTime"},  # a template is never received
}


def lic(**more: Any) -> dict[str, Any]:
    return {"licenseNumber": LICENSE, **more}


def wide(**more: Any) -> dict[str, Any]:
    return {"licenseNumber": LICENSE, **WIDE, **more}


def _relaxed(schema: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    """Optional keys' types are the generator's guesses (upstream README): check required keys only."""
    out = dict(schema)
    required = set(schema.get("required", []))
    props = {}
    for key, sub in schema.get("properties", {}).items():
        if key not in required:
            props[key] = {}
        elif sub.get("type") == "object":
            props[key] = _relaxed(sub, set())
        elif key in nullable:
            types = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
            props[key] = {**sub, "type": [*types, "null"]}
        else:
            props[key] = sub
    out["properties"] = props
    return out


@functools.lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    path = SCHEMAS / f"{name}.schema.json"
    if not path.exists():
        return None
    schema = _relaxed(json.loads(path.read_text()), NULL_IN_SOME_STATES.get(name, set()))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def check_schema(name: str, body: Any) -> None:
    """Validate ``body`` (one object, or each element of a list) against upstream ``name``."""
    validator = _validator(name)
    if validator is None:
        pytest.skip(f"{SCHEMAS / name}.schema.json is absent (../shared/upstream is not part of this checkout)")
    for row in body if isinstance(body, list) else [body]:
        validator.validate(row)


async def write(client: Any, method: str, path: str, rows: list[dict[str, Any]], **params: Any) -> Any:
    """Send a write as Metrc wants it: a JSON array body (also on DELETE), licenseNumber in the query."""
    return await client.request(method, path, params=lic(**params), json=rows)


async def one(client: Any, resource: str, key: Any) -> dict[str, Any]:
    r = await client.get(f"/{resource}/v2/{key}", params=lic())
    assert r.status_code == 200, r.text
    return r.json()


async def ids_in(client: Any, path: str) -> set[int]:
    return {row["Id"] for row in (await client.get(path, params=wide())).json()["Data"]}


async def free_tags(client: Any, kind: str) -> list[str]:
    return [t["Label"] for t in (await client.get(f"/tags/v2/{kind}/available", params=lic())).json()]


def today(world: Any) -> str:
    return world.now().date().isoformat()
