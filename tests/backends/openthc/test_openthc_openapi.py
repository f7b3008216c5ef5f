"""Every OpenTHC sandbox answer the backend uses (sign-in, the lists it reads, every kind of write it
sends, sign-out),
recorded as the backend received it and validated against the published OpenAPI description in
../shared/upstream/openthc-api (tests/sandbox/openthc/openapi_spec.py says how, and lists each
noted deviation of the reference server). Skipped where ../shared is absent."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from growtui.backends.base import BackendError
from growtui.backends.openthc.backend import LISTS, OpenTHCBackend
from growtui.domain.b2b_work import AcceptB2BIncoming, CommitB2BOutgoing
from growtui.domain.collections import Family, SubCollection
from growtui.domain.deletion import ConfirmDeletion, MarkForDeletion
from growtui.domain.floor import MovePackages, MovePlants
from growtui.domain.lot_work import DestroyLots
from growtui.domain.plant_collect import CollectPlants
from growtui.domain.plant_edits import ModifyPlants
from growtui.domain.units import Quantity, Unit
from tests.backends.openthc.conftest import CODE, GROWER, creds
from tests.backends.openthc.test_openthc_backend_writes import DAY, adjust, gram_lots, lic
from tests.backends.openthc.test_openthc_b2b import b2b, retail_id, ship
from tests.backends.openthc.test_openthc_lab import lot_with_a_result
from tests.backends.openthc.test_openthc_lot_work import convert, split
from tests.backends.openthc.test_openthc_plant_edits import clone_lot, plant_from

pytest.importorskip("yaml", reason="pyyaml is in the [test] extra")
from tests.sandbox.openthc.openapi_spec import ENTRY, Recorded, Spec  # noqa: E402

pytestmark = pytest.mark.skipif(not ENTRY.exists(), reason=f"the OpenTHC OpenAPI description is not at {ENTRY} (no ../shared here)")


def writes(server) -> list:
    """One of each write kind the backend sends, on the seeded world's lots and plants."""
    lots = gram_lots(server, 5)
    plant = next(iter(lic(server).plants.values()))
    one = lots[3]
    return [
        adjust(lots[:1], "+1 g"),
        MovePackages((lots[0]["id"],), ("L",), "Vault"),
        MovePlants((plant["id"],), ("P",), "Vault"),
        CollectPlants((plant["id"],), ("P",), "raw", Quantity(Decimal(5), Unit.G), DAY),
        convert(lots[1:3], "1 g, all", "Bulk Trim", "2 g"),
        split(lots[0], "1 g"),
        DestroyLots((lots[4]["id"],), ("L",), "waste", "mould"),
        plant_from(clone_lot(server), "2"),
        ModifyPlants((plant["id"],), ("P",), "", "Veg Room"),
        ship(lots[1:2], "1 g", retail_id(server)),
        CommitB2BOutgoing(b2b(server, source=GROWER)[0]["id"], "draft"),
        AcceptB2BIncoming(b2b(server, target=GROWER)[0]["id"], "incoming", "Vault"),
        MarkForDeletion(Family.PACKAGES, (one["id"],), ("L",)),
        ConfirmDeletion(Family.PACKAGES, (one["id"],), ("L",), "delete"),
    ]


async def test_every_answer_the_backend_reads_matches_the_spec(server):
    server.world.empty_meta = "object"  # ping's and Response_Failure's schemas say object
    log: list[Recorded] = []

    async def record(response: httpx.Response) -> None:
        await response.aread()
        log.append(Recorded(response.request.method, response.request.url.path, response.status_code, response.json()))

    backend = OpenTHCBackend(server.base_url)
    backend.client.http.event_hooks["response"].append(record)
    try:
        with pytest.raises(BackendError):
            await backend.login(creds(**{"license-key": "wrong-license-key"}))  # a refusal, 403
        await backend.login(creds())
        for collection in LISTS:
            await backend.fetch_page(CODE, collection, 1, 100)
        await backend.fetch_sub(CODE, SubCollection.PACKAGE_LAB_RESULTS, lot_with_a_result(server)["id"])
        for action in writes(server):
            await backend.submit(CODE, action, dry_run=False)
        await backend.logout()
    finally:
        await backend.aclose()
    used = {(r.method, r.status) for r in log}
    assert ("POST", 403) in used and ("POST", 200) in used and ("GET", 200) in used
    assert {r.path for r in log} >= {"/auth/open", "/license/010PENTHC0SANDB0XL1CENSE0G", "/section", "/product",
                                      "/variety", "/inventory", "/plant", "/b2b/outgoing", "/b2b/incoming", "/auth/shut"}
    assert {(r.method, r.status) for r in log if r.path == "/inventory"} >= {("GET", 200), ("POST", 201)}
    assert {r.status for r in log if r.method == "DELETE"} == {202, 410}
    sent = {(r.method, r.path.rsplit("/", 1)[-1] if r.path.startswith("/b2b/") else r.path, r.status) for r in log}
    assert {"/lab/sample", "/lab/metric", "/lab/result"} <= {r.path for r in log}
    assert {("POST", "/plant", 200), ("POST", "/b2b", 201), ("POST", "item", 200), ("POST", "commit", 200)} <= sent
    spec = Spec()
    problems = [p for r in log for p in spec.problems(r)]
    assert not problems, "\n".join(problems)
