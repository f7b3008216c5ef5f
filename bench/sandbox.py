"""Throughput of the T3 sandbox: a 50k-package license, zero latency, pageSize 500, real HTTP.

    .venv/bin/python bench/sandbox.py [--packages 50000] [--rounds 1]

The server runs in its own process (``growtui sandbox serve --port 0``) so client and server do
not share a GIL. Prints one line per measurement and a final ``key=value`` summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LICENSE = "CCL21-0000123"
PAGE_SIZE = 500


def start_server(packages: int) -> tuple[subprocess.Popen[str], str, float]:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "growtui", "sandbox", "serve", "--port", "0", "--packages", str(packages), "--rate-limit", "0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # "T3 sandbox on http://127.0.0.1:PORT  (...)"
    base_url = first.split(" on ", 1)[1].split()[0]
    with httpx.Client(base_url=base_url) as client:  # the socket is bound before the banner
        for _ in range(200):
            try:
                client.get("/v2/states")
                break
            except httpx.TransportError:
                time.sleep(0.05)
    return proc, base_url, time.perf_counter() - t0


def login(base_url: str) -> dict[str, str]:
    body = {"hostname": "ca.metrc.com", "username": "grower.ca", "password": "sandbox-ca-pass"}
    token = httpx.post(f"{base_url}/v2/auth/credentials", json=body).json()["accessToken"]
    return {"Authorization": f"Bearer {token}"}


async def fetch_all(base_url: str, headers: dict[str, str], concurrency: int, params: dict[str, str]) -> tuple[int, int, float]:
    """All pages of packages/active: page 1 for ``total``, then the rest with bounded concurrency."""
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60) as client:
        start = time.perf_counter()

        async def page(n: int) -> dict:
            r = await client.get("/v2/packages/active", params={**params, "licenseNumber": LICENSE, "page": n, "pageSize": PAGE_SIZE})
            r.raise_for_status()
            return r.json()

        first = await page(1)
        pages = math.ceil(first["total"] / PAGE_SIZE)
        sem = asyncio.Semaphore(concurrency)

        async def bounded(n: int) -> dict:
            async with sem:
                return await page(n)

        rest = await asyncio.gather(*(bounded(n) for n in range(2, pages + 1)))
        elapsed = time.perf_counter() - start
        rows = len(first["data"]) + sum(len(b["data"]) for b in rest)
        assert rows == first["total"], (rows, first["total"])
        return pages, rows, elapsed


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--packages", type=int, default=50_000)
    opts = args.parse_args(argv)
    proc, base_url, boot_s = start_server(opts.packages)
    try:
        headers = login(base_url)
        print(f"server up in {boot_s:.2f}s at {base_url} ({opts.packages} packages in the main license)")
        summary: dict[str, str] = {"packages": str(opts.packages), "boot_s": f"{boot_s:.2f}"}
        # cold query: a filter + sort the cache has not seen (one full scan and sort of 50k rows)
        t = time.perf_counter()
        r = httpx.get(f"{base_url}/v2/packages/active", headers=headers, timeout=60,
                      params={"licenseNumber": LICENSE, "pageSize": PAGE_SIZE, "sort": "lastModified:desc",
                              "filter": ["item.productCategoryName__eq:Buds", "quantity__gt:100"]})  # fmt: skip
        cold_ms = (time.perf_counter() - t) * 1000
        print(f"cold filtered+sorted first page: {cold_ms:.0f} ms (total={r.json()['total']})")
        summary["cold_query_ms"] = f"{cold_ms:.0f}"
        for conc in (1, 8):
            pages, rows, elapsed = asyncio.run(fetch_all(base_url, headers, conc, {"sort": "label:asc"}))
            rate = pages / elapsed
            print(f"concurrency={conc}: {pages} pages / {rows} rows in {elapsed:.2f}s = {rate:.1f} pages/s, {rows / elapsed:,.0f} rows/s")
            summary[f"pages_per_s_c{conc}"] = f"{rate:.1f}"
            summary[f"rows_per_s_c{conc}"] = f"{rows / elapsed:.0f}"
        print(" ".join(f"{k}={v}" for k, v in summary.items()))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
