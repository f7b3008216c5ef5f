"""A big list first drawn from its first rows (DataStore.open_list with ``first``) looks exactly as it
does once every row is read: same lines, same column widths, cursor where it was. Real SQLite cache,
real RecordList."""

from __future__ import annotations

from growtui.backends.t3.mapping import raw_paths
from growtui.config import AccountKey
from growtui.data.cache import Cache, cache_path
from growtui.data.index import WIDTH_SAMPLE, ListIndex
from growtui.domain.collections import Collection
from growtui.ui.row_source import IndexRowSource
from growtui.ui.widgets.record_list import RecordList
from tests.ui.widgets.test_index_source import IndexApp, raw_package

ACTIVE = Collection.parse("packages/active")
LIC = "LIC-1"


def screen_lines(rl: RecordList) -> list[str]:
    return [rl.render_line(y).text for y in range(rl.size.height)]


async def test_first_rows_then_filled_show_the_same_screen(tmp_path):
    cache = Cache(cache_path(tmp_path, AccountKey.of("https://t3.example", "ca.metrc.com", "u")), raw_paths)
    rows = [raw_package(i) for i in range(5000)]
    rows[3000]["item"] = {"name": "A much longer item name than any row above it", "strainName": "Gelato"}
    cache.store_rows(LIC, ACTIVE, rows)
    window = cache.display_window(LIC, ACTIVE, 30, WIDTH_SAMPLE)
    index = ListIndex.opening(ACTIVE, window.count, window.head, window.sample,
                              lambda: cache.display_rows(LIC, ACTIVE, apart=True), lambda key: None)
    source = IndexRowSource(index)
    app = IndexApp(source)
    try:
        async with app.run_test(size=(140, 24)) as pilot:
            await pilot.pause()
            rl = app.query_one(RecordList)
            rl.action_cursor_down()
            await pilot.pause()
            before, widths = screen_lines(rl), list(rl._widths)
            assert not index.complete and len(source) == 5000
            assert "A much longer item name" not in "".join(before)  # row 3000 is far below
            index.fill()
            rl.data_changed()
            await pilot.pause()
            assert index.complete
            assert screen_lines(rl) == before and rl._widths == widths
            assert rl.cursor_row == 1
    finally:
        cache.close()


def test_the_first_screens_leave_heavy_modules_for_when_they_are_used():
    """A start imports the app, its screens and what the main screen's keys ask (paper: are labels
    offered?); reportlab (PDF and QR), keyring and the palette come when first used."""
    import subprocess
    import sys

    code = ("import sys, growtui.ui.app, growtui.ui.screens.main, growtui.ui.paper; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'keyring'}),"
            " 'growtui.ui.commands' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "False"]


def test_a_warm_start_leaves_the_sign_in_screens_and_dialogs_for_when_they_are_used():
    """A warm start shows the main screen from the cache: the sign-in form, license picker, lock
    screen and their dialogs (and the columns dialog, the export writer) are imported when used."""
    import subprocess
    import sys

    later = ["growtui.ui.screens.login", "growtui.ui.screens.license_picker", "growtui.ui.screens.lock",
             "growtui.ui.modals.reauth", "growtui.ui.modals.pin", "growtui.ui.modals.discard",
             "growtui.ui.modals.columns", "growtui.ui.export", "growtui.keyring_shelf"]
    code = f"import sys, growtui.ui.app, growtui.ui.screens.main; print([m for m in {later!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_app_takes_the_gil_back_within_a_millisecond():
    """Building the app shortens the GIL switch interval (Python's default is 5 ms): the event loop
    gives the GIL up at every socket read and poll, and while a load's writer thread is busy in
    Python each of those waited up to 5 ms to get it back (frames 190-280 ms apart during a load)."""
    import subprocess
    import sys

    code = ("import sys; from growtui.ui.launch import parse_settings; from growtui.ui.app import create_app; "
            "before = sys.getswitchinterval(); create_app(parse_settings(['--host', 'http://127.0.0.1:9']));"
            " print(before, sys.getswitchinterval())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert [float(v) for v in out.split()] == [0.005, 0.001]


def test_the_app_leaves_httpx_command_line_unimported():
    """httpx imports its command line (click) when click is installed; a built app talks HTTP
    through httpx without it."""
    import subprocess
    import sys

    code = ("import sys; from growtui.ui.launch import parse_settings; from growtui.ui.app import create_app; "
            "app = create_app(parse_settings(['--host', 'http://127.0.0.1:9'])); import httpx; "
            "print('httpx' in sys.modules, 'click' in sys.modules, callable(httpx.Client))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False", "True"]


def test_a_built_app_makes_its_http_client_when_it_first_sends():
    """Making an httpx client loads the TLS certificates (tens of ms before a warm start's first
    frame); the backend's client is made by the first request instead."""
    from growtui.ui.app import create_app
    from growtui.ui.launch import parse_settings

    app = create_app(parse_settings(["--host", "http://127.0.0.1:9"]))
    client = app.backend.client
    assert not client.started and client.stats.requests == 0
    assert client.http.base_url == "http://127.0.0.1:9"  # made on first use, with the address
    assert client.started and client.http is client.sender.client


def test_a_start_runs_no_library_search():
    """The heap trim (data/heap.py) finds malloc_trim among the process's own symbols when first
    used: ``ctypes.util.find_library`` ran ldconfig at import, 25 ms of every start."""
    import subprocess
    import sys

    code = "import sys, growtui.ui.app, growtui.ui.screens.main; print('ctypes.util' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
