"""growtui sync | export | outbox: the real commands in their own processes, on a real sandbox
server over HTTP, writing and reading the app's own cache."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from growtui.sandbox.t3.runner import SandboxConfig, serve_in_thread
from tests.sandbox_fixtures import CA_LOGIN, CA_USER, MAIN_LICENSE, bearer

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = ["--username", CA_USER, "--hostname", CA_LOGIN["hostname"]]


def growtui(*args: str, password: str | None = CA_LOGIN["password"], **env: str) -> subprocess.CompletedProcess:
    """``growtui ARGS`` in a new process with this test's (isolated) XDG dirs; stdin is not a tty."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    environ.pop("GROWTUI_PASSWORD", None)
    if password is not None:
        environ["GROWTUI_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "growtui", *args], env=environ, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def server_total(server, path: str) -> int:
    answer = httpx.get(f"{server.base_url}/v2/{path}", headers=bearer(server.world),
                       params={"licenseNumber": MAIN_LICENSE, "page": 1, "pageSize": 1})
    return int(answer.json()["total"])


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(packages=1200)  # ~890 active: two pages of 500


def test_sync_loads_completely_then_export_works_offline(sandbox_config, tmp_path):
    with serve_in_thread(sandbox_config) as server:
        host = ["--host", server.base_url]
        done = growtui("sync", *host, *ACCOUNT, "--license", MAIN_LICENSE,
                       "--collections", "packages:active,items", "--json")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        by_name = {c["name"]: c for c in summary["collections"]}
        assert set(by_name) == {"packages:active", "items"}
        assert by_name["packages:active"]["rows"] == server_total(server, "packages/active") > 500  # several pages
        assert by_name["items"]["rows"] == server_total(server, "items")
        assert by_name["packages:active"]["requests"] >= 2 and summary["http_429"] == 0
        assert summary["requests"] == sum(c["requests"] for c in summary["collections"])
        for entry in summary["collections"]:
            assert {"name", "rows", "requests", "http_429", "seconds"} <= set(entry)
        rows = by_name["packages:active"]["rows"]
    # The server is gone: export reads the cache only.
    out = tmp_path / "exports" / "active.csv"
    exported = growtui("export", "packages", "--state", "active", "--license", MAIN_LICENSE, "--format", "csv",
                       "--output", str(out),
                       "--host", server.base_url, *ACCOUNT, password=None)
    assert exported.returncode == 0, exported.stderr
    lines = list(csv.reader(out.open(encoding="utf-8")))
    assert len(lines) == rows + 1 and lines[0][:2] == ["Tag", "Item"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    as_json = growtui("export", "packages:active", "--license", MAIN_LICENSE, "--format", "json",
                      "--host", server.base_url, *ACCOUNT, password=None)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert len(records) == rows and list(records[0]) == lines[0]


def test_sync_exits_non_zero_when_a_list_does_not_load(sandbox_config):
    with serve_in_thread(sandbox_config) as server:
        server.world.ops.add_fault("503", rate=1.0, path="/v2/packages/active")
        done = growtui("sync", "--host", server.base_url, *ACCOUNT, "--license", MAIN_LICENSE,
                       "--collections", "items,packages:active", "--json")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    by_name = {c["name"]: c for c in summary["collections"]}
    assert by_name["items"]["complete"] is True
    assert by_name["packages:active"]["complete"] is False and by_name["packages:active"]["error"]


def test_the_password_never_comes_from_argv():
    refused = growtui("sync", "--password", "sandbox-ca-pass", *ACCOUNT)
    assert refused.returncode == 2 and "--password" in refused.stderr
    unknown = growtui("sync", "--backend", "nosuch", *ACCOUNT)
    assert unknown.returncode == 2 and "nosuch" in unknown.stderr
    # No GROWTUI_PASSWORD and no terminal to ask on: a clear refusal, nothing sent.
    missing = growtui("sync", *ACCOUNT, password=None)
    assert missing.returncode == 2 and "GROWTUI_PASSWORD" in missing.stderr


def test_training_sync_without_host_fills_the_training_cache():
    done = growtui("sync", "--backend", "t3", "--username", CA_USER, "--license", MAIN_LICENSE,
                   "--collections", "strains", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["collections"][0]["rows"]
    exported = growtui("export", "strains", "--username", CA_USER, "--license", MAIN_LICENSE, "--format", "json",
                       password=None)
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)) == rows > 0


async def test_outbox_lists_each_write_with_its_outcome(sandbox_config):
    from growtui.backends.base import Credentials
    from growtui.backends.t3.backend import T3Backend
    from growtui.data.store import DataStore
    from growtui.domain.actions import AddNote
    from growtui.domain.collections import Collection
    from growtui.ui.wiring import cache_root

    with serve_in_thread(sandbox_config) as server:
        # A write sent the way the app sends it, into the app's journal for this account.
        store = DataStore(T3Backend(server.base_url), cache_root=cache_root(training=False))
        await store.login(Credentials(**CA_LOGIN))
        await store.refresh(MAIN_LICENSE, Collection.parse("packages/active"), full=True)
        ids = tuple(row[0] for row in store.cache.display_rows(MAIN_LICENSE, Collection.parse("packages/active"))[:2])
        outcome = await store.submit(MAIN_LICENSE, AddNote(ids, (), "counted \x1b[2J by the night shift"))
        await store.aclose()
    listed = growtui("outbox", "--host", server.base_url, *ACCOUNT, "--json", password=None)
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert entry["id"] == outcome.entry_id and entry["status"] == outcome.status.value == "sent"
    assert entry["kind"] == "AddNote" and entry["license"] == MAIN_LICENSE
    text = growtui("outbox", "--host", server.base_url, *ACCOUNT, password=None)
    assert text.returncode == 0 and "SENT" in text.stdout and "\x1b" not in text.stdout


async def test_export_writes_what_the_apps_csv_export_writes(sandbox_config):
    """The same columns (the ones chosen in the app, in its order) and the same rows as `e` in the
    app, from the cache the app filled."""
    from growtui.config import Settings, UiState
    from growtui.ui.app import create_app
    from growtui.ui.wiring import training_demo_users
    from tests.ui.conftest import open_main, settle

    UiState().set_columns("packages/active", ["quantity", "label", "item"])
    with serve_in_thread(sandbox_config) as server:
        app = create_app(Settings(host=server.base_url), demo_users=training_demo_users(), contain_errors=False)
        async with app.run_test(size=(100, 30)) as pilot:
            main = await open_main(pilot)
            await pilot.press("4")
            await settle(pilot)
            assert main.collection.key == "packages/active" and len(main.source)
            main.action_export()
            await settle(pilot)
            license = main.license_number
            from_app = main.last_export
    assert stat.S_IMODE(from_app.stat().st_mode) == 0o600
    assert stat.S_IMODE(from_app.parent.stat().st_mode) == 0o700
    exported = growtui("export", "packages:active", "--license", license, "--format", "csv",
                       "--host", server.base_url, *ACCOUNT, password=None)
    assert exported.returncode == 0, exported.stderr
    app_lines = list(csv.reader(from_app.open(encoding="utf-8", newline="")))
    cli_lines = list(csv.reader(io.StringIO(exported.stdout, newline="")))
    assert app_lines[0] == cli_lines[0] == ["Qty", "Tag", "Item"]
    assert sorted(app_lines[1:]) == sorted(cli_lines[1:]) and len(cli_lines) > 100


def test_help_documents_the_commands():
    top = growtui("--help")
    assert top.returncode == 0
    for command in ("growtui sync", "growtui export", "growtui outbox", "GROWTUI_PASSWORD"):
        assert command in top.stdout
    sync = growtui("sync", "--help").stdout
    for option in ("--backend", "--host", "--username", "--hostname", "--license", "--collections", "--json",
                   "GROWTUI_PASSWORD"):
        assert option in sync
    export = growtui("export", "--help").stdout
    for option in ("COLLECTION", "--state", "--license", "--format", "--output"):
        assert option in export
    assert "--json" in growtui("outbox", "--help").stdout
