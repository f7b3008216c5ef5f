"""B2B transfers against the OpenTHC sandbox over HTTP: ``/b2b/outgoing`` and ``/b2b/incoming``
are the neutral outgoing and incoming transfer lists (waiting on Active, accepted or marked for
deletion on Inactive); an outgoing transfer is created with its items (nothing leaves a lot yet),
committed separately, and accepted by the receiving license into new lots. What growtui can tell
is wrong is never sent; OpenTHC's 400/409 are plain refusals; an item refused after the transfer
was created leaves the write in doubt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growtui.backends.base import BackendError, ErrorKind
from growtui.backends.openthc.backend import INCOMING, INCOMING_DONE, OUTGOING, OUTGOING_DONE, OpenTHCBackend
from growtui.domain.b2b_work import AcceptB2BIncoming, CommitB2BOutgoing, CreateB2BOutgoing, waiting
from growtui.domain.lot_work import typed_takes
from growtui.sandbox.openthc.seed import users_public
from tests.backends.openthc.conftest import CODE, GROWER, creds
from tests.backends.openthc.test_openthc_backend_writes import gram_lots
from tests.backends.openthc.test_openthc_lot_work import held


def ship(lots, takes: str, target: str) -> CreateB2BOutgoing:
    holdings = tuple(held(x) for x in lots)
    return CreateB2BOutgoing(tuple(x["id"] for x in lots), tuple(x["id"][-6:] for x in lots),
                             typed_takes(takes, holdings), target, holdings)


@pytest.fixture
async def backend_for(server):
    """A backend signed in to another license of the sandbox (a transfer's receiver)."""
    opened: list[OpenTHCBackend] = []

    async def sign_in(license_id: str) -> OpenTHCBackend:
        user = next(u for u in users_public() if any(x["id"] == license_id for x in u["licenses"]))
        key = next(x["license-key"] for x in user["licenses"] if x["id"] == license_id)
        b = OpenTHCBackend(server.base_url)
        opened.append(b)
        await b.login(creds(user["account"], license=license_id, **{"license-key": key}))
        return b

    yield sign_in
    for b in opened:
        await b.aclose()


def b2b(server, *, source=None, target=None) -> list[dict]:
    return [t for t in server.world.b2b.values()
            if (source is None or t["_source"] == source) and (target is None or t["_target"] == target)]


async def rows(backend, collection, license_number=CODE) -> list:
    page = await backend.fetch_page(license_number, collection, 1, 100)
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


def retail_id(server) -> str:
    [draft] = b2b(server, source=GROWER)
    return draft["_target"]


async def test_create_with_items_then_commit_then_the_receiver_accepts(signed_in, server, backend_for):
    a, b = gram_lots(server, 2)
    qa, qb = a["qty"], b["qty"]
    target = retail_id(server)
    before = set(server.world.b2b)
    result = await signed_in.submit(CODE, ship([a, b], "2.5 g, all", target), dry_run=False)
    [made] = [t for k, t in server.world.b2b.items() if k not in before]
    assert made["status"] == "open" and made["_target"] == target and "B2B Created" in result.message
    assert [(i["inventory"]["id"], i["unit_count"]) for i in made["item_list"]] == [(a["id"], Decimal("2.5")), (b["id"], qb)]
    assert a["qty"] == qa  # nothing leaves a lot before the commit

    await signed_in.submit(CODE, CommitB2BOutgoing(made["id"], made["id"]), dry_run=False)
    assert made["status"] == "committed" and a["qty"] == qa - Decimal("2.5") and b["qty"] == 0

    receiver = await backend_for(target)
    [waiting] = await rows(receiver, INCOMING, target)
    assert waiting.manifest_number == made["id"]
    lots_before = set(server.world.licenses[target].inventory)
    await receiver.submit(target, AcceptB2BIncoming(made["id"], made["id"]), dry_run=False)
    new = [x for k, x in server.world.licenses[target].inventory.items() if k not in lots_before]
    assert made["status"] == "accepted" and sorted(x["qty"] for x in new) == sorted([Decimal("2.5"), qb])


@pytest.mark.parametrize("action, why", [
    (lambda s, lots: ship(lots, "", "not-a-license"), "26 letters and digits"),
    (lambda s, lots: ship(lots, "1 g", retail_id(s)), "one amount per source"),
    (lambda s, lots: ship(lots, f"{lots[0]['qty'] + 1} g, all", retail_id(s)), "is more than that"),
    (lambda s, lots: AcceptB2BIncoming(b2b(s, target=GROWER)[0]["id"], "x", "Attic"), "no room (section) named 'Attic'"),
])
async def test_what_growtui_can_tell_is_wrong_is_never_sent(signed_in, server, action, why):
    lots = gram_lots(server, 2)
    before = {k: dict(t) for k, t in server.world.b2b.items()}
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action(server, lots), dry_run=False)
    assert err.value.kind is ErrorKind.VALIDATION and err.value.status is None and why in err.value.message
    assert {k: dict(t) for k, t in server.world.b2b.items()} == before


