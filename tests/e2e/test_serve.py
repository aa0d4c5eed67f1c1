"""`newsaudio serve`: byte ranges, MIME types, CORS and what must never be served.

The server runs for real (uvicorn on 127.0.0.1, a free port); requests go through
http.client and raw sockets so that nothing normalizes the paths we send.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsaudio.config import Show
from newsaudio.publish.serve import mime_type, public_base_url
from tests.support.episodes import make_episodes
from tests.support.serving import free_port, request, running

pytestmark = pytest.mark.network


def raw_status(port: int, target: str) -> int:
    """Send ``GET target`` byte for byte (no client-side normalization); the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1])


@pytest.fixture
def show_dir(workdir: Path, tmp_path: Path) -> Path:
    """A show with one fake-voice episode, plus a secret outside it and a symlink to it."""
    show = Show(out_dir=workdir / "out")
    make_episodes(workdir, show, ["A story & more"])
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (show.out_dir / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (show.out_dir / "state.sqlite").symlink_to(show.catalog_path)
    (show.out_dir / ".hidden.txt").write_text("hidden", encoding="utf-8")
    return show.out_dir


def test_range_1000_1999_answers_206_with_exactly_those_bytes(show_dir: Path) -> None:
    (mp3,) = (show_dir / "episodes").glob("*.mp3")
    data = mp3.read_bytes()
    with running(show_dir) as port:
        status, headers, body = request(
            port, f"/episodes/{mp3.name}", headers={"Range": "bytes=1000-1999"}
        )
        assert status == 206
        assert body == data[1000:2000]
        assert headers["content-range"] == f"bytes 1000-1999/{len(data)}"
        assert headers["content-length"] == "1000"
        assert headers["content-type"] == "audio/mpeg"

        status, headers, body = request(port, f"/episodes/{mp3.name}", "HEAD")
        assert (status, body) == (200, b"")
        assert headers["content-length"] == str(len(data))
        assert headers["accept-ranges"] == "bytes"

        status, headers, body = request(port, f"/episodes/{mp3.name}")
        assert status == 200 and body == data

        status, _, body = request(port, f"/episodes/{mp3.name}", headers={"Range": "bytes=-500"})
        assert status == 206 and body == data[-500:]
        status, headers, _ = request(
            port, f"/episodes/{mp3.name}", headers={"Range": f"bytes={len(data)}-"}
        )
        assert status == 416 and headers["content-range"] == f"bytes */{len(data)}"


REFUSED = [
    "/../etc/passwd",
    "/../../../../etc/passwd",
    "/episodes/../../secret.txt",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2Fsecret.txt",
    "/episodes/..%2f..%2fsecret.txt",
    "/..%5c..%5csecret.txt",
    "/.newsaudio/catalog.sqlite",
    "/.newsaudio/",
    "/%2enewsaudio/catalog.sqlite",
    "/.hidden.txt",
    "/escape.txt",
    "/state.sqlite",
    "/episodes/",
    "/episodes",
    "/nothing-here.mp3",
    "/episodes/%00.mp3",
]


def test_traversal_dotfiles_symlinks_and_listings_refused(show_dir: Path) -> None:
    with running(show_dir) as port:
        for target in REFUSED:
            assert raw_status(port, target) in (400, 403, 404), target
        assert raw_status(port, "/feed.xml") == 200


def test_mime_types_and_cors(show_dir: Path) -> None:
    (mp3,) = (show_dir / "episodes").glob("*.mp3")
    slug = mp3.stem
    expected = {
        "/feed.xml": "application/rss+xml",
        "/cover.jpg": "image/jpeg",
        "/": "text/html; charset=utf-8",
        "/index.html": "text/html; charset=utf-8",
        f"/episodes/{slug}.mp3": "audio/mpeg",
        f"/episodes/{slug}.vtt": "text/vtt; charset=utf-8",
        f"/episodes/{slug}.srt": "application/x-subrip",
        f"/episodes/{slug}.chapters.json": "application/json+chapters",
    }
    with running(show_dir) as port:
        for path, mime in expected.items():
            status, headers, _ = request(port, path, "HEAD")
            assert status == 200, path
            assert headers["content-type"] == mime, path
            cors = headers.get("access-control-allow-origin")
            wants_cors = path.endswith((".vtt", ".srt", ".chapters.json", ".xml"))
            assert cors == ("*" if wants_cors else None), path
        status, headers, _ = request(port, f"/episodes/{slug}.vtt", "OPTIONS")
        assert status == 204 and headers["access-control-allow-origin"] == "*"
        assert "Range" in headers["access-control-allow-headers"]
    assert mime_type("X.CHAPTERS.JSON") == "application/json+chapters"
    assert mime_type("data.bin") == "application/octet-stream"


def test_public_base_url_uses_lan_address_for_any_host() -> None:
    assert public_base_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    lan = public_base_url("0.0.0.0", 8123)
    assert lan.startswith("http://") and lan.endswith(":8123/")
    assert "0.0.0.0" not in lan


def test_serve_subprocess_prints_feed_url_and_serves(show_dir: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsaudio", "serve", "--out", str(show_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        assert (
            f"Feed URL (paste into your podcast app): http://127.0.0.1:{port}/feed.xml"
            in (lines[1])
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                status, _headers, body = request(port, "/feed.xml")
                break
            except OSError:
                assert time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        assert status == 200 and body == (show_dir / "feed.xml").read_bytes()
        # a second server on the same port: one clear line, non-zero exit
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsaudio",
                "serve",
                "--out",
                str(show_dir),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 7
        assert second.stderr.strip().splitlines()[-1].startswith("newsaudio: error: 127.0.0.1:")
        assert "Traceback" not in second.stderr
    finally:
        proc.terminate()
        proc.wait(10)
