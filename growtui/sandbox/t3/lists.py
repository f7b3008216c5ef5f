"""Top-level paged collections (§9 item 7) and the ``…/super`` package collections.

Every ``Collection`` of the route table is served at its ``path``; membership comes from
``LicenseState.members`` (derived from fields), so the query cache stays valid until a write.
"""

from __future__ import annotations

from typing import Any

from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.query import respond
from growtui.sandbox.t3.route_table import ALL_COLLECTIONS, Collection
from growtui.sandbox.t3.store import Obj
from growtui.sandbox.t3.subs import _package_story, history, lab_results

routes = Routes()


def _collection_route(coll: Collection) -> None:
    def handler(ctx: Ctx) -> Any:
        lic = ctx.license
        return respond(ctx, coll, lic.members(coll), cache=True, as_response=True)

    handler.__name__ = coll.key.replace("/", "_")
    routes.get(coll.path)(handler)


for _coll in ALL_COLLECTIONS:
    _collection_route(_coll)


def _super_route(state: str) -> None:
    coll = Collection.parse(f"packages/{state}")

    def handler(ctx: Ctx) -> dict[str, Any]:
        lic = ctx.license
        include = {v for raw in ctx.params.getlist("include") for v in raw.split(",") if v}
        harvests_by_name = {h["name"]: h for h in lic.harvests.values()} if "sourceHarvests" in include else {}

        def extend(row: Obj) -> None:
            pkg = lic.packages.get(row["id"], row)
            labs = lab_results(lic, pkg) if include & {"labResults", "labResultBatches"} else []
            sources = [harvests_by_name[n] for n in (row.get("sourceHarvestNames") or "").split(", ") if n in harvests_by_name]
            row["sourceHarvests"] = [{"name": h["name"], "harvestStartDate": h["harvestStartDate"]} for h in sources]
            row["labResults"] = labs if "labResults" in include else []
            row["labResultBatches"] = (
                [{"id": labs[0]["labTestResultId"], "name": f"Batch {labs[0]['labTestResultId']}", "tests": labs}]
                if labs and "labResultBatches" in include
                else []
            )
            row["history"] = history(lic, "packages", pkg["id"], pkg, _package_story) if "history" in include else []
            row["metadata"] = {
                "harvestDates": [h["harvestStartDate"] for h in sources],
                # the history mixin fills initialQuantity; seeded packages were packaged at today's size
                "initialQuantity": row["quantity"] if "history" in include else None,
                "initialQuantityUnitOfMeasure": row.get("unitOfMeasureAbbreviation"),
                "netWeightOrVolume": None,
                "netWeightOrVolumeUnitOfMeasure": None,
                "testSamplePackageLabels": [],
                "extractedLabResults": [
                    {
                        "labResultTestName": r["testTypeName"],
                        "labResultTestValue": r["testResultLevel"],
                        "labResultTestUnit": "%" if "(%)" in r["testTypeName"] else "",
                        "labResultBatchName": f"Batch {r['labTestResultId']}",
                        "fullLabResultTestName": r["testTypeName"],
                        "passed": r["testPassed"],
                        "tags": ["thc"] if "THC" in r["testTypeName"] else ["cbd"] if "CBD" in r["testTypeName"] else [],
                    }
                    for r in labs
                ],
            }

        return respond(ctx, coll, lic.members(coll), cache=True, extend=extend)

    handler.__name__ = f"packages_{state}_super"
    routes.get(f"/v2/packages/{state}/super")(handler)


_super_route("active")
_super_route("intransit")
