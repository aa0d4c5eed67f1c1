"""Publish the public part of a show (everything in its folder but ``.newsaudio/`` and
dot-files) to a target (:mod:`newsaudio.publish.targets`), incrementally and in an order that
keeps the remote consistent at every moment.

Order: media (MP3), transcripts, chapters, cover and other files first, then ``index.html``,
then ``feed.xml`` last; files no longer in the show are deleted only after the new feed is
up. A publish killed at any moment therefore leaves a remote whose feed names only files that
exist (the old feed, or the new one after everything it names), and the next publish
completes it.

Incremental: the state ``.newsaudio/remote.sqlite`` keeps, per target and key, the SHA-256
of what was uploaded and the size and ETag the target reported. A file travels when it is
new, its hash changed, or the remote copy's size or ETag no longer matches (changed or
deleted on the remote: repaired). A key is written to the state before its upload starts,
so that a killed upload is never forgotten; only keys in the state are ever deleted (a
target folder may hold other files). Local hashes are cached by (size, mtime).

Headers (where the target keeps them, S3): ``Content-Type`` by file name, ``Cache-Control``
``public, max-age=31536000, immutable`` for MP3s (a re-render gets a new file name) and
``public, max-age=300`` for everything else. Network failures are retried with exponential
backoff (``NEWSAUDIO_PUBLISH_ATTEMPTS``, default 4); a publish that still fails raises
:class:`~newsaudio.publish.targets.TargetError` naming the target and the file (exit 7), and
the local show is untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from newsaudio.database import Database
from newsaudio.errors import ConfigError, PublishError, UsageError
from newsaudio.publish.targets import RemoteObject, Target, TargetError, check_url, open_target
from newsaudio.show import Show

_LOG = logging.getLogger(__name__)

STATE_FILE = "remote.sqlite"
DEFAULT_ATTEMPTS = 4
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0
MEDIA_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300"

CONTENT_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".chapters.json": "application/json",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
}
"""File-name ending -> Content-Type of the uploaded object (longest ending wins)."""

_RANK = {".mp3": 0, ".vtt": 1, ".srt": 1, ".txt": 1, ".chapters.json": 2}


def headers(key: str) -> tuple[str, str]:
    """(Content-Type, Cache-Control) of the object at ``key``."""
    lower = key.lower()
    content_type = "application/octet-stream"
    for suffix in sorted(CONTENT_TYPES, key=len, reverse=True):
        if lower.endswith(suffix):
            content_type = CONTENT_TYPES[suffix]
            break
    return content_type, MEDIA_CACHE if lower.endswith(".mp3") else PAGE_CACHE


def rank(rel: str) -> int:
    """Upload order of a show file: media 0, transcripts 1, chapters 2, cover and others 3,
    ``index.html`` 4, ``feed.xml`` 5 (last)."""
    if rel == "feed.xml":
        return 5
    if rel == "index.html":
        return 4
    for suffix, value in sorted(_RANK.items(), key=lambda kv: -len(kv[0])):
        if rel.endswith(suffix):
            return value
    return 3


@dataclass
class PublishReport:
    """What a publish did (or, dry, would do): keys relative to the target's root (the
    show's paths, under ``<token>/`` for a private show), in the order they travelled."""

    target: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    bytes: int = 0

    def to_json(self) -> dict[str, Any]:
        """``{"target", "uploaded", "deleted", "unchanged", "bytes"}``."""
        return {
            "target": self.target,
            "uploaded": list(self.uploaded),
            "deleted": list(self.deleted),
            "unchanged": self.unchanged,
            "bytes": self.bytes,
        }


@dataclass(frozen=True)
class LocalFile:
    """A public file of the show: its path, size in bytes and SHA-256 (hex)."""

    path: Path
    size: int
    sha256: str


_MIGRATIONS: dict[int, str] = {
    # IF NOT EXISTS: the tables of a state written before it had a schema version
    1: """
    CREATE TABLE IF NOT EXISTS objects (target TEXT NOT NULL, key TEXT NOT NULL,
        sha256 TEXT, size INTEGER, etag TEXT, PRIMARY KEY (target, key));
    CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)
    """,
}


