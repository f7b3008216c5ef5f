"""The sandbox shares nothing with the client it tests: the import-linter contract that says so
must name every other top-level module of growtui, including ones added after it was written."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import growtui

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "The sandbox imports nothing from growtui outside growtui.sandbox"


def test_the_sandbox_contract_forbids_every_other_top_level_module():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c["name"] == CONTRACT)
    assert contract["source_modules"] == ["growtui.sandbox"]
    others = {f"growtui.{m.name}" for m in pkgutil.iter_modules(growtui.__path__)} - {"growtui.sandbox"}
    assert others <= set(contract["forbidden_modules"]), sorted(others - set(contract["forbidden_modules"]))
