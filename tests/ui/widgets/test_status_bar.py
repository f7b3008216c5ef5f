"""StatusBar: what it says, in what colour, and that it stays quiet."""

from __future__ import annotations

from textual.app import App, ComposeResult

from growtui.ui.widgets.status_bar import StatusBar, format_age
from tests.ui.conftest import wait_for


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class BarApp(App):
    def __init__(self, clock: FakeClock, age_check: float = 30.0) -> None:
        super().__init__()
        self.clock = clock
        self.age_check = age_check

    def compose(self) -> ComposeResult:
        yield StatusBar(clock=self.clock, age_check=self.age_check)


def test_format_age():
    assert format_age(-5) == "just now"
    assert format_age(3) == "just now"
    assert format_age(45) == "45 s ago"
    assert format_age(200) == "3 min ago"
    assert format_age(7300) == "2 h ago"
    assert format_age(4 * 86400 + 5) == "4 d ago"


async def test_fields_render_as_one_plain_line():
    clock = FakeClock()
    app = BarApp(clock)
    async with app.run_test(size=(100, 5)) as pilot:
        bar = app.query_one(StatusBar)
        assert bar.plain.strip() == ""
        bar.set_progress(12431, 50000)
        bar.set_cached_at(clock.now - 190)
        bar.set_license("Grow 1 [b]C11-0000001-LIC[/b]\x1b[2J")
        await pilot.pause()
        assert bar.plain == " 12,431 of 50,000 │ cached 3 min ago │ Grow 1 [b]C11-0000001-LIC[/b][2J"
        assert bar.size.height == 1
        bar.set_error("401 Unauthorized")
        text = bar.render_text()
        error_span = [s for s in text.spans if text.plain[s.start : s.end] == "401 Unauthorized"]
        assert error_span and error_span[0].style == bar.get_component_rich_style("status-bar--error")
        bar.clear_error()
        bar.set_progress(None)
        assert "401" not in bar.plain and "of" not in bar.plain


async def test_cache_age_repaints_only_when_its_text_changes(monkeypatch):
    checks = []
    real_check = StatusBar._check_age

    def counting_check(self):
        checks.append(1)
        real_check(self)

    monkeypatch.setattr(StatusBar, "_check_age", counting_check)
    clock = FakeClock()
    app = BarApp(clock, age_check=0.02)
    async with app.run_test(size=(100, 5)) as pilot:
        bar = app.query_one(StatusBar)
        bar.set_cached_at(clock.now - 125)
        await pilot.pause()
        renders = []
        original = bar.render_text

        def counting_render():
            renders.append(1)
            return original()

        bar.render_text = counting_render
        await wait_for(pilot, lambda: len(checks) >= 3, "several age checks")  # same "2 min ago"
        assert renders == []
        clock.now += 60
        await wait_for(pilot, lambda: len(renders) >= 1, "a repaint")
        assert "cached 3 min ago" in original().plain
