"""Child process of bench/ui.py: warm start of the real app from a warm SQLite cache.

    python bench/warm_paint.py prepare SANDBOX_URL   # sign in once: keep the token and the license
    python bench/warm_paint.py run SANDBOX_URL       # growtui --host URL --stay-signed-in (headless 80x24)
    python bench/warm_paint.py stream SANDBOX_URL    # the same, packages never loaded: the largest
                                                     # frame gap while they load

The XDG_* directories (cache, state, config, data) must point at the bench's temporary home, whose
cache already holds the loaded lists. ``run`` is what a user's next start does: import the app,
open the remembered license's main screen from the cache (the saved session and the licenses are
checked upstream behind it, after the first frame); the bench
then opens packages/active from the cache at once (as the key 4 does) and waits for the first frame
whose list shows those rows. It prints one JSON line with wall-clock times (epoch seconds, so the
parent can count from the moment it started this process):
  imported_at  the app's modules imported (nothing else done yet)
  frame_at     the end of the first frame showing the packages' first rows
  ready_at     every row in memory (filter, sort and scan work on all of them)
  rows, first_row, rss_mb (resident set size once every row is in memory)
``stream`` prints rows, seconds (of the load) and max_gap_s: the longest time between two frames
from the load's first page until its rows are shown, while a timer asks for a frame every 1/60 s
(as anything moving on screen would).
"""

from __future__ import annotations

import time

T_START = time.time()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from growtui.ui.app import create_app  # noqa: E402
from growtui.ui.launch import parse_settings  # noqa: E402

T_IMPORTED = time.time()

LICENSE = "CCL21-0000123"  # bench/sync.py's (not imported here: it pulls in the sandbox server)
PACKAGES = "packages/active"
USER = {"hostname": "ca.metrc.com", "username": "grower.ca", "password": "sandbox-ca-pass"}


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


async def prepare(base_url: str) -> None:
    """Sign in as the app does with --stay-signed-in, keep the token and the license, and cache the
    list the main screen opens first (so the measured start loads nothing from upstream)."""
    from growtui.backends.base import Credentials
    from growtui.config import UiState
    from growtui.domain.collections import Collection
    from growtui.ui.sections import available_sections

    app = create_app(parse_settings(["--host", base_url, "--stay-signed-in"]))
    store = app.store
    session = await store.login(Credentials(**USER))
    app.remember_token(session)
    UiState().set_last_license(store.account_of(session), LICENSE)
    first = available_sections(tuple(app.backend.collections))[0].collections[0]
    if first != Collection.parse(PACKAGES):
        await store.refresh(LICENSE, first, full=True)
    await store.aclose()


def run(base_url: str) -> dict[str, object]:
    from growtui.domain.collections import Collection
    from growtui.ui.screens.main import MainScreen

    packages = Collection.parse(PACKAGES)
    app = create_app(parse_settings(["--host", base_url, "--stay-signed-in"]))
    out: dict[str, object] = {"imported_at": T_IMPORTED, "started_at": T_START}
    mounted = MainScreen.on_mount

    def on_mount(screen: MainScreen) -> None:  # the user presses 4 as soon as the screen is there
        mounted(screen)
        screen.show_collection(packages)

    MainScreen.on_mount = on_mount  # type: ignore[method-assign]
    display = app._display

    def showing_rows() -> bool:
        main = app.main_screen
        if main is None or app.screen is not main or main.collection != packages or main.source is None:
            return False
        lst = main.record_list
        return lst.size.height > 1 and len(main.source) > 0

    def watching_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and "frame_at" not in out and showing_rows():
            out["frame_at"] = time.time()
            out["first_line"] = app.main_screen.record_list.render_line(1).text.strip()
            app.call_later(wait_until_ready)

    async def wait_until_ready() -> None:
        main = app.main_screen
        while not ready(main):
            await asyncio.sleep(0.005)
        out["ready_at"] = time.time()
        source = main.source
        out["rows"] = len(source.index)
        out["first_row"] = str(source.row_cells(0)[0])
        out["rss_mb"] = rss_mb()
        app.exit()

    app._display = watching_display
    app.run(headless=True, size=(80, 24))
    if "rows" not in out:
        raise SystemExit(f"the app ended before the list was shown: {out}")
    if not str(out["first_line"]).startswith(str(out["first_row"])[:10]):
        raise SystemExit(f"first row not on screen: {out['first_line']!r} (want {out['first_row']!r})")
    return out


def stream(base_url: str) -> dict[str, object]:
    from growtui.domain.collections import Collection
    from growtui.ui.messages import ListRefreshProgress
    from growtui.ui.screens.main import MainScreen

    packages = Collection.parse(PACKAGES)
    app = create_app(parse_settings(["--host", base_url, "--stay-signed-in"]))
    frames: list[float] = []
    out: dict[str, object] = {}
    mounted = MainScreen.on_mount
    progressed = MainScreen.on_list_refresh_progress

    def on_mount(screen: MainScreen) -> None:
        mounted(screen)
        screen.show_collection(packages)
        screen.set_interval(1 / 60, screen.status.refresh)  # a frame is wanted all the time

    def on_progress(screen: MainScreen, message: ListRefreshProgress) -> None:
        out.setdefault("started_at", time.time())
        progressed(screen, message)

    MainScreen.on_mount = on_mount  # type: ignore[method-assign]
    MainScreen.on_list_refresh_progress = on_progress  # type: ignore[method-assign]
    display = app._display

    def watching_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is None or "started_at" not in out:
            return
        frames.append(time.time())
        main = app.main_screen
        if "shown_at" not in out and main is not None and not main.refreshing and main.source is not None \
                and len(main.source.index) and main.source.index.complete:
            out["shown_at"] = frames[-1]
            out["rows"] = len(main.source.index)
            app.exit()

    app._display = watching_display
    app.run(headless=True, size=(80, 24))
    if "shown_at" not in out:
        raise SystemExit(f"the load did not finish on screen: {out}")
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    return {"rows": out["rows"], "seconds": out["shown_at"] - out["started_at"], "frames": len(frames),
            "max_gap_s": max(gaps, default=0.0)}


def ready(main) -> bool:
    """Every row of the list in memory (an index still being completed says so)."""
    index = main.source.index
    return getattr(index, "complete", True)


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "prepare":
        asyncio.run(prepare(url))
    else:
        print(json.dumps(run(url) if mode == "run" else stream(url)))
