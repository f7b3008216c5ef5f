"""System-neutral fault and latency switches every sandbox shares.

A ``Fault`` fires on the next ``next`` matching requests, or with probability ``rate``; ``path``
(prefix) and ``method`` narrow what matches. Each sandbox names its own fault kinds (a subclass sets
``KINDS``) and decides what a kind does; ``FaultSwitches`` holds the armed faults, the latency
switch and the counters, and picks which fault fires for a request.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import httpx


GATEWAY_TIMEOUT_HTML = (
    "<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head>"
    "<body><center><h1>504 Gateway Time-out</h1></center><hr><center>cloudflare</center></body></html>\n"
)


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised after the response started so the server drops the socket. In-process
    (ASGITransport) it reaches the client as-is: an ``httpx.TransportError`` either way."""

    def __init__(self) -> None:
        super().__init__("sandbox dropped the connection (injected fault)")


@dataclass
class Fault:
    KINDS: ClassVar[frozenset[str]] = frozenset()  # a sandbox's subclass lists its kinds

    kind: str
    rate: float = 0.0
    next: int | None = None  # fire on the next N matching requests, then disarm
    path: str = ""
    method: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {sorted(self.KINDS)}")
        if self.method:
            self.method = self.method.upper()

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and path.startswith(self.path)


def parse_fault_spec(spec: str, fault_type: type[Fault]) -> list[Fault]:
    """CLI spelling: ``kind:RATE`` or ``kind:xN``, then optional ``@METHOD`` and ``~/path/prefix``,
    comma-separated. E.g. ``503:0.05,504:x2@POST,reset:0.1~/v2/packages``."""
    faults: list[Fault] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        part, _, path = part.partition("~")
        part, _, method = part.partition("@")
        kind, _, amount = part.partition(":")
        if amount.startswith("x"):
            faults.append(fault_type(kind, next=int(amount[1:]), path=path, method=method or None))
        else:
            faults.append(fault_type(kind, rate=float(amount or 1.0), path=path, method=method or None))
    return faults


class FaultSwitches:
    """Armed faults, latency and ``faults_served``; switchable while the server runs."""

    fault_type: type[Fault] = Fault

    def __init__(self, *, latency_ms: float = 0.0, jitter_ms: float = 0.0, faults: Iterable[Fault] = (), seed: int = 0) -> None:
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self.faults: list[Fault] = list(faults)
        self._rng = random.Random(seed)
        self.faults_served: Counter[str] = Counter()

    def set_latency(self, latency_ms: float, jitter_ms: float = 0.0) -> None:
        self.latency_ms, self.jitter_ms = latency_ms, jitter_ms

    def set_faults(self, faults: Iterable[Fault]) -> None:
        self.faults = list(faults)

    def add_fault(
        self, kind: str, *, rate: float = 0.0, next: int | None = None, path: str = "", method: str | None = None
    ) -> Fault:
        if next is None and rate <= 0:
            raise ValueError("a fault needs next=N or a rate > 0")
        fault = self.fault_type(kind, rate=rate, next=next, path=path, method=method)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def take(self, kinds: frozenset[str], method: str, path: str) -> Fault | None:
        """The first armed fault of ``kinds`` that matches and fires for this request."""
        for fault in list(self.faults):
            if fault.kind not in kinds or not fault.matches(method, path):
                continue
            if fault.next is not None:
                fault.next -= 1
                if fault.next <= 0:
                    self.faults.remove(fault)
                return self._served(fault)
            if self._rng.random() < fault.rate:
                return self._served(fault)
        return None

    def _served(self, fault: Fault) -> Fault:
        self.faults_served[fault.kind] += 1
        return fault

    def delay_s(self) -> float:
        if not self.latency_ms and not self.jitter_ms:
            return 0.0
        return (self.latency_ms + self._rng.uniform(0, self.jitter_ms)) / 1000.0
