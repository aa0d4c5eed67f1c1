"""Atomic file writes and the show's publish lock.

Everything that reaches the output folder is written to a temporary file in the same
folder, flushed and fsynced, then renamed over the target (``os.replace`` is atomic on
POSIX): a reader never sees half a file, and a crash leaves either the old or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from newsaudio.errors import PublishError


def _temp_dir(path: Path) -> Path:
    """Folder for the temporary file of ``path``: the show's ``.newsaudio/work`` when
    ``path`` is in a show (its folder, ``episodes/`` or ``.newsaudio/``), so that no
    temporary file ever shows in the published tree, even after kill -9 (the next run
    sweeps files of dead processes); else ``path``'s own folder."""
    for parent in (path.parent, path.parent.parent):
        state = parent if parent.name == ".newsaudio" else parent / ".newsaudio"
        if state.is_dir():
            return state / "work"
    return path.parent


def _mkstemp(path: Path) -> tuple[int, str]:
    folder = _temp_dir(path)
    for _attempt in range(3):  # another run may remove an empty work folder meanwhile
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return tempfile.mkstemp(
                dir=folder, prefix=f"{os.getpid()}-.{path.name}.", suffix=".tmp"
            )
        except FileNotFoundError:
            continue
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically. Raises PublishError on failure (ENOSPC...)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _mkstemp(path)
    except OSError as exc:
        raise PublishError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PublishError(f"{path}: cannot write ({exc.strerror or exc})") from exc


MIN_FREE_BYTES = 16 * 1024 * 1024
"""Free space (bytes) a show's disk must have before a run starts: a 5-minute episode needs
about 3.5 MB of MP3 plus its work files (the programme's PCM, about 5 MB a minute, lives
in ``.newsaudio/work`` until the MP3 is encoded)."""


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def check_writable(folder: Path, shown_as: Path, min_free_bytes: int = MIN_FREE_BYTES) -> None:
    """Probe that files can be created, written and renamed in ``folder`` and that its disk
    has at least ``min_free_bytes`` free (for the calling user, ``statvfs`` ``f_bavail``).

    A probe file is created, 4 KiB written to it, renamed and removed. Raises PublishError
    naming ``folder`` (or ``shown_as``, the show folder, for disk space) and the reason:
    permission denied, read-only file system, no space left...
    """
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{os.getpid()}-.probe.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(b"\0" * 4096)
            f.flush()
        renamed = f"{tmp}.renamed"
        os.replace(tmp, renamed)
        tmp = renamed
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise PublishError(
                f"{shown_as}: no space left on its disk ({reason}); free some space or use --out"
            ) from exc
        what = "the show folder" if folder == shown_as else f"the show's {folder.name} folder"
        hint = (
            "choose a folder on a writable disk with --out"
            if exc.errno == errno.EROFS
            else "fix its permissions or choose another folder with --out"
        )
        raise PublishError(f"{folder}: {what} is not writable ({reason}); {hint}") from exc
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    try:
        st = os.statvfs(folder)
        free = st.f_bavail * st.f_frsize
    except OSError as exc:
        raise PublishError(
            f"{shown_as}: cannot use the show folder ({exc.strerror or exc})"
        ) from exc
    if free < min_free_bytes:
        raise PublishError(
            f"{shown_as}: no space left: only {_size(free)} free on its disk; making an "
            f"episode needs at least {_size(min_free_bytes)} (free some space or use --out)"
        )


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def commit_file(tmp: Path, path: Path) -> None:
    """fsync the finished temporary file ``tmp`` and rename it to ``path``."""
    try:
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise PublishError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def open_lock_file(lock_path: Path) -> BinaryIO:
    """Open (creating it and its folder) the lock file ``lock_path`` of a show's state folder.
    Raises PublishError naming the show folder when it cannot be written (read-only file
    system, permissions, a path that cannot exist)."""
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        return lock_path.open("a+b")
    except OSError as exc:
        show = lock_path.parent.parent
        raise PublishError(
            f"{show}: the show folder is not writable ({exc.strerror or exc}); "
            "check the path and its permissions, or choose another with --out"
        ) from exc


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock (flock) on ``lock_path`` for the block.

    Serializes publishing between concurrent newsaudio processes on one show; the lock is
    released by the kernel if the process dies.
    """
    with open_lock_file(lock_path) as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


class ShowFolders(Protocol):
    """The folders of a show (:class:`newsaudio.show.Show` has them): fsutil needs no more."""

    @property
    def out_dir(self) -> Path: ...

    @property
    def state_dir(self) -> Path: ...

    @property
    def episodes_dir(self) -> Path: ...


def check_show_folder(show: ShowFolders) -> None:
    """Create the show's state folder and probe that the show folder, its state folder and
    ``episodes/`` are writable with enough free disk space (milliseconds: run it before
    anything expensive starts, Piper's workers included). Raises PublishError."""
    logging.getLogger(__name__).info("stage check: the show folder %s is writable", show.out_dir)
    try:
        show.state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot create the show folder ({exc.strerror or exc})"
        ) from exc
    for folder in (show.out_dir, show.state_dir, show.episodes_dir):
        if folder.is_dir():
            check_writable(folder, show.out_dir)
