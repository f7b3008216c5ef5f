"""What the headless commands share: the API and account they act for, the store on the app's
cache, and signing in without ever taking a password from argv."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import re
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from growtui.backends import registry
from growtui.backends.base import Backend, Credentials, FieldKind
from growtui.config import AccountKey, Settings, SettingsError, load_settings
from growtui.data.cache import cache_path, safe_name
from growtui.data.store import DataStore
from growtui.domain.collections import Collection



class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def add_account_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", metavar="NAME", choices=registry.names(), default=registry.DEFAULT,
                        help=f"track-and-trace system ({', '.join(registry.names())}; default {registry.DEFAULT})")
    parser.add_argument("--host", metavar="URL",
                        help="T3 API base URL (env GROWTUI_HOST, config file); omit for the training sandbox")
    parser.add_argument("--username", metavar="U", help="the account's username (backends signing in with keys need "
                        "none; offline, the one account cached for the host is used)")
    parser.add_argument("--hostname", metavar="H",
                        help="upstream host, e.g. ca.metrc.com, or api-co.metrc.com for --backend metrc "
                             "(default: the demo user's in training, "
                             "else the one this user's cache was synced for)")


def settings_for(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Settings:
    """The app's own settings (file < environment < --host), so no --host means what it means in
    the app: the training sandbox."""
    try:
        return load_settings({"host": args.host}, environ=environ)
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


def parse_collection(spec: str) -> Collection:
    """``packages:active``, ``packages/active`` or ``items`` -> a Collection."""
    text = spec.strip().lower()
    family, sep, state = text.rpartition(":")
    key = f"{family}/{state}" if sep else text
    try:
        return Collection.parse(key)
    except KeyError:
        raise CommandError(f"unknown collection {spec!r} (e.g. packages:active, plants:flowering, items)") from None


@dataclass
class Target:
    """The backend, the store over the app's cache, and the account (once known)."""

    settings: Settings
    backend: Backend
    store: DataStore
    system: str = registry.DEFAULT


def open_target(settings: Settings, *, fresh_training_cache: bool, system: str = registry.DEFAULT) -> Target:
    """The app's backend and store for these settings (the same wiring as the app's).

    A training sync starts the training cache afresh, as the app does (its world is seeded anew);
    offline readers keep it."""
    from growtui.ui.wiring import build_backend, build_store

    backend = build_backend(settings, system=system)
    store = build_store(backend, training=settings.training, fresh=fresh_training_cache)
    return Target(settings, backend, store, system)


def _demo_user(system: str, username: str) -> Mapping[str, Any] | None:
    from growtui.ui.wiring import training_demo_users

    return next((u for u in training_demo_users(system) if str(u.get("username", "")).lower() == username.lower()), None)


def resolve_account(target: Target, username: str | None, hostname: str | None, *,
                    offline: bool = False) -> tuple[str, str]:
    """(hostname, username): as given, else the demo user's host in training, else the host this
    user's cache belongs to under this API (when there is exactly one).

    A key-based sign-in (Metrc) has no username to type: online the keys name the account;
    ``offline`` (export, outbox) it is the one account cached for that host."""
    root = target.store.cache_root
    api_url = target.backend.base_url
    if not asks_username(target.backend):
        host = _host_without_user(target, hostname)
        return host, (username or _cached_account(target, host) if offline else "")
    if username is None:
        raise CommandError("--username is required")
    if hostname:
        return hostname, username
    if target.settings.training and (user := _demo_user(target.system, username)) is not None:
        host = next(f.name for f in target.backend.sign_in if f.kind is FieldKind.HOST)
        return str(user.get(host) or user.get("hostname", "")), username
    suffix = f"-{safe_name(username.lower())}.sqlite"
    folder = cache_path(root, AccountKey.of(api_url, "x", username)).parent
    found = []
    for path in sorted(folder.glob(f"*{suffix}")):
        candidate = path.name[: -len(suffix)]
        if cache_path(root, AccountKey.of(api_url, candidate, username)) == path:
            found.append(candidate)
    if len(found) == 1:
        return found[0], username
    hint = f" (cached: {', '.join(found)})" if found else ""
    raise CommandError(f"--hostname is required for {username} at {api_url}{hint}")


