"""How writes fail and answer: row errors (all or nothing), 413, bodies that are not arrays, the
Ids-or-empty answers, a 504 after a write that applied, and LastModified on everything touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from metrc_helpers import check_schema, lic, one, today, wide, write

from growtui.sandbox.metrc.seed import VENDOR_KEY
from growtui.sandbox.metrc.wire import stamp

AUDITOR_KEY = "sbx-user-auditor-0004"  # view only


async def _active(metrc, n):
    return (await metrc.get("/packages/v2/active", params=wide(pageSize=n))).json()["Data"]


async def test_row_errors_name_each_bad_row_and_nothing_applies(metrc):
    pkgs = await _active(metrc, 3)
    rows = [
        {"PackageLabel": pkgs[0]["Label"], "Note": "fine"},
        {"PackageLabel": "1A4FFF2000000000000000404", "Note": "unknown package"},
        {"PackageLabel": pkgs[2]["Label"]},
        "not an object",
    ]
    r = await write(metrc, "PUT", "/packages/v2/note", rows)
    assert r.status_code == 400
    assert [e["row"] for e in r.json()] == [1, 2, 3]
    assert all(set(e) == {"row", "message"} for e in r.json())
    assert "does not exist" in r.json()[0]["message"]
    assert (await one(metrc, "packages", pkgs[0]["Id"]))["Note"] == pkgs[0]["Note"]  # row 0 was valid but not applied


async def test_a_row_repeating_an_earlier_rows_object_is_refused(metrc, metrc_world):
    pkg = (await _active(metrc, 1))[0]
    row = {"Label": pkg["Label"], "ActualDate": today(metrc_world)}
    r = await write(metrc, "PUT", "/packages/v2/finish", [row, row])
    assert r.status_code == 400 and [e["row"] for e in r.json()] == [1]


async def test_too_many_objects_is_413_and_the_limit_is_switchable(metrc, metrc_world):
    pkgs = await _active(metrc, 11)
    rows = [{"PackageLabel": p["Label"], "Note": "n"} for p in pkgs]
    r = await write(metrc, "PUT", "/packages/v2/note", rows)
    assert r.status_code == 413 and set(r.json()) == {"Message"}
    assert (await write(metrc, "PUT", "/packages/v2/note", rows[:10])).status_code == 200
    metrc_world.settings.max_objects = 2
    assert (await write(metrc, "PUT", "/packages/v2/note", rows[:3])).status_code == 413


@pytest.mark.parametrize("body", [b'{"PackageLabel": "x", "Note": "n"}', b"[]", b"", b"[{not json"])
async def test_bodies_that_are_not_a_json_array_of_objects_are_400_message(metrc, body):
    r = await metrc.put("/packages/v2/note", params=lic(), content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and set(r.json()) == {"Message"}


async def test_writes_need_keys_and_the_facility(metrc):
    pkg = (await _active(metrc, 1))[0]
    rows = [{"PackageLabel": pkg["Label"], "Note": "n"}]
    assert (await metrc.put("/packages/v2/note", params={"licenseNumber": "SF-SBX-CO-3-5501"}, json=rows)).status_code == 403
    assert (await metrc.put("/packages/v2/note", json=rows)).status_code == 400
    metrc.auth = None
    assert (await metrc.put("/packages/v2/note", params=lic(), json=rows)).status_code == 401


async def test_view_only_user_and_wrong_media_type_and_wrong_method(metrc):
    pkg = (await _active(metrc, 1))[0]
    rows = [{"PackageLabel": pkg["Label"], "Note": "n"}]
    form = await metrc.put("/packages/v2/note", params=lic(), content=b'[{"PackageLabel": "x", "Note": "n"}]', headers={"Content-Type": "text/plain"})
    assert form.status_code == 415 and "text/plain" in form.json()["Message"]
    wrong_method = await metrc.post("/packages/v2/note", params=lic(), json=rows)
    assert wrong_method.status_code == 405 and set(wrong_method.json()) == {"Message"}
    metrc.auth = (VENDOR_KEY, AUDITOR_KEY)
    assert (await metrc.get("/packages/v2/active", params=lic())).status_code == 200  # viewing is allowed
    denied = await metrc.put("/packages/v2/note", params=lic(), json=rows)
    assert denied.status_code == 403 and "permission" in denied.json()["Message"]


async def test_ids_on_every_write_switch_answers_ids_where_docs_show_empty(metrc, metrc_world):
    """Observed: PUT /plants/v2/harvest answered {"Ids":…} although the docs show an empty body."""
    pkg = (await _active(metrc, 1))[0]
    rows = [{"PackageLabel": pkg["Label"], "Note": "n"}]
    assert (await write(metrc, "PUT", "/packages/v2/note", rows)).content == b""
    metrc_world.settings.ids_on_every_write = True
    r = await write(metrc, "PUT", "/packages/v2/note", rows)
    assert r.json() == {"Ids": [pkg["Id"]], "Warnings": None}
    check_schema("_common/WriteResponse", r.json())


async def test_504_after_a_write_keeps_the_write(metrc, metrc_world):
    pkg = (await _active(metrc, 1))[0]
    metrc_world.ops.add_fault("504", next=1, method="PUT")
    r = await write(metrc, "PUT", "/packages/v2/note", [{"PackageLabel": pkg["Label"], "Note": "after the gateway timeout"}])
    assert r.status_code == 504 and r.headers["content-type"].startswith("text/html")
    assert (await one(metrc, "packages", pkg["Id"]))["Note"] == "after the gateway timeout"


async def test_pre_handler_fault_on_a_write_does_not_apply_it(metrc, metrc_world):
    pkg = (await _active(metrc, 1))[0]
    metrc_world.ops.add_fault("500", next=1, method="PUT")
    r = await write(metrc, "PUT", "/packages/v2/note", [{"PackageLabel": pkg["Label"], "Note": "lost"}])
    assert r.status_code == 500 and set(r.json()) == {"Message"}
    assert (await one(metrc, "packages", pkg["Id"]))["Note"] == pkg["Note"]


async def test_future_dates_and_unknown_names_are_row_errors(metrc, metrc_world):
    a, b = await _active(metrc, 2)
    r = await write(metrc, "PUT", "/packages/v2/location", [{"Label": a["Label"], "Location": "Vault", "MoveDate": "2999-01-01"}, {"Label": b["Label"], "Location": "Nowhere", "MoveDate": today(metrc_world)}])
    assert r.status_code == 400
    assert [e["row"] for e in r.json()] == [0, 1]
    assert "future" in r.json()[0]["message"] and "Nowhere" in r.json()[1]["message"]


async def test_every_write_is_found_again_by_a_last_modified_window(metrc, metrc_world):
    """The sync contract (§6.3): after writes, a window from just before them finds each changed object."""
    before = stamp(metrc_world.now() - timedelta(milliseconds=1))
    pkgs = await _active(metrc, 2)
    day = today(metrc_world)
    await write(metrc, "PUT", "/packages/v2/note", [{"PackageLabel": pkgs[0]["Label"], "Note": "touched"}])
    await write(metrc, "PUT", "/packages/v2/finish", [{"Label": pkgs[1]["Label"], "ActualDate": day}])
    window = lic(lastModifiedStart=before, lastModifiedEnd=stamp(metrc_world.now()))
    active = {p["Id"] for p in (await metrc.get("/packages/v2/active", params=window)).json()["Data"]}
    inactive = {p["Id"] for p in (await metrc.get("/packages/v2/inactive", params=window)).json()["Data"]}
    assert active == {pkgs[0]["Id"]} and inactive == {pkgs[1]["Id"]}
