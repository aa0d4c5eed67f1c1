"""The segment cache: synthesized chunks stored as WAV, content-addressed.

Key: SHA-256 of the engine identity (engine, version, model checksum, settings) and the
spoken text. Entries live in ``<cache dir>/segments/ab/abcdef....wav``; the cache dir is
``--cache-dir``, else ``$NEWSAUDIO_CACHE_DIR``, else the user cache directory
(platformdirs). Writes go to a temporary file in the same folder, fsync, then rename, so a
reader (or a run killed at any moment) never sees half an entry; an unreadable entry is
deleted and reported as a miss. Any number of processes may read and write one cache at
once: two writers of the same key both write complete files and the last rename wins.

Size limit: ``max_bytes`` (default ``$NEWSAUDIO_CACHE_MAX_MB`` MiB, else 2048 MiB). When a
write takes the cache over it, the least recently used entries (oldest modification time;
a hit touches its entry) are deleted until it is under 90 % of the limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudio.errors import ConfigError
from newsaudio.models import Segment

_LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_MB = 2048
ENTRY_SUFFIXES = frozenset({".wav", ".mp3", ".json"})
"""Files that are cache entries: segments (.wav) and mastered renditions (.mp3 + .json)."""

STALE_TMP_S = 3600.0
"""Temporary files older than this (seconds) are leftovers of killed writers."""


def default_max_bytes() -> int:
    """``$NEWSAUDIO_CACHE_MAX_MB`` (MiB, > 0) in bytes, else 2048 MiB. Raises ConfigError."""
    raw = os.environ.get("NEWSAUDIO_CACHE_MAX_MB")
    if not raw:
        return DEFAULT_MAX_MB * 1024 * 1024
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if mb <= 0:
        raise ConfigError(f"NEWSAUDIO_CACHE_MAX_MB={raw!r}: not a positive number of MiB")
    return int(mb * 1024 * 1024)


@dataclass(frozen=True)
class CacheInfo:
    """Summary of a segment cache: folder, entry count, total size in bytes, limit in bytes,
    and the modification times (POSIX seconds) of the oldest and newest entries."""

    root: Path
    entries: int
    bytes: int
    max_bytes: int
    oldest: float | None
    newest: float | None


def default_cache_dir() -> Path:
    """``$NEWSAUDIO_CACHE_DIR`` or the platform's user cache dir for newsaudio."""
    env = os.environ.get("NEWSAUDIO_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsaudio", appauthor=False))


class SegmentCache:
    """Content-addressed store of synthesized segments (mono or multi-channel int16 WAV)."""

    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = (root or default_cache_dir()) / "segments"
        self.max_bytes = max_bytes if max_bytes is not None else default_max_bytes()
        self.hits = 0
        self.misses = 0
        self._size: int | None = None  # running estimate of the total size, bytes
        self._lock = threading.Lock()

    @staticmethod
    def key(engine_identity: str, text: str) -> str:
        """Cache key (hex SHA-256) for ``text`` spoken by an engine with this identity."""
        h = hashlib.sha256()
        h.update(engine_identity.encode("utf-8"))
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
        return h.hexdigest()

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives."""
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Segment | None:
        """The cached segment for ``key``, or None (a corrupt entry is deleted)."""
        path = self.path(key)
        try:
            with wave.open(str(path), "rb") as w:
                if w.getsampwidth() != 2:
                    raise wave.Error("not 16-bit")
                channels, rate, frames = w.getnchannels(), w.getframerate(), w.getnframes()
                data = w.readframes(frames)
            if len(data) != frames * channels * 2:
                raise wave.Error("truncated")
        except FileNotFoundError:
            self.misses += 1
            return None
        except (wave.Error, EOFError, OSError):
            with contextlib.suppress(OSError):
                path.unlink()
            self.misses += 1
            return None
        self.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # recency for least-recently-used eviction
        samples = np.frombuffer(data, dtype="<i2").astype(np.int16).reshape(-1, channels)
        return Segment(samples, rate)

    def put(self, key: str, segment: Segment) -> None:
        """Store ``segment`` under ``key`` atomically (temp file, fsync, rename)."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                with wave.open(f, "wb") as w:
                    w.setnchannels(segment.channels)
                    w.setsampwidth(2)
                    w.setframerate(segment.sample_rate_hz)
                    w.writeframes(segment.samples.astype("<i2").tobytes())
                f.flush()
                os.fsync(f.fileno())
            size = os.stat(tmp).st_size
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with self._lock:
            if self._size is None:
                self._size = self._scan_size()
            else:
                self._size += size
            over = self._size > self.max_bytes
        if over:
            self.evict()

    def _entries(self) -> list[tuple[Path, os.stat_result]]:
        out: list[tuple[Path, os.stat_result]] = []
        if not self.root.is_dir():
            return out
        for path in self.root.glob("??/[0-9a-f]*"):
            if path.suffix not in ENTRY_SUFFIXES:
                continue
            with contextlib.suppress(OSError):
                out.append((path, path.stat()))
        return out

    def _scan_size(self) -> int:
        return sum(st.st_size for _, st in self._entries())

    def evict(self, target_bytes: int | None = None) -> int:
        """Delete least recently used entries until the cache holds at most ``target_bytes``
        (default 90 % of ``max_bytes``); also removes stale temporary files. Returns the
        number of entries deleted."""
        target = int(self.max_bytes * 0.9) if target_bytes is None else target_bytes
        self._remove_stale_tmp()
        entries = sorted(self._entries(), key=lambda e: e[1].st_mtime)
        total = sum(st.st_size for _, st in entries)
        removed = 0
        for path, st in entries:
            if total <= target:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                total -= st.st_size
        with self._lock:
            self._size = total
        if removed:
            _LOGGER.info("segment cache: evicted %d least recently used entries", removed)
        return removed

    def _remove_stale_tmp(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        if not self.root.is_dir():
            return
        for tmp in self.root.glob("??/.tmp-*"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime > STALE_TMP_S:
                    tmp.unlink()

    def info(self) -> CacheInfo:
        """Entry count, size and age range of the cache."""
        entries = self._entries()
        times = [st.st_mtime for _, st in entries]
        return CacheInfo(
            root=self.root,
            entries=len(entries),
            bytes=sum(st.st_size for _, st in entries),
            max_bytes=self.max_bytes,
            oldest=min(times) if times else None,
            newest=max(times) if times else None,
        )

    def clear(self, older_than_days: float | None = None, now: float | None = None) -> CacheInfo:
        """Delete every entry, or those not used for more than ``older_than_days`` days.

        Returns a CacheInfo describing what was deleted (entries, bytes).
        """
        now = time.time() if now is None else now
        cutoff = None if older_than_days is None else now - older_than_days * 86400.0
        removed = freed = 0
        for path, st in self._entries():
            if cutoff is not None and st.st_mtime >= cutoff:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                freed += st.st_size
        self._remove_stale_tmp(now)
        if cutoff is None:  # the "rendered before" hints of the rendition cache go too
            shutil.rmtree(self.root / "sources", ignore_errors=True)
        with self._lock:
            self._size = None
        return CacheInfo(self.root, removed, freed, self.max_bytes, None, None)
