"""Config objects: ``/section``, ``/variety``, ``/product``, ``/product/type``, ``/license``.

Lists are bare arrays in ``data`` with no paging (reference A.1: the reference server pages
nothing; ``/product/type`` alone sends ``meta.page``). Creates answer 201 as the reference server
does (the spec's section/variety/product files declare 200). ``GET /variety/{id}`` answers one
object: the spec declares an array there, which contradicts every other single-object GET.
A duplicate variety name is 409 with ``data.id`` of the existing one (reference server, CSC-030).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from growtui.sandbox.openthc.http import Ctx, OpenTHCError, route, text
from growtui.sandbox.openthc.store import LIVE, LOCKED, Obj, iso

SECTION_TYPES = ("crop", "inventory", "inventory-quarantine")
VARIETY_TYPES = ("Hemp", "Hybrid", "Indica", "Sativa", "Ruderalis")
BASE_UNITS = {"g": "g", "l": "l", "ml": "l", "mg": "g", "ea": "ea"}


def listed(table: dict[str, Obj], q: str | None = None) -> list[Obj]:
    """Live and marked-for-deletion objects (deleted ones drop out), filtered by ``?q=`` on name."""
    needle = (q or "").casefold()
    return [o for o in table.values() if o.get("stat", LIVE) != LOCKED and needle in str(o.get("name", "")).casefold()]


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    value = body.get(name) or default
    if value is not None and value not in allowed:
        raise OpenTHCError(400, f"{name} must be one of {', '.join(allowed)}")
    return value


def _stamp(ctx: Ctx, obj: Obj) -> Obj:
    now = iso(ctx.world.now())
    return {**obj, "stat": LIVE, "created_at": now, "updated_at": now}


# -- section


def section_list(ctx: Ctx) -> Response:
    return ctx.reply(listed(ctx.lic.sections, ctx.params.get("q")))


def section_create(ctx: Ctx) -> Response:
    body = ctx.body
    kind = "inventory-quarantine" if str(body.get("flag_quarantine", "")).lower() in ("1", "true", "on") else None
    obj = _stamp(ctx, {
        "id": ctx.world.new_id(),
        "name": text(body, "name"),
        "type": _choice(body, "type", SECTION_TYPES, kind or "inventory"),
        "license": {"id": ctx.lic.id},
    })
    ctx.lic.sections[obj["id"]] = obj
    return ctx.reply(obj, 201, note="Section Created")


def section_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.sections, "Section"))


def section_update(ctx: Ctx) -> Response:
    obj = ctx.live(ctx.lic.sections, "Section")
    if "name" in ctx.body:
        obj["name"] = text(ctx.body, "name")
    if "type" in ctx.body:
        obj["type"] = _choice(ctx.body, "type", SECTION_TYPES, None)
    return ctx.reply(ctx.touch(obj), note="Section Updated")


def section_delete(ctx: Ctx) -> Response:
    obj = ctx.find(ctx.lic.sections, "Section")
    if obj["stat"] == LIVE and _in_use(ctx, obj["id"]):
        raise OpenTHCError(409, f"Section {obj['id']} still holds inventory or plants")
    return ctx.two_step_delete(obj, "Section")


def _in_use(ctx: Ctx, section_id: str) -> bool:
    rows = [*ctx.lic.inventory.values(), *ctx.lic.plants.values()]
    return any(r["section"]["id"] == section_id and r.get("stat") == LIVE and not r.get("destroyed_at") for r in rows)


# -- variety


def variety_list(ctx: Ctx) -> Response:
    return ctx.reply(listed(ctx.lic.varieties, ctx.params.get("q")))


def variety_create(ctx: Ctx) -> Response:
    name = text(ctx.body, "name")
    _unique_variety(ctx, name or "", None)
    obj = _stamp(ctx, {"id": ctx.world.new_id(), "name": name, "type": _choice(ctx.body, "type", VARIETY_TYPES, "Hybrid")})
    ctx.lic.varieties[obj["id"]] = obj
    return ctx.reply(obj, 201, note="Variety Created")


def variety_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.varieties, "Variety"))


def variety_update(ctx: Ctx) -> Response:
    obj = ctx.live(ctx.lic.varieties, "Variety")
    if "name" in ctx.body:
        name = text(ctx.body, "name") or ""
        _unique_variety(ctx, name, obj["id"])
        obj["name"] = name
    if "type" in ctx.body:
        obj["type"] = _choice(ctx.body, "type", VARIETY_TYPES, None)
    return ctx.reply(ctx.touch(obj), note="Variety Updated")


def variety_delete(ctx: Ctx) -> Response:
    return ctx.two_step_delete(ctx.find(ctx.lic.varieties, "Variety"), "Variety")


def _unique_variety(ctx: Ctx, name: str, own: str | None) -> None:
    for other in ctx.lic.varieties.values():
        if other["id"] != own and other["stat"] != LOCKED and other["name"].casefold() == name.casefold():
            raise OpenTHCError(409, "Variety Exists [CSC-030]", data={"id": other["id"]})


# -- product, product type


def product_list(ctx: Ctx) -> Response:
    return ctx.reply(listed(ctx.lic.products, ctx.params.get("q")))


def product_create(ctx: Ctx) -> Response:
    body = ctx.body
    name = text(body, "name")
    ptype = ctx.world.product_types.get(str(body.get("type") or ""))
    if ptype is None:
        raise OpenTHCError(400, "type must be a Product Type id (see /product/type)")
    uom = str(body.get("uom") or ptype["unit"]["uom"]).lower()
    if uom not in BASE_UNITS:
        raise OpenTHCError(400, f"uom must be one of {', '.join(BASE_UNITS)}")
    obj = _stamp(ctx, product_wire(ctx.world.new_id(), name or "", ptype, BASE_UNITS[uom]))
    ctx.lic.products[obj["id"]] = obj
    return ctx.reply(obj, 201, note="Product Created")


def product_wire(pid: str, name: str, ptype: Obj, base: str, net_weight: float | None = None) -> Obj:
    """A Product as the spec names it; ``_base`` (g, l or ea) is what its lots are counted in."""
    package: Obj = {"id": ptype["id"], "unit_count": 1}
    if net_weight is not None:
        package["net_weight"] = net_weight
    return {"id": pid, "name": name, "type": {"id": ptype["id"], "name": ptype["name"]}, "uom": base, "package": package, "_base": base, "_kind": ptype["_kind"]}


def product_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.products, "Product"))


def product_type_list(ctx: Ctx) -> Response:
    rows = list(ctx.world.product_types.values())
    return ctx.reply(rows, page={"size": len(rows), "count": 1})


def product_type_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.world.product_types, "Product Type"))


# -- license


def license_list(ctx: Ctx) -> Response:
    """The signed-in company's licenses (what a license picker offers)."""
    return ctx.reply([ctx.world.licenses[lid].wire for lid in ctx.session.account.licenses])  # type: ignore[union-attr]


def license_get(ctx: Ctx) -> Response:
    """Any license by id: transfer targets are other companies' licenses."""
    lic = ctx.world.licenses.get(ctx.request.path_params["id"])
    if lic is None:
        raise OpenTHCError(404, "License Not Found")
    return ctx.reply(lic.wire)


routes = [
    route("/section", "GET", section_list),
    route("/section", "POST", section_create),
    route("/section/{id}", "GET", section_get),
    route("/section/{id}", "POST", section_update),
    route("/section/{id}", "DELETE", section_delete),
    route("/variety", "GET", variety_list),
    route("/variety", "POST", variety_create),
    route("/variety/{id}", "GET", variety_get),
    route("/variety/{id}", "POST", variety_update),
    route("/variety/{id}", "DELETE", variety_delete),
    route("/product/type", "GET", product_type_list),
    route("/product/type/{id}", "GET", product_type_get),
    route("/product", "GET", product_list),
    route("/product", "POST", product_create),
    route("/product/{id}", "GET", product_get),
    route("/license", "GET", license_list),
    route("/license/{id}", "GET", license_get),
]
