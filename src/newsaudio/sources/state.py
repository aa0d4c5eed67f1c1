"""Followed sources and the state of their items, in SQLite with the show
(``<out>/.newsaudio/sources.sqlite``, never published).

An item's life is one :class:`ItemState` and the allowed moves are :data:`TRANSITIONS`
(checked by :func:`advance`, the only place that changes a state)::

    new ──▶ published ──▶ removed          (the user removed its episode: a tombstone)
     │ └──▶ skipped (reason)               (filtered, duplicate, audio only, no text, archive)
     └──▶ failed (attempts, last error) ──▶ failed ... up to MAX_ATTEMPTS, then left failed
                     └──▶ published | skipped | removed

Items of a service or mailbox (:mod:`.services`) carry a write-back state beside: ``pending``
from the moment their episode is published (same transaction), ``done`` once the service
archived or marked it read, ``failed`` (with the error) to be tried again at the next
update; NULL when nothing is to be written back.

Removed episodes also leave a row in ``tombstones`` keyed by the episode guid, so the same
article never comes back, not even through another feed. WAL journal and a busy timeout
let ``sources`` and ``follow`` run while an update is going on; every change is one
transaction. The schema is versioned with ``PRAGMA user_version`` and migrated forward on
open; a newer schema is refused, not damaged.
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from newsaudio.database import Database

SCHEMA_VERSION = 2
MAX_ATTEMPTS = 3
"""A failing item is tried this many times (one attempt per update), then left failed."""

STATE_FILE = "sources.sqlite"


class ItemState(enum.Enum):
    """Where an item is in its life (see the module docstring)."""

    NEW = "new"
    PUBLISHED = "published"
    SKIPPED = "skipped"
    FAILED = "failed"
    REMOVED = "removed"


TRANSITIONS: dict[ItemState, frozenset[ItemState]] = {
    ItemState.NEW: frozenset(
        {ItemState.PUBLISHED, ItemState.SKIPPED, ItemState.FAILED, ItemState.REMOVED}
    ),
    ItemState.FAILED: frozenset(
        {ItemState.PUBLISHED, ItemState.SKIPPED, ItemState.FAILED, ItemState.REMOVED}
    ),
    ItemState.PUBLISHED: frozenset({ItemState.REMOVED}),
    ItemState.SKIPPED: frozenset(),
    ItemState.REMOVED: frozenset(),
}
"""Allowed moves; a failed item may fail again only while it has attempts left."""


class IllegalTransition(Exception):
    """A move :data:`TRANSITIONS` does not allow (a bug in newsaudio, never user input)."""


@dataclass(frozen=True)
class ItemRecord:
    """An item as remembered: ``key`` is its identity within the source
    (:func:`~newsaudio.sources.identity.item_key`), ``link`` its canonical link,
    ``attempts`` how many times making its episode failed, ``reason`` why it was skipped or
    the last error, ``episode_guid`` the guid of its episode (made or to be made), ``data``
    the feed's item as JSON (:func:`~newsaudio.sources.items.item_to_json`), so a failed
    item can be retried while the feed answers 304 Not Modified. For a service's item:
    ``service_id`` its id there (the write-back target), ``write_back`` None, ``pending``,
    ``done`` or ``failed`` (``write_back_error`` the last error)."""

    source_id: int
    key: str
    title: str
    state: ItemState = ItemState.NEW
    link: str | None = None
    published: datetime | None = None
    attempts: int = 0
    reason: str | None = None
    episode_guid: str | None = None
    data: str = "{}"
    service_id: str | None = None
    write_back: str | None = None
    write_back_error: str | None = None

    @property
    def retryable(self) -> bool:
        """True for a new item, or a failed one with attempts left."""
        return self.state is ItemState.NEW or (
            self.state is ItemState.FAILED and self.attempts < MAX_ATTEMPTS
        )


def advance(item: ItemRecord, to: ItemState, reason: str | None = None) -> ItemRecord:
    """``item`` moved to state ``to`` (``reason``: why skipped, or the error that failed it).
    Moving to FAILED counts an attempt. Raises IllegalTransition for a move not in
    :data:`TRANSITIONS`, or a failure beyond :data:`MAX_ATTEMPTS`."""
    if to not in TRANSITIONS[item.state]:
        raise IllegalTransition(f"{item.key}: {item.state.value} -> {to.value}")
    if to is ItemState.FAILED:
        if item.attempts >= MAX_ATTEMPTS:
            raise IllegalTransition(f"{item.key}: already failed {item.attempts} times")
        return replace(item, state=to, attempts=item.attempts + 1, reason=reason)
    return replace(item, state=to, reason=reason)


@dataclass(frozen=True)
class SourceRecord:
    """A followed source and the result of its last check.

    ``limit`` is how many of the newest items the first check takes; ``include`` and
    ``exclude`` are comma-separated words or phrases; ``full_text`` is auto, always or never.
    ``last_status`` is the HTTP status of the last check (None for a file); ``error`` the
    last check's problem; ``next_retry`` when a 429/503 asked to wait until; ``gone`` after
    a 410; ``checked`` after the first successful check.
    """

    id: int
    url: str
    name: str
    added: datetime
    voice: str | None = None
    limit: int = 3
    include: str = ""
    exclude: str = ""
    full_text: str = "auto"
    active: bool = True
    gone: bool = False
    checked: bool = False
    etag: str | None = None
    last_modified: str | None = None
    last_checked: datetime | None = None
    last_status: int | None = None
    error: str | None = None
    next_retry: datetime | None = None
    options: str = "{}"
    """JSON object of a service's settings (``when_published``, ``credential_env``,
    ``move_to``, ``all_unread``); never a secret. ``{}`` for a feed."""


_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sources (
        id              INTEGER PRIMARY KEY,
        url             TEXT NOT NULL UNIQUE,
        name            TEXT NOT NULL,
        added           TEXT NOT NULL,
        voice           TEXT,
        item_limit      INTEGER NOT NULL DEFAULT 3,
        include         TEXT NOT NULL DEFAULT '',
        exclude         TEXT NOT NULL DEFAULT '',
        full_text       TEXT NOT NULL DEFAULT 'auto',
        active          INTEGER NOT NULL DEFAULT 1,
        gone            INTEGER NOT NULL DEFAULT 0,
        checked         INTEGER NOT NULL DEFAULT 0,
        etag            TEXT,
        last_modified   TEXT,
        last_checked    TEXT,
        last_status     INTEGER,
        error           TEXT,
        next_retry      TEXT
    );
    CREATE TABLE items (
        source_id       INTEGER NOT NULL,
        key             TEXT NOT NULL,
        title           TEXT NOT NULL,
        state           TEXT NOT NULL,
        link            TEXT,
        published       TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        reason          TEXT,
        episode_guid    TEXT,
        data            TEXT NOT NULL DEFAULT '{}',
        updated         TEXT NOT NULL,
        PRIMARY KEY (source_id, key)
    );
    CREATE INDEX items_link ON items(link);
    CREATE INDEX items_guid ON items(episode_guid);
    CREATE TABLE tombstones (
        guid            TEXT PRIMARY KEY,
        source_key      TEXT NOT NULL,
        removed         TEXT NOT NULL
    )
    """,
    2: """
    ALTER TABLE sources ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE items ADD COLUMN service_id TEXT;
    ALTER TABLE items ADD COLUMN write_back TEXT;
    ALTER TABLE items ADD COLUMN write_back_error TEXT;
    CREATE INDEX items_write_back ON items(write_back)
    """,
}

