"""``newsaudio serve --inbox`` as a real process on 127.0.0.1, and a local article site.

:class:`ArticleSite` serves short article pages at ``/a/N.html`` (any N) and, at
``/slow/N.html``, the same after ``slow_s`` seconds (a render that takes a while, for the
stop and kill tests). :func:`start_serve` starts ``newsaudio serve`` in a show folder with
the fake voice and waits for ``/healthz``; :class:`Served` holds the process and its logs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.support.serving import free_port
from tests.support.voice import write_fake_voice

PARAGRAPHS = (
    "The harbour library reopened on Monday after a refit, with a new reading room.",
    "Entry remains free for everyone, and the trust hopes to double visitor numbers.",
)


def article(n: str) -> bytes:
    """A short article page, its headline numbered ``n``."""
    title = f"Harbour story number {n}"
    body = "".join(f"<p>{p} Story {n}.</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


@dataclass
class ArticleSite:
    """State of the site; ``url(path)`` its absolute URL, ``fetched`` the paths asked."""

    port: int = 0
    slow_s: float = 3.0
    fetched: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def article_site() -> Iterator[ArticleSite]:
    """Serve :func:`article` pages on a free port of 127.0.0.1 during the block."""
    state = ArticleSite()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            state.fetched.append(self.path)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path.startswith("/slow/"):
                time.sleep(state.slow_s)
            if not path.endswith(".html"):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = article(path.rsplit("/", 1)[-1].removesuffix(".html"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def make_show(folder: Path, extra_toml: str = "") -> Path:
    """A show folder settings file with the fake voice (``folder/newsaudio.toml``)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_fake_voice(folder)
    (folder / "newsaudio.toml").write_text(
        f'voice = "fake"\nout_dir = "out"\njingles = false\n{extra_toml}', encoding="utf-8"
    )
    return folder


def env_for(folder: Path) -> dict[str, str]:
    """The environment of a serve process in ``folder`` (private cache and data folders)."""
    return {
        **os.environ,
        "NEWSAUDIO_CACHE_DIR": str(folder / "cache"),
        "NEWSAUDIO_DATA_DIR": str(folder / "data"),
        "NEWSAUDIO_HOST_INTERVAL": "0",
        "NEWSAUDIO_INBOX_RETRY_S": "0.2",
        "PYTHONUNBUFFERED": "1",
    }


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``newsaudio ARGS`` run in ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "newsaudio", *args],
        cwd=folder,
        env=env_for(folder),
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_token(folder: Path, name: str) -> str:
    """A new inbox token for device ``name`` (``inbox token add NAME --json``)."""
    done = cli(folder, "inbox", "token", "add", name, "--json")
    assert done.returncode == 0, done.stderr
    token: str = json.loads(done.stdout)["token"]
    return token


@dataclass
class Served:
    """A running ``serve`` process: ``base`` URL, the process, its stdout/stderr files."""

    base: str
    process: subprocess.Popen[bytes]
    out: Path
    err: Path

    def logs(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout_s)


def start_serve(folder: Path, *args: str, wait_s: float = 30) -> Served:
    """``newsaudio serve --port P ARGS`` in ``folder``, once ``/healthz`` answers."""
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out, err = folder / f"serve-{port}.out", folder / f"serve-{port}.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsaudio", "serve", "--port", str(port),
         "--base-url", base, *args],
        cwd=folder, env=env_for(folder), stdout=out.open("wb"), stderr=err.open("wb"),
    )  # fmt: skip
    served = Served(base, process, out, err)
    deadline = time.monotonic() + wait_s
    while True:
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}: {served.logs()[-2000:]}")
        try:
            if httpx.get(base + "healthz", timeout=2).status_code == 200:
                return served
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, served.logs()[-2000:]
        time.sleep(0.1)


def wait_item(
    base: str, token: str, item_id: str, statuses: set[str], timeout_s: float = 60
) -> Any:
    """The inbox item once its status is one of ``statuses``."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while True:
        got = httpx.get(
            f"{base}api/inbox/{item_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()
        if got["status"] in statuses:
            return got
        assert time.monotonic() < deadline, got
        time.sleep(0.1)
