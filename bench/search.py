"""Deep search benchmark: `?` over every cached row of a license, against two ways a tool without
growtui's search lines would answer, on the same real SQLite cache file.

    python bench/search.py                 # 100,000 packages (the main T3 sandbox license), 7 queries
    python bench/search.py --rows 20000    # a smaller cache

The cache is filled through Cache.store_rows (as a sync stores pages) with the T3 sandbox's seeded
packages, whose raw JSON nests the item, lab results and location (about 2.5 KB a row). Then:
  growtui     DeepSearch.search after DeepSearch.catch_up has indexed the rows (the one-time
              indexing is timed apart, as "index_s"); every query also runs catch_up first, as the
              app does, so the figure includes checking for new rows
  decode      the obvious approach: read every cached raw row, decode it, search its JSON text
  json_like   raw JSON text in SQLite and LIKE over it (a tool that caches JSON as text)
Each query's time is the median of 3 runs; the figure per method is the median over the queries.
Target: growtui < 200 ms at 100k rows. Last line: key=value summary.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from growtui.backends.t3.mapping import raw_paths  # noqa: E402
from growtui.config import AccountKey  # noqa: E402
from growtui.data.cache import Cache, cache_path  # noqa: E402
from growtui.data.raw_json import decode_raw  # noqa: E402
from growtui.data.search import DeepSearch  # noqa: E402
from growtui.domain.collections import Collection, Family  # noqa: E402
from growtui.sandbox.t3.runner import SandboxConfig, build_world_from  # noqa: E402

TARGET_MS = 200.0
ACTIVE = Collection(Family.PACKAGES, "active")


def seeded_packages(rows: int) -> tuple[str, list[dict]]:
    world = build_world_from(SandboxConfig(packages=rows))
    lic = max(world.licenses.values(), key=lambda state: len(state.packages))
    return lic.license_number, [json.loads(json.dumps(p)) for p in lic.packages.values()]


def queries(packages: list[dict]) -> list[str]:
    """Common and rare words, a whole tag, two words, a number, a miss."""
    last = packages[-1]
    return [
        "flower", str(last["label"]).lower(), str(last["label"])[-6:].lower(),
        f"{(last.get('item') or {}).get('strainName', 'gelato')} active".lower(),
        str(last.get("quantity")), "vault", "no such text anywhere",
    ]


def timed(run, repeats: int = 3) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    license, packages = seeded_packages(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(cache_path(Path(tmp), AccountKey.of("https://bench.test", "ca.metrc.com", "bench")), raw_paths)
        for start in range(0, len(packages), 500):
            cache.store_rows(license, ACTIVE, packages[start : start + 500])
        deep = DeepSearch(cache.path)
        t0 = time.perf_counter()
        indexed = deep.catch_up()
        index_s = time.perf_counter() - t0

        def growtui(q: str) -> int:
            deep.catch_up()
            return len(deep.search(license, q)[0])

        reader = sqlite3.connect(cache.path)

        def decode(q: str) -> int:
            words = q.split()
            hits = 0
            for (blob,) in reader.execute("SELECT raw FROM raws WHERE license=?", (license,)):
                text = json.dumps(decode_raw(blob), ensure_ascii=False).casefold()
                hits += all(w in text for w in words)
            return hits

        texts = sqlite3.connect(":memory:")
        texts.execute("CREATE TABLE t (license TEXT, body TEXT)")
        texts.executemany("INSERT INTO t VALUES (?, ?)", ((license, json.dumps(p)) for p in packages))

        def json_like(q: str) -> int:
            where = " AND ".join("body LIKE ?" for _ in q.split())
            sql = f"SELECT count(*) FROM t WHERE license=? AND {where}"
            return texts.execute(sql, (license, *(f"%{w}%" for w in q.split()))).fetchone()[0]

        results: dict[str, list[float]] = {"growtui": [], "decode": [], "json_like": []}
        print(f"{len(packages):,} cached rows of {license}; indexed {indexed:,} rows once in {index_s:.2f} s")
        print(f"{'query':<34} {'growtui ms':>10} {'decode ms':>10} {'json_like ms':>12}  hits")
        for q in queries(packages):
            row = []
            for name, method in (("growtui", growtui), ("decode", decode), ("json_like", json_like)):
                ms, found = timed(lambda: method(q))
                results[name].append(ms)
                row.append((ms, found))
            print(f"{q[:34]:<34} {row[0][0]:>10.1f} {row[1][0]:>10.1f} {row[2][0]:>12.1f}  {row[0][1]}")
        deep.close()
        cache.close()
    med = {name: statistics.median(times) for name, times in results.items()}
    worst = max(results["growtui"])
    met = worst < TARGET_MS
    print(f"median ms: growtui {med['growtui']:.1f}, decode {med['decode']:.1f} ({med['decode'] / med['growtui']:.0f}x), "
          f"json_like {med['json_like']:.1f} ({med['json_like'] / med['growtui']:.1f}x); slowest growtui query {worst:.1f} ms")
    print(f"search_rows={len(packages)} search_ms_median={med['growtui']:.1f} search_ms_max={worst:.1f} "
          f"index_s={index_s:.2f} decode_ratio={med['decode'] / med['growtui']:.1f} "
          f"json_like_ratio={med['json_like'] / med['growtui']:.2f} target_lt_{TARGET_MS:.0f}ms={'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
