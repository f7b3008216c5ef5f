"""B2B transfers: outgoing create (``POST /b2b`` with ``type=outgoing``, as the spec declares),
update, add items, commit, two-step DELETE; incoming list/get and accept
(``POST /b2b/incoming/{id}/commit``, and ``/accept`` as the reference server routes it).

One record per transfer: the sender sees it under ``/b2b/outgoing``, the receiver under
``/b2b/incoming`` once it is committed. Commit takes the items' quantities out of the sender's lots;
accept makes a new lot per item at the receiver (its product and variety matched by name, created
when missing, as the reference server auto-creates unknown ids). The spec answers an added item
with an array of B2B_Sale (200): the transfer, with its ``item_list``, is sent.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.responses import Response

from growtui.sandbox.openthc.http import Ctx, OpenTHCError, ref, route, text
from growtui.sandbox.openthc.inventory import active, new_lot, quantity
from growtui.sandbox.openthc.store import LIVE, LOCKED, LicenseState, Obj, iso

MAX_ITEMS = 500


def view(t: Obj, kind: str) -> Obj:
    return {**t, "type": kind}


def _outgoing(ctx: Ctx) -> dict[str, Obj]:
    return {k: t for k, t in ctx.world.b2b.items() if t["_source"] == ctx.lic.id}


def _incoming(ctx: Ctx) -> dict[str, Obj]:
    return {k: t for k, t in ctx.world.b2b.items() if t["_target"] == ctx.lic.id and t["status"] != "open"}


def _when(body: dict[str, Any], *names: str) -> str | None:
    for name in names:
        raw = body.get(name)
        if raw not in (None, ""):
            try:
                return iso(datetime.fromisoformat(str(raw).replace("Z", "+00:00")))
            except ValueError:
                raise OpenTHCError(400, f"{name} '{raw}' is not an RFC 3339 date-time") from None
    return None


def _rows(ctx: Ctx, kind: str) -> list[Obj]:
    table = _outgoing(ctx) if kind == "outgoing" else _incoming(ctx)
    return [view(t, kind) for t in table.values() if t["stat"] != LOCKED]


def b2b_list(ctx: Ctx) -> Response:
    kind = ctx.params.get("type")
    if kind not in (None, "", "incoming", "outgoing"):
        raise OpenTHCError(400, "type must be incoming or outgoing")
    return ctx.reply([row for k in ("outgoing", "incoming") if kind in (None, "", k) for row in _rows(ctx, k)])


def outgoing_list(ctx: Ctx) -> Response:
    return ctx.reply(_rows(ctx, "outgoing"))


def incoming_list(ctx: Ctx) -> Response:
    return ctx.reply(_rows(ctx, "incoming"))


def b2b_create(ctx: Ctx) -> Response:
    body, world = ctx.body, ctx.world
    if body.get("type", "outgoing") != "outgoing":
        raise OpenTHCError(400, "type must be outgoing: an incoming transfer comes from the sender's commit")
    origin = ref(body.get("origin"))
    if origin not in (None, "", ctx.lic.id):
        raise OpenTHCError(403, "origin must be the signed-in license")
    target_id = ref(body.get("target"))
    if not target_id:
        raise OpenTHCError(400, "target is required")
    target = world.licenses.get(target_id)
    if target is None:
        raise OpenTHCError(400, f"Invalid target license '{target_id}'")
    if target.id == ctx.lic.id:
        raise OpenTHCError(400, "target must be another license")
    now = iso(world.now())
    transfer = {
        "id": world.new_id(),
        "source": ctx.lic.wire,
        "target": target.wire,
        "depart_at": _when(body, "depart_at", "depart") or now,
        "arrive_at": _when(body, "arrive_at", "arrive") or now,
        "item_list": [],
        "status": "open",
        "stat": LIVE,
        "created_at": now,
        "updated_at": now,
        "_source": ctx.lic.id,
        "_target": target.id,
    }
    world.b2b[transfer["id"]] = transfer
    return ctx.reply(view(transfer, "outgoing"), 201, note="B2B Created")


def outgoing_get(ctx: Ctx) -> Response:
    return ctx.reply(view(ctx.find(_outgoing(ctx), "B2B Outgoing"), "outgoing"))


def _open(ctx: Ctx) -> Obj:
    transfer = ctx.live(_outgoing(ctx), "B2B Outgoing")
    if transfer["status"] != "open":
        raise OpenTHCError(409, f"B2B Outgoing {transfer['id']} is already {transfer['status']}")
    return transfer


def outgoing_update(ctx: Ctx) -> Response:
    transfer, body = _open(ctx), ctx.body
    for key in ("depart_at", "arrive_at"):
        when = _when(body, key)
        if when:
            transfer[key] = when
    for key in ("contact", "vehicle"):
        if body.get(key):
            transfer[key] = {"id": text(body, key)}
    return ctx.reply(view(ctx.touch(transfer), "outgoing"), note="B2B Updated")


def outgoing_item_add(ctx: Ctx) -> Response:
    transfer, lic, body = _open(ctx), ctx.lic, ctx.body
    if len(transfer["item_list"]) >= MAX_ITEMS:
        raise OpenTHCError(400, f"A transfer holds at most {MAX_ITEMS} items")
    lot = ctx.pick(lic.inventory, "Inventory", body.get("inventory"))
    if not active(lot):
        raise OpenTHCError(409, f"Inventory {lot['id']} was destroyed")
    count = quantity(body.get("unit_count", body.get("qty")), body.get("uom"), lot["uom"], "unit_count")
    listed = sum((i["unit_count"] for i in transfer["item_list"] if i["inventory"]["id"] == lot["id"]), Decimal(0))
    if count + listed > lot["qty"]:
        raise OpenTHCError(400, f"unit_count {count} is more than Inventory {lot['id']} has left ({lot['qty'] - listed})")
    price = quantity(body.get("unit_price", 0), None, "ea", "unit_price", positive=False)
    product = lic.products[lot["product"]["id"]]
    item: Obj = {
        "id": ctx.world.new_id(),
        "type": text(body, "type", required=False) or "SALE",
        "inventory": {"id": lot["id"]},
        "product": {"id": product["id"], "name": product["name"]},
        "unit_count": count,
        "uom": lot["uom"],
        "unit_price": float(price),
    }
    variety = lic.varieties.get(lot.get("variety", {}).get("id", ""))
    if variety is not None:
        item["variety"] = {"id": variety["id"], "name": variety["name"]}
    transfer["item_list"].append(item)
    return ctx.reply([view(ctx.touch(transfer), "outgoing")], note="B2B Item Added")


def outgoing_commit(ctx: Ctx) -> Response:
    transfer, lic = _open(ctx), ctx.lic
    if not transfer["item_list"]:
        raise OpenTHCError(400, "Add at least one item before commit")
    for item in transfer["item_list"]:
        lot = lic.inventory[item["inventory"]["id"]]
        if lot["stat"] != LIVE or not active(lot) or lot["qty"] < item["unit_count"]:
            raise OpenTHCError(409, f"Inventory {lot['id']} no longer holds {item['unit_count']} {lot['uom']}")
    for item in transfer["item_list"]:
        lot = lic.inventory[item["inventory"]["id"]]
        lot["qty"] -= item["unit_count"]
        ctx.touch(lot)
    transfer["status"] = "committed"
    return ctx.reply(view(ctx.touch(transfer), "outgoing"), note="B2B Committed")


def outgoing_delete(ctx: Ctx) -> Response:
    transfer = ctx.find(_outgoing(ctx), "B2B Outgoing")
    if transfer["status"] != "open" and transfer["stat"] == LIVE:
        raise OpenTHCError(409, f"B2B Outgoing {transfer['id']} is {transfer['status']}: it cannot be voided")
    return ctx.two_step_delete(transfer, "B2B Outgoing", lambda t: view(t, "outgoing"))


def incoming_get(ctx: Ctx) -> Response:
    return ctx.reply(view(ctx.find(_incoming(ctx), "B2B Incoming"), "incoming"))


def incoming_accept(ctx: Ctx) -> Response:
    transfer, lic, world = ctx.find(_incoming(ctx), "B2B Incoming"), ctx.lic, ctx.world
    if transfer["status"] != "committed" or transfer["stat"] != LIVE:
        raise OpenTHCError(409, f"B2B Incoming {transfer['id']} is {transfer['status']}")
    section = ctx.pick(lic.sections, "Section", ctx.body["section"]) if ctx.body.get("section") else _receiving_room(lic)
    sender = world.licenses[transfer["_source"]]
    for item in transfer["item_list"]:
        product = _match(ctx, lic.products, sender.products[item["product"]["id"]])
        variety = _match(ctx, lic.varieties, sender.varieties[item["variety"]["id"]]) if "variety" in item else None
        lot = new_lot(ctx, product, item["unit_count"], section, variety)
        item["received"] = {"inventory": {"id": lot["id"]}}
    transfer["status"] = "accepted"
    return ctx.reply(view(ctx.touch(transfer), "incoming"), note="B2B Accepted")


def _receiving_room(lic: LicenseState) -> Obj:
    rooms = [s for s in lic.sections.values() if s["stat"] == LIVE]
    if not rooms:
        raise OpenTHCError(409, "This license has no section to receive into: create one or send section")
    return next((s for s in rooms if s["type"] == "inventory"), rooms[0])


def _match(ctx: Ctx, table: dict[str, Obj], theirs: Obj) -> Obj:
    """The receiver's object of the same name, or a copy of the sender's under a new id."""
    for obj in table.values():
        if obj["name"].casefold() == theirs["name"].casefold() and obj["stat"] == LIVE:
            return obj
    now = iso(ctx.world.now())
    mine = {**theirs, "id": ctx.world.new_id(), "created_at": now, "updated_at": now, "stat": LIVE}
    table[mine["id"]] = mine
    return mine


routes = [
    route("/b2b", "GET", b2b_list),
    route("/b2b", "POST", b2b_create),
    route("/b2b/outgoing", "GET", outgoing_list),
    route("/b2b/outgoing/{id}", "GET", outgoing_get),
    route("/b2b/outgoing/{id}", "POST", outgoing_update),
    route("/b2b/outgoing/{id}", "DELETE", outgoing_delete),
    route("/b2b/outgoing/{id}/item", "POST", outgoing_item_add),
    route("/b2b/outgoing/{id}/commit", "POST", outgoing_commit),
    route("/b2b/incoming", "GET", incoming_list),
    route("/b2b/incoming/{id}", "GET", incoming_get),
    route("/b2b/incoming/{id}/commit", "POST", incoming_accept),
    route("/b2b/incoming/{id}/accept", "POST", incoming_accept),
]

