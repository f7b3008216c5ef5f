"""Defect 9: a locked kiosk reaches nothing but unlock; wrong PINs slow down and are logged; a key
locks at once; --kiosk needs a supervisor PIN; SIGTERM / SIGHUP leave the terminal as it was."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.worker import WorkerFailed

from growtui.ui.screens.lock import LockScreen
from growtui.ui.modals.pin import PinModal

from .conftest import demo_user, open_main, settle, type_text
from .test_kiosk import PIN, FakeMonotonic, kiosk_app

ROOT = Path(__file__).resolve().parents[2]


async def test_locked_kiosk_reaches_only_unlock():
    app = kiosk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        await pilot.press("ctrl+l")  # walking away: lock now
        await settle(pilot)
        assert app.locked and isinstance(app.screen, LockScreen) and app.backend.session is None
        # The palette (whose "Switch license" / "Sign out" used to end the app), the keys panel,
        # quitting and the list's keys below: none of them does anything while locked.
        for key in ("ctrl+p", "f1", "question_mark", "ctrl+q", "l", "4", "w", "e", "f5"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running and app.locked and isinstance(app.screen, LockScreen), key
            assert not any(isinstance(s, CommandPalette) for s in app.screen_stack), key
        assert app.check_action("command_palette", ()) is False
        # Work below that opens a dialog while locked: the dialog waits under the lock.
        app.action_switch_license()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.screen_stack == [app.screen]

        # A worker failing while locked keeps the lock (it does not end the kiosk session).
        async def boom() -> None:
            raise RuntimeError("worker blew up")

        worker = app.run_worker(boom(), exit_on_error=True)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await settle(pilot)
        assert app.is_running and app.locked and isinstance(app.screen, LockScreen)

        app.focused.value = demo_user(app, "grower.ca")["password"]
        await pilot.press("enter")
        await settle(pilot)
        assert not app.locked and app.session is not None
        assert app.screen.id == "license-picker" or type(app.screen).__name__ == "LicensePickerScreen"


async def test_wrong_pins_slow_down_and_are_logged():
    clock = FakeMonotonic()
    app = kiosk_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)

        async def supervisor(pin: str) -> None:
            await pilot.press("f9")
            await settle(pilot)
            assert isinstance(app.screen, PinModal)
            await type_text(pilot, pin)
            await pilot.press("enter")
            await settle(pilot)

        await supervisor("1111")
        assert app.locked and app.pin_guard.wait_left() == 2
        await supervisor(PIN)  # the right PIN, too soon: not even compared
        assert app.locked and app.session is not None
        clock.now += 2
        await supervisor("2222")
        assert app.locked and app.pin_guard.wait_left() == 4  # growing
        clock.now += 4
        await supervisor("3333")
        assert app.pin_guard.wait_left() == 8
        from growtui.ui.kiosk import kiosk_log_path

        log = kiosk_log_path().read_text().splitlines()
        assert sum("wrong supervisor PIN" in line for line in log) == 3
        assert any("refused" in line for line in log)
        clock.now += 8
        await supervisor(PIN)
        assert not app.locked and app.session is None and app.screen.id == "login"
        assert app.pin_guard.failures == 0


def test_kiosk_without_a_supervisor_pin_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "GROWTUI_SUPERVISOR_PIN"}
    env["PYTHONPATH"] = str(ROOT)
    try:
        done = subprocess.run([sys.executable, "-m", "growtui", "--kiosk"], env=env, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("a kiosk without a supervisor PIN started")
    assert done.returncode == 2
    assert "supervisor PIN" in done.stderr and "GROWTUI_SUPERVISOR_PIN" in done.stderr


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"never saw {needle!r}; got {seen[-400:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signals_restore_the_terminal(sig):
    import pty

    master, slave = pty.openpty()
    termios.tcsetwinsize(slave, (24, 80))
    before = termios.tcgetattr(slave)
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm-256color", GROWTUI_SANDBOX_PACKAGES="40")
    child = subprocess.Popen([sys.executable, "-m", "growtui"], stdin=slave, stdout=slave, stderr=slave,
                             env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        _read_until(master, "Sign in".encode(), deadline)  # the app took over the screen
        raw = termios.tcgetattr(slave)
        assert raw[3] & termios.ICANON == 0  # raw mode while it runs
        child.send_signal(sig)
        tail = _read_until(master, b"\x1b[?1049l", deadline)  # the alternate screen left
        assert child.wait(timeout=30) == 128 + sig
        while select.select([master], [], [], 0)[0]:  # what it wrote on the way out
            tail += os.read(master, 65536)
        assert b"\x1b[?25h" in tail  # cursor shown again
        after = termios.tcgetattr(slave)
        assert after[3] & (termios.ICANON | termios.ECHO) == before[3] & (termios.ICANON | termios.ECHO)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
        os.close(slave)
