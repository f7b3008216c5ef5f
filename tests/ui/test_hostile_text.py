"""Text from the API is data: markup shows literally and terminal control sequences never reach the screen."""

from __future__ import annotations

from growtui.config import Settings
from growtui.sandbox.t3.runner import build_app
from growtui.ui.wiring import sandbox_config
from tests.ui.conftest import SMALL, app_on, open_main, settle

HOSTILE = "\x1b[2J\x1b]0;pwned\x07[b]not bold[/b] \u202eevil"


async def test_detail_pane_shows_hostile_api_text_as_inert_data():
    sandbox = build_app(sandbox_config(Settings(sandbox_packages=SMALL)))
    app = app_on(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        lic = sandbox.state.world.licenses[main.license_number]
        for pkg in lic.packages.values():
            lic.touch(pkg).update(note=HOSTILE)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("home", "d")
        await settle(pilot)
        text = main.detail.text
        assert "[b]not bold[/b]" in text  # markup is shown, not interpreted
        assert "0;pwned" in text  # the printable remainder stays readable as data
        assert not any(ch in text for ch in ("\x1b", "\x07", "\u202e"))