_SOURCE_FIELDS = {
    "url": "url", "name": "name", "voice": "voice", "limit": "item_limit",
    "include": "include", "exclude": "exclude", "full_text": "full_text", "active": "active",
    "gone": "gone", "checked": "checked", "etag": "etag", "last_modified": "last_modified",
    "last_checked": "last_checked", "last_status": "last_status", "error": "error",
    "next_retry": "next_retry", "options": "options",
}  # fmt: skip


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateStore(Database):
    """Open (creating or migrating) the sources state of a show; use as a context manager.
    ``read_only`` opens an existing state for reading even in a show folder this process
    cannot write (see :mod:`newsaudio.database`).

    Raises PublishError for a corrupt, locked-for-too-long or future-version database.
    """

    WHAT = "sources state"
    SCHEMA_VERSION = SCHEMA_VERSION
    MIGRATIONS = _MIGRATIONS

    @classmethod
    def of(cls, state_dir: Path, *, read_only: bool = False) -> StateStore:
        """The store of the show whose private folder is ``state_dir``."""
        return cls(state_dir / STATE_FILE, read_only=read_only)

    # -- sources ---------------------------------------------------------------------------

    @staticmethod
    def _source(row: sqlite3.Row) -> SourceRecord:
        return SourceRecord(
            id=row["id"],
            url=row["url"],
            name=row["name"],
            added=datetime.fromisoformat(row["added"]),
            voice=row["voice"],
            limit=row["item_limit"],
            include=row["include"],
            exclude=row["exclude"],
            full_text=row["full_text"],
            active=bool(row["active"]),
            gone=bool(row["gone"]),
            checked=bool(row["checked"]),
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_checked=_dt(row["last_checked"]),
            last_status=row["last_status"],
            error=row["error"],
            next_retry=_dt(row["next_retry"]),
            options=row["options"],
        )

    def sources(self, *, active_only: bool = True) -> list[SourceRecord]:
        """Followed sources in the order they were followed."""
        sql = "SELECT * FROM sources" + (" WHERE active=1" if active_only else "") + " ORDER BY id"
        return [self._source(r) for r in self.db.execute(sql).fetchall()]

    def source_by_url(self, url: str) -> SourceRecord | None:
        """The source with ``url`` (followed or not)."""
        row = self.db.execute("SELECT * FROM sources WHERE url=?", (url,)).fetchone()
        return self._source(row) if row else None

    def find_source(self, ref: str) -> SourceRecord | None:
        """The followed source named ``ref`` (case-insensitively) or with URL ``ref``."""
        for source in self.sources():
            if source.url == ref or source.name.casefold() == ref.casefold():
                return source
        return None

    def add_source(self, url: str, name: str, now: datetime, **fields: Any) -> SourceRecord:
        """Follow ``url`` as ``name`` (reviving it, with its items' states, if it was
        followed before). Call inside a transaction."""
        old = self.source_by_url(url)
        if old is not None:
            self.update_source(old.id, name=name, active=True, **fields)
            found = self.source_by_url(url)
            assert found is not None
            return found
        self.db.execute(
            "INSERT INTO sources (url, name, added) VALUES (?,?,?)", (url, name, _iso(now))
        )
        created = self.source_by_url(url)
        assert created is not None
        if fields:
            self.update_source(created.id, **fields)
        return self.source_by_url(url) or created

    def update_source(self, source_id: int, **fields: Any) -> None:
        """Set ``fields`` (SourceRecord attribute names) of a source."""
        if not fields:
            return
        columns = ", ".join(f"{_SOURCE_FIELDS[k]}=?" for k in fields)
        self.db.execute(
            f"UPDATE sources SET {columns} WHERE id=?",
            (*[_iso(v) for v in fields.values()], source_id),
        )

    # -- items -----------------------------------------------------------------------------

    @staticmethod
    def _item(row: sqlite3.Row) -> ItemRecord:
        return ItemRecord(
            source_id=row["source_id"],
            key=row["key"],
            title=row["title"],
            state=ItemState(row["state"]),
            link=row["link"],
            published=_dt(row["published"]),
            attempts=row["attempts"],
            reason=row["reason"],
            episode_guid=row["episode_guid"],
            data=row["data"],
            service_id=row["service_id"],
            write_back=row["write_back"],
            write_back_error=row["write_back_error"],
        )

    def item(self, source_id: int, key: str) -> ItemRecord | None:
        """The remembered item ``key`` of a source, if any."""
        row = self.db.execute(
            "SELECT * FROM items WHERE source_id=? AND key=?", (source_id, key)
        ).fetchone()
        return self._item(row) if row else None

    def items(self, source_id: int) -> list[ItemRecord]:
        """Every remembered item of a source."""
        rows = self.db.execute("SELECT * FROM items WHERE source_id=?", (source_id,)).fetchall()
        return [self._item(r) for r in rows]

    def same_article(self, link: str | None, guid: str | None) -> ItemRecord | None:
        """A published or removed item with canonical ``link`` or episode ``guid``, any source."""
        row = self.db.execute(
            "SELECT * FROM items WHERE state IN ('published','removed') "
            "AND ((link IS NOT NULL AND link=?) OR episode_guid=?) LIMIT 1",
            (link, guid),
        ).fetchone()
        return self._item(row) if row else None

    def put_item(self, item: ItemRecord, now: datetime) -> None:
        """Insert or replace ``item``."""
        self.db.execute(
            """INSERT INTO items (source_id, key, title, state, link, published, attempts,
                   reason, episode_guid, data, updated, service_id, write_back,
                   write_back_error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(source_id, key) DO UPDATE SET title=excluded.title,
                   state=excluded.state, link=excluded.link, published=excluded.published,
                   attempts=excluded.attempts, reason=excluded.reason,
                   episode_guid=excluded.episode_guid, data=excluded.data,
                   updated=excluded.updated, service_id=excluded.service_id,
                   write_back=excluded.write_back,
                   write_back_error=excluded.write_back_error""",
            (
                item.source_id,
                item.key,
                item.title,
                item.state.value,
                item.link,
                _iso(item.published),
                item.attempts,
                item.reason,
                item.episode_guid,
                item.data,
                _iso(now),
                item.service_id,
                item.write_back,
                item.write_back_error,
            ),
        )

    def counts(self, source_id: int) -> dict[str, int]:
        """How many items of a source are in each state (every state named, 0 if none)."""
        counts = {state.value: 0 for state in ItemState}
        for row in self.db.execute(
            "SELECT state, COUNT(*) FROM items WHERE source_id=? GROUP BY state", (source_id,)
        ):
            counts[row[0]] = row[1]
        return counts

    def last_item_error(self, source_id: int) -> str | None:
        """The reason of the most recently failed item of a source."""
        row = self.db.execute(
            "SELECT title, reason FROM items WHERE source_id=? AND state='failed' "
            "ORDER BY updated DESC LIMIT 1",
            (source_id,),
        ).fetchone()
        return f"{row[0]}: {row[1]}" if row else None

    def write_backs_due(self, source_id: int) -> list[ItemRecord]:
        """Items of a source whose write-back is ``pending`` or ``failed`` (oldest first)."""
        rows = self.db.execute(
            "SELECT * FROM items WHERE source_id=? AND write_back IN ('pending','failed') "
            "ORDER BY updated",
            (source_id,),
        ).fetchall()
        return [self._item(r) for r in rows]

    def write_back_failures(self, source_id: int) -> tuple[int, str | None]:
        """How many write-backs of a source failed last time, and the latest error."""
        rows = self.db.execute(
            "SELECT title, write_back_error FROM items WHERE source_id=? "
            "AND write_back='failed' ORDER BY updated DESC",
            (source_id,),
        ).fetchall()
        return len(rows), (f"{rows[0][0]}: {rows[0][1]}" if rows else None)

    # -- tombstones ------------------------------------------------------------------------

    def tombstone(self, guid: str, source_key: str, now: datetime) -> int:
        """Remember that the episode ``guid`` was removed: its items become REMOVED and the
        guid is never made again. Returns how many items it marked."""
        self.db.execute(
            "INSERT OR IGNORE INTO tombstones (guid, source_key, removed) VALUES (?,?,?)",
            (guid, source_key, _iso(now)),
        )
        marked = 0
        for row in self.db.execute("SELECT * FROM items WHERE episode_guid=?", (guid,)).fetchall():
            item = self._item(row)
            if ItemState.REMOVED in TRANSITIONS[item.state]:
                self.put_item(advance(item, ItemState.REMOVED, "removed by the user"), now)
                marked += 1
        return marked

    def is_tombstoned(self, guid: str) -> bool:
        """True if the episode ``guid`` was removed by the user."""
        return (
            self.db.execute("SELECT 1 FROM tombstones WHERE guid=?", (guid,)).fetchone() is not None
        )


def record_removal(state_dir: Path, guid: str, source_key: str, now: datetime) -> None:
    """The hook ``newsaudio remove`` calls: tombstone the episode ``guid`` if it came from a
    followed source (no-op for a show that follows nothing)."""
    path = state_dir / STATE_FILE
    if not source_key.startswith("item:") and not path.is_file():
        return
    with StateStore(path) as store, store.transaction():
        store.tombstone(guid, source_key, now)
