"""An unwritable show folder fails the run before any synthesis (exit 7, one line).

How the folder is made read-only, honestly, for the user running the tests: an ordinary user
gets ``chmod a-w``; root ignores permission bits, so as root the folder is made immutable
with ``chattr +i`` (a real kernel refusal: EPERM on every create, rename and delete in it),
which needs a file system with inode flags (ext4, xfs, btrfs). Where neither works the test
skips and says why.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.errors import ExitStatus, PublishError
from newsaudio.fsutil import check_writable
from tests.support import cli_runner

NEWSAUDIO = [sys.executable, "-m", "newsaudio"]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this user inside the block (skips where that cannot be)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("root ignores chmod and chattr is missing (apt-get install e2fsprogs)")
    proc = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"chattr +i refused here ({proc.stderr.strip()}): no read-only folder")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


def _run(wd: Path, *args: str, cache: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run newsaudio; return the process and the CPU seconds it used (user + system, with
    the ffmpeg and Piper processes it started): unlike wall time, this does not depend on
    how busy the machine is."""
    env = {**os.environ, "NEWSAUDIO_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [*NEWSAUDIO, *args], cwd=wd, env=env, capture_output=True, text=True, timeout=120
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, cpu_s


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def test_read_only_show_fails_before_synthesis(
    workdir: Path, article_file: Path, tmp_path: Path
) -> None:
    """The show exists (one episode added); then its folder, its ``.newsaudio`` state folder
    or its ``episodes`` folder becomes read-only. Adding an article with the real Piper voice
    must fail at the start: exit 7 with one line naming the folder, no segment synthesized
    (the run's fresh segment cache stays empty), the show byte-for-byte unchanged, within
    3 CPU-seconds (about 0.7 s on an idle 2-core machine, start-up included; synthesizing
    this article alone would take about 10 CPU-seconds more)."""
    first = cli_runner().invoke(cli, ["add", str(article_file), "--voice", "fake", "--out", "show"])
    assert first.exit_code == 0, first.stderr
    show = workdir / "show"
    story = workdir / "story.txt"
    story.write_text(
        "Harbour library reopens\n\n" + "The new reading room opened on Monday morning. " * 30,
        encoding="utf-8",
    )
    before = _files(show)
    cache = tmp_path / "fresh-cache"
    for folder in (show, show / ".newsaudio", show / "episodes"):
        with read_only(folder):
            proc, cpu_s = _run(workdir, "add", "story.txt", "--voice", "joe", "--out", "show",
                               cache=cache)  # fmt: skip

        assert proc.returncode == int(ExitStatus.PUBLISH), proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"newsaudio: error: {folder.relative_to(workdir)}: ")
        assert "not writable" in lines[0] and "Traceback" not in proc.stderr
        segments = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
        assert segments == [], "synthesis started before the show folder was checked"
        assert _files(show) == before
        assert cpu_s < 3.0, (folder, cpu_s)


def test_full_disk_is_refused_before_the_run(tmp_path: Path) -> None:
    """Free space below the minimum is a PublishError naming the folder and the free space
    (the real check, asked for more space than any disk here has)."""
    with pytest.raises(PublishError, match=r"no space left: only .* free") as info:
        check_writable(tmp_path, tmp_path, min_free_bytes=2**62)
    assert str(tmp_path) in str(info.value)


def test_a_writable_folder_passes_and_leaves_nothing(tmp_path: Path) -> None:
    check_writable(tmp_path, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["feed"], ["publish"]])
def test_show_folder_that_cannot_exist_is_exit_7(tmp_path: Path, command: list[str]) -> None:
    """Every command that writes the show takes its lock first; a show folder that cannot be
    created (here under /proc) is one line and exit 7, never an internal error."""
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", *command, "--out", "/proc/newsaudio-no-show",
         *(["--to", str(tmp_path / "pub")] if command == ["publish"] else [])],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 7, proc.stderr
    assert proc.stderr.startswith("newsaudio: error: ") and proc.stderr.count("\n") == 1
    assert "internal error" not in proc.stderr
