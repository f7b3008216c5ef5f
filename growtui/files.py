"""Every file growtui writes is 0600 in a directory that is 0700, and appears whole or not at all.

One place for this, used by the settings/state files, the cache, drafts, exports and the headless
commands: the files hold usernames, license numbers and inventory, which other local users of a
shared kiosk host must not read. Modes are set at creation (no window where the file is 0644).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, *, narrow: bool = True) -> Path:
    """Create ``path`` (and missing parents) as 0700; with ``narrow`` an existing leaf (growtui's
    own dir, perhaps made 0755 by an older version) is narrowed to 0700.

    Existing parents are left as they are: they are the user's (``~/.cache``), not growtui's."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # another process made it meanwhile
            pass
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    if narrow and path.is_dir() and (os.stat(path).st_mode & 0o777) != DIR_MODE:
        try:
            os.chmod(path, DIR_MODE)
        except PermissionError:  # not ours (e.g. a shared export folder): leave it
            pass
    return path


@contextmanager
def private_writer(
    path: Path, *, newline: str | None = None, own_dir: bool = True, binary: bool = False
) -> Iterator[IO[Any]]:
    """Write ``path`` atomically as 0600 text (bytes with ``binary``): a temp file in the same dir,
    fsync, rename.

    ``own_dir=False`` for a place the user chose (``--output``): missing dirs are made 0700, an
    existing one is left as the user set it."""
    path = Path(path)
    private_dir(path.parent, narrow=own_dir)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)  # 0600
    try:
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        with opened as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (0600, atomic)."""
    with private_writer(path) as handle:
        handle.write(text)


def save_new(folder: Path, name: str, data: bytes) -> Path:
    """Save ``data`` as a new 0600 file named ``name`` in ``folder`` (the user's, left as it is):
    never over an existing file; ``name`` (from upstream) is reduced to a safe base name."""
    stem, dot, ext = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip(".-")[:80].rpartition(".")
    stem, ext = (stem, f".{ext}") if dot and stem else (ext or "file", "")
    path = Path(folder) / f"{stem}{ext}"
    for n in range(2, 10_000):
        if not path.exists():
            break
        path = Path(folder) / f"{stem}-{n}{ext}"
    with private_writer(path, own_dir=False, binary=True) as handle:
        handle.write(data)
    return path


def create_private(path: Path) -> None:
    """Make sure ``path`` exists as a 0600 file in a 0700 dir (for files SQLite opens itself)."""
    private_dir(Path(path).parent)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)


def append_private(path: Path, text: str) -> None:
    """Append ``text`` to a 0600 file in a 0700 dir (a log)."""
    private_dir(Path(path).parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
