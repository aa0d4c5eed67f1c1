"""A misbehaving web server on 127.0.0.1 for the URL cases (never the internet).

Routes: ``/article`` (a good page), ``/404``, ``/500``, ``/loop-a`` <-> ``/loop-b``
(redirect loop), ``/hops/N`` (a chain of N redirects), ``/huge`` (claims 2 GiB),
``/drip`` (one byte every 0.2 s, forever), ``/pdf`` (application/pdf), ``/png``,
``/to-file`` (redirects to ``file:///etc/passwd``), ``/to-ftp``, ``/empty`` (200, no body),
``/bomb`` (a gzip body that inflates to 64 MiB), ``/nav`` (a page of links only).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_HTML = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ferry timetable changes | Example News</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ferry timetable changes</h1>
<p>The island ferry will run every forty minutes from June, the operator said on Friday.</p>
<p>Commuters welcomed the change, which adds six crossings a day.</p></article>
<footer>Copyright Example News</footer></body></html>"""

NAV_HTML = (
    b"<!doctype html><html><head><title>Menu</title></head><body><nav><ul>"
    + b"".join(b'<li><a href="/s%d">Section %d</a></li>' % (i, i) for i in range(60))
    + b"</ul></nav></body></html>"
)

_BOMB = gzip.compress(b"<p>" + b"a" * (64 * 2**20) + b"</p>", compresslevel=9)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default request log."""

    def _send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        """Answer by route (see the module docstring)."""
        path = self.path.split("?")[0]
        if path == "/article":
            self._send(200, ARTICLE_HTML, "text/html; charset=utf-8")
        elif path == "/nav":
            self._send(200, NAV_HTML)
        elif path == "/404":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/500":
            self._send(500, b"<h1>Oops</h1>")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path.startswith("/hops/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hops/{n - 1}" if n > 0 else "/article")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/article.html")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(2 * 2**30))
            self.end_headers()
            with suppress(OSError):
                self.wfile.write(b"<html><body>" + b"x" * 65536)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                self.wfile.write(b"<html><body><p>")
                for _ in range(600):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        elif path == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        elif path == "/empty":
            self._send(200, b"", "text/html")
        elif path == "/bomb":
            self._send(200, _BOMB, "text/html", Content_Encoding="gzip")
        else:
            self._send(404, b"no such route")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up early (the point of several routes) are not errors."""


@contextmanager
def serving() -> Iterator[str]:
    """Run the server in a thread for the block; yields its base URL (``http://127.0.0.1:N``)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
