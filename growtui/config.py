"""Settings and small per-user UI state, Textual-free.

Settings come from, in order of precedence: command-line flags, ``GROWTUI_*`` environment variables,
the TOML file ``<user config dir>/growtui/config.toml``, then defaults. UI state (last license per
user, chosen columns) is a JSON file in the user *state* dir. Neither ever holds a password.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "growtui"

# Environment variables, documented in ``growtui --help``.
ENV_VARS: dict[str, str] = {
    "GROWTUI_HOST": "T3 API base URL (e.g. https://api.trackandtrace.tools); unset = training sandbox",
    "GROWTUI_KIOSK": "1 to run in kiosk mode",
    "GROWTUI_IDLE_LOCK": "minutes of inactivity before the kiosk locks",
    "GROWTUI_SUPERVISOR_PIN": "PIN that unlocks quitting (and the idle lock) in kiosk mode",
    "GROWTUI_STAY_SIGNED_IN": "1 to keep the API token in a 0600 file between runs",
    "GROWTUI_SANDBOX_PACKAGES": "active packages seeded per license in training mode",
    "GROWTUI_SANDBOX_LATENCY_MS": "artificial latency of the training sandbox",
}


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class SettingsError(ValueError):
    """A setting could not be understood; the message names the source."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str | None = None  # None: a training session on the built-in sandbox
    kiosk: bool = False
    idle_lock_minutes: float = 5.0  # used in kiosk mode; 0 disables the lock
    supervisor_pin: str | None = field(default=None, repr=False)
    stay_signed_in: bool = False
    sandbox_packages: int = 2000
    sandbox_latency_ms: int = 0

    @property
    def training(self) -> bool:
        return not self.host

    def with_overrides(self, values: Mapping[str, Any]) -> "Settings":
        """Apply non-None values (from a layer with higher precedence)."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if k in known and v is not None})


def _parse_bool(text: str, source: str) -> bool:
    low = text.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{source}: expected a yes/no value, got {text!r}")


def _parse_number(text: str, source: str, kind: type) -> Any:
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise SettingsError(f"{source}: expected a number, got {text!r}") from None
    if value < 0:
        raise SettingsError(f"{source}: must not be negative")
    return value


_TYPES: dict[str, type] = {
    "host": str,
    "kiosk": bool,
    "idle_lock_minutes": float,
    "supervisor_pin": str,
    "stay_signed_in": bool,
    "sandbox_packages": int,
    "sandbox_latency_ms": int,
}


def _coerce(name: str, value: Any, source: str) -> Any:
    kind = _TYPES[name]
    if kind is bool:
        return value if isinstance(value, bool) else _parse_bool(str(value), source)
    if kind is str:
        return str(value)
    if isinstance(value, bool):
        raise SettingsError(f"{source}: expected a number, got {value!r}")
    return _parse_number(str(value), source, kind)


def settings_from_file(path: Path | None = None) -> dict[str, Any]:
    path = path or config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from None
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in _TYPES:
            raise SettingsError(f"{path}: unknown setting {key!r}")
        out[name] = _coerce(name, value, f"{path}: {key}")
    return out


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for var in ENV_VARS:
        if var in environ:
            name = var.removeprefix("GROWTUI_").lower()
            name = {"idle_lock": "idle_lock_minutes"}.get(name, name)
            out[name] = _coerce(name, environ[var], var)
    return out


def load_settings(
    cli: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Merge file < environment < command line."""
    settings = Settings().with_overrides(settings_from_file(path))
    settings = settings.with_overrides(settings_from_env(environ))
    return settings.with_overrides(cli or {})


class UiState:
    """Remembered choices: last license per user and chosen columns per list. Never secrets."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "ui-state.json"
        self._data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)

    @staticmethod
    def user_key(hostname: str, username: str) -> str:
        return f"{hostname.lower()}/{username.lower()}"

    def last_license(self, hostname: str, username: str) -> str | None:
        value = self._data.get("last_license", {}).get(self.user_key(hostname, username))
        return value if isinstance(value, str) else None

    def set_last_license(self, hostname: str, username: str, license_number: str) -> None:
        self._data.setdefault("last_license", {})[self.user_key(hostname, username)] = license_number
        self._write()

    def states(self) -> list[dict[str, str]]:
        """The last /v2/states answer (it needs a token, so the sign-in screen shows this copy)."""
        value = self._data.get("states")
        return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []

    def set_states(self, states: list[dict[str, str]]) -> None:
        if states != self._data.get("states"):
            self._data["states"] = states
            self._write()

    def columns(self, collection_key: str) -> list[str] | None:
        value = self._data.get("columns", {}).get(collection_key)
        return [str(c) for c in value] if isinstance(value, list) else None

    def set_columns(self, collection_key: str, columns: list[str]) -> None:
        self._data.setdefault("columns", {})[collection_key] = list(columns)
        self._write()


class SessionFile:
    """--stay-signed-in: the API token (never the password) in a 0600 file in the state dir."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "session.json"

    def save(self, hostname: str, username: str, token: str, expires_at: float | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"hostname": hostname, "username": username, "token": token, "expires_at": expires_at}
        # Created 0600 from the start: the token is never readable by others, not even briefly.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.chmod(self.path, 0o600)

    def load(self, now: float | None) -> dict[str, Any] | None:
        """The saved session, or None when missing, unreadable or expired at ``now``.

        ``now=None`` leaves expiry to the caller (the backend refuses an expired token on resume,
        and the sign-in form can still offer the saved username)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("hostname", "username", "token")):
            return None
        expires = data.get("expires_at")
        if now is not None and isinstance(expires, (int, float)) and expires <= now:
            self.clear()
            return None
        return data

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
