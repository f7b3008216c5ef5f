"""The published OpenTHC OpenAPI description, read from ../shared/upstream/openthc-api (never copied
into the repository), bundled into one document, and a checker for recorded sandbox responses.

How a response is checked (``Spec.problems``):
* its operation is found by method and path template; the declared response for its status gives
  the schema. A schema with ``data``/``meta`` properties describes the whole body; any other schema
  describes ``data`` only. The spec contradicts itself here: ``rest.ad`` and ``Response_General``
  put every answer in a ``{data, meta}`` envelope, yet most path files give the bare object.
* an error status the operation does not declare is checked against the spec's general
  ``Response_Failure`` (the spec declares 400/403/404/409/500 on some operations only).
* a success status or route the spec does not declare must be in ``DEVIATIONS`` (with the reason
  and the schema its ``data`` is checked against), or it is a problem.
* ``CONTRADICTIONS`` lists keywords of the spec that no value can satisfy; they are dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[3]
SPEC_DIR = ROOT.parent / "shared" / "upstream" / "openthc-api"
ENTRY = SPEC_DIR / "openapi" / "openapi.yaml"
BASE = "urn:openthc-api"

# (JSON pointer parts, keyword): why it is dropped before validating
CONTRADICTIONS = {
    (("components", "schemas", "Lab_Sample", "properties", "stat"), "enum"): "type integer, enum of strings ('200', '410')",
}
_CONFIRM = "two-step DELETE (rest.ad, seed 002, reference server): 202 marked, then 410 confirmed, then 423 locked"
_CREATED = "the reference server answers a create with 201; this spec file declares 200"
# (method, template, status): (schema of ``data``: a component name, an inline schema or None for
# the envelope alone; the reason the spec does not describe this answer)
DEVIATIONS: dict[tuple[str, str, int], tuple[Any, str]] = {
    ("POST", "/section", 201): ("Section", _CREATED),
    ("POST", "/variety", 201): ("Variety", _CREATED),
    ("POST", "/product", 201): ("Product", _CREATED),
    ("GET", "/variety/{id}", 200): ("Variety", "the spec declares an array for one variety (every other single GET: the object)"),
    ("GET", "/lab/sample", 200): ({"type": "array", "items": {"$ref": "#/components/schemas/Lab_Sample"}}, "the spec declares one Lab_Sample for the search"),
    ("GET", "/plant/{id}", 200): ("Plant", "rest.ad: every resource answers GET; the plant file declares only POST and DELETE"),
    ("POST", "/inventory/{id}/adjust", 202): ("Inventory", "the reference server answers 202; the spec declares 200"),
    ("POST", "/inventory/{id}/sample", 201): ("Lab_Sample", "seed 002 'Sample :: Create'; the OpenAPI has no sample create"),
    ("POST", "/lab/result", 201): ("Lab_Result", "seed 002 'Result :: Create'; the OpenAPI declares only GET"),
    ("GET", "/auth/shut", 200): (None, "the reference server answers 200 'Session Shut' (docs: 206, spec: 201)"),
    ("POST", "/b2b/incoming/{id}/accept", 200): (None, "the reference server's route for accepting (spec: /commit)"),
    ("DELETE", "/section/{id}", 202): ("Section", _CONFIRM + "; the section file declares 200"),
    ("DELETE", "/variety/{id}", 202): ("Variety", _CONFIRM + "; the variety file declares 201 Created"),
    ("DELETE", "/lab/result/{id}", 202): ("Lab_Result", _CONFIRM + "; seed 002 'Result :: Void' says delete twice, no OpenAPI"),
    ("DELETE", "/b2b/outgoing/{id}", 202): ("B2B_Outgoing", _CONFIRM + "; the b2b file declares 202 without a body"),
}
for _template in ("/section/{id}", "/variety/{id}", "/inventory/{id}", "/plant/{id}", "/lab/sample/{id}", "/lab/result/{id}", "/b2b/outgoing/{id}"):
    DEVIATIONS[("DELETE", _template, 410)] = (None, _CONFIRM + "; the path files say 204 for the second DELETE")
    DEVIATIONS[("DELETE", _template, 423)] = (None, _CONFIRM)


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _bundle(node: Any, here: Path) -> Any:
    """Inline every reference to another file (relative to ``here``); keep ``#/...`` references,
    which point into the root document once everything is inlined."""
    if isinstance(node, list):
        return [_bundle(v, here) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        file, _, pointer = ref.partition("#")
        target = (here.parent / file).resolve()
        content = _load(target)
        for part in filter(None, pointer.split("/")):
            content = content[part]
        return _bundle(content, target)
    return {str(k): _bundle(v, here) for k, v in node.items()}


def _absolute(node: Any) -> Any:
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    if isinstance(node, dict):
        return {k: (BASE + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _absolute(v)) for k, v in node.items()}
    return node


@dataclass
class Recorded:
    method: str
    path: str
    status: int
    body: Any


class Spec:
    def __init__(self) -> None:
        doc = _bundle(_load(ENTRY), ENTRY)
        for (parts, keyword), _why in CONTRADICTIONS.items():
            node = doc
            for part in parts:
                node = node[part]
            node.pop(keyword)
        self.doc = doc
        self.registry = Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=DRAFT4))
        templates = set(doc["paths"]) | {t for _, t, _ in DEVIATIONS}
        # literal segments first: /product/type before /product/{id}
        self.templates = sorted(templates, key=lambda t: (t.count("{"), -len(t)))

    def template(self, path: str) -> str | None:
        for template in self.templates:
            if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
                return template
        return None

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> Any:
        node: Any = self.doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def _errors(self, schema: Any, instance: Any) -> list[str]:
        validator = OAS30Validator(_absolute(copy.deepcopy(schema)), registry=self.registry)
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]

    def _envelope(self, body: Any) -> list[str]:
        if not isinstance(body, dict) or set(body) != {"data", "meta"}:
            return ["body is not a {data, meta} envelope"]
        return [] if isinstance(body["meta"], (dict, list)) else ["meta is neither an object nor an array"]

    def problems(self, r: Recorded) -> list[str]:
        """Why this response does not match the spec (empty: it does)."""
        where = f"{r.method} {r.path} -> {r.status}"
        template = self.template(r.path)
        if template is None:
            return [f"{where}: no such path in the spec"]
        problems = self._envelope(r.body)
        if problems:
            return [f"{where}: {p}" for p in problems]
        if (r.method, template, r.status) in DEVIATIONS:
            schema, _why = DEVIATIONS[(r.method, template, r.status)]
            if isinstance(schema, str):
                schema = {"$ref": f"#/components/schemas/{schema}"}
            return [f"{where}: data {e}" for e in (self._errors(schema, r.body["data"]) if schema else [])]
        operation = self.doc["paths"].get(template, {}).get(r.method.lower())
        declared = {str(k): v for k, v in (operation or {}).get("responses", {}).items()}
        if str(r.status) not in declared:
            if r.status >= 400:
                failure = self._deref(self.doc["components"]["responses"]["Response_Failure"])
                return [f"{where}: {e}" for e in self._errors(failure["content"]["application/json"]["schema"], r.body)]
            return [f"{where}: the spec declares {sorted(declared) or 'no such operation'} and no deviation is noted"]
        response = self._deref(declared[str(r.status)])
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        resolved = self._deref(schema)
        if {"data", "meta"} & set(resolved.get("properties", {})):
            return [f"{where}: {e}" for e in self._errors(schema, r.body)]
        return [f"{where}: data {e}" for e in self._errors(schema, r.body["data"])]
