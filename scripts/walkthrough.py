"""Walk through growtui as a new user would, in a real pseudo-terminal, at 80×24 and 60×20.

    python scripts/walkthrough.py               # both sizes; screens saved in screenshots/walkthrough/
    python scripts/walkthrough.py --out DIR --size 80x24

The app runs in training (its own sandbox, a fresh temporary home: nothing of yours is touched)
in a pty with TERM=xterm-256color; its output is read by a terminal emulator (pyte), so each saved
screen is exactly what a person would see. Every step waits for text on the screen, never for a
fixed time (up to a timeout). Each screen is checked for:
  - a status line that ends in "…" (a message cut short);
  - the keys of the screen's main actions missing from its key bar;
  - a number cut by the right edge without a mark (a digit in the list's last column).
It prints one line per screen and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 30.0


@dataclass
class Step:
    name: str
    keys: list[str]  # each written as is ("\r" Enter, "\x1b" Escape, "\x13" Ctrl+S …)
    wait_for: str  # text that must be on screen before it is saved
    keybar: tuple[str, ...] = ()  # keys of the main actions that must show in the key bar
    is_list: bool = False  # check the list rows for numbers cut without a mark
    gone: str = ""  # text that must be gone first (a dialog that closes)


ESC, ENTER, CTRL_S, F1 = "\x1b", "\r", "\x13", "\x1bOP"
STEPS = [
    Step("01-sign-in", [], "Sign in"),
    Step("02-licenses", [ENTER, CTRL_S], "Choose a license"),
    Step("03-plants", [ENTER], "Plants", keybar=("Filter", "Scan", "Lists", "Outbox", "Quit")),
    Step("04-packages", ["4"], "Qty", keybar=("Filter", "Scan", "Note", "Transfer", "Outbox"), is_list=True),
    Step("05-filter", ["/", *"gelato", ENTER], "gelato", is_list=True),
    Step("06-marked", [ESC, " ", "j", " "], "2 marked", is_list=True),
    Step("07-detail", ["d"], "Tag:", is_list=True),
    Step("08-search", ["d", "?", *"flower"], "rows in", keybar=()),
    Step("09-json", [ESC, "J"], "Upstream JSON of", gone="Search every"),
    Step("10-labels", [ESC, "L"], "Print 2 labels"),
    Step("11-note", [ESC, "n"], "Note", gone="Print 2 labels"),
    Step("12-keys", [ESC, F1], "Keys", gone="What happened"),
]


@dataclass
class Session:
    cols: int
    rows: int
    pid: int = 0
    fd: int = -1
    screen: pyte.Screen = field(init=False)
    stream: pyte.ByteStream = field(init=False)

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.cols, self.rows)
        self.stream = pyte.ByteStream(self.screen)

    def start(self, home: Path) -> None:
        env = {**os.environ, "HOME": str(home), "TERM": "xterm-256color", "COLUMNS": str(self.cols),
               "LINES": str(self.rows), "GROWTUI_SANDBOX_PACKAGES": "60"}
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                         ("XDG_CACHE_HOME", "cache")):
            env[var] = str(home / sub)
        env.pop("GROWTUI_HOST", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: growtui in the pty
            os.execvpe(sys.executable, [sys.executable, "-m", "growtui"], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    self.stream.feed(os.read(self.fd, 65536))
                except OSError:
                    return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, wanted: str, gone: str = "") -> bool:
        end = time.monotonic() + TIMEOUT_S
        while time.monotonic() < end:
            self.pump(0.1)
            screen = self.text()
            if wanted in screen and not (gone and gone in screen):
                self.pump(0.3)  # the frame that follows the text (a toast, the key bar) lands too
                return True
        return False

    def send(self, keys: list[str]) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            # A person's pace between keys (the step itself waits for its text); after a lone
            # Escape longer, or the terminal reads Escape and the next key as one Alt+key.
            self.pump(0.3 if key == ESC else 0.08)

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def check(step: Step, lines: list[str], cols: int) -> list[str]:
    problems = []
    at = next((n for n in range(len(lines) - 1, -1, -1) if "│" in lines[n] and " of " in lines[n]), len(lines))
    if at < len(lines) and lines[at].rstrip().endswith("…"):
        problems.append(f"status line cut: {lines[at].strip()!r}")
    bar = " ".join(lines[at + 1:])  # the key bar: every line under the status line
    problems += [f"key bar lacks {key!r}" for key in step.keybar if key not in bar]
    if step.is_list:
        for line in lines[5:-4]:
            body = line.rstrip("▁▂▃▄▅▆▇█▏▎ ")
            if len(line.rstrip()) >= cols - 2 and re.search(r"\d$", body) and len(body) >= cols - 2:
                problems.append(f"number cut at the edge: {line.rstrip()[-16:]!r}")
    return problems


def walk(cols: int, rows: int, out: Path) -> int:
    failures = 0
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        session = Session(cols, rows)
        session.start(Path(tmp))
        try:
            for step in STEPS:
                session.send(step.keys)
                seen = session.wait_for(step.wait_for, step.gone)
                lines = session.screen.display
                (out / f"{cols}x{rows}-{step.name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
                problems = [] if seen else [f"never showed {step.wait_for!r}"]
                problems += check(step, lines, cols) if seen else []
                failures += bool(problems)
                print(f"{cols}x{rows} {step.name:<14} {'ok' if not problems else '; '.join(problems)}")
        finally:
            session.stop()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "walkthrough", help="where the screens go")
    parser.add_argument("--size", action="append", help="COLSxROWS (default: 80x24 and 60x20)")
    args = parser.parse_args()
    if shutil.which("stty") is None and not hasattr(pty, "fork"):
        print("no pseudo-terminals here", file=sys.stderr)
        return 2
    sizes = [tuple(map(int, s.lower().split("x"))) for s in args.size or ["80x24", "60x20"]]
    failures = sum(walk(cols, rows, args.out) for cols, rows in sizes)
    print(f"screens in {args.out}; {failures} with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
