"""``growtui sync --backend metrc`` in its own process against the Metrc sandbox over HTTP: keys
from the environment only, every list loaded completely within Metrc's GET limits, then an
incremental refresh picks up a change made upstream."""

from __future__ import annotations

import json

from growtui.sandbox.metrc.lists import members
from growtui.sandbox.metrc.runner import MetrcSandboxConfig, serve_in_thread
from growtui.sandbox.metrc.seed import GROWER_KEY, MAIN, VENDOR_KEY
from tests.cli_process import growtui


def test_headless_sync_loads_every_list_then_refreshes_incrementally():
    keys = {"GROWTUI_VENDOR_KEY": VENDOR_KEY, "GROWTUI_USER_KEY": GROWER_KEY}
    with serve_in_thread(MetrcSandboxConfig(packages=300)) as server:  # Metrc's own GET limits
        account = ["--backend", "metrc", "--host", server.base_url, "--hostname", "api-co.metrc.com",
                   "--license", MAIN.number, "--json"]
        done = growtui("sync", *account, "--collections", "all", **keys)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        by_name = {c["name"]: c for c in summary["collections"]}
        fac = server.world.facilities[MAIN.number]
        assert by_name["packages:active"]["rows"] == len(members(fac, "packages", "active")) > 20
        assert by_name["plants:flowering"]["rows"] == len(members(fac, "plants", "flowering"))
        assert summary["complete"] and summary["http_429"] == 0
        assert server.world.ops.stats()["rate_limited"] == 0
        assert VENDOR_KEY not in done.stdout + done.stderr and GROWER_KEY not in done.stdout + done.stderr

        finished = members(fac, "packages", "active")[0]
        with server.world.lock:
            finished["IsFinished"] = True
            fac.touch(finished)
        again = growtui("sync", *account, "--collections", "packages:active", **keys)
        assert again.returncode == 0, again.stderr
        entry = json.loads(again.stdout)["collections"][0]
        assert entry["rows"] == len(members(fac, "packages", "active"))  # the finished one left
        assert entry["requests"] < by_name["packages:active"]["requests"]  # a refresh, not a reload

        # Offline, with no keys at hand: the account the keys signed in as is found in the cache.
        offline = ["--backend", "metrc", "--host", server.base_url, "--hostname", "api-co.metrc.com"]
        exported = growtui("export", "packages:active", "--format", "json", "--license", MAIN.number, *offline)
        assert exported.returncode == 0, exported.stderr
        assert len(json.loads(exported.stdout)) == entry["rows"]
        outbox = growtui("outbox", "--json", *offline)
        assert outbox.returncode == 0, outbox.stderr


def test_headless_sync_without_keys_says_where_they_come_from():
    with serve_in_thread(MetrcSandboxConfig(packages=20)) as server:
        done = growtui("sync", "--backend", "metrc", "--host", server.base_url, "--hostname", "api-co.metrc.com")
    assert done.returncode != 0 and "GROWTUI_VENDOR_KEY" in done.stderr
