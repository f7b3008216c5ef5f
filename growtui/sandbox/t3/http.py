"""Shared Starlette plumbing for every sandbox route: auth, license checks, error envelopes.

How to add routes (this is what ``mutations.py`` and ``create_helpers.py`` do)::

    from growtui.sandbox.t3.http import ApiError, Ctx, Routes

    routes = Routes()  # a list of starlette Route; server.py mounts ``module.routes``

    @routes.post("/v2/packages/notes")           # auth + T3+ + licenseNumber checks done for you
    def notes(ctx: Ctx) -> dict:
        body = ctx.body                           # parsed JSON (bad JSON was already a 400)
        lic = ctx.lic                             # the requested LicenseState, access-checked
        ...                                       # validate; raise ApiError(400, "BadRequest", msg)
        if not ctx.submit:                        # ?submit=true forwards; anything else is a dry run
            return {"message": "Dry run"}
        obj["note"] = ...; lic.touch(obj)         # change state, then touch (see store.py)
        ctx.applied()                             # fault hook: may turn the answer into a 504 page
        return {"message": "Success"}

    @routes.get("/v2/transfers/create/destinations")
    def destinations(ctx: Ctx):
        return ctx.paged("destinations", list(ctx.lic.destinations.values()))  # full query grammar

Handlers are plain (sync) functions run under ``world.lock``: never block or await in them.
They return a dict/list (sent as JSON 200) or a starlette ``Response``. ``server.py`` imports
``mutations`` and ``create_helpers`` defensively and mounts their ``routes`` when present.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from growtui.sandbox.t3.errors import ApiError, FaultResponse
from growtui.sandbox.t3.query import respond
from growtui.sandbox.t3.store import LicenseState, Obj, User, World, iso
from growtui.sandbox.t3.tokens import bearer_token, decode_token

__all__ = ["ApiError", "Ctx", "FaultResponse", "Routes", "error_response", "world_of"]


def world_of(request: Request) -> World:
    return request.app.state.world


def error_response(request: Request, status: int, type_: str, message: str) -> JSONResponse:
    """T3's error body, exactly: ``{"error": {type, message, timestamp, url, status_code}}``."""
    body = {
        "error": {
            "type": type_,
            "message": message,
            "timestamp": iso(world_of(request).now()),
            "url": str(request.url),
            "status_code": status,
        }
    }
    return JSONResponse(body, status_code=status)


@dataclass
class Ctx:
    """What a handler gets: the request plus the resolved user, claims and license."""

    request: Request
    world: World
    body: Any = None
    user: User | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    lic: LicenseState | None = None  # set when the route takes licenseNumber
    retrieved_at: str = ""

    @property
    def params(self) -> QueryParams:
        return self.request.query_params

    @property
    def submit(self) -> bool:
        """T3 forwards a write only for the literal ``submit=true`` (§6.1)."""
        return self.params.get("submit") == "true"

    @property
    def license(self) -> LicenseState:
        assert self.lic is not None, "route was registered with license=False"
        return self.lic

    def applied(self) -> None:
        """Call right after a write changed state: an armed 504 fault answers *now*, write kept."""
        ops = self.world.ops
        if ops is not None:
            ops.after_write(self.request)

    def require_param(self, name: str) -> str:
        value = self.params.get(name)
        if value is None or value == "":
            raise ApiError(400, "BadRequest", f"Missing required query parameter: {name}")
        return value

    def int_param(self, name: str) -> int:
        value = self.require_param(name)
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, "BadRequest", f"{name} must be an integer, not {value!r}") from None

    def paged(
        self,
        key: Any,
        rows: Sequence[Obj],
        *,
        fields: frozenset[str] | None = None,
        view: Callable[[Obj], Obj] | None = None,
    ) -> dict[str, Any]:
        """Apply the collection query grammar (filter/sort/page) to ``rows`` and build the
        ``{page,totalPages,pageSize,total,data}`` envelope; ``key`` selects index/dataModel."""
        return respond(self, key, rows, fields=fields, view=view)


def _resolve(ctx: Ctx, *, auth: bool, license: bool, paid: bool, secret_key: bool = False) -> None:
    world = ctx.world
    if not auth:
        return
    token = bearer_token(ctx.request.headers.get("authorization"))
    key = ctx.params.get("secretKey") if secret_key else None
    if token is None and key:  # report routes: "this endpoint supports secret key authentication" (§7)
        username = world.secret_keys.get(key)
        if username is None:
            raise ApiError(401, "Unauthorized", "The secret key is not valid (a newer key replaces older ones).")
        ctx.claims = {"sub": username}
    elif token is None:
        raise ApiError(401, "Unauthorized", "Missing bearer token. Sign in to get an access token.")
    else:
        ctx.claims = decode_token(world, token)
    user = world.users.get(ctx.claims["sub"])
    if user is None:
        raise ApiError(401, "Unauthorized", "The access token belongs to an unknown user.")
    ctx.user = user
    if paid and not user.has_t3plus:
        raise ApiError(403, "Forbidden", "This route needs a T3+ subscription or a T3 API key.")
    if not license:
        return
    number = ctx.params.get("licenseNumber")
    if not number:
        raise ApiError(400, "BadRequest", "Missing required query parameter: licenseNumber")
    lic = world.licenses.get(number)
    if lic is None or number not in user.licenses:
        status = world.license_denied_status
        raise ApiError(
            status,
            "Forbidden" if status == 403 else "Unauthorized",
            f"License {number} is not an active license accessible to {user.username}.",
        )
    ctx.lic = lic


Handler = Callable[[Ctx], Any]


class Routes(list):
    """A list of starlette ``Route`` with ``.get``/``.post`` decorators that wrap T3 semantics.

    Options: ``auth`` (bearer token required), ``license`` (``licenseNumber`` required and
    access-checked), ``paid`` (T3+ required: 403 otherwise), ``secret_key`` (``?secretKey=`` may
    stand in for the bearer token). Defaults suit a paid data route.
    """

    def get(self, path: str, **opts: bool) -> Callable[[Handler], Handler]:
        return self._add(path, "GET", **opts)

    def post(self, path: str, **opts: bool) -> Callable[[Handler], Handler]:
        return self._add(path, "POST", **opts)

    def _add(
        self, path: str, method: str, *, auth: bool = True, license: bool = True, paid: bool = True, secret_key: bool = False
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            run = endpoint(handler, auth=auth, license=license, paid=paid, secret_key=secret_key)
            self.append(Route(path, run, methods=[method]))
            return handler

        return register


def endpoint(handler: Handler, *, auth: bool, license: bool, paid: bool, secret_key: bool = False) -> Callable[[Request], Any]:
    """Wrap a sync handler: parse the body, resolve the context, map exceptions to responses."""

    async def run(request: Request) -> Response:
        world = world_of(request)
        try:
            body = await _json_body(request) if request.method == "POST" else None
            with world.lock:
                ctx = Ctx(request, world, body, retrieved_at=iso(world.now()))
                _resolve(ctx, auth=auth, license=license, paid=paid, secret_key=secret_key)
                result = handler(ctx)
                if isinstance(result, Response):
                    return result
                return JSONResponse(result)
        except ApiError as exc:
            return error_response(request, exc.status, exc.type, exc.message)
        except FaultResponse as fault:
            return fault.response

    run.__name__ = getattr(handler, "__name__", "endpoint")
    run.__doc__ = handler.__doc__
    run.t3_options = {"auth": auth, "license": license, "paid": paid, "secret_key": secret_key}  # type: ignore[attr-defined]  # read by spec.py
    return run


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "BadRequest", "The request body is not valid JSON.") from None
