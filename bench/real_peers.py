"""The real peers a T3 user would pick instead of growtui, installed from PyPI and called as their
users call them (their code is not copied here):

* the official ``t3api`` 0.6.0 client (growtui's test dependencies): its generated
  ``PackagesApi.v2_packages_active_get``, page after page until ``total`` is read;
* ``t3api-utils`` 1.5.0's own parallel loader, ``load_all_data_sync(client=…, path=…,
  license_number=…)`` as its introduction shows it (page_size passed so every loader asks for the
  same 500-row pages). It needs Python >= 3.12, so it runs in its own virtual environment under
  the user cache dir (made once, ``pip install t3api-utils==1.5.0`` by name), in a child process
  (bench/t3api_utils_load.py). Where no Python 3.12 can be found or the install fails, the bench
  says so and goes on without it.

Each loader signs in first; ``ready`` is called between sign-in and load (the bench gives it a
fresh rate window and counters there), so only the load is timed and counted.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

T3API_UTILS = "t3api-utils==1.5.0"
CHILD = Path(__file__).resolve().parent / "t3api_utils_load.py"


@dataclass
class PeerRun:
    name: str
    seconds: float
    cpu_s: float
    rows: int
    unique: int
    error: str = ""


def official_sequential(base_url: str, creds: dict[str, str], license: str, ready: Callable[[], None],
                        page_size: int = 500) -> PeerRun:
    """The official client's paging loop: one page after another until ``total`` rows are read."""
    import t3api

    with t3api.ApiClient(t3api.Configuration(host=base_url)) as anonymous:
        login = t3api.AuthenticationApi(anonymous).v2_auth_credentials_post(
            t3api.V2AuthCredentialsPostRequest(**creds)
        )
    with t3api.ApiClient(t3api.Configuration(host=base_url, access_token=login.access_token)) as client:
        packages = t3api.PackagesApi(client)
        ready()
        cpu0, t0 = time.process_time(), time.perf_counter()
        rows: list[Any] = []
        page = 1
        while True:
            answer = packages.v2_packages_active_get(license_number=license, page=page, page_size=page_size)
            rows.extend(answer.data or [])
            if not answer.data or page * page_size >= answer.total:
                break
            page += 1
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return PeerRun("t3api 0.6.0 sequential", seconds, cpu, len(rows), len({r.id for r in rows}))


def _python312() -> tuple[str | None, str]:
    """A Python >= 3.12 interpreter, or why none was found."""
    candidates = [os.environ.get("GROWTUI_BENCH_PYTHON312", ""), shutil.which("python3.12") or "",
                  shutil.which("python3.13") or "",
                  *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))]
    for exe in filter(None, candidates):
        try:
            out = subprocess.run([exe, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.stdout.strip() == "True":
            return exe, ""
    return None, "no Python >= 3.12 found (python3.12 on PATH, ~/.pyenv/versions/3.12*, $GROWTUI_BENCH_PYTHON312)"


def t3api_utils_python(*, create: bool = True) -> tuple[Path | None, str]:
    """The Python of t3api-utils' own environment (made on first use unless not ``create``), or
    why it cannot be had."""
    venv = Path(platformdirs.user_cache_dir("growtui-bench")) / "t3api-utils-1.5.0"
    python = venv / "bin" / "python"
    if python.exists() and (venv / ".installed").exists():
        return python, ""
    if not create:
        return None, f"its environment is not made yet ({venv}; `python bench/real_peers.py` makes it)"
    base, why = _python312()
    if base is None:
        return None, why
    steps = [[base, "-m", "venv", "--clear", str(venv)],
             [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", T3API_UTILS]]
    for step in steps:
        out = subprocess.run(step, capture_output=True, text=True)
        if out.returncode != 0:
            tail = (out.stderr or out.stdout).strip().splitlines()[-1:] or [""]
            return None, f"could not set up {T3API_UTILS} with {base}: {' '.join(step[2:4])} failed: {tail[0]}"
    (venv / ".installed").touch()
    return python, ""


def t3api_utils_load(python: Path, base_url: str, creds: dict[str, str], license: str, path: str,
                     ready: Callable[[], None], page_size: int = 500) -> PeerRun:
    """t3api-utils' parallel loader in its own process: it signs in, waits for a line, loads."""
    env = dict(os.environ, LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")  # its per-page log lines off
    args = [str(python), str(CHILD), base_url, creds["hostname"], creds["username"], creds["password"],
            license, path, str(page_size)]
    with subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, env=env) as child:
        assert child.stdin is not None and child.stdout is not None
        if child.stdout.readline().strip() != "signed in":
            child.kill()
            return PeerRun("t3api-utils 1.5.0", 0.0, 0.0, 0, 0, "did not sign in")
        ready()
        child.stdin.write("go\n")
        child.stdin.flush()
        line = child.stdout.readline()
        child.wait(timeout=600)
    try:
        result = json.loads(line)
    except ValueError:
        return PeerRun("t3api-utils 1.5.0", 0.0, 0.0, 0, 0, f"no result (exit {child.returncode})")
    return PeerRun("t3api-utils 1.5.0", result["seconds"], result["cpu_s"], result["rows"], result["unique"])


if __name__ == "__main__":  # python bench/real_peers.py: make t3api-utils' environment now
    found, reason = t3api_utils_python()
    print(found or reason)
    sys.exit(0 if found else 1)
