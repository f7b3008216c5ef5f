"""Inventory lots: list, get, create, convert (many sources into one output), split, adjust,
move (PATCH ``section``), destroy, and the two-step DELETE.

``POST /inventory`` is one path for three operations, told apart by ``source`` (spec and seed 002):
absent or null creates, an array converts, a single id splits. Quantities are in the lot's base
unit (g, l or ea, from its product) unless a ``uom`` from the listed input units is given.
Where the reference server differs (reference A.2.2): adjust answers 202 (spec: 200); unknown
product/variety/section ids in a create are 400 here (the reference server silently creates them).
The spec's PATCH marks product, variety and name required while calling them "Optional Inventory
Details"; here each is optional, so a move sends only ``section``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from growtui.sandbox.openthc.config_routes import listed
from growtui.sandbox.openthc.http import Ctx, OpenTHCError, route, text
from growtui.sandbox.openthc.store import LIVE, Obj, iso
from growtui.sandbox.openthc.units import UnitError, parse_qty, to_base


def quantity(raw: Any, uom: Any, base: str, name: str = "qty", *, positive: bool = True) -> Decimal:
    try:
        value = to_base(parse_qty(raw, name), uom, base)
    except UnitError as exc:
        raise OpenTHCError(400, str(exc)) from None
    if positive and value <= 0:
        raise OpenTHCError(400, f"{name} must be more than 0")
    return value


def new_lot(ctx: Ctx, product: Obj, qty: Decimal, section: Obj, variety: Obj | None, name: str | None = None) -> Obj:
    now = iso(ctx.world.now())
    lot: Obj = {
        "id": ctx.world.new_id(),
        "name": name or product["name"],
        "product": {"id": product["id"]},
        "section": {"id": section["id"]},
        "qty": qty,
        "qty_initial": qty,
        "uom": product["_base"],
        "license": {"id": ctx.lic.id},
        "stat": LIVE,
        "created_at": now,
        "updated_at": now,
    }
    if variety is not None:
        lot["variety"] = {"id": variety["id"]}
    ctx.lic.inventory[lot["id"]] = lot
    return lot


def active(lot: Obj) -> bool:
    return not lot.get("destroyed_at")


def inventory_list(ctx: Ctx) -> Response:
    rows = [lot for lot in listed(ctx.lic.inventory, ctx.params.get("q")) if active(lot)]
    section = ctx.params.get("section")
    return ctx.reply([lot for lot in rows if not section or lot["section"]["id"] == section])


def inventory_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.inventory, "Inventory"))


def inventory_post(ctx: Ctx) -> Response:
    source = ctx.body.get("source")
    if isinstance(source, list):
        return _convert(ctx, source)
    if source not in (None, ""):
        return _split(ctx, source)
    return _create(ctx)


def _output(ctx: Ctx) -> dict[str, Any]:
    """The ``output`` object, or the form's ``output_*`` fields, or the top-level fields (create)."""
    out = ctx.body.get("output")
    if isinstance(out, dict):
        return out
    if out not in (None, ""):
        return {"qty": out}
    flat = {k[len("output_"):]: v for k, v in ctx.body.items() if k.startswith("output_")}
    return flat or ctx.body


def _field(out: dict[str, Any], name: str) -> Any:
    return out.get(name) if out.get(name) not in (None, "") else out.get(f"{name}_id")


def _create(ctx: Ctx) -> Response:
    out, lic = _output(ctx), ctx.lic
    product = ctx.pick(lic.products, "Product", _field(out, "product"))
    section = ctx.pick(lic.sections, "Section", _field(out, "section"))
    variety = ctx.pick(lic.varieties, "Variety", _field(out, "variety")) if _field(out, "variety") else None
    qty = quantity(out.get("qty"), out.get("uom"), product["_base"])
    lot = new_lot(ctx, product, qty, section, variety, text(out, "name", required=False))
    return ctx.reply(lot, 201, note="Inventory Created")


def _convert(ctx: Ctx, sources: list[Any]) -> Response:
    lic, out = ctx.lic, _output(ctx)
    if not sources:
        raise OpenTHCError(400, "source must name at least one Inventory")
    taken: list[tuple[Obj, Decimal]] = []
    for entry in sources:
        lot = ctx.pick(lic.inventory, "Inventory", entry)
        if not active(lot):
            raise OpenTHCError(409, f"Inventory {lot['id']} was destroyed")
        if any(lot is seen for seen, _ in taken):
            raise OpenTHCError(400, f"Inventory {lot['id']} is listed twice in source")
        raw = entry.get("qty") if isinstance(entry, dict) else None
        uom = entry.get("uom") if isinstance(entry, dict) else None
        qty = lot["qty"] if raw in (None, "") else quantity(raw, uom, lot["uom"], "source qty")
        if qty > lot["qty"]:
            raise OpenTHCError(400, f"source qty {qty} is more than Inventory {lot['id']} holds ({lot['qty']})")
        taken.append((lot, qty))
    product = ctx.pick(lic.products, "Product", _field(out, "product"))
    first = taken[0][0]
    section = ctx.pick(lic.sections, "Section", _field(out, "section")) if _field(out, "section") else lic.sections[first["section"]["id"]]
    varieties = {lot.get("variety", {}).get("id") for lot, _ in taken}
    variety_id = _field(out, "variety") or (varieties.pop() if len(varieties) == 1 else None)
    variety = ctx.pick(lic.varieties, "Variety", variety_id) if variety_id else None
    qty = quantity(out.get("qty"), out.get("uom"), product["_base"], "output qty")
    for lot, used in taken:
        lot["qty"] -= used
        ctx.touch(lot)
    made = new_lot(ctx, product, qty, section, variety, text(out, "name", required=False))
    made["source_list"] = [{"id": lot["id"], "qty": used} for lot, used in taken]
    return ctx.reply(made, 201, note="Inventory Converted")


