"""A real HTTP server on 127.0.0.1 for the sources tests (never the internet).

Serves whatever the test puts in ``routes`` (path -> (body, content type)) with an ``ETag``
(hash of the body) and a ``Last-Modified``, answers conditional requests with 304, and keeps
a request log (method, path, status, If-None-Match, If-Modified-Since). ``status`` forces
a status for a path (with optional extra headers, e.g. Retry-After or Location).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Logged:
    """One request as the server saw it."""

    method: str
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class FeedServer:
    """State shared with the handler; ``url(path)`` gives the absolute URL."""

    port: int = 0
    routes: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    status: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    modified: dict[str, float] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, body: bytes | str, ctype: str = "application/rss+xml") -> None:
        """Serve ``body`` at ``path`` (a new version: new ETag and Last-Modified)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = (data, ctype)
            self.modified[path] = self.modified.get(path, 1_700_000_000.0) + 60

    def requests(self, path: str) -> list[Logged]:
        with self.lock:
            return [r for r in self.log if r.path == path]


def _handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Silence the default log (the test reads ``state.log``)."""

        def _log(self, status: int) -> None:
            with state.lock:
                state.log.append(
                    Logged(
                        self.command,
                        self.path,
                        status,
                        self.headers.get("If-None-Match"),
                        self.headers.get("If-Modified-Since"),
                    )
                )

        def do_GET(self) -> None:
            path = self.path
            with state.lock:
                forced = state.status.get(path)
                route = state.routes.get(path)
                modified = state.modified.get(path, 1_700_000_000.0)
            if forced is not None:
                code, headers = forced
                self.send_response(code)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self._log(code)
                return
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self._log(404)
                return
            body, ctype = route
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            last_modified = formatdate(modified, usegmt=True)
            if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-None-Match") is None
                and self.headers.get("If-Modified-Since") == last_modified
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                self._log(304)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            self.wfile.write(body)
            self._log(200)

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """Start a server on a free port of 127.0.0.1; stop it after the block."""
    state = FeedServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
