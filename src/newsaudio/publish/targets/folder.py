"""Folder target: ``file:///path`` or a plain path (a web root, a synced folder).

Each file is copied to a temporary name in its destination folder, fsynced and renamed over
the destination (atomic on POSIX), so a web server never serves half a file. Content-Type
and Cache-Control are the web server's business here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsaudio.errors import ConfigError
from newsaudio.publish.targets import TEMP_PREFIX, RemoteObject, TargetError

SCHEMES = ("file", "")


def _root(url: str, where: str = "target") -> Path:
    if "://" not in url:
        return Path(url).expanduser().absolute()
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ConfigError(f"{where}: {url!r}: file:// URLs name a local folder (file:///path)")
    return Path(unquote(parts.path)).absolute()


def describe(url: str, where: str = "target") -> str:
    """The folder as shown in messages. Raises ConfigError for a remote file:// host."""
    return str(_root(url, where))


def open_target(url: str) -> FolderTarget:
    """The folder target for ``url``."""
    return FolderTarget(_root(url))


def _oserror(exc: OSError) -> str:
    return exc.strerror or str(exc)


class FolderTarget:
    """A local folder as a publish target (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = str(root)

    def list(self) -> dict[str, RemoteObject]:
        """Every file under the root by key; stale temporary files are deleted."""
        found: dict[str, RemoteObject] = {}
        if not self.root.is_dir():
            return found
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(folder) / name
                if name.startswith(TEMP_PREFIX):
                    with contextlib.suppress(OSError):
                        path.unlink()
                    continue
                try:
                    st = path.stat()
                except OSError:
                    continue
                key = path.relative_to(self.root).as_posix()
                found[key] = RemoteObject(st.st_size, str(st.st_mtime_ns))
        return found

    def put(self, key: str, local: Path, content_type: str, cache_control: str) -> RemoteObject:
        """Copy ``local`` to ``key`` (temporary name, fsync, rename)."""
        dest = self.root / key
        tmp = dest.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex[:8]}-{dest.name}"
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with local.open("rb") as src, tmp.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
            st = dest.stat()
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise TargetError(f"{self.url}: cannot write {key} ({_oserror(exc)})") from exc
        return RemoteObject(st.st_size, str(st.st_mtime_ns))

    def delete(self, key: str) -> None:
        """Delete ``key`` and the folders it leaves empty (never the root)."""
        path = self.root / key
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise TargetError(f"{self.url}: cannot delete {key} ({_oserror(exc)})") from exc
        parent = path.parent
        while parent != self.root and parent.is_relative_to(self.root):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    def close(self) -> None:
        """Nothing to release."""
