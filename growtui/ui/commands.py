"""Command palette: the provider (go to a list, switch license, jump to a tag, the main actions)
and the palette screen itself, with a cursor that does not blink.

Hits are built from in-memory state (sections, licenses, cached lists), never from the network.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets import Input

from growtui.ui.common import license_name, license_number, plain
from growtui.ui.widgets.clean_input import CleanCommandInput
from growtui.ui.sections import SECTIONS, collection_title

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp


class QuietCommandPalette(CommandPalette):
    """Textual's palette with a steady cursor (an idle blinking cursor costs ~1.7 KB/s over SSH) and
    a search field that drops pasted control characters and bidi overrides."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, CommandInput):
                widget = CleanCommandInput(placeholder=widget.placeholder, select_on_focus=False)
            if isinstance(widget, Input):
                widget.cursor_blink = False
            yield widget


class GrowCommands(Provider):
    @property
    def grow_app(self) -> "GrowApp":
        return self.app  # type: ignore[return-value]

    def _main(self) -> Any:
        from growtui.ui.screens.main import MainScreen

        return self.screen if isinstance(self.screen, MainScreen) else None

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = self.grow_app
        main = self._main()
        out: list[tuple[str, Callable[[], Any], str]] = []
        if main is not None:
            for section in SECTIONS:
                for coll in section.collections:
                    out.append(
                        (f"Go to {collection_title(coll)}", partial(main.show_collection, coll), "Open this list")
                    )
            out.append(("Refresh this list", main.action_refresh, "Load changes from the server"))
            if not app.kiosk_mode:
                out.append(("Export CSV", main.action_export, "Write the filtered rows to a CSV file"))
            out.append(("Scan or type a tag", main.action_scan, "Find a tag in this license's lists"))
            from growtui.ui.write_commands import palette_commands  # the write forms (H8)

            out.extend(palette_commands(main))
        if app.licenses and app.session is not None:
            current = license_number(app.license) if app.license is not None else None
            for lic in app.licenses:
                if license_number(lic) != current:
                    out.append(
                        (
                            f"Switch license: {license_number(lic)} {license_name(lic)}",
                            partial(app.open_license, lic),
                            "Open this license",
                        )
                    )
            out.append(("Switch license…", app.action_switch_license, "Choose from the license list"))
            out.append(("Sign out", app.sign_out, "Forget the token and return to sign-in"))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(plain(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                # Not matcher.highlight(): it parses markup, and titles carry license names from the API.
                yield Hit(score, plain(title), callback, text=title, help=help_text)
        main = self._main()
        tag = query.strip()
        if main is not None and len(tag) >= 3 and " " not in tag:
            yield Hit(
                1.0,
                plain(f"Jump to tag {tag}"),
                partial(main.find_tag, tag),
                text=f"Jump to tag {tag}",
                help="Find this tag, label or manifest in the cached lists",
            )
