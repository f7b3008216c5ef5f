"""Route plumbing for the OpenTHC sandbox: sessions, the ``{data, meta}`` envelope, errors, bodies,
and the two-step DELETE.

Errors are ``{"data": null, "meta": {"note": "<text> [CODE]"}}`` as the reference server sends
them (reference A.2.2); codes the reference names are reused (MAT-021 no/bad bearer, MAT-030
expired, LMA-079 ping on a dead session, CSC-030 duplicate), the rest are ``SBX-<status>``.
Forms and JSON are both accepted wherever the spec shows one of them (``x[]`` form keys are lists).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from growtui.sandbox.openthc.store import LIVE, LOCKED, MARKED, LicenseState, Obj, OpenTHCWorld, Session, iso

MAX_BODY = 256 * 1024


class OpenTHCError(Exception):
    def __init__(self, status: int, note: str, data: Any = None) -> None:
        super().__init__(note)
        self.status = status
        self.note = note if note.endswith("]") else f"{note} [SBX-{status}]"
        self.data = data


def world_of(request: Request) -> OpenTHCWorld:
    return request.app.state.world


def envelope(world: OpenTHCWorld, data: Any, status: int = 200, **meta: Any) -> JSONResponse:
    body_meta: Any = meta if meta else ([] if world.empty_meta == "array" else {})
    return JSONResponse({"data": world.render(data), "meta": body_meta}, status_code=status)


def bearer(request: Request) -> str | None:
    """The session token: ``Authorization: Bearer <token>`` or the ``openthc`` cookie."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.cookies.get("openthc") or None


@dataclass
class Ctx:
    request: Request
    world: OpenTHCWorld
    session: Session | None = None
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def lic(self) -> LicenseState:
        assert self.session is not None, "route registered with auth=False"
        return self.world.licenses[self.session.license_id]

    @property
    def params(self) -> Any:
        return self.request.query_params

    def reply(self, data: Any, status: int = 200, **meta: Any) -> JSONResponse:
        return envelope(self.world, data, status, **meta)

    def find(self, table: dict[str, Obj], label: str, oid: str | None = None) -> Obj:
        """``table[oid]`` (the path ``id`` unless given) or 404; any string is a valid lookup."""
        obj = table.get(self.request.path_params["id"] if oid is None else oid)
        if obj is None:
            raise OpenTHCError(404, f"{label} Not Found")
        return obj

    def live(self, table: dict[str, Obj], label: str, oid: str | None = None) -> Obj:
        """Like ``find``, but an object marked for or confirmed deleted is a 409 conflict."""
        obj = self.find(table, label, oid)
        if obj.get("stat", LIVE) != LIVE:
            raise OpenTHCError(409, f"{label} {obj['id']} is {'marked for deletion' if obj['stat'] == MARKED else 'deleted'}")
        return obj

    def pick(self, table: dict[str, Obj], label: str, value: Any) -> Obj:
        """An object named in the body (an id or ``{"id": ...}``): 400 if unknown, 409 if not live."""
        oid = ref(value)
        if oid in (None, ""):
            raise OpenTHCError(400, f"{label.lower()} is required")
        if not isinstance(oid, str) or oid not in table:
            raise OpenTHCError(400, f"Invalid {label} '{oid}'")
        return self.live(table, label, oid)

    def touch(self, obj: Obj) -> Obj:
        obj["updated_at"] = iso(self.world.now())
        return obj

    def two_step_delete(self, obj: Obj, label: str, shape: Callable[[Obj], Any] | None = None) -> JSONResponse:
        """DELETE as rest.ad and the reference server do it: 202 (marked) -> 410 (confirmed) -> 423.

        The spec's path files say 202 then 204 (plant, inventory, b2b), section says 200, variety
        201, lab sample 200 or 202, and the plant prose 410 then 423: they contradict one another.
        """
        stat = obj.get("stat", LIVE)
        if stat == LIVE:
            obj["stat"] = MARKED
            self.touch(obj)
            return self.reply(shape(obj) if shape else obj, 202, note=f"{label} Delete Requested")
        if stat == MARKED:
            obj["stat"] = LOCKED
            obj["deleted_at"] = iso(self.world.now())
            return self.reply(None, 410, note=f"{label} Delete Confirmed")
        return self.reply(None, 423, note=f"{label} Locked")


Handler = Callable[[Ctx], Response]


def route(path: str, method: str, handler: Handler, *, auth: bool = True) -> Route:
    async def run(request: Request) -> Response:
        world = world_of(request)
        try:
            ctx = Ctx(request, world)
            if auth:
                ctx.session = _session(world, request)
            if method in ("POST", "PUT", "PATCH"):
                ctx.body = await read_body(request)
            with world.lock:
                return handler(ctx)
        except OpenTHCError as exc:
            return envelope(world, exc.data, exc.status, note=exc.note)

    run.__name__ = handler.__name__
    return Route(path, run, methods=[method])


def _session(world: OpenTHCWorld, request: Request) -> Session:
    token = bearer(request)
    session = world.sessions.get(token) if token else None
    if session is None or not session.open:
        raise OpenTHCError(401, "Invalid Bearer [MAT-021]")
    if session.expires_at <= world.now():
        raise OpenTHCError(401, "Session Expired [MAT-030]")
    return session


async def read_body(request: Request) -> dict[str, Any]:
    """A JSON object or a form, as a dict (form ``x[]`` or repeated keys become lists)."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise OpenTHCError(400, f"Request body over {MAX_BODY} bytes")
    ctype = request.headers.get("content-type", "")
    if "multipart/" in ctype:
        raise OpenTHCError(400, "Send application/x-www-form-urlencoded or JSON, not multipart")
    if "x-www-form-urlencoded" in ctype:
        try:
            pairs = parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise OpenTHCError(400, "Form data is not UTF-8") from None
        out: dict[str, Any] = {}
        for key, value in pairs:
            name = key[:-2] if key.endswith("[]") else key
            if key.endswith("[]") or name in out:
                prior = out.get(name, [])
                out[name] = [*(prior if isinstance(prior, list) else [prior]), value]
            else:
                out[name] = value
        return out
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise OpenTHCError(400, "Request body is not valid JSON or form data") from None
    if not isinstance(body, dict):
        raise OpenTHCError(400, "Request body must be a JSON object")
    return body


def ref(value: Any) -> Any:
    """An id given as a string or as ``{"id": ...}`` (the spec and its examples use both)."""
    return value.get("id") if isinstance(value, dict) else value


def text(body: dict[str, Any], name: str, *, required: bool = True, limit: int = 256) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise OpenTHCError(400, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise OpenTHCError(400, f"{name} must be text")
    if len(value) > limit:
        raise OpenTHCError(400, f"{name} is longer than {limit} characters")
    return value.strip()
