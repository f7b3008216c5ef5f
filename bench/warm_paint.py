"""Child process of bench/ui.py: first paint of packages/active from a warm SQLite cache.

    python bench/warm_paint.py SANDBOX_URL      # XDG_CACHE_HOME must hold the cache to open

Runs in a fresh process so nothing is warm in memory but the OS page cache. Prints one JSON line:
  import_s   importing textual, the widgets and the data layer, as the app does (not in first_paint_s)
  login_s    signing in to the sandbox (loopback, no latency), which opens the cache DB
  open_s     DataStore.open_list -> ListIndex -> IndexRowSource
  first_paint_s  from before login until the first frame of a headless App (run_test, 80x24)
                 whose RecordList shows the cached rows
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402

from growtui.backends.base import Credentials  # noqa: E402
from growtui.backends.t3.backend import T3Backend  # noqa: E402
from growtui.data.store import DataStore  # noqa: E402
from growtui.ui.row_source import IndexRowSource  # noqa: E402
from growtui.ui.widgets.record_list import RecordList  # noqa: E402
from growtui.ui.widgets.scan_input import ScanInput  # noqa: E402

T_IMPORTED = time.perf_counter()

# The bench's own modules come after the clock stops: they pull in the sandbox server (starlette).
from bench.sync import ACTIVE, LICENSE, USER  # noqa: E402
from bench.ui import WIDGETS_TCSS  # noqa: E402


class WarmApp(App):
    """The list screen's core: scan field above a RecordList over the cached index."""

    CSS_PATH = WIDGETS_TCSS

    def __init__(self, source: IndexRowSource) -> None:
        super().__init__()
        self.source = source
        self.rows_shown_at = 0.0  # end of the first frame rendered with the list laid out
        display = self._display

        def watching_display(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None and not self.rows_shown_at and self._list_laid_out():
                self.rows_shown_at = time.perf_counter()

        self._display = watching_display

    def _list_laid_out(self) -> bool:
        lists = self.query(RecordList)
        return bool(lists) and lists.first().size.height > 1

    def compose(self) -> ComposeResult:
        yield ScanInput(id="scan")
        yield RecordList(self.source)


async def measure(base_url: str) -> dict[str, float | int | str]:
    t0 = time.perf_counter()
    store = DataStore(T3Backend(base_url))  # cache root from XDG_CACHE_HOME, as the app's
    await store.login(Credentials(**USER))
    t_login = time.perf_counter()
    source = IndexRowSource(store.open_list(LICENSE, ACTIVE))
    t_open = time.perf_counter()
    app = WarmApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.rows_shown_at:
            await asyncio.sleep(0.0005)
        shown = app.rows_shown_at
        first_line = app.query_one(RecordList).render_line(1).text.strip()
        await pilot.pause()
    await store.aclose()
    first_cell = str(source.row_cells(0)[0])
    if not first_line.startswith(first_cell[:10]):
        raise SystemExit(f"first row not on screen: {first_line!r} (want {first_cell!r})")
    return {"rows": len(source), "import_s": T_IMPORTED - T_START, "login_s": t_login - t0,
            "open_s": t_open - t_login, "first_paint_s": shown - t0, "first_row": first_cell}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(sys.argv[1]))))
