"""Helpers for running T3Backend against the real sandbox (in-process ASGI or loopback HTTP)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pyotp

from growtui.backends.base import Credentials
from growtui.backends.http import NO_RETRY, RetryPolicy, UnlimitedBudget
from growtui.backends.t3 import T3Backend
from growtui.sandbox.t3.runner import SandboxConfig, build_app
from growtui.sandbox.t3.seed import ACCOUNTS

ACCOUNT = {acc.username: acc for acc in ACCOUNTS}
CA_MAIN = next(spec.number for spec in ACCOUNT["grower.ca"].licenses if spec.main)
FAST_RETRY = RetryPolicy(max_attempts=4, base_s=0.01, cap_s=0.05)


def credentials(username: str, **overrides: Any) -> Credentials:
    acc = ACCOUNT[username]
    otp = pyotp.TOTP(acc.otp_secret).now() if acc.otp_secret else None
    fields: dict[str, Any] = dict(
        hostname=acc.hostname, username=acc.username, password=acc.password, otp=otp, email=acc.email
    )
    fields.update(overrides)
    return Credentials(**fields)


def small_config(**overrides: Any) -> SandboxConfig:
    return SandboxConfig(**{"seed": 3, "packages": 120, **overrides})


def in_process(app, **kwargs: Any) -> T3Backend:
    kwargs.setdefault("budget", UnlimitedBudget())
    kwargs.setdefault("retry", NO_RETRY)
    return T3Backend("http://sandbox.test", transport=httpx.ASGITransport(app=app), **kwargs)


@contextlib.asynccontextmanager
async def signed_in(app, username: str = "grower.ca", **kwargs: Any) -> AsyncIterator[T3Backend]:
    backend = in_process(app, **kwargs)
    try:
        await backend.login(credentials(username))
        yield backend
    finally:
        await backend.aclose()


def fresh_app(**overrides: Any):
    return build_app(small_config(**overrides))