class State(Database):
    """``.newsaudio/remote.sqlite``: uploaded objects per target, and a local hash cache."""

    WHAT = "publish state"
    SCHEMA_VERSION = 1
    MIGRATIONS = _MIGRATIONS

    def objects(self, target: str) -> dict[str, tuple[str | None, int | None, str | None]]:
        """key -> (sha256 or None while an upload is pending, size, etag) for ``target``."""
        rows = self.db.execute(
            "SELECT key, sha256, size, etag FROM objects WHERE target=?", (target,)
        )
        return {key: (sha, size, etag) for key, sha, size, etag in rows}

    def pending(self, target: str, key: str) -> None:
        """Record that ``key`` is being uploaded (before the upload starts)."""
        self.db.execute(
            "INSERT INTO objects (target, key) VALUES (?, ?) ON CONFLICT(target, key) "
            "DO UPDATE SET sha256=NULL",
            (target, key),
        )

    def uploaded(self, target: str, key: str, sha256: str, stored: RemoteObject) -> None:
        """Record a finished upload."""
        self.db.execute(
            "INSERT OR REPLACE INTO objects (target, key, sha256, size, etag) VALUES (?,?,?,?,?)",
            (target, key, sha256, stored.size, stored.etag),
        )

    def forget(self, target: str, key: str) -> None:
        """Record a deletion."""
        self.db.execute("DELETE FROM objects WHERE target=? AND key=?", (target, key))

    def sha256(self, path: Path, rel: str) -> LocalFile:
        """``path`` with its SHA-256, from the cache when size and mtime are unchanged."""
        st = path.stat()
        row = self.db.execute(
            "SELECT sha256 FROM hashes WHERE path=? AND size=? AND mtime_ns=?",
            (rel, st.st_size, st.st_mtime_ns),
        ).fetchone()
        if row is not None:
            return LocalFile(path, st.st_size, row[0])
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        self.db.execute(
            "INSERT OR REPLACE INTO hashes (path, size, mtime_ns, sha256) VALUES (?,?,?,?)",
            (rel, st.st_size, st.st_mtime_ns, digest.hexdigest()),
        )
        return LocalFile(path, st.st_size, digest.hexdigest())


def public_files(show: Show) -> list[tuple[str, Path]]:
    """The show's public files as (path relative to the show, path): everything in its folder
    except ``.newsaudio/`` and other dot-files and dot-folders."""
    root = show.out_dir
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(folder) / name
                found.append((path.relative_to(root).as_posix(), path))
    return found


@dataclass
class Plan:
    """What a publish has to do: uploads (key, local file) in order, deletions, unchanged."""

    uploads: list[tuple[str, LocalFile]] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0


def make_plan(show: Show, state: State, target_id: str, remote: dict[str, RemoteObject]) -> Plan:
    """Compare the show's public files with the state and the remote listing."""
    plan = Plan()
    known = state.objects(target_id)
    prefix = f"{show.token}/" if show.token else ""
    wanted: set[str] = set()
    files = sorted(public_files(show), key=lambda rp: (rank(rp[0]), rp[0]))
    for rel, path in files:
        try:
            local = state.sha256(path, rel)
        except OSError:
            continue  # removed meanwhile
        key = prefix + rel
        wanted.add(key)
        sha, size, etag = known.get(key, (None, None, None))
        there = remote.get(key)
        if (
            sha == local.sha256
            and there is not None
            and there.size == size == local.size
            and (etag is None or there.etag == etag)
        ):
            plan.unchanged += 1
        else:
            plan.uploads.append((key, local))
    plan.deletions = sorted(key for key in known if key not in wanted)
    return plan


T = TypeVar("T")


def attempts() -> int:
    """Tries per operation: ``NEWSAUDIO_PUBLISH_ATTEMPTS`` (1-10), default 4."""
    try:
        value = int(os.environ.get("NEWSAUDIO_PUBLISH_ATTEMPTS", DEFAULT_ATTEMPTS))
    except ValueError:
        return DEFAULT_ATTEMPTS
    return min(max(value, 1), 10)


