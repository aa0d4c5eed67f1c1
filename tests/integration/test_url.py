"""URL loader against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsaudio.errors import ExitStatus, InputError
from newsaudio.loaders import load
from newsaudio.loaders.url import FetchLimits, fetch, load_url
from newsaudio.pipeline import load_article
from tests.support.news_pages import ARTICLE_SENTENCES, CHROME, NEWS_PAGE

pytestmark = pytest.mark.network


class Handler(BaseHTTPRequestHandler):
    """Routes for every fetch outcome the loader must handle."""

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path
        try:
            if path == "/article":
                self._send(200, NEWS_PAGE.encode("utf-8"))
            elif path == "/moved":
                self._redirect("/article", 301)
            elif path == "/relative-chain":
                self._redirect("moved", 307)
            elif path == "/missing":
                self._send(404, b"<h1>Not found</h1>")
            elif path == "/broken":
                self._send(500, b"<h1>Server error</h1>")
            elif path == "/loop-a":
                self._redirect("/loop-b")
            elif path == "/loop-b":
                self._redirect("/loop-a")
            elif path.startswith("/hop"):
                n = int(path[4:] or 0)
                self._redirect(f"/hop{n + 1}")
            elif path == "/to-file":
                self._redirect("file:///etc/passwd")
            elif path == "/to-ftp":
                self._redirect("ftp://127.0.0.1/x.html")
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"<html>" + b" " * 1000)
            elif path == "/endless":  # no Content-Length, more bytes than the cap
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
                for _ in range(400):
                    self.wfile.write(chunk)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/stall":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                time.sleep(3)
            elif path == "/report.pdf":
                self._send(200, b"%PDF-1.7 fake", "application/pdf")
            elif path == "/notes.md":
                self._send(200, b"# Notes title\n\nA paragraph of notes.\n", "text/markdown")
            elif path == "/plain":
                self._send(200, b"Plain title\n\nPlain body text.\n", "text/plain")
            elif path == "/latin1":
                body = (
                    "<html><head><title>Caf\xe9 news</title></head><body><article>"
                    "<p>The caf\xe9 reopened on Monday after a long winter break in "
                    "the old town, the owner said on Tuesday.</p></article></body></html>"
                )
                self._send(200, body.encode("latin-1"), "text/html; charset=ISO-8859-1")
            else:
                self._send(404, b"no route")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_article_from_url(server: str) -> None:
    article = load_article(f"{server}/article")
    assert article.title == "Harbour library reopens after two-year refit"
    assert article.byline == "Mara Lindqvist"
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.source_key == f"{server}/article"
    # the page names a canonical URL: that is the episode's link
    assert article.source_url == "https://www.coastalcourier.example/news/2024/03/harbour-library"
    body = " ".join(b.text for b in article.blocks)
    assert all(s in body for s in ARTICLE_SENTENCES)
    assert not any(c in body for c in CHROME)


def test_redirect_gives_final_url(server: str) -> None:
    page = fetch(f"{server}/relative-chain")
    assert page.url == f"{server}/article"
    assert page.media_type == "text/html"
    no_canonical = load_url(f"{server}/plain")
    assert no_canonical.source_url == f"{server}/plain"
    assert no_canonical.title == "Plain title"


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/missing", "HTTP 404"),
        ("/broken", "HTTP 500"),
        ("/loop-a", "redirect loop"),
        ("/hop0", "more than 5 redirects"),
        ("/to-file", "redirects to a file: URL"),
        ("/to-ftp", "redirects to a ftp: URL"),
        ("/huge", "50.0 MiB; pages larger than 10.0 MiB are refused"),
        ("/report.pdf", "is application/pdf, not a web page"),
    ],
)
def test_fetch_failures_are_input_errors(server: str, path: str, problem: str) -> None:
    with pytest.raises(InputError) as info:
        load(f"{server}{path}")
    assert problem in str(info.value)
    assert str(info.value).startswith(f"{server}{path}: ")
    assert info.value.exit_status == ExitStatus.INPUT


def test_size_cap_enforced_while_streaming(server: str) -> None:
    with pytest.raises(InputError, match=r"larger than 1\.0 MiB"):
        fetch(f"{server}/endless", FetchLimits(max_bytes=1024 * 1024))


def test_slow_drip_hits_the_total_deadline(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="too slow"):
        fetch(f"{server}/drip", FetchLimits(total_timeout_s=1.0, read_timeout_s=5.0))
    assert time.monotonic() - started < 4


def test_stalled_server_hits_the_read_timeout(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=r"stopped sending for 0\.5 s"):
        fetch(f"{server}/stall", FetchLimits(read_timeout_s=0.5))
    assert time.monotonic() - started < 3


def test_connection_refused_is_an_input_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="cannot be fetched"):
        fetch(f"http://127.0.0.1:{port}/x", FetchLimits(connect_timeout_s=2))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/a.html", "http:///x"])
def test_non_http_sources_refused(url: str) -> None:
    with pytest.raises(InputError, match=r"only http and https|not a valid URL"):
        load(url)


def test_markdown_and_charset_pages(server: str) -> None:
    notes = load_url(f"{server}/notes.md")
    assert notes.title == "Notes title"
    assert notes.source_url == f"{server}/notes.md"
    cafe = load_url(f"{server}/latin1")
    assert cafe.title == "Café news"
    assert "café reopened" in cafe.blocks[0].text
