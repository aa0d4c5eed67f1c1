"""The catalog: the show's episodes in SQLite, the source of truth for feed and page.

Lives at ``<out>/.newsaudio/catalog.sqlite`` (never published). Opened as every newsaudio
database is (:mod:`newsaudio.database`): WAL journal and a busy timeout let concurrent
``newsaudio add`` runs share it; every change is one transaction, so a crash leaves the
previous state; the schema is versioned with ``PRAGMA user_version`` and migrated forward on
open; a catalog from a newer newsaudio is refused, not damaged.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime

from newsaudio.database import Database
from newsaudio.models import Episode, Loudness

SCHEMA_VERSION = 1

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


class Catalog(Database):
    """Open (creating or migrating) the catalog at ``path``; use as a context manager.
    ``read_only`` opens an existing catalog for reading even in a show folder this process
    cannot write (see :mod:`newsaudio.database`).

    Raises PublishError for a corrupt, locked-for-too-long or future-version database.
    """

    WHAT = "catalog"
    SCHEMA_VERSION = SCHEMA_VERSION
    MIGRATIONS = _MIGRATIONS

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
