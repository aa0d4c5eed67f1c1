"""Resume: a real ``newsaudio add`` (real Piper) killed with SIGKILL mid-synthesis, then rerun.

Piper is not bit-identical run to run (its model draws random noise: the same sentence twice
gives different samples, even different lengths), so "the same audio" is proven through the
cache: the rerun reuses every entry written before the kill byte for byte, synthesizes only
the missing chunks, and its episode decodes to exactly the PCM that a third, fully cached
run produces.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsaudio.audio.ffmpeg import find_ffmpeg

pytestmark = pytest.mark.slow

PARAGRAPHS = [
    "The harbour library reopened on Monday after a long refit. Readers queued before dawn.",
    "The reading room now faces the water. Its old oak desks were repaired by local joiners. "
    "New lamps light every table.",
    "A children's corner holds picture books in six languages. Story time runs every "
    "Saturday morning.",
    "The café on the ground floor serves soup and bread. Prices stay low for students.",
    "The council says the building will stay open late on Thursdays. Volunteers are welcome.",
]


def _write(path: Path, paragraphs: list[str]) -> None:
    path.write_text("Harbour library reopens\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")


def _cmd() -> list[str]:
    return [sys.executable, "-m", "newsaudio", "add", "article.txt", "--voice", "joe",
            "--no-jingle", "--json", "--out", "show"]  # fmt: skip


def _entries(cache_dir: Path) -> dict[Path, str]:
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in cache_dir.glob("segments/??/[0-9a-f]*.wav")
    }


def _run(workdir: Path) -> dict[str, object]:
    done = subprocess.run(_cmd(), cwd=workdir, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return data


def _pcm(mp3: Path) -> bytes:
    cmd = [find_ffmpeg(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "pipe:1"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def test_sigkill_mid_synthesis_then_rerun(workdir: Path, cache_dir: Path) -> None:
    _write(workdir / "article.txt", PARAGRAPHS)
    proc = subprocess.Popen(_cmd(), cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(_entries(cache_dir)) < 3:
        assert proc.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    before = _entries(cache_dir)
    assert not list((workdir / "show").rglob("*.mp3"))  # nothing half-made was published

    second = _run(workdir)
    total = int(str(second["utterances"]))
    assert len(before) < total, "the kill came after synthesis had finished"
    assert (second["cached"], second["synthesized"]) == (len(before), total - len(before))
    after = _entries(cache_dir)
    assert all(after[p] == digest for p, digest in before.items())  # reused, not rewritten
    assert len(after) == total
    episode = Path(str(second["path"]))
    resumed = workdir / "resumed.mp3"
    shutil.copy(episode, resumed)

    third = _run(workdir)
    assert (third["cached"], third["synthesized"]) == (total, 0)
    assert _pcm(resumed) == _pcm(Path(str(third["path"])))


def test_edited_paragraph_resynthesizes_only_that_paragraph(workdir: Path) -> None:
    _write(workdir / "article.txt", PARAGRAPHS)
    first = _run(workdir)
    assert first["cached"] == 0
    edited = list(PARAGRAPHS)
    edited[2] = "A children's corner holds picture books in eight languages. Story time runs every "
    edited[2] += "Saturday morning."
    _write(workdir / "article.txt", edited)
    second = _run(workdir)
    # paragraph 3 is two sentences; only the changed one is new text
    assert second["synthesized"] == 1
    assert second["cached"] == int(str(second["utterances"])) - 1
