"""The inbox queue: links shared from a device, kept in the show's state (SQLite) until each
is one episode or one recorded failure.

States and moves (nothing else changes an item)::

    submit ──► queued ──claim──► rendering ──finish──► published
                  ▲                  │
                  └──fail (attempts < max) / recover at start
                                     │
                                     └──fail (attempts = max) ──► failed ──submit again──► queued

* :meth:`InboxQueue.submit` canonicalises the URL (``update``'s rules:
  :func:`newsaudio.sources.identity.canonical_link`) and answers the existing item when the
  same canonical URL is queued, rendering or published (``created=False``: HTTP 200), or when
  ``episode_for`` says the show already has an episode for it (recorded as a published item,
  so its id can be looked up). A failed item submitted again is queued again under its id
  with its attempts reset. Otherwise a new item (``created=True``: HTTP 202).
* :meth:`claim` hands out the oldest queued item whose retry time has come, as
  ``rendering``, counting one attempt. :meth:`finish` records the episode; :meth:`fail`
  sends it back to the queue after ``retry_delay_s(attempts)`` seconds, or to ``failed`` with
  its reason after ``max_attempts`` (3, like a feed item).
* :meth:`recover` (once at start, before the worker runs) puts items left ``rendering`` by a
  killed process back to ``queued``; an item whose attempts are used up fails with
  "interrupted" rather than being tried forever (a link that kills the process each time).

Concurrency: one connection per thread (and per process), WAL journal, busy timeout, and every
change in a ``BEGIN IMMEDIATE`` transaction, so the read-then-write of submit and claim is
atomic across threads and processes (the ``inbox`` CLI and ``serve`` may both write). A
partial unique index keeps at most one live (not failed) item per canonical URL even if a
writer bypasses this class.

Times: ISO 8601 UTC strings (``submitted``, ``finished``); ``not_before`` is Unix seconds.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from newsaudio.sources.identity import canonical_link  # update's dedupe rules

Status = Literal["queued", "rendering", "published", "failed"]
STATUSES: tuple[Status, ...] = ("queued", "rendering", "published", "failed")
MAX_ATTEMPTS = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    canonical TEXT NOT NULL,
    title TEXT,
    device TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'rendering', 'published', 'failed')),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    guid TEXT,
    episode_url TEXT,
    submitted TEXT NOT NULL,
    finished TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS inbox_live_canonical
    ON inbox_items (canonical) WHERE status != 'failed';
CREATE INDEX IF NOT EXISTS inbox_status ON inbox_items (status, seq);
"""


@dataclass(frozen=True)
class Item:
    """One inbox item as the API shows it (``GET /api/inbox``), plus ``attempts``."""

    id: str
    url: str
    title: str | None
    status: Status
    error: str | None
    guid: str | None
    episode_url: str | None
    submitted: str
    finished: str | None
    attempts: int = 0

    def to_json(self) -> dict[str, object]:
        """The API's JSON object (``attempts`` left out)."""
        return {
            "id": self.id, "url": self.url, "title": self.title, "status": self.status,
            "error": self.error, "guid": self.guid, "episode_url": self.episode_url,
            "submitted": self.submitted, "finished": self.finished,
        }  # fmt: skip


@dataclass(frozen=True)
class Submission:
    """What submit answers: the item's id and status; ``position`` (1 = next) when queued;
    ``created`` True for a new (or re-queued) item (HTTP 202), False for an existing one
    (HTTP 200)."""

    id: str
    status: Status
    position: int | None
    created: bool


@dataclass(frozen=True)
class Known:
    """An episode the show already has for a canonical URL (from ``episode_for``)."""

    guid: str
    episode_url: str | None = None
    title: str | None = None


