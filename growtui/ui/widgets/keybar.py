"""KeyBar: the footer of the main screen. Every shown key of the focused widget and the screen,
wrapped over as many lines as 80 columns need (Textual's Footer is one line and cuts off the rest).

One Static repainted when the bindings change, so it is also cheaper than a widget per key.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

_GAP = "  "


def wrap_keys(items: Iterable[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """Greedy line wrap of (key, description) items; an item never splits across lines."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for key, description in items:
        size = len(key) + 1 + len(description)
        if lines[-1] and used + len(_GAP) + size > width:
            lines.append([])
            used = 0
        used += size + (len(_GAP) if lines[-1] else 0)
        lines[-1].append((key, description))
    return lines if lines[0] else []


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 5;  /* 60 columns need 5 lines for every key of the main screen */
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"key-bar--key"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.refresh_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.refresh_keys()

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh_keys()

    def items(self) -> list[tuple[str, str]]:
        """(key, description) of every enabled, shown binding, one per action, in binding order."""
        seen: set[str] = set()
        out: list[tuple[str, str]] = []
        for _, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((self._key_display(binding), binding.description))
        if self.app.ENABLE_COMMAND_PALETTE:
            out.append(("^p", "Commands"))
        return out

    def _key_display(self, binding: Binding) -> str:
        return binding.key_display or self.app.get_key_display(binding)

    def refresh_keys(self) -> None:
        width = max(20, self.size.width - 2)
        key_style = self.get_component_rich_style("key-bar--key")
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, line in enumerate(wrap_keys(self.items(), width)):
            if n:
                text.append("\n")
            for i, (key, description) in enumerate(line):
                if i:
                    text.append(_GAP)
                text.append(key, style=key_style)
                text.append(f" {description}")
        self.update(text)

    @property
    def plain(self) -> str:
        return "\n".join(
            _GAP.join(f"{k} {d}" for k, d in line) for line in wrap_keys(self.items(), max(20, self.size.width - 2))
        )
