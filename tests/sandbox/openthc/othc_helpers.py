"""Shared bits of the OpenTHC sandbox tests: sign-in, and picking seeded objects by name."""

from __future__ import annotations

from typing import Any

import httpx

from growtui.sandbox.openthc.runner import sign_in_form
from growtui.sandbox.openthc.seed import MAIN, PROCESSOR, RETAIL

__all__ = ["MAIN", "PROCESSOR", "RETAIL", "data", "named", "sign_in", "sign_in_form"]


def sign_in(client: httpx.Client, account: str = "grower", license_id: str | None = None) -> str:
    r = client.post("/auth/open", data=sign_in_form(account, license_id))
    assert r.status_code == 200, r.text
    token = r.json()["data"]
    client.headers["Authorization"] = f"Bearer {token}"
    return token


def data(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, f"{r.status_code} != {status}: {r.text[:500]}"
    return r.json()["data"]


def named(client: httpx.Client, path: str, name: str) -> dict:
    return next(row for row in data(client.get(path)) if row["name"] == name)


def lot_of(client: httpx.Client, product_name: str) -> dict:
    """The first live lot of a seeded product."""
    product = named(client, "/product", product_name)
    return next(lot for lot in data(client.get("/inventory")) if lot["product"]["id"] == product["id"] and float(lot["qty"]) > 10)
