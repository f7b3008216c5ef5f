"""SlidingWindowBudget: exact sliding-window limit, no delay under budget, counters."""

from __future__ import annotations

import asyncio
import time

import pytest

from growtui.backends.base import RequestBudget
from growtui.backends.http import SlidingWindowBudget


class FakeTime:
    """A clock that only moves when someone sleeps: exact, instant tests."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def assert_no_window_exceeds(starts: list[float], limit: int, window: float) -> None:
    starts = sorted(starts)
    for i in range(len(starts) - limit):
        # limit+1 consecutive starts must span at least a whole window
        assert starts[i + limit] - starts[i] >= window - 1e-9, (i, starts[i], starts[i + limit])


def test_is_a_request_budget():
    assert isinstance(SlidingWindowBudget(), RequestBudget)


@pytest.mark.parametrize("bad", [dict(limit=0), dict(window_s=0), dict(window_s=-1), dict(margin_s=-1)])
def test_rejects_nonsense_settings(bad):
    with pytest.raises(ValueError):
        SlidingWindowBudget(**bad)


async def test_exact_with_fake_clock_under_concurrency():
    fake = FakeTime()
    budget = SlidingWindowBudget(20, 0.5, clock=fake.clock, sleep=fake.sleep)
    starts: list[float] = []

    async def one() -> None:
        await budget.acquire()
        starts.append(budget.last_start)

    await asyncio.gather(*(one() for _ in range(100)))
    assert len(starts) == 100
    assert_no_window_exceeds(starts, 20, 0.5)
    # Exact, not approximate: batches of 20 start at 0, 0.5, 1.0, 1.5, 2.0 s after the first.
    assert sorted(set(round(s - 1000.0, 6) for s in starts)) == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert budget.max_in_window == 20
    assert budget.acquired == 100
    assert budget.delayed == 80


async def test_exact_with_real_clock_and_no_delay_under_budget():
    budget = SlidingWindowBudget(20, 0.25)
    granted: list[float] = []
    observed: list[float] = []
    t0 = time.monotonic()

    async def one() -> None:
        await budget.acquire()
        granted.append(budget.last_start)
        observed.append(time.monotonic() - t0)

    await asyncio.gather(*(one() for _ in range(100)))
    assert_no_window_exceeds(granted, 20, 0.25)
    assert budget.max_in_window == 20
    observed.sort()
    assert observed[19] < 0.2  # the first 20 pass straight through (slack for a busy CI box)
    assert observed[20] >= 0.25 - 0.01  # the 21st waits a whole window
    assert observed[-1] >= 1.0 - 0.01  # 5 windows' worth for 100 requests


async def test_no_delay_when_spread_under_budget():
    fake = FakeTime()
    budget = SlidingWindowBudget(3, 1.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(10):
        await budget.acquire()
        fake.now += 0.34  # 3 per 1.02 s: always under the limit
    assert fake.sleeps == []
    assert budget.delayed == 0
    assert budget.max_in_window == 3


async def test_sliding_not_fixed_window():
    """A burst at the end of one window and the start of the next must still be limited."""
    fake = FakeTime()
    budget = SlidingWindowBudget(2, 1.0, clock=fake.clock, sleep=fake.sleep)
    fake.now = 1000.9
    await budget.acquire()
    fake.now = 1000.95
    await budget.acquire()
    fake.now = 1001.1  # a fixed 1-s window would reset here
    await budget.acquire()
    assert budget.last_start == pytest.approx(1001.9)  # waited for the first start to age out
    assert budget.in_window() == 2


async def test_margin_widens_the_enforced_window():
    fake = FakeTime()
    budget = SlidingWindowBudget(2, 1.0, margin_s=0.25, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        await budget.acquire()
    assert budget.last_start == pytest.approx(1001.25)


async def test_usable_from_a_second_event_loop():
    budget = SlidingWindowBudget(5, 1.0)
    await budget.acquire()

    def other_loop() -> None:
        asyncio.run(budget.acquire())

    await asyncio.to_thread(other_loop)
    assert budget.acquired == 2


async def test_a_place_is_held_until_one_window_after_the_answer():
    """Upstream counts arrivals: a request that travelled slowly still counts a window after its
    answer, so the next start waits for that, not for a window after the slow one's start."""
    fake = FakeTime()
    budget = SlidingWindowBudget(1, 1.0, clock=fake.clock, sleep=fake.sleep)
    slot = await budget.acquire_slot()
    fake.now += 0.8  # the answer took 0.8 s
    budget.finished(slot, 200)
    await budget.acquire()
    assert budget.last_start == pytest.approx(1001.8)


async def test_a_429_halves_the_pace_once_per_burst_then_it_recovers_slowly():
    fake = FakeTime()
    budget = SlidingWindowBudget(40, 1.0, clock=fake.clock, sleep=fake.sleep)
    burst = [await budget.acquire_slot() for _ in range(20)]
    for slot in burst:  # every request of the burst was refused
        budget.finished(slot, 429)
    assert budget.pace_rps == 10 and budget.cuts == 1  # half the last second's 20, cut once
    starts = []
    for _ in range(3):
        await budget.acquire()
        starts.append(budget.last_start)
    assert starts[2] - starts[1] == pytest.approx(0.1)  # spaced to 10 a second
    fake.now += 1.0
    await budget.acquire()  # a whole window without a 429: a tenth faster
    assert budget.pace_rps == pytest.approx(11)


async def test_retry_after_pauses_every_start():
    fake = FakeTime()
    budget = SlidingWindowBudget(100, 1.0, clock=fake.clock, sleep=fake.sleep)
    slot = await budget.acquire_slot()
    budget.finished(slot, 429, retry_after=3.0)
    await budget.acquire()
    assert budget.last_start >= 1003.0
