"""B2B transfers on the seam, against the OpenTHC sandbox over HTTP: ``/b2b/outgoing`` and
``/b2b/incoming`` are the neutral outgoing and incoming transfer lists (waiting on Active, accepted
or marked for deletion on Inactive), each transfer a manifest with its licenses, item count and
times."""

from __future__ import annotations

from growtui.backends.openthc.backend import INCOMING, INCOMING_DONE, OUTGOING, OUTGOING_DONE
from tests.backends.openthc.conftest import CODE, GROWER


def b2b(server, *, source=None, target=None) -> list[dict]:
    return [t for t in server.world.b2b.values()
            if (source is None or t["_source"] == source) and (target is None or t["_target"] == target)]


async def rows(backend, collection) -> list:
    page = await backend.fetch_page(CODE, collection, 1, 100)
    return [backend.to_domain(collection, raw) for raw in page.rows]


async def test_outgoing_and_incoming_transfers_are_the_transfer_lists(signed_in, server):
    [draft] = b2b(server, source=GROWER)
    [coming] = b2b(server, target=GROWER)
    [out] = await rows(signed_in, OUTGOING)
    assert out.manifest_number == draft["id"] and out.index == "open" and out.package_count == 1
    assert out.recipient_license_number == draft["target"]["code"] and draft["target"]["name"] in out.recipient_name
    assert out.estimated_departure is not None and await rows(signed_in, OUTGOING_DONE) == []
    [inc] = await rows(signed_in, INCOMING)
    assert inc.manifest_number == coming["id"] and inc.index == "committed" and inc.package_count == 2
    assert coming["source"]["name"] in inc.shipper_name and await rows(signed_in, INCOMING_DONE) == []
    coming["status"] = "accepted"
    assert [t.manifest_number for t in await rows(signed_in, INCOMING_DONE)] == [coming["id"]]
    assert await rows(signed_in, INCOMING) == []
