"""The one way newsaudio opens its SQLite databases (catalog, sources state, publish state).

Each database is a :class:`Database` subclass naming itself (``WHAT``, for messages), its
``SCHEMA_VERSION`` and its numbered ``MIGRATIONS`` (DDL statements separated by ``;``).
Opening one for writing creates its folder and file, sets the WAL journal (readers never
block the writer, a crash leaves the last committed state) with ``synchronous=FULL`` and a
busy timeout (``NEWSAUDIO_CATALOG_TIMEOUT``, default 60 s), and migrates the schema forward
under ``PRAGMA user_version``; a database from a newer newsaudio is refused, not damaged.

Opening with ``read_only=True`` (the ``list``, ``sources`` and ``inspect`` commands) works
on a show the user cannot write (read-only folder or file system): the file is opened with
SQLite's ``mode=ro`` URI, and also ``immutable=1`` when no ``-wal`` file is there (SQLite
cannot create the ``-shm`` index in a read-only folder, and without a ``-wal`` file the
database file holds every committed change). In a writable folder it opens as for writing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Self
from urllib.parse import quote

from newsaudio.errors import PublishError, plain_reason

DEFAULT_LOCK_TIMEOUT_S = 60.0


def lock_timeout_s() -> float:
    """Seconds to wait for another process's write lock: ``NEWSAUDIO_CATALOG_TIMEOUT`` if set
    to a positive number, else 60."""
    try:
        value = float(os.environ.get("NEWSAUDIO_CATALOG_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT_S
    return value if 0 < value < float("inf") else DEFAULT_LOCK_TIMEOUT_S


def _writable(path: Path) -> bool:
    """True when this process may write ``path`` and create files beside it (the journal).
    ``os.access`` also answers False on a read-only file system, for root too."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _read_only_uri(path: Path) -> str:
    immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    return f"file:{quote(str(path.resolve()))}?mode=ro{immutable}"


class Database:
    """An open SQLite database of a show (see the module docstring); a context manager.

    Raises PublishError naming the file for a corrupt, uncreatable, locked-for-too-long or
    future-version database (exit code 7).
    """

    WHAT: ClassVar[str] = "database"
    """What the database is, in messages: "catalog", "sources state"..."""
    SCHEMA_VERSION: ClassVar[int] = 1
    MIGRATIONS: ClassVar[dict[int, str]] = {}
    """Schema version -> the DDL that brings the previous version to it."""

    def __init__(
        self, path: Path, timeout_s: float | None = None, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.timeout_s = timeout_s if timeout_s is not None else lock_timeout_s()
        self.read_only = read_only and path.is_file() and not _writable(path)
        try:
            if self.read_only:
                self.db = sqlite3.connect(
                    _read_only_uri(path), timeout=self.timeout_s, isolation_level=None, uri=True
                )
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(path), timeout=self.timeout_s, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.row_factory = sqlite3.Row
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise PublishError(f"{path}: {self.WHAT} cannot be opened ({exc})") from exc
        except OSError as exc:
            raise PublishError(
                f"{path}: {self.WHAT} cannot be created ({plain_reason(exc)})"
            ) from exc

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > self.SCHEMA_VERSION:
            raise PublishError(
                f"{self.path}: {self.WHAT} schema version {version} is newer than this "
                f"newsaudio understands ({self.SCHEMA_VERSION}); upgrade newsaudio"
            )
        if version == self.SCHEMA_VERSION:
            return
        if self.read_only:
            raise PublishError(
                f"{self.path}: {self.WHAT} schema version {version} needs an upgrade, and the "
                "show folder is read-only; run newsaudio once where it can be written"
            )
        with self.transaction():
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            for target in range(version + 1, self.SCHEMA_VERSION + 1):
                # executescript() would commit; run the DDL statements one by one instead
                for statement in self.MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={target}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An immediate (write-locking) transaction, committed on success.

        Raises PublishError if another process holds the write lock for longer than the
        busy timeout, or if the commit fails (disk full, I/O error).
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise PublishError(
                f"{self.path}: {self.WHAT} is locked by another process "
                f"(waited {self.timeout_s:g} s; {exc})"
            ) from exc
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self.db.execute("ROLLBACK")
            raise PublishError(f"{self.path}: {self.WHAT} cannot be written ({exc})") from exc

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
