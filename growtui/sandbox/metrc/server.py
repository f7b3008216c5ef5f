"""Assemble the Starlette app: every route group behind the ops middleware, Metrc-shaped 404/405/500."""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from growtui.sandbox.metrc import lists
from growtui.sandbox.metrc.limits import MetrcOpsMiddleware
from growtui.sandbox.metrc.wire import message
from growtui.sandbox.metrc.world import World

log = logging.getLogger(__name__)


def all_routes() -> list[BaseRoute]:
    from growtui.sandbox.metrc import writes

    return [*writes.routes, *lists.routes]


async def _http_error(request: Request, exc: Any) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 404:
        return message(404, f"No HTTP resource was found that matches the request URI '{request.url}'.")
    if status == 405:
        return message(405, f"The requested resource does not support http method '{request.method}'.")
    return message(status, str(getattr(exc, "detail", "")))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("metrc sandbox: unhandled error on %s", request.url.path)
    return message(500, f"An error has occurred. (sandbox bug: {type(exc).__name__})")


def create_app(world: World) -> Starlette:
    app = Starlette(
        routes=all_routes(),
        middleware=[Middleware(MetrcOpsMiddleware, world=world)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.world = world
    return app
