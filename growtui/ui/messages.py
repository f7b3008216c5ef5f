"""Typed messages that workers post back to the UI (the UI never awaits HTTP in a handler)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from growtui.backends.base import Session
from growtui.data.types import SyncResult
from growtui.domain.collections import Collection, SubCollection
from growtui.domain.models import License


@dataclass
class SignedIn(Message):
    session: Session


@dataclass
class LicensesLoaded(Message):
    licenses: list[License]


@dataclass
class ListRefreshProgress(Message):
    collection: Collection
    loaded: int
    total: int


@dataclass
class ListRefreshed(Message):
    collection: Collection
    result: SyncResult


@dataclass
class SubLoaded(Message):
    parent_id: Any
    sub: SubCollection
    rows: list[dict[str, Any]]


@dataclass
class SubFailed(Message):
    parent_id: Any
    sub: SubCollection
    error: str


@dataclass
class WorkFailed(Message):
    """Any failure of background work: shown in the status bar, never an exit."""

    what: str
    error: BaseException