async def test_openthcs_refusals_are_plain_and_a_refused_item_after_the_create_is_in_doubt(signed_in, server):
    with pytest.raises(BackendError) as err:  # an unknown license: 400 on the create, nothing made
        await signed_in.submit(CODE, ship(gram_lots(server, 1), "", "0" * 26), dry_run=False)
    assert err.value.status == 400 and not err.value.in_doubt and "Invalid target license" in err.value.message
    [draft] = b2b(server, source=GROWER)
    draft["status"] = "committed"  # committed meanwhile: committing again is a 409
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, CommitB2BOutgoing(draft["id"], "d"), dry_run=False)
    assert err.value.status == 409 and not err.value.in_doubt
    lot = gram_lots(server, 1)[0]
    action = ship([lot], "", retail_id(server))
    lot["qty"] = Decimal(1)  # less than the list showed: the item is refused after the transfer was made
    before = set(server.world.b2b)
    with pytest.raises(BackendError) as err:
        await signed_in.submit(CODE, action, dry_run=False)
    assert err.value.in_doubt and "Applied before it: transfer to" in err.value.message
    assert len(set(server.world.b2b) - before) == 1


async def test_a_transfer_whose_server_says_no_status_is_still_offered_and_the_preview_says_the_chain(signed_in, server):
    [raw] = (await signed_in.fetch_page(CODE, INCOMING, 1, 100)).rows
    del raw["status"]  # the spec's B2B objects carry no status: waiting, so accepting is offered
    inc = signed_in.to_domain(INCOMING, raw)
    assert waiting(inc) and inc.index == "open"
    preview = signed_in.request_preview(ship(gram_lots(server, 1), "", retail_id(server)))
    assert preview[0] == {"POST": "/b2b", "body": {"type": "outgoing", "origin": GROWER, "target": retail_id(server)}}
    assert preview[1]["POST"] == "/b2b/outgoing/<id the first answer gives>/item"


async def test_an_open_outgoing_transfer_is_voided_in_two_steps_and_a_committed_one_is_refused(signed_in, server):
    from growtui.domain.collections import Family
    from growtui.domain.deletion import MARKED, ConfirmDeletion, MarkForDeletion

    [draft] = b2b(server, source=GROWER)
    mark = MarkForDeletion(Family.TRANSFERS_OUTGOING, (draft["id"],), ("d",))
    await signed_in.submit(CODE, mark, dry_run=False)
    assert draft["stat"] == 410 and await rows(signed_in, OUTGOING) == []
    [done] = await rows(signed_in, OUTGOING_DONE)
    assert done.manifest_number == draft["id"] and done.index == MARKED
    await signed_in.submit(CODE, ConfirmDeletion(Family.TRANSFERS_OUTGOING, (draft["id"],), ("d",), "delete"), dry_run=False)
    assert draft["stat"] == 423

    made = await _created(signed_in, server)
    await signed_in.submit(CODE, CommitB2BOutgoing(made["id"], "m"), dry_run=False)
    with pytest.raises(BackendError) as err:  # committed: OpenTHC refuses to void it
        await signed_in.submit(CODE, MarkForDeletion(Family.TRANSFERS_OUTGOING, (made["id"],), ("m",)), dry_run=False)
    assert err.value.status == 409 and not err.value.in_doubt and made["stat"] == 200


async def _created(backend, server) -> dict:
    target, before = retail_id_of(server), set(server.world.b2b)
    await backend.submit(CODE, ship(gram_lots(server, 1), "1 g", target), dry_run=False)
    [made] = [t for k, t in server.world.b2b.items() if k not in before]
    return made


def retail_id_of(server) -> str:
    return next(lid for lid, lic in server.world.licenses.items() if lic.wire["code"].startswith("R-"))
