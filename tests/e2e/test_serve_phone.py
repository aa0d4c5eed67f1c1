"""`newsaudio serve` for a phone: the feed URL's QR code in the terminal, one log line per
request (method, path, range, status, bytes), and a port in use answered with a free one.

The server runs for real (a ``newsaudio serve`` subprocess on 127.0.0.1, a free port).
"""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsaudio.config import Show
from newsaudio.publish.access_log import AccessLog
from newsaudio.publish.qr import qr_svg, qr_text
from newsaudio.publish.serve import create_app
from tests.support.episodes import make_episodes
from tests.support.serving import free_port, request

pytestmark = pytest.mark.network

SERVE = [sys.executable, "-m", "newsaudio", "serve"]


@pytest.fixture
def show_dir(workdir: Path) -> Path:
    show = Show(out_dir=workdir / "out")
    make_episodes(workdir, show, ["A story"])
    return show.out_dir


def test_qr_code_of_the_feed_url() -> None:
    """The terminal and SVG renderings are of one code (same module count), and the SVG is
    an inline element naming the URL for screen readers."""
    import segno

    url = "http://192.168.1.20:8000/feed.xml"
    text = qr_text(url)
    size = len(segno.make(url, error="m", micro=False).matrix) + 2 * 2  # 2-module border
    lines = text.splitlines()
    assert len(lines) == (size + 1) // 2  # two module rows per line
    assert {len(line) for line in lines} == {size}
    assert set(text) <= {"█", "▀", "▄", " ", "\n"}
    svg = qr_svg(url)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    assert f'aria-label="QR code: {url}"' in svg and f"<title>{url}</title>" in svg


def test_access_log_middleware(show_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    from starlette.testclient import TestClient

    (mp3,) = (show_dir / "episodes").glob("*.mp3")
    client = TestClient(AccessLog(create_app(show_dir)))  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="newsaudio.serve"):
        client.get(f"/episodes/{mp3.name}", headers={"Range": "bytes=1000-1999"})
        client.head("/feed.xml")
        client.get("/nothing-here.mp3")
    lines = [r.getMessage() for r in caplog.records if r.name == "newsaudio.serve"]
    assert len(lines) == 3, lines
    assert re.fullmatch(
        rf"\S+ GET /episodes/{re.escape(mp3.name)} range=bytes=1000-1999 206 1000 bytes", lines[0]
    ), lines[0]
    assert re.fullmatch(r"\S+ HEAD /feed\.xml range=- 200 0 bytes", lines[1]), lines[1]
    assert re.fullmatch(r"\S+ GET /nothing-here\.mp3 range=- 404 \d+ bytes", lines[2]), lines[2]


def _wait_until_serving(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            request(port, "/feed.xml", method="HEAD")
            return
        except OSError:
            assert proc.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)


def test_serve_prints_qr_logs_requests_and_suggests_a_free_port(show_dir: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [*SERVE, "--out", str(show_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        _wait_until_serving(port, proc)
        (mp3,) = (show_dir / "episodes").glob("*.mp3")
        status, _, body = request(port, f"/episodes/{mp3.name}", headers={"Range": "bytes=0-1"})
        assert status == 206 and len(body) == 2
        # a second server on the same port: one line naming the port and a --port that is free
        second = subprocess.run(
            [*SERVE, "--out", str(show_dir), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 7
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in second.stderr
        assert f"port {port} is already in use" in lines[0]
        suggested = re.search(r"--port (\d+)", lines[0])
        assert suggested is not None and int(suggested.group(1)) != port
        with socket.socket() as s:
            s.bind(("127.0.0.1", int(suggested.group(1))))  # it really is free
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    feed_url = f"http://127.0.0.1:{port}/feed.xml"
    assert f"Feed URL (paste into your podcast app): {feed_url}" in out
    assert qr_text(feed_url) in out
    log = [ln for ln in err.splitlines() if " range=" in ln]
    assert any(
        re.search(
            rf"127\.0\.0\.1 GET /episodes/{re.escape(mp3.name)} range=bytes=0-1 206 2 bytes$", ln
        )
        for ln in log
    ), err
    assert any(re.search(r"127\.0\.0\.1 HEAD /feed\.xml range=- 200 0 bytes$", ln) for ln in log)
