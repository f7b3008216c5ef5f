"""A big load's page bodies leave the process once written: glibc keeps freed heap in its arenas,
so without ``malloc_trim`` a 10k-row load left the process ~60 MB bigger (a 100k-row load
~300 MB) for as long as it ran. The load runs in a fresh interpreter so its size is its own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from growtui.data.heap import release_free_memory
from growtui.sandbox.t3.runner import SandboxConfig, serve_in_thread

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not release_free_memory(), reason="needs Linux with glibc's malloc_trim"
)

LOAD = """
import asyncio, json, sys, tempfile
from pathlib import Path
from growtui.backends.base import Credentials
from growtui.backends.t3.backend import T3Backend
from growtui.data.store import DataStore
from growtui.domain.collections import Collection

def rss_mb():
    with open("/proc/self/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS")).split()[1]) / 1024

async def main(url):
    with tempfile.TemporaryDirectory() as tmp:
        store = DataStore(T3Backend(url), cache_root=Path(tmp))
        await store.login(Credentials(hostname="ca.metrc.com", username="grower.ca", password="sandbox-ca-pass"))
        before = rss_mb()
        result = await store.refresh("CCL21-0000123", Collection.parse("packages/active"), full=True)
        writer = store.engine._writer
        while writer.running:  # the thread ends a moment after the last page
            await asyncio.sleep(0.05)
        print(json.dumps({"rows": result.cached, "grew_mb": rss_mb() - before}))
        await store.aclose()

asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def big_server():
    with serve_in_thread(SandboxConfig(seed=7, packages=14_000, rate_limit=None)) as srv:
        yield srv


def test_a_load_gives_its_page_memory_back(big_server):
    done = subprocess.run(
        [sys.executable, "-c", LOAD, big_server.base_url], capture_output=True, text=True, timeout=300, check=True
    )
    out = json.loads(done.stdout)
    assert out["rows"] > 9_000  # ~60 MB of page bodies went through the process
    assert out["grew_mb"] < 30, out
