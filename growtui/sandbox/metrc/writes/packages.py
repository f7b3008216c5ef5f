"""Package writes (§9.4): create from packages, adjust (relative POST, set PUT), location, finish,
unfinish, note (``PackageLabel``!), item, dates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from growtui.sandbox.metrc import vocabulary as vocab
from growtui.sandbox.metrc.errors import RowError
from growtui.sandbox.metrc.http import Ctx, Routes
from growtui.sandbox.metrc.writes import rows as r
from growtui.sandbox.metrc.wire import day

routes = Routes()
Plan = Callable[[], Any]
Obj = dict[str, Any]


def _same_kind_unit(row: r.Row, key: str, pkg_unit: str) -> str:
    return r.unit(row, key, vocab.quantity_type(pkg_unit))


def _once(ctx: Ctx, pkg: Obj) -> None:
    r.claim(ctx, "packages", pkg["Id"], f"Package {pkg['Label']} appears more than once in this request.")


def _changed(ctx: Ctx, pkg: Obj, **fields: Any) -> Plan:
    def apply() -> int:
        pkg.update(fields)
        ctx.facility.touch(pkg)
        return pkg["Id"]

    return apply


@routes.write("POST", "/packages/v2", ids=True)
def create(ctx: Ctx, row: r.Row) -> Plan:
    new = r.new_package(ctx, row, flags=("IsDonation", "IsTradeSample"))
    quantity = r.number(row, "Quantity")
    unit = r.unit(row, "UnitOfMeasure", new.item["QuantityType"])
    takes = []
    for ing in r.ingredients(row):
        source = r.package(ctx, ing, "Package")
        amount = vocab.convert(r.number(ing, "Quantity"), _same_kind_unit(ing, "UnitOfMeasure", source["UnitOfMeasureName"]), source["UnitOfMeasureName"])
        r.spend(ctx, "package_quantity", source, amount, source["Quantity"], f"Package {source['Label']} has only {source['Quantity']:g} {source['UnitOfMeasureName']}.")
        takes.append((source, amount))

    def apply() -> int:
        labels = [s["Label"] for s, _ in takes]
        harvests = sorted({n for s, _ in takes for n in (s["SourceHarvestNames"] or "").split(", ") if n})
        pkg = new.build(ctx, quantity, unit)
        pkg.update(SourcePackageLabels=", ".join(labels), SourcePackageCount=len(labels), SourceHarvestNames=", ".join(harvests) or None, SourceHarvestCount=len(harvests))
        for source, amount in takes:
            source["Quantity"] = round(source["Quantity"] - amount, 6)
            ctx.facility.touch(source)
        return pkg["Id"]

    return apply


def _adjustment(ctx: Ctx, row: r.Row, *, relative: bool) -> Plan:
    pkg = r.package(ctx, row)
    _once(ctx, pkg)
    value = r.number(row, "Quantity", signed=relative, positive=False)
    unit = _same_kind_unit(row, "UnitOfMeasure", pkg["UnitOfMeasureName"])
    reason, note = r.reason(row, "AdjustmentReason", vocab.PACKAGE_ADJUST_REASONS, "ReasonNote")
    when = r.when(ctx, row, "AdjustmentDate")
    amount = vocab.convert(value, unit, pkg["UnitOfMeasureName"])
    final = round(pkg["Quantity"] + amount if relative else amount, 6)
    if final < 0:
        raise RowError(f"Package {pkg['Label']} would have a negative quantity ({final:g} {pkg['UnitOfMeasureName']}).")
    assert when is not None

    def apply() -> int:
        fac = ctx.facility
        change = round(final - pkg["Quantity"], 6)
        fac.add("adjustments", {"PackageId": pkg["Id"], "PackageLabel": pkg["Label"], "AdjustmentQuantity": change, "AdjustmentUnitOfMeasureName": pkg["UnitOfMeasureName"],
                                "AdjustmentReasonName": reason, "AdjustmentNote": note, "AdjustmentDate": day(when), "LastModified": ""})  # fmt: skip
        pkg["Quantity"] = final
        fac.touch(pkg)
        return pkg["Id"]

    return apply


@routes.write("POST", "/packages/v2/adjust", ids=True)
def adjust(ctx: Ctx, row: r.Row) -> Plan:
    return _adjustment(ctx, row, relative=True)


@routes.write("PUT", "/packages/v2/adjust", ids=False)
def set_quantity(ctx: Ctx, row: r.Row) -> Plan:
    return _adjustment(ctx, row, relative=False)


@routes.write("PUT", "/packages/v2/location", ids=False)
def move(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row)
    _once(ctx, pkg)
    return r.move_to(ctx, pkg, row, purpose="ForPackages", date_key="MoveDate")


@routes.write("PUT", "/packages/v2/finish", ids=False)
def finish(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row)
    _once(ctx, pkg)
    when = r.when(ctx, row, "ActualDate")
    assert when is not None
    return _changed(ctx, pkg, IsFinished=True, FinishedDate=day(when))


@routes.write("PUT", "/packages/v2/unfinish", ids=False)
def unfinish(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row, state="finished")
    _once(ctx, pkg)
    return _changed(ctx, pkg, IsFinished=False, FinishedDate=None)


@routes.write("PUT", "/packages/v2/note", ids=False)
def note(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row, "PackageLabel")
    _once(ctx, pkg)
    if "Note" not in row or (row["Note"] is not None and not isinstance(row["Note"], str)):
        raise RowError("Note was not specified.")
    return _changed(ctx, pkg, Note=row["Note"] or None)


@routes.write("PUT", "/packages/v2/item", ids=False)
def change_item(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row)
    _once(ctx, pkg)
    it = r.item(ctx, row, "Item")
    if it["QuantityType"] != vocab.quantity_type(pkg["UnitOfMeasureName"]):
        raise RowError(f"Item {it['Name']} is {it['QuantityType']}; package {pkg['Label']} is measured in {pkg['UnitOfMeasureName']}.")
    return _changed(ctx, pkg, _ItemId=it["Id"])


@routes.write("PUT", "/packages/v2/usebydate", ids=False)
def dates(ctx: Ctx, row: r.Row) -> Plan:
    pkg = r.package(ctx, row)
    _once(ctx, pkg)
    return _changed(ctx, pkg, **r.dates(row, ("ExpirationDate", "SellByDate", "UseByDate")))
