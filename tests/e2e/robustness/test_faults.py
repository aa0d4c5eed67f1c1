"""Faults: kill -9 at every stage of ``newsaudio add``, 20 runs at once, backup and restore.

Each test drives the real CLI in subprocesses (fake voice) against a show that already has
one episode, and checks the show afterwards with the same helpers as the corpus: the feed
parses strictly and passes ``newsaudio feed check``, the catalog opens, and ``out/`` holds
no partial file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsaudio.publish.catalog import Catalog
from tests.support.robustness.harness import (
    FAKE_VOICE,
    GOOD_ARTICLE,
    catalog_sizes,
    child_env,
    feed_problems,
    partial_files,
    snapshot,
)

pytestmark = pytest.mark.slow

STORY = "Harbour bridge closes for repairs\n\n" + "\n\n".join(
    f"Paragraph {n}: the harbour bridge will close for repairs in stage {n}, the council "
    f"said on Tuesday, and buses will run every {n + 5} minutes instead."
    for n in range(1, 13)
)


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsaudio", *args]


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    """A working folder with the fake voice and a show in out/ holding one episode."""
    wd = tmp_path / "wd"
    (wd / "voices").mkdir(parents=True)
    (wd / "voices" / "fake.toml").write_text(FAKE_VOICE, encoding="utf-8")
    (wd / "first.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    (wd / "story.txt").write_text(STORY, encoding="utf-8")
    subprocess.run(
        _cmd("add", "first.txt", "--voice", "fake", "--out", "out"),
        cwd=wd,
        env=child_env(tmp_path / "cache"),
        check=True,
        capture_output=True,
    )
    return wd


def _assert_consistent(out: Path, strict: bool) -> int:
    """Feed valid, catalog opens, no partial file; returns the number of episodes.

    ``strict=False`` (right after a kill) accepts what only the next run cleans up: the
    killed run's work folder in ``.newsaudio/work`` and a complete MP3 renamed into
    ``episodes/`` whose catalog transaction the kill cut short (never listed in the feed).
    """
    errors, items = feed_problems(out)
    assert errors == []
    with Catalog(out / ".newsaudio" / "catalog.sqlite") as catalog:
        catalogued = {e.file_name: e.bytes for e in catalog.episodes()}
    # a kill between the catalog commit and the feed rewrite leaves the feed one episode
    # behind (still valid); the next run, or `newsaudio feed`, catches it up
    assert items == len(catalogued) or (not strict and items == len(catalogued) - 1)
    bad = partial_files(out)
    if not strict:
        bad = [b for b in bad if not b.startswith(".newsaudio/work/")]
        for entry in list(bad):
            name = entry.split(" ")[0].removeprefix("episodes/")
            if name.endswith(".mp3") and name not in catalogued:
                _assert_complete_mp3(out / "episodes" / name)
                bad.remove(entry)
    assert bad == []
    return items


def _assert_complete_mp3(path: Path) -> None:
    """An MP3 that decodes to the end without error (not half a file)."""
    from newsaudio.audio.ffmpeg import find_ffmpeg

    proc = subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr


STAGES = ["load", "synthesis", "encode", "tag", "publish"]
# Delays (s) after "stage publish" is logged: the kill then lands while the episode's files
# are renamed in, the catalog row is committed, and feed.xml / index.html are rewritten.
PUBLISH_DELAYS = [0.005, 0.015, 0.03, 0.06, 0.12]


@pytest.mark.parametrize(
    ("stage", "delay_s"),
    [(s, 0.0) for s in STAGES]
    + [("synthesis", 0.3)]  # mid-synthesis, mid-assembly (they stream together)
    + [("publish", d) for d in PUBLISH_DELAYS],
    ids=[f"at-{s}" for s in STAGES]
    + ["synthesis+300ms"]
    + [f"publish+{int(d * 1000)}ms" for d in PUBLISH_DELAYS],
)
def test_kill_9_then_rerun(show_dir: Path, tmp_path: Path, stage: str, delay_s: float) -> None:
    out = show_dir / "out"
    env = child_env(tmp_path / "cache")
    before = snapshot(out)
    proc = subprocess.Popen(
        _cmd("-v", "add", "story.txt", "--voice", "fake", "--out", "out"),
        cwd=show_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"stage {stage}" in line:
            if delay_s:
                time.sleep(delay_s)
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    landed = proc.returncode == 0  # the run finished before the signal arrived
    assert proc.returncode in (-signal.SIGKILL, 0), "".join(seen)

    items = _assert_consistent(out, strict=False)
    if stage != "publish":
        assert items == 1 and snapshot(out) == before  # nothing published yet: show unchanged
    else:
        assert items in (1, 2)
        landed = landed or items == 2

    rerun = subprocess.run(
        _cmd("add", "story.txt", "--voice", "fake", "--out", "out", "--json"),
        cwd=show_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    result = json.loads(rerun.stdout)
    if STAGES.index(stage) >= STAGES.index("encode"):
        # every chunk was synthesized before the kill: the rerun speaks none again
        assert result["synthesized"] == 0 and result["cached"] == result["utterances"]
    assert _assert_consistent(out, strict=True) == 2
    assert not (out / ".newsaudio" / "work").exists() or not any(
        (out / ".newsaudio" / "work").iterdir()
    )
    assert landed or result["synthesized"] + result["cached"] == result["utterances"]


def test_twenty_adds_at_once(show_dir: Path, tmp_path: Path) -> None:
    out = show_dir / "out"
    env = child_env(tmp_path / "cache", {"NEWSAUDIO_CATALOG_TIMEOUT": "120"})
    sources = []
    for n in range(20):
        name = f"story-{n:02d}.txt"
        (show_dir / name).write_text(
            f"Story {n} <b>&amp;</b> friends\n\nParagraph of story {n}, short and sweet.\n",
            encoding="utf-8",
        )
        sources.append(name)
    procs = [
        subprocess.Popen(
            _cmd("add", name, "--voice", "fake", "--out", "out", "--json", "--no-jingle"),
            cwd=show_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in sources
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_stdout, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    guids = {json.loads(stdout)["guid"] for stdout, _ in results}
    assert len(guids) == 20
    assert _assert_consistent(out, strict=True) == 21
    sizes = catalog_sizes(out)
    assert sizes is not None and len(sizes) == 21
    assert sorted(p.name for p in (out / "episodes").glob("*.mp3")) == sorted(sizes)


def _feed_without_build_date(path: Path) -> str:
    return re.sub(r"<lastBuildDate>[^<]*</lastBuildDate>", "", path.read_text(encoding="utf-8"))


def test_backup_during_a_run_restores(show_dir: Path, tmp_path: Path) -> None:
    """The backup recipe of docs/robustness.md: the catalog with SQLite's online backup API
    (while another run is publishing), then the published files; restore both and
    ``newsaudio feed`` rebuilds the same feed."""
    out = show_dir / "out"
    env = child_env(tmp_path / "cache")
    proc = subprocess.Popen(
        _cmd("-v", "add", "story.txt", "--voice", "fake", "--out", "out"),
        cwd=show_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "stage synthesis" in line:
            break
    backup = tmp_path / "backup"
    backup.mkdir()
    src = sqlite3.connect(out / ".newsaudio" / "catalog.sqlite")
    dst = sqlite3.connect(backup / "catalog.sqlite")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    shutil.copytree(out, backup / "show", ignore=shutil.ignore_patterns(".newsaudio"))
    feed_at_backup = _feed_without_build_date(backup / "show" / "feed.xml")
    proc.stderr.read()
    assert proc.wait(timeout=120) == 0

    restored = show_dir / "restored"
    shutil.copytree(backup / "show", restored)
    (restored / ".newsaudio").mkdir()
    shutil.copy2(backup / "catalog.sqlite", restored / ".newsaudio" / "catalog.sqlite")
    (restored / "feed.xml").unlink()
    (restored / "index.html").unlink()
    subprocess.run(
        _cmd("feed", "--out", "restored"), cwd=show_dir, env=env, check=True, capture_output=True
    )
    assert _feed_without_build_date(restored / "feed.xml") == feed_at_backup
    assert _assert_consistent(restored, strict=True) == 1
    with Catalog(restored / ".newsaudio" / "catalog.sqlite") as catalog:
        assert [e.title for e in catalog.episodes()] == ["Harbour library reopens"]
