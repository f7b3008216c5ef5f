"""Sync benchmark for Metrc's own API: growtui's Metrc backend vs the loaders integrators write
(bench/metrc_peers.py), side by side in one run on one loopback Metrc sandbox with Metrc's GET
limits on (50 GETs/s and 10 at once per facility, 150/s per vendor key: 429 beyond them).

    python bench/sync_metrc.py            # 5,000 active packages (250 pages of 20), 300 ms latency
    python bench/sync_metrc.py --quick    # 1,000 packages, 50 ms latency (seconds)

The sandbox runs in a child process (its CPU does not share a GIL with the loader measured). Each
loader is a cold full load of /packages/v2/active over one wide lastModified window at pageSize 20.
Prints a table (seconds, requests, 429s, rows, CPU seconds) and a last line of key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import metrc_peers, peers  # noqa: E402
from bench.sync import RecordingTransport, SandboxProcess, print_table  # noqa: E402
from growtui.backends.base import Credentials  # noqa: E402
from growtui.backends.metrc.backend import MetrcBackend  # noqa: E402
from growtui.data.store import DataStore  # noqa: E402
from growtui.domain.collections import Collection, Family  # noqa: E402
from growtui.sandbox.metrc.runner import MetrcSandboxConfig, serve_in_thread  # noqa: E402
from growtui.sandbox.metrc.seed import GROWER_KEY, MAIN, VENDOR_KEY  # noqa: E402

HOST = "sandbox-api-co.metrc.com"
PATH = "/packages/v2/active"
ACTIVE = Collection(Family.PACKAGES, "active")
KEYS = (VENDOR_KEY, GROWER_KEY)


def _serve(config: MetrcSandboxConfig, conn: Any) -> None:
    with serve_in_thread(config) as server:
        conn.send(server.base_url)
        while conn.recv()[0] != "stop":
            conn.send(None)
        conn.send(None)


def growtui_load(base_url: str, cache_root: Path) -> peers.LoadResult:
    rec = peers.Recorder()

    async def run() -> peers.LoadResult:
        backend = MetrcBackend(base_url, transport=RecordingTransport(rec))
        store = DataStore(backend, cache_root=cache_root, page_size=metrc_peers.PAGE_SIZE)
        await store.login(Credentials(hostname=HOST, vendorKey=VENDOR_KEY, userKey=GROWER_KEY))
        rec.starts.clear()
        rec.statuses.clear()
        t0 = time.perf_counter()
        result = await store.refresh(MAIN.number, ACTIVE, full=True)
        seconds = time.perf_counter() - t0
        await store.aclose()
        return peers.LoadResult("growtui", seconds, result.rows_fetched, result.cached, 0, rec)

    return asyncio.run(run())


def measured(load: Any) -> dict[str, Any]:
    cpu0 = time.process_time()
    res = load()
    cpu = time.process_time() - cpu0
    time.sleep(1.5)  # let the sandbox's per-second buckets refill before the next loader
    return {
        "loader": res.name, "seconds": round(res.seconds, 2), "requests": res.recorder.requests,
        "http_429": res.recorder.http_429, "rows": res.unique, "failed_pages": res.failed_pages,
        "cpu_s": round(cpu, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 packages at 50 ms (seconds)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    packages, latency = (1_000, 50.0) if args.quick else (5_000, 300.0)
    config = MetrcSandboxConfig(seed=7, packages=packages, latency_ms=latency)
    with tempfile.TemporaryDirectory(prefix="growtui-bench-metrc-") as tmp, \
            SandboxProcess(config, serve=_serve) as server:
        url = server.base_url
        rows = [measured(lambda: growtui_load(url, Path(tmp)))]
        for peer in (metrc_peers.sequential, metrc_peers.throttled, metrc_peers.unbounded_pool):
            rows.append(measured(lambda peer=peer: peer(url, KEYS, MAIN.number, PATH)))
    print_table(f"Metrc cold load of {PATH}, pageSize {metrc_peers.PAGE_SIZE}, latency {latency:g} ms, "
                f"GET limits 50/s and 10 at once per facility, cpu_count={os.cpu_count()}", rows)
    ours, seq, thr, pool = rows
    complete = [r for r in (thr, pool) if r["rows"] == ours["rows"] and not r["failed_pages"]]
    fastest = min((r["seconds"] for r in complete), default=float("nan"))
    summary = {
        "active_packages": ours["rows"],
        "growtui_s": ours["seconds"], "sequential_s": seq["seconds"], "throttled_s": thr["seconds"],
        "unbounded_s": pool["seconds"],
        "speedup_vs_sequential": round(seq["seconds"] / ours["seconds"], 2),
        "ratio_vs_fastest_complete_peer": round(ours["seconds"] / fastest, 3),
        "growtui_429": ours["http_429"], "throttled_429": thr["http_429"], "unbounded_429": pool["http_429"],
        "unbounded_rows": pool["rows"], "growtui_cpu_share": round(ours["cpu_s"] / ours["seconds"], 2),
    }
    print()
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
