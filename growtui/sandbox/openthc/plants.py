"""Plants: list, get, create from a source lot, modify variety/section, two-step DELETE, and the
collect flow: ``/plant/{id}/collect`` records raw or net weight into a collect group, and
``/plant-collect/{id}/commit`` closes the group into one new bulk Inventory lot.

The reference server's plant routes are broken at its HEAD (``/crop`` queries a renamed table,
reference A.2.1), so these follow the spec: create answers 200 with an array of Plant, collect
201 with a Plant_Collect, commit 200. Only a Grower license may create or collect (403).
Collect takes the spec's ``uom`` list (g, kg, oz, lb); weights are kept in grams.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from growtui.sandbox.openthc.config_routes import listed
from growtui.sandbox.openthc.http import Ctx, OpenTHCError, route, text
from growtui.sandbox.openthc.inventory import active, new_lot, quantity
from growtui.sandbox.openthc.store import LIVE, Obj, iso

COLLECT_UNITS = ("g", "kg", "oz", "lb")
COMMIT_TYPES = ("raw", "net", "wet", "dry", "flower", "other", "waste")
MAX_PLANTS_PER_CREATE = 1000


def _grower(ctx: Ctx) -> None:
    if ctx.lic.kind != "Grower":
        raise OpenTHCError(403, f"A {ctx.lic.kind} license may not grow plants")


def plant_wire(ctx: Ctx, variety: Obj, section: Obj, source: Obj, name: str) -> Obj:
    now = iso(ctx.world.now())
    return {
        "id": ctx.world.new_id(),
        "name": name,
        "variety": {"id": variety["id"], "name": variety["name"]},
        "section": {"id": section["id"]},
        "source": {"id": source["id"]},
        "license": {"id": ctx.lic.id},
        "stat": LIVE,
        "created_at": now,
        "updated_at": now,
    }


def plant_list(ctx: Ctx) -> Response:
    rows = listed(ctx.lic.plants, ctx.params.get("q"))
    section = ctx.params.get("section")
    return ctx.reply([p for p in rows if not section or p["section"]["id"] == section])


def plant_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.plants, "Plant"))


def plant_create(ctx: Ctx) -> Response:
    _grower(ctx)
    lic, body = ctx.lic, ctx.body
    source = ctx.pick(lic.inventory, "Inventory", body.get("source"))
    product = lic.products[source["product"]["id"]]
    if product["_kind"] != "source" or not active(source):
        raise OpenTHCError(400, f"Inventory {source['id']} is not a live seed or clone lot")
    count = quantity(body.get("qty", 1), None, "ea")
    if count != count.to_integral_value() or count > MAX_PLANTS_PER_CREATE:
        raise OpenTHCError(400, f"qty must be a whole number of plants, 1 to {MAX_PLANTS_PER_CREATE}")
    if count > source["qty"]:
        raise OpenTHCError(400, f"qty {count} is more than Inventory {source['id']} holds ({source['qty']})")
    variety_id = body.get("variety") or source.get("variety", {}).get("id")
    variety = ctx.pick(lic.varieties, "Variety", variety_id)
    section = ctx.pick(lic.sections, "Section", body.get("section"))
    source["qty"] -= count
    ctx.touch(source)
    made = []
    for _ in range(int(count)):
        plant = plant_wire(ctx, variety, section, source, f"{variety['name']} #{len(lic.plants) + 1}")
        lic.plants[plant["id"]] = plant
        made.append(plant)
    return ctx.reply(made, note="Plants Created")


def plant_update(ctx: Ctx) -> Response:
    plant, lic, body = ctx.live(ctx.lic.plants, "Plant"), ctx.lic, ctx.body
    if not any(body.get(k) for k in ("variety", "section")):
        raise OpenTHCError(400, "Nothing to change: send variety or section")
    if body.get("variety"):
        variety = ctx.pick(lic.varieties, "Variety", body["variety"])
        plant["variety"] = {"id": variety["id"], "name": variety["name"]}
    if body.get("section"):
        plant["section"] = {"id": ctx.pick(lic.sections, "Section", body["section"])["id"]}
    return ctx.reply(ctx.touch(plant), note="Plant Updated")


def plant_delete(ctx: Ctx) -> Response:
    return ctx.two_step_delete(ctx.find(ctx.lic.plants, "Plant"), "Plant")


def _date(body: dict[str, Any]) -> str | None:
    raw = text(body, "date", required=False)
    if raw is None:
        return None
    try:
        return iso(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        raise OpenTHCError(400, f"date '{raw}' is not an RFC 3339 date-time") from None


def plant_collect(ctx: Ctx) -> Response:
    _grower(ctx)
    plant, body, world = ctx.live(ctx.lic.plants, "Plant"), ctx.body, ctx.world
    kind = body.get("type")
    if kind not in ("raw", "net"):
        raise OpenTHCError(400, "type must be raw or net")
    uom = str(body.get("uom") or "g").lower()
    if uom not in COLLECT_UNITS:
        raise OpenTHCError(400, f"uom must be one of {', '.join(COLLECT_UNITS)}")
    qty = quantity(body.get("qty"), uom, "g")
    when = _date(body) or iso(world.now())
    group_id = body.get("collect_id")
    if group_id:
        group = _own_groups(ctx).get(group_id)
        if group is None:
            raise OpenTHCError(400, f"Invalid collect_id '{group_id}'")
        if group["stat"] != "open":
            raise OpenTHCError(409, f"Plant Collect {group_id} is already committed")
    else:
        group = {"id": world.new_id(), "stat": "open", "raw": Decimal(0), "net": Decimal(0), "plant_list": [],
                 "entries": [], "created_at": when, "_license": ctx.lic.id}
        world.collects[group["id"]] = group
    group[kind] += qty
    if {"id": plant["id"]} not in group["plant_list"]:
        group["plant_list"].append({"id": plant["id"]})
    group["entries"].append({"plant": {"id": plant["id"]}, "type": kind, "qty": qty, "uom": "g", "date": when})
    return ctx.reply({"id": group["id"], "plant": {"id": plant["id"]}, "type": kind, "qty": qty, "uom": "g"}, 201, note="Plant Collected")


def _own_groups(ctx: Ctx) -> dict[str, Obj]:
    return {k: g for k, g in ctx.world.collects.items() if g["_license"] == ctx.lic.id}


def collect_wire(group: Obj) -> Obj:
    """A collect group as a Plant_Collect: ``type``/``qty`` are the net total once any is recorded."""
    kind = "net" if group["net"] > 0 else "raw"
    return {"id": group["id"], "type": kind, "qty": group[kind], "uom": "g", **{k: v for k, v in group.items() if k != "id"}}


def collect_get(ctx: Ctx) -> Response:
    return ctx.reply(collect_wire(ctx.find(_own_groups(ctx), "Plant Collect")))


def collect_commit(ctx: Ctx) -> Response:
    _grower(ctx)
    group, lic, body = ctx.find(_own_groups(ctx), "Plant Collect"), ctx.lic, ctx.body
    if group["stat"] != "open":
        raise OpenTHCError(409, f"Plant Collect {group['id']} is already committed")
    if body.get("type", "net") not in COMMIT_TYPES:
        raise OpenTHCError(400, f"type must be one of {', '.join(COMMIT_TYPES)}")
    in_group = {p["id"] for p in group["plant_list"]}
    wanted = body.get("plant_id") or sorted(in_group)
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if not set(wanted) <= in_group:
        raise OpenTHCError(400, f"plant_id {sorted(set(wanted) - in_group)} not in this collect group")
    if body.get("qty") not in (None, ""):
        uom = str(body.get("uom") or "g").lower()
        if uom not in COLLECT_UNITS:
            raise OpenTHCError(400, f"uom must be one of {', '.join(COLLECT_UNITS)}")
        qty = quantity(body["qty"], uom, "g")
    elif group["net"] > 0:
        qty = group["net"]
    else:
        raise OpenTHCError(400, "No net weight collected yet: collect type=net first, or send qty")
    product = _bulk_product(ctx, body.get("product"))
    varieties = {lic.plants[p]["variety"]["id"] for p in wanted}
    variety = lic.varieties[varieties.pop()] if len(varieties) == 1 else None
    section = ctx.pick(lic.sections, "Section", body["section"]) if body.get("section") else _store_room(ctx, wanted[0])
    lot = new_lot(ctx, product, qty, section, variety)
    group.update(stat="committed", inventory={"id": lot["id"]}, committed_at=_date(body) or iso(ctx.world.now()))
    return ctx.reply(collect_wire(group), note="Plant Collect Committed")


def _bulk_product(ctx: Ctx, chosen: Any) -> Obj:
    if chosen:
        product = ctx.pick(ctx.lic.products, "Product", chosen)
        if product["_base"] != "g":
            raise OpenTHCError(400, f"Product {product['id']} is not counted by weight")
        return product
    return next(p for p in ctx.lic.products.values() if p["_kind"] == "bulk" and p["_base"] == "g" and p["stat"] == LIVE)


def _store_room(ctx: Ctx, plant_id: str) -> Obj:
    rooms = [s for s in ctx.lic.sections.values() if s["type"] == "inventory" and s["stat"] == LIVE]
    return rooms[0] if rooms else ctx.lic.sections[ctx.lic.plants[plant_id]["section"]["id"]]


routes = [
    route("/plant", "GET", plant_list),
    route("/plant", "POST", plant_create),
    route("/plant/{id}", "GET", plant_get),
    route("/plant/{id}", "POST", plant_update),
    route("/plant/{id}", "DELETE", plant_delete),
    route("/plant/{id}/collect", "POST", plant_collect),
    route("/plant-collect/{id}", "GET", collect_get),
    route("/plant-collect/{id}/commit", "POST", collect_commit),
]
