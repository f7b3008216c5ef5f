"""``growtui sync --backend trace`` in its own process against the Trace sandbox over HTTP: the API
key and token from the environment only, the license from --license, every active strain loaded
by limit/offset pages, then a second sync sees a strain deactivated upstream (a full reload:
Trace cannot say what changed). And ``growtui sandbox users --system trace --json`` names each
demo account's sign-in fields as the form does."""

from __future__ import annotations

import json

from growtui.sandbox.trace.runner import TraceConfig, serve_in_thread
from growtui.sandbox.trace.store import current_state, iso
from tests.cli_process import growtui
from tests.backends.trace.conftest import MAIN, demo


def test_headless_sync_loads_every_active_strain_and_sees_a_deactivation():
    user = demo()
    keys = {"GROWTUI_X_API_KEY": user["x-api-key"], "GROWTUI_TOKEN": user["token"]}
    with serve_in_thread(TraceConfig()) as server:
        account = ["--backend", "trace", "--host", server.base_url, "--hostname", "co", "--username", "grower.co",
                   "--license", MAIN, "--json"]
        done = growtui("sync", *account, **keys)
        assert done.returncode == 0, done.stderr
        (entry,) = json.loads(done.stdout)["collections"]
        strains = server.world.licenses[MAIN].strains
        active = [s for s in strains.values() if current_state(s) == "active"]
        assert entry["name"] == "strains" and entry["rows"] == len(active) > 100 and entry["complete"]
        assert user["x-api-key"] not in done.stdout + done.stderr and user["token"] not in done.stdout + done.stderr

        with server.world.lock:
            gone = active[0]
            gone["entity_state"].append({"state": "deleted", "date": iso(server.world.now()),
                                         "reason": "Deactivated", "actioned_by": "grower.co"})
        again = growtui("sync", *account, "--collections", "strains", **keys)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["collections"][0]["rows"] == len(active) - 1


def test_headless_sync_says_what_it_needs():
    user = demo()
    with serve_in_thread(TraceConfig()) as server:
        base = ["sync", "--backend", "trace", "--host", server.base_url, "--hostname", "co", "--username", "grower.co"]
        no_license = growtui(*base, GROWTUI_X_API_KEY=user["x-api-key"], GROWTUI_TOKEN=user["token"])
        no_token = growtui(*base, "--license", MAIN, GROWTUI_X_API_KEY=user["x-api-key"])
        refused = growtui(*base, "--license", MAIN, GROWTUI_X_API_KEY="wrong-api-key", GROWTUI_TOKEN=user["token"])
    assert no_license.returncode == 2 and "--license" in no_license.stderr
    assert no_token.returncode == 2 and "GROWTUI_TOKEN" in no_token.stderr
    assert refused.returncode == 1 and "refused the API key or token" in refused.stderr


def test_sandbox_users_json_carries_the_sign_in_fields():
    done = growtui("sandbox", "users", "--system", "trace", "--json")
    assert done.returncode == 0, done.stderr
    grower = next(u for u in json.loads(done.stdout) if u["username"] == "grower.co")
    assert {"state": "co", "license_number": MAIN}.items() <= grower.items()
    assert {"x-api-key", "token"} <= set(grower)