def _cached_account(target: Target, hostname: str) -> str:
    """The one account whose cache exists for ``hostname`` under this API."""
    root, api_url = target.store.cache_root, target.backend.base_url
    prefix = f"{safe_name(hostname)}-"
    folder = cache_path(root, AccountKey.of(api_url, hostname, "x")).parent
    found = [
        candidate for path in sorted(folder.glob(f"{prefix}*.sqlite"))
        if cache_path(root, AccountKey.of(api_url, hostname, candidate := path.name[len(prefix):-7])) == path
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"nothing cached for {hostname} at {api_url}: run growtui sync first")
    raise CommandError(f"several accounts are cached for {hostname}: pick one with --username ({', '.join(found)})")


def _secret(env: str, prompt: str, environ: Mapping[str, str]) -> str:
    value = environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CommandError(f"set {env} or run on a terminal to be asked (never passed as an argument)")


# The sign-in field that names the account, given as --username: a user's name, or OpenTHC's company id.
ACCOUNT_FIELDS = ("username", "company")


def asks_username(backend: Backend) -> bool:
    return any(f.name in ACCOUNT_FIELDS for f in backend.sign_in)


def _host_without_user(target: Target, hostname: str | None) -> str:
    if hostname:
        return hostname
    if target.settings.training:  # the sandbox answers for any of the backend's hosts
        hosts = target.backend.known_hosts()
        if hosts:
            return str(hosts[0]["hostname"])
    raise CommandError("--hostname is required (e.g. api-co.metrc.com)")


def secret_env(field_name: str) -> str:
    """GROWTUI_PASSWORD, GROWTUI_OTP, GROWTUI_USER_KEY (userKey) …: where a secret field is read."""
    snake = re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<!^)(?=[A-Z])", "_", field_name)).upper()
    return f"GROWTUI_{snake}"


def credentials(target: Target, hostname: str, username: str, email: str | None,
                environ: Mapping[str, str] | None = None, licenses: list[str] | None = None) -> Credentials:
    """The backend's sign-in form, filled without argv secrets: every secret field (a password,
    an API key) and one-time code from its GROWTUI_<FIELD> variable or a prompt on a tty;
    username, email and the license numbers a backend asks at sign-in (Trace) from the options."""
    environ = os.environ if environ is None else environ
    values: dict[str, str | None] = {}
    for f in target.backend.sign_in:
        if f.kind is FieldKind.HOST:
            values[f.name] = hostname
        elif not f.asked_for(hostname):
            continue
        elif f.name in ACCOUNT_FIELDS:
            values[f.name] = username
        elif f.name == "email":
            if not email:
                raise CommandError(f"{hostname} also needs --email")
            values[f.name] = email
        elif f.name == "license_number":
            if not licenses:
                raise CommandError(f"this backend signs in to named licenses: give --license ({f.label})")
            values[f.name] = ",".join(licenses)
        elif f.name == "license":  # a session for one license (OpenTHC)
            if not licenses or len(licenses) != 1:
                raise CommandError(f"this backend signs in to one license: give --license once ({f.label})")
            values[f.name] = licenses[0]
        elif f.secret or f.kind is FieldKind.CODE:
            who = f" for {username}" if username else ""
            values[f.name] = _secret(secret_env(f.name), f"{f.label}{who} at {hostname}: ", environ)
        else:
            raise CommandError(f"this backend asks for {f.label}, which the command cannot take")
    return Credentials(values)


def run_command(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], Awaitable[int]],
                argv: list[str]) -> int:
    """Parse, run the command's coroutine, and turn a CommandError into one line and its status."""
    args = parser.parse_args(argv)
    try:
        return asyncio.run(run(args))
    except CommandError as exc:
        print(f"growtui: {exc}", file=sys.stderr)
        return exc.code


def path_or_stdout(path: str | None) -> Path | None:
    return None if path in (None, "-") else Path(path)