def with_retries(action: Callable[[], T], what: str) -> T:
    """Run ``action``; retry transient TargetErrors with exponential backoff (0.5 s, 1 s,
    2 s... at most 8 s). Raises the last error, saying how often it was tried."""
    tries = attempts()
    for attempt in range(1, tries + 1):
        try:
            return action()
        except TargetError as exc:
            if not exc.transient or attempt == tries:
                if attempt > 1:
                    raise TargetError(f"{exc} after {attempt} attempts") from exc
                raise
            delay = min(FIRST_BACKOFF_S * 2 ** (attempt - 1), MAX_BACKOFF_S)
            _LOG.info("%s failed (%s); retrying in %.1f s", what, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def _opened(url: str) -> Iterator[Target]:
    target = with_retries(lambda: open_target(url), f"connecting to {check_url(url)}")
    try:
        yield target
    finally:
        target.close()


def feed_is_for(show: Show) -> bool:
    """True if the show's feed.xml was made for the show's feed URL (its ``atom:link
    rel="self"``), or if there is no catalog to make it again from; False when it names
    another base URL (or a token the show no longer has)."""
    if not show.catalog_path.is_file():
        return True
    try:
        head = (show.out_dir / "feed.xml").read_bytes()
    except OSError:
        return False
    found = re.search(rb'<atom:link[^>]*\bhref="([^"]*)"[^>]*\brel="self"', head) or re.search(
        rb'<atom:link[^>]*\brel="self"[^>]*\bhref="([^"]*)"', head
    )
    return found is not None and html.unescape(found.group(1).decode("utf-8")) == show.feed_url


def unreachable_host(show: Show) -> str | None:
    """The host of the show's base URL when listeners elsewhere cannot reach it: this
    computer (``localhost``, 127.0.0.0/8, ::1) or a local network (RFC 1918 and link-local
    addresses, IPv6 unique-local, ``.local``/``.lan``/``.home.arpa``/``.internal`` names, a
    name without a dot); None for a public host."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(show.base_url).hostname or "").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = host == "localhost" or "." not in host
        suffixes = (".localhost", ".local", ".lan", ".home.arpa", ".internal")
        return host if local or host.endswith(suffixes) else None
    return host if address.is_private or address.is_loopback or address.is_link_local else None


def _check_not_inside(show: Show, url: str) -> None:
    if "://" in url and not url.startswith("file://"):
        return
    from newsaudio.publish.targets.folder import describe

    folder = Path(describe(url)).resolve()
    root = show.out_dir.resolve()
    if folder == root or folder.is_relative_to(root) or root.is_relative_to(folder):
        raise ConfigError(
            f"{folder}: a publish target must be outside the show folder {root} (and not "
            "contain it)"
        )


def publish_show(
    show: Show,
    url: str | None = None,
    dry_run: bool = False,
    on_step: Callable[[str, str], None] | None = None,
) -> PublishReport:
    """Publish ``show`` to ``url`` (default: ``show.publish_to``) under the show's publish
    lock; with ``dry_run`` only say what would travel. ``on_step(action, key)`` is called
    after each upload and deletion. Raises ConfigError (no or bad target), TargetError
    (exit 7: the target and the file, after retries) or PublishError."""
    from newsaudio.publish.catalog import Catalog
    from newsaudio.publish.show import publish_lock, rebuild

    if url:  # given on the command line: a malformed one is a usage error (exit 2)
        try:
            target_id = check_url(url, "--to")
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
    elif show.publish_to:
        url = show.publish_to
        target_id = check_url(url, "publish_to")
    else:
        raise ConfigError(
            "no publish target: give --to URL, or set [publish] to in newsaudio.toml "
            "(or NEWSAUDIO_PUBLISH_TO)"
        )
    _check_not_inside(show, url)
    if not (show.out_dir / "feed.xml").is_file():
        raise PublishError(f"{show.out_dir}: no feed.xml yet (newsaudio add ARTICLE first)")
    report = PublishReport(target_id)
    with publish_lock(show), _opened(url) as target:
        if not dry_run and not feed_is_for(show):
            # never upload a feed (or page) made for another base URL than the show's
            with Catalog(show.catalog_path) as catalog:
                rebuild(show, catalog)
            if on_step is not None:
                on_step("rebuilt", "feed.xml")
        state = State(show.state_dir / STATE_FILE)
        try:
            remote = with_retries(target.list, f"listing {target_id}")
            plan = make_plan(show, state, target_id, remote)
            report.unchanged = plan.unchanged
            for key, local in plan.uploads:
                report.uploaded.append(key)
                report.bytes += local.size
                if dry_run:
                    continue
                state.pending(target_id, key)

                def put(key: str = key, local: LocalFile = local) -> RemoteObject:
                    return target.put(key, local.path, *headers(key))

                stored = with_retries(put, f"uploading {key}")
                state.uploaded(target_id, key, local.sha256, stored)
                _LOG.info("uploaded %s (%d bytes)", key, local.size)
                if on_step is not None:
                    on_step("uploaded", key)
            for key in plan.deletions:
                report.deleted.append(key)
                if dry_run:
                    continue
                with_retries(lambda key=key: target.delete(key), f"deleting {key}")  # type: ignore[misc]
                state.forget(target_id, key)
                _LOG.info("deleted %s", key)
                if on_step is not None:
                    on_step("deleted", key)
        finally:
            state.close()
    return report
