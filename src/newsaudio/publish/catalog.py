"""The catalog: the show's episodes in SQLite, the source of truth for feed and page.

Lives at ``<out>/.newsaudio/catalog.sqlite`` (never published). WAL journal and a busy
timeout let concurrent ``newsaudio add`` runs share it; every change is one transaction,
so a crash leaves the previous state. The schema is versioned with ``PRAGMA user_version``
and migrated forward on open; a catalog from a newer newsaudio is refused, not damaged.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

from newsaudio.errors import PublishError
from newsaudio.models import Episode, Loudness

SCHEMA_VERSION = 1
DEFAULT_LOCK_TIMEOUT_S = 60.0


def lock_timeout_s() -> float:
    """Seconds to wait for another process's catalog write lock: ``NEWSAUDIO_CATALOG_TIMEOUT``
    if set to a positive number, else 60."""
    try:
        value = float(os.environ.get("NEWSAUDIO_CATALOG_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT_S
    return value if 0 < value < float("inf") else DEFAULT_LOCK_TIMEOUT_S


_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE episodes (
        guid            TEXT PRIMARY KEY,
        source_key      TEXT NOT NULL UNIQUE,
        slug            TEXT NOT NULL UNIQUE,
        title           TEXT NOT NULL,
        description     TEXT NOT NULL,
        author          TEXT,
        link            TEXT,
        language        TEXT NOT NULL,
        published       TEXT NOT NULL,
        updated         TEXT NOT NULL,
        duration_ms     INTEGER NOT NULL,
        bytes           INTEGER NOT NULL,
        loudness_lufs   REAL NOT NULL,
        true_peak_dbtp  REAL NOT NULL,
        lra_lu          REAL NOT NULL,
        voice           TEXT NOT NULL,
        transcript      TEXT NOT NULL DEFAULT '',
        extra           TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX episodes_published ON episodes(published)
    """,
}


class Catalog:
    """Open (creating or migrating) the catalog at ``path``; use as a context manager.

    Raises PublishError for a corrupt, locked-for-too-long or future-version database.
    """

    def __init__(self, path: Path, timeout_s: float | None = None) -> None:
        self.path = path
        self.timeout_s = timeout_s if timeout_s is not None else lock_timeout_s()
        timeout_s = self.timeout_s
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=timeout_s, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise PublishError(f"{path}: catalog cannot be opened ({exc})") from exc
        except OSError as exc:
            raise PublishError(
                f"{path}: catalog cannot be created ({exc.strerror or exc})"
            ) from exc

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise PublishError(
                f"{self.path}: catalog schema version {version} is newer than this newsaudio "
                f"understands ({SCHEMA_VERSION}); upgrade newsaudio"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            for target in range(version + 1, SCHEMA_VERSION + 1):
                # executescript() would commit; run the DDL statements one by one instead
                for statement in _MIGRATIONS[target].split(";"):
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
                f"{self.path}: catalog is locked by another process "
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
            raise PublishError(f"{self.path}: catalog cannot be written ({exc})") from exc

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ---------------------------------------------------------------------------

    def by_source(self, source_key: str) -> Episode | None:
        """The episode made from ``source_key``, if any."""
        row = self.db.execute("SELECT * FROM episodes WHERE source_key=?", (source_key,)).fetchone()
        return _episode(row) if row else None

    def by_guid(self, guid: str) -> Episode | None:
        """The episode with ``guid``, if any."""
        row = self.db.execute("SELECT * FROM episodes WHERE guid=?", (guid,)).fetchone()
        return _episode(row) if row else None

    def slug_taken(self, slug: str, guid: str) -> bool:
        """True if another episode than ``guid`` uses ``slug``."""
        row = self.db.execute(
            "SELECT 1 FROM episodes WHERE slug=? AND guid<>?", (slug, guid)
        ).fetchone()
        return row is not None

    def episodes(self) -> list[Episode]:
        """Every episode, newest first."""
        with closing(
            self.db.execute("SELECT * FROM episodes ORDER BY published DESC, guid")
        ) as cur:
            return [_episode(row) for row in cur]

    def upsert(self, episode: Episode) -> None:
        """Insert ``episode`` or replace the one with the same guid (call inside a transaction)."""
        self.db.execute(
            """INSERT INTO episodes (guid, source_key, slug, title, description, author, link,
                   language, published, updated, duration_ms, bytes, loudness_lufs,
                   true_peak_dbtp, lra_lu, voice, transcript, extra)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(guid) DO UPDATE SET
                   source_key=excluded.source_key, slug=excluded.slug, title=excluded.title,
                   description=excluded.description, author=excluded.author,
                   link=excluded.link, language=excluded.language,
                   published=excluded.published, updated=excluded.updated,
                   duration_ms=excluded.duration_ms, bytes=excluded.bytes,
                   loudness_lufs=excluded.loudness_lufs, true_peak_dbtp=excluded.true_peak_dbtp,
                   lra_lu=excluded.lra_lu, voice=excluded.voice,
                   transcript=excluded.transcript, extra=excluded.extra""",
            (
                episode.guid,
                episode.source_key,
                episode.slug,
                episode.title,
                episode.description,
                episode.author,
                episode.link,
                episode.language,
                episode.published.isoformat(),
                episode.updated.isoformat(),
                episode.duration_ms,
                episode.bytes,
                episode.loudness.integrated_lufs,
                episode.loudness.true_peak_dbtp,
                episode.loudness.lra_lu,
                episode.voice,
                episode.transcript,
                json.dumps(episode.extra, ensure_ascii=False, sort_keys=True),
            ),
        )

    def remove(self, guid: str) -> bool:
        """Delete the episode ``guid``; True if it existed (call inside a transaction)."""
        return self.db.execute("DELETE FROM episodes WHERE guid=?", (guid,)).rowcount > 0


def _episode(row: sqlite3.Row) -> Episode:
    return Episode(
        guid=row["guid"],
        source_key=row["source_key"],
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        author=row["author"],
        link=row["link"],
        language=row["language"],
        published=datetime.fromisoformat(row["published"]),
        updated=datetime.fromisoformat(row["updated"]),
        duration_ms=row["duration_ms"],
        bytes=row["bytes"],
        loudness=Loudness(row["loudness_lufs"], row["true_peak_dbtp"], row["lra_lu"]),
        voice=row["voice"],
        transcript=row["transcript"],
        extra=json.loads(row["extra"]),
    )
