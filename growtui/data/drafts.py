"""Local drafts of long forms (the transfer builder), kept until sent or discarded.

One JSON file per draft under the platformdirs data dir, namespaced by account (API base URL, host,
user: see config.AccountKey) and license, so a crash or an accidental quit loses nothing. Writes are atomic (temp file, fsync,
rename): a draft on disk is always a complete earlier or later version, never half of one.
Drafts hold what the user typed into the form (no credentials ever go through here).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from growtui.config import AccountKey
from growtui.files import private_writer

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
DRAFT_VERSION = 1


def default_drafts_root() -> Path:
    return Path(platformdirs.user_data_dir("growtui", appauthor=False)) / "drafts"


def _safe(part: str) -> str:
    """A path component that cannot escape the drafts dir ("../x" -> "_x")."""
    cleaned = _SAFE.sub("_", part.strip()).strip(".") or "_"
    return cleaned[:80]


@dataclass(frozen=True, slots=True)
class DraftKey:
    account: AccountKey
    license: str
    kind: str  # "transfer"
    name: str = "current"  # one working draft per kind unless named


@dataclass(frozen=True, slots=True)
class Draft:
    key: DraftKey
    saved_at: float
    data: dict[str, Any]


class DraftStore:
    """`save`/`load`/`discard` drafts as JSON files; `drafts()` lists them for one user."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_drafts_root()

    def _folder(self, account: AccountKey, license: str) -> Path:
        user_dir = self.root / account.api_dir / _safe(account.hostname) / _safe(account.username)
        return user_dir / _safe(license)

    def path(self, key: DraftKey) -> Path:
        return self._folder(key.account, key.license) / f"{_safe(key.kind)}--{_safe(key.name)}.json"

    def save(self, key: DraftKey, data: dict[str, Any], *, now: float | None = None) -> Draft:
        draft = Draft(key, time.time() if now is None else now, data)
        body = json.dumps(
            {"version": DRAFT_VERSION, "saved_at": draft.saved_at, "kind": key.kind, "data": data},
            ensure_ascii=False,
            indent=1,
        )
        with private_writer(self.path(key)) as fh:
            fh.write(body)
        return draft

    def load(self, key: DraftKey) -> Draft | None:
        """The saved draft, or None when there is none or the file is unreadable."""
        try:
            doc = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or not isinstance(doc.get("data"), dict):
            return None
        return Draft(key, float(doc.get("saved_at") or 0.0), doc["data"])

    def discard(self, key: DraftKey) -> bool:
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def drafts(self, account: AccountKey, license: str, kind: str) -> list[Draft]:
        """Every draft of one kind for an account's license, newest first."""
        found = []
        for path in self._folder(account, license).glob(f"{_safe(kind)}--*.json"):
            name = path.stem.split("--", 1)[1]
            draft = self.load(DraftKey(account, license, kind, name))
            if draft is not None:
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)
