"""``/auth/open`` (form post, the spec's fields), ``/auth/ping``, ``/auth/shut``.

The reference server signs in with an encrypted "v2024 box" instead (reference A.3); the sandbox
serves the spec's form: ``cre``, ``service-key``, ``company``, ``license``, ``license-key``. The
session token comes back in ``data`` (a string, as the spec says) and as the ``openthc`` cookie;
later requests send ``Authorization: Bearer <token>``.

Status codes: missing fields 400, wrong keys or ids 403 (spec: "Authentication Failure"; the
reference server answers 500 for an unknown service or license, a bug not copied). A dead or
missing session is 401, as the reference server answers on every route (the spec declares no 401).
Shut answers 200 ``meta.note "Session Shut"`` as the reference server does (docs: 206, spec: 201).
"""

from __future__ import annotations

from starlette.responses import Response

from growtui.sandbox.openthc.http import Ctx, OpenTHCError, bearer, route, text

CRE_CODE = "openthc"


def auth_open(ctx: Ctx) -> Response:
    world, body = ctx.world, ctx.body
    cre = text(body, "cre", required=False)
    if cre is not None and cre.lower() != CRE_CODE:
        raise OpenTHCError(400, f"Invalid CRE '{cre}': this engine is '{CRE_CODE}'")
    service_key, company, license_id, license_key = (text(body, k) for k in ("service-key", "company", "license", "license-key"))
    if service_key != world.service_key:
        raise OpenTHCError(403, "Invalid Service [CAO-098]")
    account = world.accounts.get(company or "")
    if account is None:
        raise OpenTHCError(403, "Invalid Company [CAO-108]")
    lic = world.licenses.get(license_id or "")
    if lic is None or lic.id not in account.licenses:
        raise OpenTHCError(403, "Invalid License [CAO-125]")
    if license_key != lic.license_key:
        raise OpenTHCError(403, "Invalid License Key [CAO-126]")
    session = world.open_session(account, lic.id)
    response = ctx.reply(session.token, expires_in=int(world.session_ttl_s), license={"id": lic.id}, company={"id": account.company})
    response.set_cookie("openthc", session.token, max_age=int(world.session_ttl_s), httponly=True, samesite="strict")
    return response


def auth_ping(ctx: Ctx) -> Response:
    token = bearer(ctx.request)
    session = ctx.world.sessions.get(token) if token else None
    if session is None or not session.open or session.expires_at <= ctx.world.now():
        raise OpenTHCError(401, "Invalid Session [LMA-079]")
    return ctx.reply({"sid": session.token, "license": {"id": session.license_id}, "company": {"id": session.account.company}})


def auth_shut(ctx: Ctx) -> Response:
    token = bearer(ctx.request)
    session = ctx.world.sessions.get(token) if token else None
    if session is None or not session.open:
        raise OpenTHCError(401, "Invalid Session [CAS-021]")
    session.open = False
    response = ctx.reply(None, note="Session Shut")
    response.delete_cookie("openthc")
    return response


routes = [
    route("/auth/open", "POST", auth_open, auth=False),
    route("/auth/ping", "GET", auth_ping, auth=False),
    route("/auth/shut", "GET", auth_shut, auth=False),
    route("/auth/shut", "POST", auth_shut, auth=False),
]
