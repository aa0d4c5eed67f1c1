"""The rendition cache: mastered, untagged MP3s of whole programmes, content-addressed.

A re-run of the same article with the same voice and settings (same script, pauses,
jingles, loudness target and encoding) makes exactly the same programme, so its mastered
MP3 is kept beside the segments (``<cache dir>/segments/ab/<key>.mp3`` plus ``.json`` with
its duration, loudness and :class:`Timeline`) and reused: no synthesis, assembly or
encoding; only tags and publishing are redone. Entries share the segment cache's size limit
and least-recently-used eviction, and ``newsaudio cache clear`` removes them too.

Writes are atomic (temporary file, fsync, rename); an entry with a missing or unreadable
half is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from newsaudio import __version__
from newsaudio.audio.master import MasterSettings
from newsaudio.models import Chapter, Cue, EncodedAudio, Loudness, Script, Timeline
from newsaudio.tts.cache import SegmentCache

RENDITION_FORMAT = "rendition/3"
"""Bump when assembly or mastering changes what a programme sounds like."""


def rendition_key(
    engine_identity: str,
    script: Script,
    settings: MasterSettings,
    extras: Iterable[str] = (),
) -> str:
    """Hex SHA-256 of everything that decides the mastered audio and its timeline:
    newsaudio's version, :data:`RENDITION_FORMAT`, the engine identity (engine, version,
    model checksum, voice settings; a digest's voices for other languages too), every
    utterance (kind, display and spoken text, pause, chapter mark, its own language),
    the master settings and ``extras`` (jingle and music-bed identities)."""
    h = hashlib.sha256()
    for part in (__version__, RENDITION_FORMAT, engine_identity, repr(asdict(settings)),
                 *extras):  # fmt: skip
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    for u in script.utterances:
        fields: list[object] = [u.kind, u.display, u.spoken, u.pause_after_ms]
        if u.chapter is not None:  # digests: chapter marks decide chapters and stings
            fields.append(asdict(u.chapter))
        if u.language is not None:  # a story in another language, read by another voice
            fields.append({"language": u.language})
        h.update(json.dumps(fields).encode("utf-8"))
    return h.hexdigest()


class RenditionCache:
    """Mastered MP3s keyed by :func:`rendition_key`, stored in a :class:`SegmentCache` folder."""

    def __init__(self, segments: SegmentCache) -> None:
        self.segments = segments

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.segments.root / key[:2]
        return folder / f"{key}.mp3", folder / f"{key}.json"

    def get(self, key: str, dest: Path) -> tuple[EncodedAudio, Timeline] | None:
        """Copy the cached MP3 for ``key`` to ``dest``; return its audio facts and timeline,
        or None on a miss (a damaged entry is deleted)."""
        mp3, meta = self._paths(key)
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            shutil.copyfile(mp3, dest)
            if dest.stat().st_size != data["bytes"]:
                raise ValueError("size mismatch")
            timeline = Timeline(
                tuple(Cue(*c) for c in data["timeline"]["cues"]),
                tuple(Chapter(*c[:5]) for c in data["timeline"]["chapters"]),
                int(data["timeline"]["duration_ms"]),
            )
            encoded = EncodedAudio(
                dest, int(data["duration_ms"]), Loudness(**data["loudness"]),
                int(data["bitrate_kbps"]), int(data["sample_rate_hz"]), int(data["channels"]),
            )  # fmt: skip
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            for path in (mp3, meta):
                with contextlib.suppress(OSError):
                    path.unlink()
            return None
        for path in (mp3, meta):
            with contextlib.suppress(OSError):
                os.utime(path)  # recency for least-recently-used eviction
        return encoded, timeline

    def put(self, key: str, encoded: EncodedAudio, timeline: Timeline) -> None:
        """Store the (untagged) MP3 at ``encoded.path`` with its facts and timeline."""
        mp3, meta = self._paths(key)
        mp3.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "bytes": encoded.path.stat().st_size,
            "duration_ms": encoded.duration_ms,
            "loudness": asdict(encoded.loudness),
            "bitrate_kbps": encoded.bitrate_kbps,
            "sample_rate_hz": encoded.sample_rate_hz,
            "channels": encoded.channels,
            "timeline": {
                "duration_ms": timeline.duration_ms,
                "cues": [[c.start_ms, c.end_ms, c.display, c.spoken, c.kind, c.block]
                         for c in timeline.cues],
                "chapters": [[c.start_ms, c.end_ms, c.title, c.url, c.image_url]
                             for c in timeline.chapters],
            },
        }  # fmt: skip
        _atomic_copy(encoded.path, mp3)
        _atomic_bytes(meta, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _atomic_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _atomic_copy(src: Path, path: Path) -> None:
    _atomic_bytes(path, src.read_bytes())


def source_mark(segments: SegmentCache, source: Path, settings: str) -> Path | None:
    """Where a marker says ``source`` (a file, by content) was rendered before with
    ``settings`` (the run's voice, speed, loudness, encoding and jingle choices, as one
    string); None if the file cannot be read. Used to skip starting the voice's worker
    processes when the whole programme will come from this cache (a warm re-run): only a
    hint, a wrong one costs a slower start, never a wrong episode. Only regular files up to
    :data:`~newsaudio.loaders.MAX_SOURCE_BYTES` are read (a device, a pipe or a huge file
    gets None: the loader refuses it with its own message)."""
    from newsaudio.loaders import MAX_SOURCE_BYTES

    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SOURCE_BYTES:
            return None
        data = source.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(
        f"{RENDITION_FORMAT}\0{__version__}\0{settings}\0".encode() + data
    ).hexdigest()
    return segments.root / "sources" / digest[:2] / digest


def mark_source(mark: Path) -> None:
    """Record the hint at ``mark`` (a :func:`source_mark` path): that source was rendered."""
    with contextlib.suppress(OSError):
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
