"""Backends by name: the one place above ``backends/<system>/`` that knows which systems exist.

The UI and the data layer pick a backend here by name and then speak only ``backends.base``; they
never import a system's package (an import-linter contract). Each entry names, as import strings
resolved on first use, the backend class and the training sandbox that speaks its wire format.
Adding a system is adding a folder and one line below (see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from growtui.backends.base import Backend


@dataclass(frozen=True, slots=True)
class BackendEntry:
    name: str  # "t3"
    title: str  # for people: "T3 (Metrc through trackandtrace.tools)"
    backend: str  # "package.module:Class"; called with base_url=, transport=, clock= (optional)
    # The built-in training sandbox: a Starlette app factory taking a config, the config class
    # (packages=, latency_ms=, clock=) and the public list of demo users. "" when there is none.
    sandbox_app: str = ""
    sandbox_config: str = ""
    demo_users: str = ""


BACKENDS: dict[str, BackendEntry] = {
    "t3": BackendEntry(
        name="t3",
        title="T3 (Metrc through trackandtrace.tools)",
        backend="growtui.backends.t3.backend:T3Backend",
        sandbox_app="growtui.sandbox.t3.runner:build_app",
        sandbox_config="growtui.sandbox.t3.runner:SandboxConfig",
        demo_users="growtui.sandbox.t3.seed:users_public",
    ),
    "metrc": BackendEntry(
        name="metrc",
        title="Metrc (its own API, integrator and user keys)",
        backend="growtui.backends.metrc.backend:MetrcBackend",
        sandbox_app="growtui.sandbox.metrc.runner:build_app",
        sandbox_config="growtui.sandbox.metrc.runner:MetrcSandboxConfig",
        demo_users="growtui.sandbox.metrc.seed:users_public",
    ),
    "trace": BackendEntry(
        name="trace",
        title="Trace (strains: API key and KMP-JSON token)",
        backend="growtui.backends.trace.backend:TraceBackend",
        sandbox_app="growtui.sandbox.trace.runner:build_app",
        sandbox_config="growtui.sandbox.trace.runner:TraceConfig",
        demo_users="growtui.sandbox.trace.seed:users_public",
    ),
    "openthc": BackendEntry(
        name="openthc",
        title="OpenTHC (company, license, service and license keys)",
        backend="growtui.backends.openthc.backend:OpenTHCBackend",
        sandbox_app="growtui.sandbox.openthc.runner:build_app",
        sandbox_config="growtui.sandbox.openthc.runner:OpenTHCConfig",
        demo_users="growtui.sandbox.openthc.seed:users_public",
    ),
}

DEFAULT = "t3"


def names() -> tuple[str, ...]:
    return tuple(BACKENDS)


def entry(name: str = DEFAULT) -> BackendEntry:
    try:
        return BACKENDS[name]
    except KeyError:
        raise KeyError(f"unknown backend {name!r}; known: {', '.join(BACKENDS)}") from None


def resolve(target: str) -> Any:
    """``"package.module:attribute"`` -> the attribute (imported now)."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def create(name: str = DEFAULT, **options: Any) -> Backend:
    """A backend by name; ``options`` go to its constructor (base_url, transport, clock …)."""
    factory: Callable[..., Backend] = resolve(entry(name).backend)
    return factory(**options)
