"""Test-wide isolation: no test may read or write the developer's real cache, config or data dirs."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.sandbox_fixtures"]  # T3 sandbox fixtures: asgi_client, sandbox_server, …


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    for var, sub in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ):
        d = tmp_path / "xdg" / sub
        d.mkdir(parents=True)
        monkeypatch.setenv(var, str(d))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("GROWTUI_HOST", raising=False)
    yield
