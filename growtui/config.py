"""Settings and small per-user UI state, Textual-free.

Settings come from, in order of precedence: command-line flags, ``GROWTUI_*`` environment variables,
the TOML file ``<user config dir>/growtui/config.toml``, then defaults. UI state (last license per
account, chosen columns) is a JSON file in the user *state* dir. Neither ever holds a password.

``AccountKey`` is the one key of everything growtui stores about an account (cache, journal,
drafts, last license, saved token): the API base URL it came from, the upstream host and the user.
A staging server, the sandbox and production never share rows, outbox history or a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from growtui.files import write_private

APP_NAME = "growtui"

# Environment variables, documented in ``growtui --help``.
ENV_VARS: dict[str, str] = {
    "GROWTUI_HOST": "T3 API base URL (e.g. https://api.trackandtrace.tools); unset = training sandbox",
    "GROWTUI_SYSTEM": "track-and-trace system to speak (a backend name; default t3)",
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


def normalize_api_url(url: str) -> str:
    """One spelling per API: scheme and host lower-case, no trailing slash (the path keeps its case)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def _safe_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60] or "_"


def api_dir_name(api_url: str) -> str:
    """A directory name for one API: readable host, plus a hash of the whole URL (scheme, port and
    path included) so two APIs never share a directory."""
    url = normalize_api_url(api_url)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{_safe_part(urlsplit(url).netloc)}-{digest}"


@dataclass(frozen=True, slots=True)
class AccountKey:
    """Whose stored things these are: API base URL + upstream (Metrc) host + user, normalised."""

    api_url: str
    hostname: str
    username: str

    @classmethod
    def of(cls, api_url: str, hostname: str, username: str) -> "AccountKey":
        return cls(normalize_api_url(api_url), hostname.strip().lower(), username.strip().lower())

    @property
    def id(self) -> str:
        """The account as one string (a JSON key)."""
        return f"{self.api_url} {self.hostname}/{self.username}"

    @property
    def api_dir(self) -> str:
        return api_dir_name(self.api_url)


class SettingsError(ValueError):
    """A setting could not be understood; the message names the source."""


@dataclass(frozen=True, slots=True)
class LabelSettings:
    """The ``[labels]`` table of config.toml: the stock, the layout and where labels go."""

    format: str = "zpl"  # "zpl" for thermal printers, "pdf" for office printers
    printer: str = "file"  # "tcp://HOST[:9100]", "cups:QUEUE", or "file" (the downloads folder)
    width_in: float = 4.0
    height_in: float = 2.0
    dpi: int = 203
    template: str = "standard"  # "standard" (Code 128, QR and every fact) or "compact" (QR, tag, item)

    @classmethod
    def from_table(cls, table: Any, source: str) -> "LabelSettings":
        if not isinstance(table, dict):
            raise SettingsError(f"{source}: [labels] must be a table")
        choices = {"format": ("zpl", "pdf"), "template": ("standard", "compact")}
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = key.replace("-", "_")
            where = f"{source}: labels.{key}"
            if name in choices:
                if value not in choices[name]:
                    raise SettingsError(f"{where}: use one of {', '.join(choices[name])}, not {value!r}")
            elif name == "printer":
                if not isinstance(value, str) or not re.fullmatch(r"file|tcp://[^\s/:]+(:\d{1,5})?|cups:[\w.@-]+", value):
                    raise SettingsError(f"{where}: use tcp://HOST[:PORT], cups:QUEUE or file, not {value!r}")
            elif name in {"width_in", "height_in"}:
                value = _parse_number(str(value), where, float)
                if not 0.5 <= value <= 12:
                    raise SettingsError(f"{where}: a label is 0.5 to 12 inches, not {value}")
            elif name == "dpi":
                value = _parse_number(str(value), where, int)
                if value not in (152, 203, 300, 600):
                    raise SettingsError(f"{where}: Zebra printers print at 152, 203, 300 or 600 dpi, not {value}")
            else:
                raise SettingsError(f"{where}: unknown setting")
            values[name] = value
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Settings:
    host: str | None = None  # None: a training session on the built-in sandbox
    system: str = "t3"  # which backend (growtui.backends.registry) speaks to the host
    kiosk: bool = False
    idle_lock_minutes: float = 5.0  # used in kiosk mode; 0 disables the lock
    supervisor_pin: str | None = field(default=None, repr=False)
    stay_signed_in: bool = False
    sandbox_packages: int = 2000
    sandbox_latency_ms: int = 0
    labels: LabelSettings = LabelSettings()

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
    "system": str,
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
        if name == "labels":
            out["labels"] = LabelSettings.from_table(value, str(path))
            continue
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


