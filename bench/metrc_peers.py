"""The Metrc loaders growtui is compared with, as metrc-api.md describes what integrators write
(§5, §6.3, §10.3; not copied code). Each pages ``/packages/v2/active`` at ``pageSize=20`` over one
wide ``lastModified`` window (the cold load §6.3 recommends) with a synchronous httpx client:
  (a) sequential: page after page until ``TotalPages``;
  (b) throttled: the documented limits kept by the client, as the [OM]/[TMPY] clients do: 10 threads
      (10 concurrent GETs per facility) and a 50-per-second token bucket, retrying a 429 after
      ``Retry-After`` (or 1 s);
  (c) unbounded pool: page 1 for ``TotalPages``, then every other page at once on Python's default
      pool, no throttle, no retry.
Every request's start and status is recorded (bench.peers.Recorder) so 429s can be counted.
"""

from __future__ import annotations

import base64
import threading
import time
from typing import Any

import httpx

from bench.peers import LoadResult, Recorder, _result, fetch_pages

PAGE_SIZE = 20
WIDE_WINDOW = {"lastModifiedStart": "2000-01-01T00:00:00Z"}


class MetrcPeerClient:
    def __init__(self, base_url: str, vendor_key: str, user_key: str, recorder: Recorder, pool: int = 64) -> None:
        basic = base64.b64encode(f"{vendor_key}:{user_key}".encode()).decode()
        self.http = httpx.Client(
            base_url=base_url, timeout=60.0, headers={"Authorization": f"Basic {basic}"},
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
            event_hooks={
                "request": [lambda _r: recorder.started()],
                "response": [lambda r: recorder.finished(r.status_code)],
            },
        )
        self.end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 60))

    def get(self, path: str, license: str, page: int) -> httpx.Response:
        return self.http.get(path, params={
            "licenseNumber": license, "pageNumber": page, "pageSize": PAGE_SIZE,
            **WIDE_WINDOW, "lastModifiedEnd": self.end,
        })

    def page(self, path: str, license: str, page: int) -> dict[str, Any]:
        answer = self.get(path, license, page)
        answer.raise_for_status()
        return answer.json()

    def close(self) -> None:
        self.http.close()


def sequential(base_url: str, keys: tuple[str, str], license: str, path: str) -> LoadResult:
    """(a) One page after another until TotalPages."""
    rec = Recorder()
    client = MetrcPeerClient(base_url, *keys, rec)
    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    page, pages = 1, 1
    try:
        while page <= pages:
            answer = client.page(path, license, page)
            rows.extend(answer["Data"])
            pages = answer["TotalPages"]
            page += 1
    except httpx.HTTPError as exc:
        return _result("sequential", t0, rows, 1, rec, str(exc), id_key="Id")
    finally:
        client.close()
    return _result("sequential", t0, rows, 0, rec, id_key="Id")


class TokenBucket:
    def __init__(self, rate: float) -> None:
        self.rate, self.tokens, self.at = rate, rate, time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
                self.at = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                wait = (1 - self.tokens) / self.rate
            time.sleep(wait)


def throttled(base_url: str, keys: tuple[str, str], license: str, path: str, *, threads: int = 10,
              per_second: float = 50.0, retries: int = 5) -> LoadResult:
    """(b) The documented limits kept on the client side; a 429 is retried after Retry-After."""
    rec = Recorder()
    client = MetrcPeerClient(base_url, *keys, rec)
    bucket = TokenBucket(per_second)
    t0 = time.perf_counter()

    def fetch(page: int) -> dict[str, Any] | None:
        for _attempt in range(retries):
            bucket.take()
            answer = client.get(path, license, page)
            if answer.status_code == 429:
                time.sleep(float(answer.headers.get("Retry-After") or 1))
                continue
            return answer.json() if answer.is_success else None
        return None

    first = fetch(1) or {"Data": [], "TotalPages": 0}
    rows = list(first["Data"])
    failed = fetch_pages(lambda n: (fetch(n) or {}).get("Data"), range(2, first["TotalPages"] + 1), threads, rows)
    client.close()
    return _result(f"throttled {threads} threads, {per_second:g}/s", t0, rows, failed, rec, id_key="Id")


def unbounded_pool(base_url: str, keys: tuple[str, str], license: str, path: str) -> LoadResult:
    """(c) Every page at once on a default-sized pool, no throttle, no retry."""
    rec = Recorder()
    client = MetrcPeerClient(base_url, *keys, rec)
    t0 = time.perf_counter()
    first = client.page(path, license, 1)

    def fetch(page: int) -> list[dict[str, Any]] | None:
        try:
            return client.page(path, license, page)["Data"]
        except httpx.HTTPError:
            return None

    rows = list(first["Data"])
    failed = fetch_pages(fetch, range(2, first["TotalPages"] + 1), None, rows)
    client.close()
    return _result("unbounded pool", t0, rows, failed, rec, id_key="Id")
