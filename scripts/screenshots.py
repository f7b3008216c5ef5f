"""Regenerate the README screenshots (screenshots/*.svg) from the real app on the training sandbox.

    .venv/bin/python scripts/screenshots.py [--size 100x30] [--out screenshots]

Drives the app headless through sign-in, the license picker, the package list, the detail pane,
the confirmation of a note on two marked packages and the transfer builder.
Config/cache dirs point at a temporary folder so the developer's own state is neither read nor changed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def capture(out: Path, size: tuple[int, int]) -> list[Path]:
    from growtui.config import Settings
    from growtui.ui.app import create_app
    from growtui.ui.screens.main import MainScreen

    from growtui.ui.wiring import build_backend

    settings = Settings(sandbox_packages=400)
    clock = lambda: 1_795_000_000.0  # noqa: E731 - one fixed instant: same dates on every run
    app = create_app(settings, backend=build_backend(settings, clock=clock), clock=clock)
    saved: list[Path] = []

    def shot(name: str) -> None:
        saved.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(out))))

    async def settle() -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    async with app.run_test(size=size) as pilot:
        await settle()
        shot("login")
        user = next(u for u in app.demo_users if u["username"] == "grower.ca")
        app.screen.query_one("#host").focus()
        await pilot.press(*"ca", "enter", *user["username"], "enter", *user["password"], "enter")
        await settle()
        shot("license-picker")
        await pilot.press("enter")
        await settle()
        assert isinstance(app.screen, MainScreen), app.screen
        await pilot.press("4")
        await settle()
        shot("packages")
        await pilot.press("down", "down", "d")
        await pilot.pause(0.3)
        await settle()
        shot("detail")
        await pilot.press("d", "space", "space", "n")
        await settle()
        await pilot.press(*"Moved to vault B for curing", "ctrl+s")
        await pilot.pause(0.3)
        await settle()
        shot("confirm-note")
        await pilot.press("escape", "escape")
        await settle()
        await pilot.press("t")
        await pilot.pause(0.3)
        await settle()
        shot("transfer-builder")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="100x30", help="terminal size, COLUMNSxROWS")
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    args = parser.parse_args(argv)
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
        for path in asyncio.run(capture(out, (cols, rows))):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
