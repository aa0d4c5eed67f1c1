"""Per-device inbox tokens, kept in the show's state (SQLite) as hashes only.

A token is ``secrets.token_urlsafe(32)``: 32 random bytes (256 bits), 43 URL-safe characters.
Only ``sha256(token)`` is stored (hex, 64 characters) beside the device's name, its creation
time and its last use (ISO 8601 UTC, seconds).

Why plain SHA-256 and no slow KDF (scrypt, argon2, PBKDF2): a slow hash protects *guessable*
secrets (passwords of a few dozen bits) against offline guessing after the database leaks.
A token with 256 bits of entropy cannot be guessed, fast hash or not (2**255 tries on
average), so stretching adds nothing but CPU cost on every request (a 100 ms KDF on each POST
would be a denial-of-service lever on a 2-core home server). A hash is still kept rather than
the token so that a leaked ``state.sqlite`` (a backup, a shared folder) does not hand out
working tokens. This is the reasoning GitHub and others apply to API tokens.

Lookup: the presented token is hashed and compared with :func:`hmac.compare_digest` against
every stored hash (a handful of devices): no early exit on the first differing byte, and no
SQL ``WHERE hash = ?`` whose index lookup time could depend on the value.

Errors: :class:`TokenError` (a ``ValueError``) for a bad name, a duplicate name or an unknown
name on revoke. Names: 1-64 characters of letters, digits, ``.``, ``_``, ``-``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

TOKEN_BYTES = 32
"""Random bytes per token (256 bits)."""

NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_tokens (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    last_used TEXT
);
"""


class TokenError(ValueError):
    """A token command that cannot be done (message is one clear line)."""


@dataclass(frozen=True)
class TokenInfo:
    """One device's token as listed: never the token itself. Times are ISO 8601 UTC."""

    name: str
    created: str
    last_used: str | None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def hash_token(token: str) -> str:
    """SHA-256 of the token's UTF-8 bytes, hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def connect(path: Path, timeout_s: float = 10.0) -> sqlite3.Connection:
    """A connection to the state database at ``path`` with the token table, WAL journal
    and a busy timeout of ``timeout_s`` (concurrent writers wait rather than fail)."""
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoint, never corrupt
    db.execute(SCHEMA)
    return db


class TokenStore:
    """Add, list, revoke and check inbox tokens in one SQLite database. Thread-safe: one
    connection per thread (server threads share the store); every method is one short
    autocommit statement or two."""

    def __init__(self, path: Path, now: Callable[[], str] = _now) -> None:
        self.path = path
        self._now = now
        self._local = threading.local()
        self._stamped: dict[str, float] = {}  # name -> monotonic time last_used was written
        connect(path).close()  # create the table once

    @property
    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
        return db

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def add(self, name: str) -> str:
        """Create a token for device ``name`` and return it (the only time it is seen).

        Raises TokenError for a bad or already used name."""
        if not NAME_RE.match(name):
            raise TokenError(f"{name!r}: a token name is 1-64 letters, digits, '.', '_' or '-'")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        try:
            self._db.execute(
                "INSERT INTO inbox_tokens (name, hash, created) VALUES (?, ?, ?)",
                (name, hash_token(token), self._now()),
            )
        except sqlite3.IntegrityError:
            raise TokenError(f"{name!r}: a token with this name exists (revoke it first)") from None
        return token

    def list(self) -> list[TokenInfo]:
        """Every token's name, creation and last-use time, oldest first."""
        rows = self._db.execute(
            "SELECT name, created, last_used FROM inbox_tokens ORDER BY created, name"
        ).fetchall()
        return [TokenInfo(r[0], r[1], r[2]) for r in rows]

    def revoke(self, name: str) -> None:
        """Delete device ``name``'s token; it stops working at once. Raises TokenError if
        there is none."""
        cur = self._db.execute("DELETE FROM inbox_tokens WHERE name = ?", (name,))
        if cur.rowcount == 0:
            raise TokenError(f"{name!r}: no such token (see: newsaudio inbox token list)")

    def check(self, token: str | None) -> str | None:
        """The device name that ``token`` belongs to (and its last use set to now), or
        None. Compares every stored hash in constant time per hash. ``last_used`` is
        written at most once a minute per device (minute precision is enough to tell a
        device that is in use)."""
        if not token:
            return None
        presented = hash_token(token)
        found: str | None = None
        for name, stored in self._db.execute("SELECT name, hash FROM inbox_tokens"):
            if hmac.compare_digest(presented, stored):
                found = name  # keep looping: time does not depend on the position
        if found is not None and time.monotonic() - self._stamped.get(found, -1e9) >= 60:
            # at most one write a minute per device: a request costs no write transaction
            self._stamped[found] = time.monotonic()
            self._db.execute(
                "UPDATE inbox_tokens SET last_used = ? WHERE name = ?", (self._now(), found)
            )
        return found


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header (RFC 6750 §2.1; the scheme
    is case-insensitive), or None for a missing or other header."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    return value or None
