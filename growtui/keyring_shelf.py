"""Sign-in values remembered in the OS keyring, only when the user ticks "Remember" at sign-in.

Keys and passwords never go to growtui's own files (those are plain text on disk); the OS keyring
(macOS Keychain, Windows Credential Locker, the Secret Service on Linux desktops) holds them, one
entry per system and API URL: the last account that signed in there with "Remember" ticked.
Where no keyring is usable (a headless server, an SSH kiosk) ``problem()`` says why, and nothing
is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import ModuleType

from growtui.config import normalize_api_url

SERVICE = "growtui"


def _keyring() -> ModuleType:
    """keyring, imported on first use: a resumed session never asks it (it costs a start ~50 ms)."""
    import keyring
    import keyring.errors

    return keyring


class KeyringShelf:
    def __init__(self, system: str, api_url: str) -> None:
        self.entry = f"{system}:{normalize_api_url(api_url)}"

    @staticmethod
    def problem() -> str | None:
        """Why nothing can be remembered here, or None when an OS keyring is usable."""
        try:
            from keyring.backends import fail

            ring = _keyring().get_keyring()
        except Exception as exc:  # a broken keyring configuration is "no keyring", never a crash
            return f"No OS keyring is usable here ({exc})."
        if isinstance(ring, fail.Keyring):
            return "No OS keyring is available here, so nothing can be remembered: sign in each time."
        return None

    def load(self) -> dict[str, str] | None:
        """The remembered values, or None (nothing kept, no keyring, or an entry not ours)."""
        if self.problem():
            return None
        keyring = _keyring()
        try:
            text = keyring.get_password(SERVICE, self.entry)
            values = json.loads(text) if text else None
        except (keyring.errors.KeyringError, ValueError):
            return None
        if not isinstance(values, dict):
            return None
        return {str(k): str(v) for k, v in values.items() if isinstance(v, str)}

    def save(self, values: Mapping[str, str]) -> str | None:
        """Keep the values; returns the reason when they could not be kept."""
        reason = self.problem()
        if reason:
            return reason
        keyring = _keyring()
        try:
            keyring.set_password(SERVICE, self.entry, json.dumps(dict(values)))
        except keyring.errors.KeyringError as exc:
            return f"The OS keyring refused to keep the sign-in ({exc})."
        return None

    def forget(self) -> None:
        if self.problem():
            return
        keyring = _keyring()
        try:
            keyring.delete_password(SERVICE, self.entry)
        except keyring.errors.KeyringError:  # nothing was kept: already forgotten
            pass
