"""A training session never shows rows cached from an earlier training world."""

from __future__ import annotations

from growtui.config import Settings
from growtui.data.cache import default_cache_root
from growtui.ui.wiring import build_backend, build_store


async def test_training_cache_is_separate_and_starts_empty():
    stale = default_cache_root() / "training" / "ca.metrc.com-grower.ca.sqlite"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"rows of a world that no longer exists")
    real = default_cache_root() / "ca.metrc.com-grower.ca.sqlite"
    real.write_bytes(b"a real host's cache")

    settings = Settings()
    assert settings.training
    backend = build_backend(settings)
    store = build_store(backend, training=True)
    try:
        assert store.cache_root == default_cache_root() / "training"
        assert not stale.exists()
        assert real.read_bytes() == b"a real host's cache"  # real caches are left alone
    finally:
        await store.aclose()
        await backend.aclose()
