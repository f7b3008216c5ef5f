"""Assemble the Starlette app: every route group, the ops middleware, T3-shaped 404/405/500s.

Route groups: ``auth``, ``account``, ``lists``, ``subs``, ``reports``, ``documents``, ``labels``, ``spec`` (this package) plus, when importable,
``mutations`` and ``create_helpers`` (each must expose ``routes``: a list of starlette Route).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from growtui.sandbox.t3 import account, auth, documents, labels, lists, reports, spec, subs
from growtui.sandbox.t3.http import error_response
from growtui.sandbox.t3.ops import OpsMiddleware
from growtui.sandbox.t3.store import World

log = logging.getLogger(__name__)
OPTIONAL_ROUTE_MODULES = ("growtui.sandbox.t3.mutations", "growtui.sandbox.t3.create_helpers")


def all_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [*auth.routes, *account.routes, *lists.routes, *subs.routes, *reports.routes, *documents.routes, *labels.routes, *spec.routes]
    for name in OPTIONAL_ROUTE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if exc.name != name:  # the module exists but is broken: say so loudly
                raise
            log.info("sandbox: %s not available yet", name)
            continue
        routes.extend(getattr(module, "routes", []))
    return routes


_HTTP_TYPES = {404: "NotFound", 405: "MethodNotAllowed"}


async def _http_error(request: Request, exc: Any) -> Response:
    status = getattr(exc, "status_code", 500)
    return error_response(request, status, _HTTP_TYPES.get(status, "HttpError"), str(getattr(exc, "detail", "")))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("sandbox: unhandled error on %s", request.url.path)
    return error_response(request, 500, "InternalServerError", f"Sandbox bug: {type(exc).__name__}")


def create_app(world: World) -> Starlette:
    app = Starlette(
        routes=all_routes(),
        middleware=[Middleware(OpsMiddleware, world=world)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.world = world
    return app
