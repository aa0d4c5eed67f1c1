"""A real podcast client subscribes through `newsaudio serve` and downloads every episode.

gPodder's command-line client ``gpo`` (Debian package ``gpodder``) runs against a
``newsaudio serve`` subprocess on 127.0.0.1, with its own HOME, GPODDER_HOME and download
folder in the test's tmp folder. Skipped only where gpo is not installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsaudio.config import Show
from tests.support.episodes import make_episodes
from tests.support.serving import free_port, request

GPO = shutil.which("gpo")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.network,
    pytest.mark.skipif(
        GPO is None, reason="gPodder's gpo is not installed (Debian: apt-get install gpodder)"
    ),
]


def test_gpo_subscribes_and_downloads_every_episode(workdir: Path, tmp_path: Path) -> None:
    port = free_port()
    show = Show(out_dir=workdir / "out", base_url=f"http://127.0.0.1:{port}/")
    results = make_episodes(workdir, show)  # one title has &, <b>, an emoji and a control char
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsaudio",
            "serve",
            "--out",
            str(show.out_dir),
            "--base-url",
            show.base_url,
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert request(port, "/feed.xml", "HEAD")[0] == 200
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "newsaudio serve did not start"
                time.sleep(0.1)
        home = tmp_path / "gpo-home"
        downloads = tmp_path / "downloads"
        home.mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GPODDER_HOME": str(home / "gpodder"),
            "GPODDER_DOWNLOAD_DIR": str(downloads),
            "LANG": "C.UTF-8",
            "NO_PROXY": "*",
        }
        assert GPO is not None
        for args in (["subscribe", show.feed_url], ["update"], ["download"]):
            done = subprocess.run(
                [GPO, *args], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stdout + done.stderr
        assert "3 episodes downloaded" in done.stdout, done.stdout
        got = {p.name: p.stat().st_size for p in downloads.rglob("*.mp3")}
        expected = {r.path.name: r.path.stat().st_size for r in results}
        assert got == expected
        for r in results:
            downloaded = next(downloads.rglob(r.path.name))
            assert downloaded.read_bytes() == r.path.read_bytes()
    finally:
        server.terminate()
        server.wait(10)
