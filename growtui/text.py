"""Text that reaches a terminal or a query: no control characters, no bidi overrides.

C0/C1 control characters (ESC, CSI \\x9b, BEL, ...) and bidi overrides/isolates are dropped, so
text from the API, or pasted into a field, can neither move the terminal cursor nor reorder what
the user reads. Tabs and line breaks become spaces (a cell or a query is one line).
"""

from __future__ import annotations

_CONTROL_CHARS = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CLEAN_TABLE = {c: None for c in _CONTROL_CHARS} | {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}


def clean_text(value: object) -> str:
    """Plain, single-line, control-free text (``None`` -> "")."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text if text.isprintable() else text.translate(_CLEAN_TABLE)