def _states_key(system: str, api_url: str) -> str:
    return f"{system}|{normalize_api_url(api_url)}"


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
        # It lists every username that signed in here: 0600 like every file growtui writes.
        write_private(self.path, json.dumps(self._data, indent=1, sort_keys=True))

    def last_license(self, account: AccountKey) -> str | None:
        value = self._data.get("last_license", {}).get(account.id)
        return value if isinstance(value, str) else None

    def set_last_license(self, account: AccountKey, license_number: str) -> None:
        self._data.setdefault("last_license", {})[account.id] = license_number
        self._write()

    def states(self, system: str, api_url: str) -> list[dict[str, str]]:
        """The last host list (T3's /v2/states) of this system at this API; it needs a token, so
        the sign-in screen shows this copy. Keyed by system too: every training sandbox has the
        same address."""
        value = self._data.get("states", {})
        value = value.get(_states_key(system, api_url)) if isinstance(value, dict) else None
        return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []

    def set_states(self, system: str, api_url: str, states: list[dict[str, str]]) -> None:
        if states != self.states(system, api_url):
            by_api = self._data.get("states")
            if not isinstance(by_api, dict):
                by_api = self._data["states"] = {}
            by_api[_states_key(system, api_url)] = states
            self._write()

    def license_lists(self, account: AccountKey, license_number: str) -> list[str] | None:
        """The families of lists a license was last said to have (it opens with them at once)."""
        value = self._data.get("license_lists", {}).get(f"{account.id}|{license_number}")
        return [str(f) for f in value] if isinstance(value, list) else None

    def set_license_lists(self, account: AccountKey, license_number: str, families: list[str] | None) -> None:
        if families == self.license_lists(account, license_number):
            return
        by_license = self._data.setdefault("license_lists", {})
        if families is None:
            by_license.pop(f"{account.id}|{license_number}", None)
        else:
            by_license[f"{account.id}|{license_number}"] = sorted(families)
        self._write()

    def columns(self, collection_key: str) -> list[str] | None:
        value = self._data.get("columns", {}).get(collection_key)
        return [str(c) for c in value] if isinstance(value, list) else None

    def set_columns(self, collection_key: str, columns: list[str]) -> None:
        self._data.setdefault("columns", {})[collection_key] = list(columns)
        self._write()


class SessionFile:
    """--stay-signed-in: the API token (never the password) in a 0600 file in the state dir.

    One file per API base URL, and the URL is in the file too: a token is only ever offered back to
    the API that issued it (another --host never sees it, not even in a whoami call)."""

    def __init__(self, api_url: str, path: Path | None = None) -> None:
        self.api_url = normalize_api_url(api_url)
        self.path = path or state_dir() / "sessions" / f"{api_dir_name(api_url)}.json"

    def save(self, hostname: str, username: str, token: str, expires_at: float | None) -> None:
        data = {"api_url": self.api_url, "hostname": hostname, "username": username, "token": token,
                "expires_at": expires_at}
        # Created 0600 from the start: the token is never readable by others, not even briefly.
        write_private(self.path, json.dumps(data))

    def load(self, now: float | None) -> dict[str, Any] | None:
        """The saved session, or None when missing, unreadable, issued by another API or expired
        at ``now``.

        ``now=None`` leaves expiry to the caller (the backend refuses an expired token on resume,
        and the sign-in form can still offer the saved username)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("api_url", "hostname", "username", "token")
        ):
            return None
        if data["api_url"] != self.api_url:
            return None
        expires = data.get("expires_at")
        if now is not None and isinstance(expires, (int, float)) and expires <= now:
            self.clear()
            return None
        return data

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    @staticmethod
    def forget_unkeyed() -> None:
        """Remove the token file of growtui versions before per-API keying (state/session.json): it
        names no API, so it can never be offered safely again."""
        (state_dir() / "session.json").unlink(missing_ok=True)
