"""Ctrl-C: SIGINT to the whole process group of a real ``newsaudio add`` (as a terminal sends
it) at five moments, from start-up to the final encoding. Every time: exit 130, one line on
stderr, no process of the run left, the cache entries already written intact, the show's
folder unchanged (real Piper workers and ffmpeg children; slow)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import EXAMPLE

pytestmark = pytest.mark.slow

INTERRUPTED = "newsaudio: interrupted; finished segments are kept in the cache"


def session_processes(sid: int) -> list[str]:
    """``pid command`` of every live process in session ``sid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
            fields = rest.split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(f"{entry.name} {head.partition('(')[2]}")
    return found


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def segment_files(cache: Path) -> list[Path]:
    return sorted((cache / "segments").glob("*/*.wav"))


def check_cache(cache: Path, before: dict[str, str]) -> dict[str, str]:
    """Every entry written before is still there, byte for byte; every segment is a whole WAV;
    no temporary file is left. Returns the entries now."""
    now = tree(cache) if cache.is_dir() else {}
    assert not [name for name in now if Path(name).name.startswith(".tmp-")], now
    for name, digest in before.items():
        assert now.get(name) == digest, f"cache entry {name} changed or vanished"
    for path in segment_files(cache):
        with wave.open(str(path), "rb") as w:
            assert w.getnframes() > 0 and w.getsampwidth() == 2, path
    return now


def test_sigint_to_the_process_group_at_five_moments(tmp_path: Path) -> None:
    out, cache = tmp_path / "output", tmp_path / "cache"
    article = tmp_path / "article.txt"
    article.write_bytes(EXAMPLE.read_bytes())
    base = [sys.executable, "-m", "newsaudio", "add", "--out", str(out), "--cache-dir", str(cache)]

    # The show exists already (one tiny episode): it must come out of every run unchanged.
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("Short note\n\nThe library opens at nine.\n", encoding="utf-8")
    subprocess.run([*base, str(tiny)], check=True, capture_output=True, timeout=300)
    show = tree(out)
    entries = check_cache(cache, {})
    spoken = json.loads(
        subprocess.run(
            [sys.executable, "-m", "newsaudio", "normalize", str(article), "--json"],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
    )
    known = len(segment_files(cache))  # the tiny episode's and the jingles
    total = known + len({u["spoken"] for u in spoken})  # and every segment of the article

    def work_mp3() -> bool:
        return any((out / ".newsaudio" / "work").glob("*/episode.mp3"))

    def cached_at_least(n: int) -> Callable[[], bool]:
        return lambda: len(segment_files(cache)) >= n

    start = 0.0
    moments: list[tuple[str, Callable[[], bool]]] = [
        ("start-up: workers loading the model", lambda: time.monotonic() - start > 1.0),
        ("first segment synthesized", cached_at_least(known + 1)),
        ("mid-synthesis", cached_at_least(known + 3)),
        ("streaming encode running", work_mp3),
        (
            "every segment cached: final encoding",
            lambda: work_mp3() and len(segment_files(cache)) >= total,
        ),
    ]
    for moment, due in moments:
        before = check_cache(cache, entries)
        with (tmp_path / "stdout").open("w+b") as stdout, (tmp_path / "stderr").open("w+b") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                [*base, str(article)],
                stdout=stdout,
                stderr=err,
                start_new_session=True,
                env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # a crash would say where
            )
            while not due() and proc.poll() is None and time.monotonic() - start < 240:
                time.sleep(0.01)
            assert proc.poll() is None, f"{moment}: the run ended before the interrupt"
            os.killpg(proc.pid, signal.SIGINT)
            code = proc.wait(timeout=60)
            err.seek(0)
            lines = err.read().decode().splitlines()
        assert code == 130, (moment, code, lines)
        assert lines == [INTERRUPTED], (moment, lines)
        assert session_processes(proc.pid) == [], moment
        assert tree(out) == show, f"{moment}: the show's folder changed"
        entries = check_cache(cache, before)


def test_sigkill_of_the_parent_leaves_no_worker_behind(tmp_path: Path) -> None:
    """The workers read their requests from a pipe: when newsaudio dies (even by SIGKILL),
    the pipe ends and so do they (a sentence in progress is finished first)."""
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsaudio", "add", str(EXAMPLE), "--out", str(tmp_path / "o"),
         "--cache-dir", str(cache)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    start = time.monotonic()
    while len(segment_files(cache)) < 3 and proc.poll() is None and time.monotonic() - start < 240:
        time.sleep(0.01)
    assert proc.poll() is None
    assert len(session_processes(proc.pid)) >= 3  # newsaudio and its two workers at least
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 30
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []
