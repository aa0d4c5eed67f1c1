"""Read-only commands (`list`, `sources`, `sources export`, `inspect`) work on a show folder
the user cannot write: nothing is locked or opened for writing, SQLite is opened read-only.

The show is made read-only for real: `chmod -R a-w` for an ordinary user; as root (whom
permissions do not stop) a read-only bind mount in a private mount namespace (`unshare -m`),
and the test is skipped where neither is possible. The commands run as subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudio.cli import cli
from tests.support import cli_runner

UNSHARE = shutil.which("unshare")
MOUNT_RO = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def _make_read_only(folder: Path) -> list[str]:
    """The argv prefix that runs a command with ``folder`` read-only (skip if impossible)."""
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            mode = path.stat().st_mode
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        return []
    if UNSHARE is None:
        pytest.skip("running as root without unshare: the show cannot be made read-only")
    prefix = [UNSHARE, "-m", "sh", "-c", MOUNT_RO, str(folder)]
    probe = subprocess.run(
        [*prefix, "sh", "-c", f"! touch {folder}/.probe 2>/dev/null"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("running as root where a read-only bind mount is not allowed")
    return prefix


def _restore(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_list_sources_and_inspect_on_a_read_only_show(workdir: Path, article_file: Path) -> None:
    runner = cli_runner()
    result = runner.invoke(cli, ["add", str(article_file), "--voice", "fake"])
    assert result.exit_code == 0, result.stderr
    feed = workdir / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
        "<item><title>A</title><guid>a</guid><link>http://example.invalid/a</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["follow", str(feed)])
    assert result.exit_code == 0, result.stderr
    show = workdir / "output"
    before = sorted(p.relative_to(show) for p in show.rglob("*"))

    prefix = _make_read_only(show)
    try:

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(
                [*prefix, sys.executable, "-m", "newsaudio", *args],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, (args, done.stderr)
            return done

        assert "Council approves new cycle lanes" in run("list").stdout
        (episode,) = json.loads(run("list", "--json").stdout)
        assert "Local news" in run("sources").stdout
        (source,) = json.loads(run("sources", "--json").stdout)
        assert source["last_status"] is None and source["last_checked"] is not None
        assert "Local news" in run("sources", "export").stdout
        assert "duration" in run("inspect", episode["guid"], "--out", "output").stdout
        # a command that writes still says the folder is read-only, exit 7
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "newsaudio", "feed"], capture_output=True, text=True
        )
        assert done.returncode == 7 and "not writable" in done.stderr, done.stderr
    finally:
        _restore(show)
    assert sorted(p.relative_to(show) for p in show.rglob("*")) == before
