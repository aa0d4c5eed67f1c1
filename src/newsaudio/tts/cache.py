"""The segment cache: synthesized chunks stored as WAV, content-addressed.

Key: SHA-256 of the engine identity (engine, version, model checksum, settings) and the
spoken text. Entries live in ``<cache dir>/segments/ab/abcdef....wav``; the cache dir is
``--cache-dir``, else ``$NEWSAUDIO_CACHE_DIR``, else the user cache directory
(platformdirs). Writes go to a temporary file in the same folder, fsync, then rename, so a
reader (or a run killed at any moment) never sees half an entry; an unreadable entry is
deleted and reported as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import wave
from pathlib import Path

import numpy as np

from newsaudio.models import Segment


def default_cache_dir() -> Path:
    """``$NEWSAUDIO_CACHE_DIR`` or the platform's user cache dir for newsaudio."""
    env = os.environ.get("NEWSAUDIO_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsaudio", appauthor=False))


class SegmentCache:
    """Content-addressed store of synthesized segments (mono or multi-channel int16 WAV)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_cache_dir()) / "segments"
        self.hits = 0
        self.misses = 0

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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
        try:
            with os.fdopen(fd, "wb") as f:
                with wave.open(f, "wb") as w:
                    w.setnchannels(segment.channels)
                    w.setsampwidth(2)
                    w.setframerate(segment.sample_rate_hz)
                    w.writeframes(segment.samples.astype("<i2").tobytes())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
