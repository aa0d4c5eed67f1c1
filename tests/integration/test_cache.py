"""The segment cache: hits, misses, corrupt entries, concurrent writers, LRU, cache commands."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from newsaudio.cli import cli
from newsaudio.errors import ConfigError
from newsaudio.models import Article, Script, Segment, Utterance
from newsaudio.tts.base import Voice
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.fake import FakeEngine
from newsaudio.tts.speak import SpeakStats, speak
from tests.support import cli_runner


def _segment(value: int, frames: int = 2205) -> Segment:
    return Segment(np.full((frames, 1), value, dtype=np.int16), 22050)


def _script(*texts: str) -> Script:
    article = Article(title=texts[0], blocks=(), source="t", source_key="t")
    return Script(article, tuple(Utterance("sentence", t, t, 300) for t in texts))


def test_key_covers_identity_and_text() -> None:
    keys = {
        SegmentCache.key("piper/1.8/model=a/speed=1", "Hello."),
        SegmentCache.key("piper/1.8/model=b/speed=1", "Hello."),
        SegmentCache.key("piper/1.8/model=a/speed=1.2", "Hello."),
        SegmentCache.key("piper/1.8/model=a/speed=1", "Hello!"),
    }
    assert len(keys) == 4


def test_hit_and_miss(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path)
    key = cache.key("e", "t")
    assert cache.get(key) is None and cache.misses == 1
    cache.put(key, _segment(7))
    got = cache.get(key)
    assert got is not None and cache.hits == 1
    assert got.sample_rate_hz == 22050 and np.array_equal(got.samples, _segment(7).samples)
    assert not list(cache.root.glob("??/.tmp-*"))  # no temporary file left behind


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_corrupt_entry_is_resynthesized(tmp_path: Path, damage: str) -> None:
    cache = SegmentCache(tmp_path)
    engine = FakeEngine(Voice("fake", "fake", "en-US"))
    script = _script("One.", "Two.")
    first = [s for _, s in speak(script, engine, cache)]
    path = cache.path(cache.key(engine.identity(), "Two."))
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"RIFF" + os.urandom(200), "empty": b""}[
            damage
        ]
    )
    engine.calls.clear()
    stats = SpeakStats()
    again = [s for _, s in speak(script, engine, cache, stats=stats)]
    assert engine.calls == ["Two."] and (stats.cached, stats.synthesized) == (1, 1)
    assert all(np.array_equal(a.samples, b.samples) for a, b in zip(first, again, strict=True))
    assert path.read_bytes() == data  # rewritten whole


def _writer(root: str, worker: int, rounds: int) -> None:
    cache = SegmentCache(Path(root))
    for i in range(rounds):
        cache.put(cache.key("e", "shared"), _segment(1000 + (i % 3), 22050))
        cache.put(cache.key("e", f"own-{worker}-{i}"), _segment(worker))
        got = cache.get(cache.key("e", "shared"))
        assert (
            got is not None and got.frames == 22050 and int(got.samples[0, 0]) in (1000, 1001, 1002)
        )


def test_concurrent_writers(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    cache = SegmentCache(tmp_path)
    assert cache.info().entries == 1 + 4 * 15
    assert not list(cache.root.glob("??/.tmp-*"))
    shared = cache.get(cache.key("e", "shared"))
    assert shared is not None and shared.frames == 22050


def test_lru_eviction_keeps_recently_used(tmp_path: Path) -> None:
    entry = len(_segment(0).samples.tobytes()) + 44  # WAV header
    cache = SegmentCache(tmp_path, max_bytes=entry * 5)
    keys = [cache.key("e", str(i)) for i in range(5)]
    for i, key in enumerate(keys):
        cache.put(key, _segment(i))
        os.utime(cache.path(key), (1000 + i, 1000 + i))  # ages: key 0 oldest
    assert cache.get(keys[0]) is not None  # a hit makes key 0 the most recent
    cache.put(cache.key("e", "new"), _segment(9))  # over the limit: evict to 90 %
    left = [k for k in keys if cache.path(k).exists()]
    assert keys[0] in left and keys[1] not in left and keys[2] not in left
    assert cache.info().bytes <= entry * 5 * 0.9


def test_max_mb_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAUDIO_CACHE_MAX_MB", "1.5")
    assert SegmentCache(tmp_path).max_bytes == int(1.5 * 1024 * 1024)
    monkeypatch.setenv("NEWSAUDIO_CACHE_MAX_MB", "lots")
    with pytest.raises(ConfigError, match=r"NEWSAUDIO_CACHE_MAX_MB='lots'"):
        SegmentCache(tmp_path)


def test_cache_info_and_clear_commands(cache_dir: Path) -> None:
    cache = SegmentCache(cache_dir)
    old, new = cache.key("e", "old"), cache.key("e", "new")
    cache.put(old, _segment(1))
    cache.put(new, _segment(2))
    ten_days_ago = time.time() - 10 * 86400
    os.utime(cache.path(old), (ten_days_ago, ten_days_ago))
    runner = cli_runner()
    result = runner.invoke(cli, ["cache", "info", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["entries"] == 2 and info["bytes"] > 8000 and info["max_bytes"] == 2048 * 1048576
    assert info["path"] == str(cache_dir / "segments")
    result = runner.invoke(cli, ["cache", "clear", "--older-than", "7"])
    assert result.exit_code == 0 and result.stdout.startswith("removed 1 chunks")
    assert not cache.path(old).exists() and cache.path(new).exists()
    done = subprocess.run(
        [sys.executable, "-m", "newsaudio", "cache", "clear"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("removed 1 chunks")
    done = subprocess.run(
        [sys.executable, "-m", "newsaudio", "cache", "info"], capture_output=True, text=True
    )
    assert "entries: 0" in done.stdout
