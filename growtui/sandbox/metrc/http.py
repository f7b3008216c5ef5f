"""Route plumbing: Basic auth, the facility check, JSON array bodies, Metrc's error answers.

    routes = Routes()

    @routes.get("/plants/v2/vegetative")                 # license required (400 when missing)
    def veg(ctx: Ctx): return ctx.page("plants", rows, windowed=True)

    @routes.write("PUT", "/packages/v2/note", ids=False)  # body: a JSON array of at most N rows
    def note(ctx: Ctx, row: dict) -> Callable[[], int | None]:
        ...  # validate one row: raise RowError("…") -> 400 [{"row": i, "message": "…"}]
        return apply                                    # run only when every row is valid

Handlers run under ``world.lock`` (sync; never await). Write handlers validate every row first
and change nothing unless all rows are valid (all-or-nothing per request, §12.5); the answer is
``{"Ids": [...], "Warnings": null}`` or an empty 200 as the docs list per endpoint (``ids``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from growtui.sandbox.metrc.errors import FaultResponse, MetrcError, RowError, RowErrors
from growtui.sandbox.metrc.paging import page
from growtui.sandbox.metrc.world import Facility, UserKey, World
from growtui.sandbox.metrc.wire import empty_ok, message

DENIED = "Authorization has been denied for this request."


def basic_keys(header: str | None) -> tuple[str, str] | None:
    """(vendorKey, userKey) from ``Authorization: Basic base64(vendor:user)``, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    vendor, sep, user = decoded.partition(":")
    return (vendor, user) if sep else None


@dataclass
class Ctx:
    request: Request
    world: World
    user: UserKey | None = None
    vendor_key: str = ""
    fac: Facility | None = None
    staged: dict[str, Any] = field(default_factory=dict)  # cross-row reservations while validating

    @property
    def params(self) -> Any:
        return self.request.query_params

    @property
    def facility(self) -> Facility:
        assert self.fac is not None, "route was registered with license=False"
        return self.fac

    def page(self, kind: str, rows: list[dict[str, Any]], *, windowed: bool, cache_key: Any = None) -> dict[str, Any]:
        return page(self, kind, rows, windowed=windowed, cache_key=cache_key)

    def require(self, name: str) -> str:
        value = self.params.get(name)
        if not value:
            raise MetrcError(400, f"The {name} parameter is required.")
        return value

    def facility_for(self, number: str) -> Facility:
        assert self.user is not None
        fac = self.world.facilities.get(number)
        if fac is None or number not in self.user.facilities:
            raise MetrcError(self.world.settings.license_denied_status, f"The user does not have access to facility {number}.")
        return fac


def _authorize_write(ctx: Ctx, request: Request, *, body: bool) -> None:
    """After sign-in: the user's permissions, then (for bodies) the media type Metrc requires."""
    assert ctx.user is not None
    if ctx.user.read_only:
        raise MetrcError(403, f"User {ctx.user.name} does not have permission to make changes in facility {ctx.facility.license_number}.")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and media != "application/json":
        raise MetrcError(415, f"The request entity's media type '{media or 'none'}' is not supported for this resource.")


def _authenticate(ctx: Ctx, license: bool) -> None:
    keys = basic_keys(ctx.request.headers.get("authorization"))
    world = ctx.world
    if keys is None or keys[0] not in world.vendor_keys or keys[1] not in world.users:
        raise MetrcError(401, DENIED)
    ctx.vendor_key, ctx.user = keys[0], world.users[keys[1]]
    if license:
        number = ctx.params.get("licenseNumber")
        if not number:
            raise MetrcError(400, "The licenseNumber parameter is required.")
        ctx.fac = ctx.facility_for(number)


Handler = Callable[..., Any]
RowHandler = Callable[[Ctx, dict[str, Any]], Callable[[], "int | list[int] | None"]]


class Routes(list):
    def get(self, path: str, *, license: bool = True) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.append(Route(path, _reader(handler, license), methods=["GET"]))
            return handler

        return register

    def delete(self, path: str) -> Callable[[Handler], Handler]:
        """``DELETE …/{id}`` without a body: the handler removes the object; the answer is empty."""

        def register(handler: Handler) -> Handler:
            self.append(Route(path, _deleter(handler), methods=["DELETE"]))
            return handler

        return register

    def write(self, method: str, path: str, *, ids: bool) -> Callable[[RowHandler], RowHandler]:
        """``ids``: the documented answer is ``{"Ids": …}`` (else an empty 200)."""

        def register(handler: RowHandler) -> RowHandler:
            self.append(Route(path, _writer(handler, ids), methods=[method]))
            return handler

        return register


def _reader(handler: Handler, license: bool) -> Callable[[Request], Any]:
    async def run(request: Request) -> Response:
        world: World = request.app.state.world
        try:
            with world.lock:
                ctx = Ctx(request, world)
                _authenticate(ctx, license)
                result = handler(ctx, **request.path_params)
                return result if isinstance(result, Response) else JSONResponse(result)
        except MetrcError as exc:
            return message(exc.status, exc.message)

    run.__name__ = handler.__name__
    return run


def _deleter(handler: Handler) -> Callable[[Request], Any]:
    async def run(request: Request) -> Response:
        world: World = request.app.state.world
        try:
            with world.lock:
                ctx = Ctx(request, world)
                _authenticate(ctx, license=True)
                _authorize_write(ctx, request, body=False)
                handler(ctx, **request.path_params)
                if world.ops is not None:
                    world.ops.after_write(request)
            return empty_ok()
        except MetrcError as exc:
            return message(exc.status, exc.message)
        except FaultResponse as fault:
            return fault.response

    run.__name__ = handler.__name__
    return run


def _writer(handler: RowHandler, ids: bool) -> Callable[[Request], Any]:
    async def run(request: Request) -> Response:
        world: World = request.app.state.world
        try:
            raw = await request.body()
            with world.lock:
                ctx = Ctx(request, world)
                _authenticate(ctx, license=True)
                _authorize_write(ctx, request, body=True)
                rows = _rows(raw, world.settings.max_objects)
                plans, errors = [], []
                for i, row in enumerate(rows):
                    try:
                        if not isinstance(row, dict):
                            raise RowError("Each element must be a JSON object.")
                        plans.append(handler(ctx, row))
                    except RowError as exc:
                        errors.append({"row": i, "message": str(exc)})
                if errors:
                    raise RowErrors(errors)
                new_ids = [i for plan in plans for i in _ids(plan())]
                if world.ops is not None:
                    world.ops.after_write(request)
            if ids or world.settings.ids_on_every_write:
                return JSONResponse({"Ids": new_ids, "Warnings": None})
            return empty_ok()
        except MetrcError as exc:
            return message(exc.status, exc.message)
        except RowErrors as exc:
            return JSONResponse(exc.rows, status_code=400)
        except FaultResponse as fault:
            return fault.response

    run.__name__ = handler.__name__
    return run


def _ids(result: Any) -> list[int]:
    """A row's plan returns the id it created or changed, a list of them, or None."""
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]


def _rows(raw: bytes, max_objects: int) -> list[Any]:
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        raise MetrcError(400, "The request body is not valid JSON.") from None
    if not isinstance(body, list):
        raise MetrcError(400, "The request body must be a JSON array of objects.")
    if not body:
        raise MetrcError(400, "The request body contains no objects.")
    if len(body) > max_objects:
        raise MetrcError(413, f"The request contains {len(body)} objects; the maximum is {max_objects}.")
    return body
