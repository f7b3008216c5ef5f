"""No password (nor the session token) ends up in any file after sign-in, a load and a write."""

from __future__ import annotations

import os
from pathlib import Path

from growtui.backends.base import Credentials
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore
from growtui.domain.actions import AddNote

from .conftest import ACTIVE, CREDS, FAST_RETRY, LICENSE, world_keys


def files_under(*roots: Path) -> list[Path]:
    return [Path(d) / f for root in roots for d, _, fs in os.walk(root) for f in fs]


async def test_no_secret_in_any_file(server, tmp_path):
    # The default cache root: platformdirs under the test's XDG_CACHE_HOME.
    store = DataStore(T3Backend(server.base_url, retry=FAST_RETRY), page_size=100)
    session = await store.login(CREDS)
    await store.licenses()
    await store.refresh(LICENSE, ACTIVE)
    ids = tuple(sorted(world_keys(server, ACTIVE))[30:31])
    await store.submit(LICENSE, AddNote(ids, (), "secrets test"))
    await store.aclose()

    roots = [Path(os.environ[v]) for v in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                           "XDG_STATE_HOME", "HOME")]
    files = files_under(*roots)
    assert any(f.suffix == ".sqlite" for f in files)  # the cache really is under the XDG cache dir
    for f in files:
        data = f.read_bytes()
        assert CREDS["password"].encode() not in data, f
        assert session.token.encode() not in data, f
        assert f.stat().st_mode & 0o077 == 0, f"{f} is readable by others"


def test_credentials_repr_hides_password():
    assert "sandbox" not in repr(Credentials(hostname="h", username="u", password="sandbox-secret"))
