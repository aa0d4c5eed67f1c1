"""A local stand-in for Google Translate's TTS endpoint, reached as an HTTPS proxy.

:class:`FakeGoogle` listens on 127.0.0.1 as an HTTP proxy. Clients (newsaudio's gTTS engine,
``gtts-cli``) are pointed at it with ``HTTPS_PROXY=http://127.0.0.1:PORT``: for each
``CONNECT translate.google.<tld>:443`` it terminates TLS itself with a certificate from a
throw-away CA (trustme; its PEM is :attr:`FakeGoogle.ca_pem`, for ``REQUESTS_CA_BUNDLE``) and
answers ``POST /_/TranslateWebserverUi/data/batchexecute`` like Google does: a ``)]}'``
prefixed JSON reply whose ``jQ1olc`` entry carries base64 MP3 (a real 24 kHz mono MP3 made by
ffmpeg). A *script* decides per request (numbered from 1) the status, headers and delay, so
tests can inject 429 + Retry-After, 5xx, slow replies and latency. Nothing leaves the machine.
"""

from __future__ import annotations

import base64
import contextlib
import json
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOSTS = (
    "translate.google.com",
    "translate.google.co.uk",
    "translate.google.com.au",
    "translate.google.co.in",
)


@dataclass(frozen=True)
class Reply:
    """What the endpoint answers to one request: HTTP status, extra headers, delay in s."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class Request:
    """One request the endpoint received: its number (1-based), host, text and our answer."""

    number: int
    host: str
    text: str
    status: int
    at: float


Script = Callable[[int, str], Reply]


def always_ok(number: int, text: str) -> Reply:
    """The default script: every request succeeds at once."""
    return Reply()


def make_mp3(seconds: float = 0.3) -> bytes:
    """A real MP3 (24 kHz mono, 440 Hz tone) encoded by ffmpeg, like gTTS replies."""
    from newsaudio.audio.ffmpeg import find_ffmpeg

    cmd = [
        find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", f"sine=frequency=440:sample_rate=24000:duration={seconds}",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def batchexecute_text(body: bytes) -> str:
    """The text a gTTS ``f.req`` form body asks to be spoken."""
    form = urllib.parse.parse_qs(body.decode("ascii"))
    rpc = json.loads(form["f.req"][0])
    return str(json.loads(rpc[0][0][1])[0])


class _Google(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        host = self.headers.get("Host", "").split(":")[0]
        text = batchexecute_text(body)
        reply = self.server.owner.record(host, text)
        try:
            if reply.delay_s:
                time.sleep(reply.delay_s)
        finally:
            self.server.owner.done()  # before the reply leaves: the client may reuse its slot
        if reply.status == 200:
            audio = base64.b64encode(self.server.owner.mp3).decode("ascii")
            entry = ["wrb.fr", "jQ1olc", json.dumps([audio]), None, None, None, "generic"]
            line = json.dumps([entry], separators=(",", ":"))
            payload = f")]}}'\n\n{len(line)}\n{line}\n".encode()
        else:
            payload = b"error"
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client gave up (timeout)


class _Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_CONNECT(self) -> None:
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        try:
            tls = self.server.owner.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with contextlib.suppress(OSError):
            _Google(tls, self.client_address, self.server)


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: FakeGoogle


class FakeGoogle:
    """The fake endpoint; use as a context manager. See the module docstring.

    ``proxy_url`` goes into ``HTTPS_PROXY``, ``ca_pem`` into ``REQUESTS_CA_BUNDLE``.
    ``requests`` lists every request received, in arrival order.
    """

    def __init__(self, tmp: Path, script: Script = always_ok, latency_s: float = 0.0) -> None:
        import trustme

        self.script = script
        self.latency_s = latency_s
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        ca = trustme.CA()
        cert = ca.issue_cert(*HOSTS)
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(self.tls)
        self.ca_pem = tmp / "fake-google-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_pem))
        self.mp3 = make_mp3()
        self._server = _ProxyServer(("127.0.0.1", 0), _Proxy)
        self._server.owner = self
        self.port = int(self._server.server_address[1])
        self.proxy_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def record(self, host: str, text: str) -> Reply:
        """Number this request, ask the script for the reply, remember both."""
        with self._lock:
            number = len(self.requests) + 1
            reply = self.script(number, text)
            if self.latency_s:
                reply = Reply(reply.status, reply.headers, reply.delay_s + self.latency_s)
            self.requests.append(Request(number, host, text, reply.status, time.monotonic()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return reply

    def done(self) -> None:
        """One reply finished (sent or abandoned)."""
        with self._lock:
            self.in_flight -= 1

    def successes(self) -> list[Request]:
        """The requests answered with HTTP 200, in order."""
        with self._lock:
            return [r for r in self.requests if r.status == 200]

    def env(self) -> dict[str, str]:
        """Environment variables that route HTTPS through this endpoint."""
        return {
            "HTTPS_PROXY": self.proxy_url,
            "https_proxy": self.proxy_url,
            "REQUESTS_CA_BUNDLE": str(self.ca_pem),
            "NO_PROXY": "",
            "no_proxy": "",
        }

    def __enter__(self) -> FakeGoogle:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
