"""``growtui sync --backend openthc`` in its own process against the OpenTHC sandbox over HTTP:
the service and license keys from the environment only, the company as --username and the one
license as --license; every live lot loaded, then a second sync sees a lot marked for deletion
upstream leave the active list (a full reload: OpenTHC cannot say what changed)."""

from __future__ import annotations

import json

from growtui.sandbox.openthc.runner import OpenTHCConfig, serve_in_thread
from tests.backends.openthc.conftest import GROWER, demo
from tests.cli_process import growtui


def test_headless_sync_loads_every_live_lot_and_sees_a_mark():
    user = demo()
    keys = {"GROWTUI_SERVICE_KEY": user["service-key"], "GROWTUI_LICENSE_KEY": user["license-key"]}
    with serve_in_thread(OpenTHCConfig()) as server:
        account = ["--backend", "openthc", "--host", server.base_url, "--hostname", "openthc",
                   "--username", user["company"], "--license", GROWER, "--json"]
        done = growtui("sync", *account, "--collections", "packages:active,plants:vegetative,strains", **keys)
        assert done.returncode == 0, done.stderr
        loaded = {e["name"]: e for e in json.loads(done.stdout)["collections"]}
        lots = server.world.licenses[GROWER].inventory
        live = [x for x in lots.values() if x["stat"] == 200 and not x.get("destroyed_at")]
        assert loaded["packages:active"]["rows"] == len(live) and loaded["packages:active"]["complete"]
        assert loaded["plants:vegetative"]["rows"] == len(server.world.licenses[GROWER].plants)
        assert user["license-key"] not in done.stdout + done.stderr and user["service-key"] not in done.stdout + done.stderr

        with server.world.lock:
            live[0]["stat"] = 410
        again = growtui("sync", *account, "--collections", "packages:active", **keys)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["collections"][0]["rows"] == len(live) - 1


def test_headless_sync_says_what_it_needs():
    user = demo()
    with serve_in_thread(OpenTHCConfig()) as server:
        base = ["sync", "--backend", "openthc", "--host", server.base_url, "--hostname", "openthc",
                "--username", user["company"]]
        keys = {"GROWTUI_SERVICE_KEY": user["service-key"], "GROWTUI_LICENSE_KEY": user["license-key"]}
        no_license = growtui(*base, **keys)
        no_key = growtui(*base, "--license", GROWER, GROWTUI_SERVICE_KEY=user["service-key"])
        refused = growtui(*base, "--license", GROWER, GROWTUI_SERVICE_KEY=user["service-key"], GROWTUI_LICENSE_KEY="wrong-key-x")
    assert no_license.returncode == 2 and "--license" in no_license.stderr
    assert no_key.returncode == 2 and "GROWTUI_LICENSE_KEY" in no_key.stderr
    assert refused.returncode == 1 and "Invalid License Key" in refused.stderr