def _split(ctx: Ctx, source: Any) -> Response:
    lic, out = ctx.lic, _output(ctx)
    lot = ctx.pick(lic.inventory, "Inventory", source)
    if not active(lot):
        raise OpenTHCError(409, f"Inventory {lot['id']} was destroyed")
    qty = quantity(out.get("qty"), out.get("uom"), lot["uom"], "output qty")
    if qty > lot["qty"]:
        raise OpenTHCError(400, f"output qty {qty} is more than Inventory {lot['id']} holds ({lot['qty']})")
    lot["qty"] -= qty
    ctx.touch(lot)
    product = lic.products[lot["product"]["id"]]
    variety = lic.varieties.get(lot.get("variety", {}).get("id", ""))
    made = new_lot(ctx, product, qty, lic.sections[lot["section"]["id"]], variety, text(out, "name", required=False))
    made["source_list"] = [{"id": lot["id"], "qty": qty}]
    return ctx.reply(made, 201, note="Inventory Split")


def _live_lot(ctx: Ctx) -> Obj:
    lot = ctx.live(ctx.lic.inventory, "Inventory")
    if not active(lot):
        raise OpenTHCError(409, f"Inventory {lot['id']} was destroyed")
    return lot


def inventory_adjust(ctx: Ctx) -> Response:
    lot = _live_lot(ctx)
    lot["qty"] = quantity(ctx.body.get("qty"), ctx.body.get("uom"), lot["uom"], positive=False)
    lot["adjust"] = {k: str(ctx.body[k]) for k in ("code", "note") if ctx.body.get(k) not in (None, "")}
    return ctx.reply(ctx.touch(lot), 202, note="Inventory Adjusted")


def inventory_patch(ctx: Ctx) -> Response:
    lot, lic, body = _live_lot(ctx), ctx.lic, ctx.body
    if not any(k in body for k in ("section", "variety", "product", "name")):
        raise OpenTHCError(400, "Nothing to change: send section, variety, product or name")
    if "section" in body:
        lot["section"] = {"id": ctx.pick(lic.sections, "Section", body["section"])["id"]}
    if "variety" in body:
        lot["variety"] = {"id": ctx.pick(lic.varieties, "Variety", body["variety"])["id"]}
    if "product" in body:
        product = ctx.pick(lic.products, "Product", body["product"])
        if product["_base"] != lot["uom"]:
            raise OpenTHCError(400, f"Product {product['id']} is counted in {product['_base']}, this lot in {lot['uom']}")
        lot["product"] = {"id": product["id"]}
    if "name" in body:
        lot["name"] = text(body, "name")
    return ctx.reply(ctx.touch(lot), note="Inventory Updated")


def inventory_destroy(ctx: Ctx) -> Response:
    lot = _live_lot(ctx)
    code, why = text(ctx.body, "reason_code", required=False), text(ctx.body, "reason_text", required=False, limit=1024)
    if not code and not why:
        raise OpenTHCError(400, "reason_code or reason_text is required")
    lot["destroy"] = {"reason_code": code or "", "reason_text": why or "", "qty": lot["qty"]}
    lot["qty"] = Decimal(0)
    lot["destroyed_at"] = iso(ctx.world.now())
    return ctx.reply(ctx.touch(lot), note="Inventory Destroyed")


def inventory_delete(ctx: Ctx) -> Response:
    return ctx.two_step_delete(ctx.find(ctx.lic.inventory, "Inventory"), "Inventory")


routes = [
    route("/inventory", "GET", inventory_list),
    route("/inventory", "POST", inventory_post),
    route("/inventory/{id}", "GET", inventory_get),
    route("/inventory/{id}", "PATCH", inventory_patch),
    route("/inventory/{id}", "DELETE", inventory_delete),
    route("/inventory/{id}/adjust", "POST", inventory_adjust),
    route("/inventory/{id}/destroy", "POST", inventory_destroy),
]

__all__ = ["active", "new_lot", "quantity", "routes"]
