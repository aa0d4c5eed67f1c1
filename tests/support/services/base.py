"""The frame every stand-in service shares: a threaded ``http.server`` on a free
127.0.0.1 port, every request recorded, and a queue of forced answers (``429`` with
``Retry-After``, ``503``...) served before the real ones.

::

    with WallabagStandIn(...) as server:       # a thread answering server.url
        ...                                    # the kind under test talks to server.url
        server.requests_to("PATCH", "/api/entries/1.json")  # what it received

Each service subclasses :class:`StandIn` and implements :meth:`StandIn.answer` from its
public API documentation (see NOTES.md for the sources of each answer).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request a stand-in received: method, path, query and form fields (lists of
    values), headers (lower-case names) and the raw body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        """The body as ``application/x-www-form-urlencoded`` fields."""
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    @property
    def json(self) -> Any:
        """The body as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass
class Answer:
    """What a stand-in sends back: status, headers, body (bytes, or JSON-encoded)."""

    status: int = 200
    body: bytes | Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, bytes):
            return self.body, headers
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(self.body).encode(), headers


def json_answer(body: Any, status: int = 200, **headers: str) -> Answer:
    """A JSON answer."""
    return Answer(status, body, dict(headers))


def text_answer(
    text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8"
) -> Answer:
    """A text answer."""
    return Answer(status, text.encode(), {"Content-Type": content_type})


class StandIn:
    """A local server answering as a service does. Subclasses implement :meth:`answer`."""

    def __init__(self) -> None:
        self.received: list[Recorded] = []
        self.forced: list[Answer] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._held: tuple[str, str] | None = None
        self._release = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what tests use ---------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def force(self, answer: Answer, times: int = 1) -> None:
        """Send ``answer`` for the next ``times`` requests, before any real answer."""
        with self._lock:
            self.forced.extend([answer] * times)

    def force_rate_limit(self, retry_after_s: int = 1, times: int = 1) -> None:
        """The next ``times`` requests get ``429 Too Many Requests`` with ``Retry-After``."""
        self.force(
            json_answer(
                {"detail": "Request was throttled."}, 429, **{"Retry-After": str(retry_after_s)}
            ),
            times,
        )

    def hold(self, method: str, path_prefix: str) -> None:
        """Requests with ``method`` to a path starting with ``path_prefix`` are recorded,
        then left unanswered (and not applied) until :meth:`release`: a client killed
        meanwhile never got its answer."""
        self._release.clear()
        self._held = (method, path_prefix)

    def release(self) -> None:
        """Answer held requests again (a held one gets a 503, as a restarting server)."""
        self._held = None
        self._release.set()

    def requests_to(self, method: str, path: str) -> list[Recorded]:
        """Requests received with this method and path."""
        with self._lock:
            return [r for r in self.received if r.method == method and r.path == path]

    # -- to implement -------------------------------------------------------------------
    def answer(self, request: Recorded) -> Answer:
        """The service's answer to ``request``."""
        raise NotImplementedError

    # -- machinery ------------------------------------------------------------------------
    def start(self) -> StandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with stand_in._lock:
                    stand_in.received.append(recorded)
                    forced = stand_in.forced.pop(0) if stand_in.forced else None
                held = stand_in._held
                if held and self.command == held[0] and parts.path.startswith(held[1]):
                    stand_in._release.wait(60)
                    forced = text_answer("held, not applied", 503)
                try:
                    reply = forced or stand_in.answer(recorded)
                except Exception as exc:  # a bug in a stand-in: show it to the test
                    reply = text_answer(f"stand-in error: {exc!r}", 500)
                data, headers = reply.encoded()
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None if absent)."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def first(fields: Mapping[str, list[str]], name: str, default: str = "") -> str:
    """The first value of ``name`` in query or form ``fields``."""
    values = fields.get(name)
    return values[0] if values else default


def truthy(value: str) -> bool:
    """A query flag as services read it: ``1``, ``true``, ``yes``, ``on``."""
    return value.lower() in ("1", "true", "t", "yes", "on")
