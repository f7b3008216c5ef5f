"""80×24 snapshots of each screen: sign-in, license picker, main list, detail pane.

Deterministic: the sandbox world, the token check and the UI share one fixed clock, and the seed is
fixed. Update with `pytest tests/ui/test_snapshots.py --snapshot-update` after looking at the report.
"""

from __future__ import annotations

from pytest_textual_snapshot import SVGImageExtension

from growtui.config import Settings
from growtui.ui.app import create_app
from growtui.ui.wiring import build_backend

from .conftest import FIXED_NOW, SMALL, demo_user, settle, wait_for


async def test_screens_at_80x24(snapshot):
    settings = Settings(sandbox_packages=SMALL)
    clock = lambda: FIXED_NOW  # noqa: E731
    app = create_app(settings, backend=build_backend(settings, clock=clock), clock=clock)

    def shot(name: str) -> bool:
        return app.export_screenshot(simplify=True) == snapshot(extension_class=SVGImageExtension, name=name)

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shot("login")
        user = demo_user(app, "grower.ca")
        screen = app.screen
        screen.query_one("#host").value = "ca.metrc.com"
        screen.query_one("#username").value = user["username"]
        screen.query_one("#password").value = user["password"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shot("license_picker")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert shot("main_list")
        main = app.screen
        second = main.source.index.label(main.source.index.view[1])
        await pilot.press("down", "d")
        await wait_for(pilot, lambda: main.detail_visible and f"Tag: {second}" in main.detail.text, "the detail")
        await settle(pilot)
        assert shot("detail")
