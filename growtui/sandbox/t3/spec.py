"""``GET /v2/spec/openapi.json``: the sandbox's own OpenAPI 3.0 description (reference §0: T3 serves
its spec there, unauthenticated; tools such as t3api-utils read it to list the paged collections).

Built from the routes the app actually serves, so it cannot drift from them: every operation with
its method, tag, summary (the handler's docstring), query parameters and response media type. A
paged route carries the collection parameters (``page``, ``pageSize``, ``filter``, ...), which is
how readers tell collections apart.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from growtui.sandbox.t3.http import Ctx, Routes

routes = Routes()

# query parameters naming a parent object or a file, by route (T3 has no path parameters)
_PARENT: dict[str, tuple[str, ...]] = {
    "/v2/plants/history": ("plantId",), "/v2/plantbatches/history": ("plantBatchId",),
    "/v2/harvests/history": ("plantId",), "/v2/harvests/plants": ("plantId",), "/v2/harvests/packages": ("packageId",),
    "/v2/packages/history": ("packageId",), "/v2/packages/labresults": ("packageId",),
    "/v2/packages/labresult-batches": ("packageId",), "/v2/packages/source-harvests": ("packageId",),
    "/v2/items/history": ("itemId",), "/v2/items/photos": ("itemId",),
    "/v2/transfers/history": ("manifestNumber",), "/v2/transfers/deliveries": ("manifestNumber",),
    "/v2/transfers/transporter-details": ("manifestNumber",), "/v2/transfers/packages": ("deliveryId",),
    "/v2/transfers/transporters": ("deliveryId",), "/v2/permissions": ("view",), "/v2/search": ("query",),
    "/v2/transfers/manifest": ("manifestNumber",),
    "/v2/packages/labresults/document": ("packageId", "labTestResultDocumentFileId"),
    "/v2/items/photos/file": ("itemId", "imageFileId", "fileType"),
}  # fmt: skip
# license-scoped GETs that answer one object, a bare array or a file rather than a page
_UNPAGED = frozenset({
    "/v2/packages/create/inputs", "/v2/transfers/create/inputs", "/v2/permissions", "/v2/permissions/views",
    "/v2/search", "/v2/transfers/manifest", "/v2/packages/labresults/document", "/v2/items/photos/file",
})  # fmt: skip
_MEDIA = {
    "/v2/transfers/manifest": "application/pdf", "/v2/packages/labresults/document": "application/pdf",
    "/v2/files/labels/generate": "application/pdf", "/v2/labels/generate": "application/pdf",
    "/v2/items/photos/file": "image/png",
}  # fmt: skip
_QUERY_PARAMS = (
    ("sort", "string", "field:asc or field:desc"),
    ("filterLogic", "string", "and (default) or or: how several filters combine."),
    ("filter", "array", "Repeatable field__operator:value filters."),
)
_COLLECTION_PARAMS = (
    ("page", "integer", "The index of the page to be returned (1-based; default 1)."),
    ("pageSize", "integer", "The number of objects per page (default 100, at most 500)."),
    ("strictPagination", "boolean", "When true, an out-of-bounds page is a 400 instead of an empty page."),
    *_QUERY_PARAMS,
)
_REPORT_PARAMS = (
    ("secretKey", "string", "Secret key authentication instead of a bearer token (POST /v2/auth/secretkey)."),
    ("contentType", "string", "json or csv"),
    ("prependCsvMetadata", "boolean", "false: the CSV holds only the column headers and data."),
    ("fieldnames", "array", "The fields each row keeps."),
    *_QUERY_PARAMS,
)


def _param(name: str, kind: str, description: str, *, required: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind} if kind != "array" else {"type": "array", "items": {"type": "string"}}
    param: dict[str, Any] = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if kind == "array":
        param.update(style="form", explode=True)
    return param


def operation(path: str, method: str, options: dict[str, bool], doc: str | None) -> dict[str, Any]:
    """The OpenAPI operation object for one served route."""
    segment = path.split("/")[2] if path.count("/") >= 2 else "general"
    licensed = bool(options.get("auth") and options.get("license"))  # routes without auth check nothing else
    paged = method == "GET" and licensed and path not in _UNPAGED and not path.endswith("/report")
    params = []
    if licensed:
        params.append(_param("licenseNumber", "string", "The license to act on.", required=True))
    params += [_param(name, "string", f"Identifies the {name[:-2] if name.endswith('Id') else name}.", required=True)
               for name in _PARENT.get(path, ())]  # fmt: skip
    if paged:
        params += [_param(*p) for p in _COLLECTION_PARAMS]
    if path.endswith("/report"):
        params += [_param(*p) for p in _REPORT_PARAMS]
    if method == "POST" and licensed:
        params.append(_param("submit", "string", "Only the literal 'true' forwards the write; anything else is a dry run."))
    media = _MEDIA.get(path) or ("text/csv" if path.endswith("/report") else "application/json")
    tags = [segment.replace("plantbatches", "plant batches").title()] + (["Collection"] if paged and path not in _PARENT else [])
    op: dict[str, Any] = {
        "tags": tags,
        "summary": (doc or "").strip().splitlines()[0] if doc and doc.strip() else path.removeprefix("/v2/"),
        "operationId": f"{method.lower()}_{path.strip('/').replace('/', '_').replace('-', '_')}",
        "parameters": params,
        "responses": {"200": {"description": "OK", "content": {media: {"schema": {}}}}},
    }
    if path.endswith("/report"):
        op["responses"]["200"]["content"]["application/json"] = {"schema": {}}
    if method == "POST":
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {}}}}
    if options.get("auth"):
        op["security"] = [{"BearerAuth": []}]
    return op


@routes.get("/v2/spec/openapi.json", auth=False, license=False, paid=False)
def openapi(ctx: Ctx) -> dict[str, Any]:
    """The sandbox's OpenAPI description (no sign-in needed)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in ctx.request.app.routes:
        options = getattr(getattr(route, "endpoint", None), "t3_options", None)
        if not isinstance(route, Route) or options is None:
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                paths.setdefault(route.path, {})[method.lower()] = operation(route.path, method, options, route.endpoint.__doc__)
    base = str(ctx.request.base_url).rstrip("/")
    return {
        "openapi": "3.0.2",
        "info": {"title": "T3 API (growtui sandbox)", "version": "v2",
                 "description": "A local emulator of the Track & Trace Tools API for development and tests."},
        "servers": [{"url": base}],
        "paths": dict(sorted(paths.items())),
        "components": {"securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }  # fmt: skip