def _iso(t: float | None = None) -> str:
    moment = datetime.fromtimestamp(time.time() if t is None else t, UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_retry_delay_s(attempts: int) -> float:
    """Seconds before a failed attempt is retried: 60 s, then 240 s (4x each time)."""
    return 60.0 * float(4 ** max(0, attempts - 1))


_COLUMNS = "id, url, title, status, error, guid, episode_url, submitted, finished, attempts"


def _item(row: tuple[object, ...]) -> Item:
    return Item(*row)  # type: ignore[arg-type]


class InboxQueue:
    """The durable queue in SQLite database ``path`` (see the module docstring).

    ``episode_for(canonical_url)`` tells whether the show already has that episode (default:
    never); ``clock`` gives Unix seconds (tests pass a fake); ``retry_delay_s(attempts)``
    the wait before a retry.
    """

    def __init__(
        self,
        path: Path,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        episode_for: Callable[[str], Known | None] = lambda _url: None,
        clock: Callable[[], float] = time.time,
        retry_delay_s: Callable[[int], float] = default_retry_delay_s,
        busy_timeout_s: float = 10.0,
    ) -> None:
        self.path = path
        self.max_attempts = max_attempts
        self.episode_for = episode_for
        self.clock = clock
        self.retry_delay_s = retry_delay_s
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._db().executescript(SCHEMA)

    # -- connections ---------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoint, never corrupt
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction (takes the write lock first, so a read
        followed by a write cannot interleave with another writer)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- changes -------------------------------------------------------------------------

    def submit(self, url: str, title: str | None = None, device: str | None = None) -> Submission:
        """Queue ``url`` (already checked by the guard) unless it is known; see the module
        docstring."""
        canonical = canonical_link(url)
        now = self.clock()
        with self._write() as db:
            row = db.execute(
                "SELECT id, status, seq FROM inbox_items"
                " WHERE canonical = ? AND status != 'failed'",
                (canonical,),
            ).fetchone()
            if row is not None:
                return Submission(row[0], row[1], self._position(db, row[2], row[1]), False)
            known = self.episode_for(canonical)
            if known is not None:
                item_id = self._new_id(db)
                db.execute(
                    "INSERT INTO inbox_items (id, url, canonical, title, device, status, guid,"
                    " episode_url, submitted, finished) VALUES (?,?,?,?,?,'published',?,?,?,?)",
                    (item_id, url, canonical, known.title or title, device, known.guid,
                     known.episode_url, _iso(now), _iso(now)),
                )  # fmt: skip
                return Submission(item_id, "published", None, False)
            failed = db.execute(
                "SELECT id, seq FROM inbox_items WHERE canonical = ? AND status = 'failed'"
                " ORDER BY seq DESC LIMIT 1",
                (canonical,),
            ).fetchone()
            if failed is not None:
                db.execute(
                    "UPDATE inbox_items SET status='queued', error=NULL, attempts=0,"
                    " not_before=0, finished=NULL, url=?, title=COALESCE(?, title),"
                    " submitted=? WHERE id=?",
                    (url, title, _iso(now), failed[0]),
                )
                return Submission(
                    failed[0], "queued", self._position(db, failed[1], "queued"), True
                )
            item_id = self._new_id(db)
            cur = db.execute(
                "INSERT INTO inbox_items (id, url, canonical, title, device, status, submitted)"
                " VALUES (?,?,?,?,?,'queued',?)",
                (item_id, url, canonical, title, device, _iso(now)),
            )
            seq = cur.lastrowid
            assert seq is not None
            return Submission(item_id, "queued", self._position(db, seq, "queued"), True)

    def claim(self) -> Item | None:
        """The oldest queued item due now, moved to ``rendering`` with one more attempt;
        None when nothing is due."""
        with self._write() as db:
            row = db.execute(
                "SELECT id FROM inbox_items WHERE status='queued' AND not_before <= ?"
                " ORDER BY seq LIMIT 1",
                (self.clock(),),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE inbox_items SET status='rendering', attempts=attempts+1 WHERE id=?",
                (row[0],),
            )
            return self._get(db, row[0])

    def finish(
        self, item_id: str, guid: str, episode_url: str | None, title: str | None = None
    ) -> Item:
        """Record the published episode of a ``rendering`` item. Raises KeyError for an
        unknown id, ValueError when the item is not rendering."""
        with self._write() as db:
            self._expect(db, item_id, "rendering")
            db.execute(
                "UPDATE inbox_items SET status='published', error=NULL, guid=?, episode_url=?,"
                " title=COALESCE(?, title), finished=? WHERE id=?",
                (guid, episode_url, title, _iso(self.clock()), item_id),
            )
            return self._get(db, item_id)

    def fail(self, item_id: str, error: str) -> Item:
        """Record a failed attempt of a ``rendering`` item: back to ``queued`` after the
        retry delay, or ``failed`` with ``error`` once its attempts are used up."""
        reason = " ".join(error.split())[:500] or "failed"
        with self._write() as db:
            attempts = self._expect(db, item_id, "rendering")
            if attempts >= self.max_attempts:
                db.execute(
                    "UPDATE inbox_items SET status='failed', error=?, finished=? WHERE id=?",
                    (reason, _iso(self.clock()), item_id),
                )
            else:
                db.execute(
                    "UPDATE inbox_items SET status='queued', error=?, not_before=? WHERE id=?",
                    (reason, self.clock() + self.retry_delay_s(attempts), item_id),
                )
            return self._get(db, item_id)

    def recover(self) -> list[str]:
        """At start: items left ``rendering`` go back to ``queued`` (or ``failed`` when their
        attempts are used up). Returns their ids."""
        with self._write() as db:
            rows = db.execute(
                "SELECT id, attempts FROM inbox_items WHERE status='rendering'"
            ).fetchall()
            for item_id, attempts in rows:
                if attempts >= self.max_attempts:
                    db.execute(
                        "UPDATE inbox_items SET status='failed', finished=?, error=? WHERE id=?",
                        (_iso(self.clock()),
                         f"render interrupted {attempts} times (the process stopped)", item_id),
                    )  # fmt: skip
                else:
                    db.execute(
                        "UPDATE inbox_items SET status='queued', not_before=0 WHERE id=?",
                        (item_id,),
                    )
            return [r[0] for r in rows]

    # -- reads ---------------------------------------------------------------------------

    def items(self, limit: int = 200) -> list[Item]:
        """The newest ``limit`` items, newest first."""
        rows = (
            self._db()
            .execute(f"SELECT {_COLUMNS} FROM inbox_items ORDER BY seq DESC LIMIT ?", (limit,))
            .fetchall()
        )
        return [_item(r) for r in rows]

    def item(self, item_id: str) -> Item | None:
        """One item, or None."""
        row = (
            self._db()
            .execute(f"SELECT {_COLUMNS} FROM inbox_items WHERE id=?", (item_id,))
            .fetchone()
        )
        return None if row is None else _item(row)

    def counts(self) -> dict[str, int]:
        """Items per status (every status present, 0 when none): for ``/healthz``."""
        found = dict(self._db().execute("SELECT status, COUNT(*) FROM inbox_items GROUP BY status"))
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def due_in_s(self) -> float | None:
        """Seconds until the next queued item may be claimed (0 when one is due now), or
        None when nothing is queued."""
        row = (
            self._db()
            .execute("SELECT MIN(not_before) FROM inbox_items WHERE status='queued'")
            .fetchone()
        )
        if row is None or row[0] is None:
            return None
        return max(0.0, float(row[0]) - self.clock())

    def rendering(self) -> str | None:
        """The id of the item rendering now, or None."""
        row = (
            self._db()
            .execute("SELECT id FROM inbox_items WHERE status='rendering' ORDER BY seq LIMIT 1")
            .fetchone()
        )
        return None if row is None else str(row[0])

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _new_id(db: sqlite3.Connection) -> str:
        while True:  # 48 random bits; a clash is retried (never in practice)
            item_id = secrets.token_hex(6)
            if db.execute("SELECT 1 FROM inbox_items WHERE id=?", (item_id,)).fetchone() is None:
                return item_id

    @staticmethod
    def _position(db: sqlite3.Connection, seq: int, status: str) -> int | None:
        if status != "queued":
            return None
        ahead = db.execute(
            "SELECT COUNT(*) FROM inbox_items WHERE status IN ('queued','rendering') AND seq < ?",
            (seq,),
        ).fetchone()[0]
        return int(ahead) + 1

    @staticmethod
    def _get(db: sqlite3.Connection, item_id: str) -> Item:
        row = db.execute(f"SELECT {_COLUMNS} FROM inbox_items WHERE id=?", (item_id,)).fetchone()
        if row is None:
            raise KeyError(item_id)
        return _item(row)

    @staticmethod
    def _expect(db: sqlite3.Connection, item_id: str, status: str) -> int:
        row = db.execute(
            "SELECT status, attempts FROM inbox_items WHERE id=?", (item_id,)
        ).fetchone()
        if row is None:
            raise KeyError(item_id)
        if row[0] != status:
            raise ValueError(f"inbox item {item_id} is {row[0]}, not {status}")
        return int(row[1])
