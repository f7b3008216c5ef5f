"""DataStore.resume: a saved token (--stay-signed-in) opens the same per-user cache as `login`."""

from __future__ import annotations

import dataclasses

import pytest

from growtui.backends.base import ReauthRequired
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore, NotSignedIn

from .conftest import ACTIVE, FAST_RETRY, LICENSE, world_keys


def fresh_store(server, tmp_path) -> DataStore:
    """A new process: new backend, no session, the same cache directory."""
    return DataStore(T3Backend(server.base_url, retry=FAST_RETRY), cache_root=tmp_path / "cache", page_size=50)


async def test_resume_opens_the_cache_login_filled(server, make_store, tmp_path):
    first = await make_store()
    await first.refresh(LICENSE, ACTIVE, full=True)
    saved = first.session
    await first.aclose()

    store = fresh_store(server, tmp_path)
    session = await store.resume(saved)
    assert session.username == "grower.ca" and store.session == session
    # The rows loaded before the restart are there without fetching: the same cache file.
    assert store.backend.stats.requests == 1  # only the token check
    assert set(store.open_list(LICENSE, ACTIVE).keys) == world_keys(server, ACTIVE)
    assert store.cache_age(LICENSE, ACTIVE) is not None
    # And the token really works for new calls.
    assert LICENSE in [lic.number for lic in await store.licenses()]
    await store.aclose()


async def test_resume_with_a_refused_token_needs_reauth_and_opens_nothing(server, make_store, tmp_path):
    first = await make_store()
    saved = first.session
    await first.aclose()
    forged = dataclasses.replace(saved, token=saved.token[:-4] + "AAAA")

    store = fresh_store(server, tmp_path)
    with pytest.raises(ReauthRequired):
        await store.resume(forged)
    assert store.session is None
    with pytest.raises(NotSignedIn):
        store.cache  # noqa: B018
    await store.aclose()


async def test_resume_with_an_expired_token_needs_reauth(server, make_store, tmp_path):
    first = await make_store()
    expired = dataclasses.replace(first.session, expires_at=1.0)
    await first.aclose()

    store = fresh_store(server, tmp_path)
    with pytest.raises(ReauthRequired):
        await store.resume(expired)
    assert store.session is None
    await store.aclose()
