"""Inputs that never hold control characters or bidi overrides.

A paste can carry ``\\x1b[…`` sequences or U+202E (right-to-left override): in the filter they would
reach the query and be drawn back on the terminal, and in the command palette reorder what the user
reads. Whatever way text arrives (typed, pasted, set by code) it is cleaned before use and display.
"""

from __future__ import annotations

from textual.command import CommandInput
from textual.widgets import Input

from growtui.text import clean_text


class CleanInputMixin:
    def validate_value(self, value: str) -> str:  # Textual calls this on every assignment
        return clean_text(value)

    def replace(self, text: str, start: int, end: int) -> None:
        # Cleaned here too, so the cursor lands after what was actually inserted.
        super().replace(clean_text(text), start, end)  # type: ignore[misc]


class CleanInput(CleanInputMixin, Input):
    pass


class CleanCommandInput(CleanInputMixin, CommandInput):
    pass
