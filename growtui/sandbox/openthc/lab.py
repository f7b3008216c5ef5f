"""Lab samples and results: ``POST /inventory/{id}/sample`` (seed 002; the OpenAPI has no create),
``/lab/sample[/{id}]`` (GET, two-step DELETE), ``/lab/metric``, ``/lab/result[/{id}]``.

``POST /lab/result`` creates a result (seed 002 "Result :: Create"; the OpenAPI declares only GET
there) and links it to the sample's source lot (``inventory.lab_result``). Metric ``qom``, ``lod``
and ``loq`` keep 4 decimals; ``percent`` must lie in 0–100. The spec's ``GET /lab/sample`` declares
one Lab_Sample where every other search declares an array; a list is served. Its ``stat`` is an
integer with an enum of strings ("200", "410"), which no value can satisfy; 200/410/423 are sent.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from growtui.sandbox.openthc.config_routes import listed
from growtui.sandbox.openthc.http import Ctx, OpenTHCError, ref, route, text
from growtui.sandbox.openthc.inventory import active, quantity
from growtui.sandbox.openthc.store import LIVE, Obj, iso
from growtui.sandbox.openthc.units import UnitError, parse_qty, q4

METRIC_UOMS = ("mg/g", "percent", "ppb", "ppm")
METRIC_STATUS = ("fail", "na", "nd", "nr", "nt", "pass")
MAX_METRICS = 500


def sample_create(ctx: Ctx) -> Response:
    lot = ctx.live(ctx.lic.inventory, "Inventory")
    if not active(lot):
        raise OpenTHCError(409, f"Inventory {lot['id']} was destroyed")
    qty = quantity(ctx.body.get("qty"), ctx.body.get("uom"), lot["uom"])
    if qty > lot["qty"]:
        raise OpenTHCError(400, f"qty {qty} is more than Inventory {lot['id']} holds ({lot['qty']})")
    lot["qty"] -= qty
    ctx.touch(lot)
    now = iso(ctx.world.now())
    sample = {
        "id": ctx.world.new_id(),
        "type": text(ctx.body, "type", required=False) or "Lab",
        "stat": LIVE,
        "created_at": now,
        "updated_at": now,
        "license": {"id": ctx.lic.id},
        "origin": {"inventory": {"id": lot["id"], "license": {"id": ctx.lic.id}}},
        "qty": qty,
        "uom": lot["uom"],
    }
    ctx.lic.samples[sample["id"]] = sample
    return ctx.reply(sample, 201, note="Lab Sample Created")


def sample_list(ctx: Ctx) -> Response:
    inventory = ctx.params.get("inventory")
    rows = listed(ctx.lic.samples)
    return ctx.reply([s for s in rows if not inventory or s["origin"]["inventory"]["id"] == inventory])


def sample_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.samples, "Lab Sample"))


def sample_delete(ctx: Ctx) -> Response:
    return ctx.two_step_delete(ctx.find(ctx.lic.samples, "Lab Sample"), "Lab Sample")


def metric_list(ctx: Ctx) -> Response:
    return ctx.reply(list(ctx.world.lab_metrics.values()))


def result_create(ctx: Ctx) -> Response:
    body, lic = ctx.body, ctx.lic
    sample = ctx.pick(lic.samples, "Lab Sample", body.get("lab_sample") or body.get("lab_sample_id"))
    metrics = body.get("metric_list")
    if not isinstance(metrics, list) or not metrics or len(metrics) > MAX_METRICS:
        raise OpenTHCError(400, f"metric_list must be an array of 1 to {MAX_METRICS} metrics")
    rid = ctx.world.new_id()
    now = iso(ctx.world.now())
    result = {
        "id": rid,
        "license": {"id": lic.id},
        "lab_sample": {"id": sample["id"]},
        "status": _enum(body.get("status", "pass"), "status", METRIC_STATUS),
        "metric_list": [_metric(ctx, rid, i, m) for i, m in enumerate(metrics)],
        "stat": LIVE,
        "created_at": now,
        "updated_at": now,
    }
    if body.get("certificate"):
        result["certificate"] = text(body, "certificate", limit=2048)
    lic.results[rid] = result
    lot = lic.inventory.get(sample["origin"]["inventory"]["id"])
    if lot is not None:
        lot["lab_result"] = {"id": rid}
        ctx.touch(lot)
    return ctx.reply(result, 201, note="Lab Result Created")


def _metric(ctx: Ctx, rid: str, i: int, raw: Any) -> Obj:
    if not isinstance(raw, dict):
        raise OpenTHCError(400, f"metric_list[{i}] must be an object")
    mid = ref(raw.get("lab_metric_id") or raw.get("lab_metric") or raw.get("id"))
    if mid not in ctx.world.lab_metrics:
        raise OpenTHCError(400, f"metric_list[{i}]: unknown lab_metric_id '{mid}'")
    uom = _enum(raw.get("uom"), f"metric_list[{i}].uom", METRIC_UOMS)
    out: Obj = {"lab_result_id": rid, "lab_metric_id": mid, "uom": uom, "status": _enum(raw.get("status", "pass"), f"metric_list[{i}].status", METRIC_STATUS)}
    for key in ("qom", "lod", "loq"):
        if raw.get(key) is None and key != "qom":
            continue
        try:
            out[key] = float(q4(parse_qty(raw.get(key), f"metric_list[{i}].{key}")))
        except UnitError as exc:
            raise OpenTHCError(400, str(exc)) from None
    if uom == "percent" and out["qom"] > 100:
        raise OpenTHCError(400, f"metric_list[{i}].qom is a percent: 0 to 100")
    return out


def _enum(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise OpenTHCError(400, f"{name} must be one of {', '.join(allowed)}")
    return value


def result_list(ctx: Ctx) -> Response:
    return ctx.reply(listed(ctx.lic.results))


def result_get(ctx: Ctx) -> Response:
    return ctx.reply(ctx.find(ctx.lic.results, "Lab Result"))


def result_delete(ctx: Ctx) -> Response:
    return ctx.two_step_delete(ctx.find(ctx.lic.results, "Lab Result"), "Lab Result")


routes = [
    route("/inventory/{id}/sample", "POST", sample_create),
    route("/lab/sample", "GET", sample_list),
    route("/lab/sample/{id}", "GET", sample_get),
    route("/lab/sample/{id}", "DELETE", sample_delete),
    route("/lab/metric", "GET", metric_list),
    route("/lab/result", "GET", result_list),
    route("/lab/result", "POST", result_create),
    route("/lab/result/{id}", "GET", result_get),
    route("/lab/result/{id}", "DELETE", result_delete),
]
