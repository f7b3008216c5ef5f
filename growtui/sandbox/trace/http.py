"""Route plumbing for the Trace sandbox: the two auth headers, the ``{results, warnings}``
envelope, and errors.

The seed documents only ``400 Bad Request`` and no error body. Inferred here: errors use the same
envelope (``{"results": null, "warnings": [{"type": "error", "detail": ...}]}``); 401 for a missing,
malformed or unknown credential, 403 for valid credentials that may not act (a suspended company,
a license the account does not hold), 404 for an unknown strain id.
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

from growtui.sandbox.trace.store import STATES, Account, License, TraceWorld

MAX_BODY = 64 * 1024
Warning_ = dict[str, str]


class TraceError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def error_response(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"results": None, "warnings": [{"type": "error", "detail": detail}]}, status_code=status)


def world_of(request: Request) -> TraceWorld:
    return request.app.state.world


def credentials(request: Request) -> tuple[str, str, str] | None:
    """(x-api-key, vendor key, user key) from the headers, or None when absent or malformed."""
    api_key = request.headers.get("x-api-key", "").strip()
    scheme, _, rest = request.headers.get("authorization", "").strip().partition(" ")
    name, _, token = rest.strip().partition("=")
    if not api_key or scheme != "KMP-JSON" or name.strip() != "token" or not token.strip():
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    vendor, sep, user = decoded.partition(":")
    return (api_key, vendor, user) if sep and vendor and user else None


@dataclass
class Ctx:
    request: Request
    world: TraceWorld
    account: Account
    state: str
    body: dict[str, Any] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)

    def license(self, number: Any) -> License:
        """The account's license ``number`` in this path's state (400/403 otherwise)."""
        if not isinstance(number, str) or not number.strip():
            raise TraceError(400, "license_number is required")
        if number not in self.account.licenses:
            raise TraceError(403, f"License {number} is not accessible with these credentials")
        lic = self.world.licenses[number]
        if lic.state != self.state:
            raise TraceError(400, f"License {number} is licensed in '{lic.state}', not '{self.state}'")
        return lic

    def warn(self, type_: str, detail: str) -> None:
        self.warnings.append({"type": type_, "detail": detail})

    def reply(self, results: Any, **extra: Any) -> JSONResponse:
        return JSONResponse({**extra, "results": results, "warnings": self.warnings})


Handler = Callable[[Ctx], Response]


def route(path: str, method: str, handler: Handler) -> Route:
    async def run(request: Request) -> Response:
        world = world_of(request)
        try:
            ctx = _context(request, world)  # credentials first: a bad body never hides a 401
            if method in ("POST", "PUT", "DELETE"):
                ctx.body = await _json_body(request)
            with world.lock:
                return handler(ctx)
        except TraceError as exc:
            return error_response(exc.status, exc.detail)

    run.__name__ = handler.__name__
    return Route(path, run, methods=[method])


def _context(request: Request, world: TraceWorld) -> Ctx:
    creds = credentials(request)
    if creds is None:
        raise TraceError(401, "Missing or malformed credentials: send x-api-key and Authorization: KMP-JSON token=…")
    account = world.account_by_keys(*creds)
    if account is None:
        raise TraceError(401, "Unknown API key or token")
    if account.suspended:
        raise TraceError(403, f"Access for {account.username} is suspended")
    state = request.path_params["state"]
    if state not in STATES:
        raise TraceError(400, f"Unknown state '{state}': use one of {', '.join(STATES)}")
    return Ctx(request, world, account, state)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise TraceError(400, f"Request body over {MAX_BODY} bytes")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise TraceError(400, "Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise TraceError(400, "Request body must be a JSON object")
    return body
