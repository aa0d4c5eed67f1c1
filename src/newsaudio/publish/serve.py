"""A local HTTP server for a show folder, good enough to subscribe from a phone on the LAN.

An ASGI app (Starlette) run by uvicorn. It serves the files of the show folder as they
are, with what podcast apps and browsers need:

* byte ranges (RFC 9110 §14: ``Range: bytes=1000-1999`` answers 206 with exactly those
  bytes and ``Content-Range``; unsatisfiable ranges answer 416), ``HEAD``, ``ETag`` and
  ``Last-Modified`` (Starlette's FileResponse);
* MIME types podcast apps expect (:data:`MIME_TYPES`): ``audio/mpeg``,
  ``application/rss+xml``, ``text/vtt``, ``application/x-subrip``,
  ``application/json+chapters`` (Podcasting 2.0 chapters), ``image/jpeg``;
* CORS (``Access-Control-Allow-Origin: *``) on transcripts, chapters and the feed, so web
  players on other origins can read them;
* safety: only regular files inside the folder; no path traversal (``..``), no dot-files or
  dot-folders (so never the show's state ``.newsaudio/`` nor temporary ``.*.tmp`` files), no
  symlink that leads outside the folder or into a dot-folder, no directory listings (``/``
  serves ``index.html``). Everything refused answers 404, giving nothing away;
* a private show (``token``) is served only under ``/<token>/``: every other path is 404.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute

_LOG = logging.getLogger(__name__)

MIME_TYPES: dict[str, str] = {
    ".chapters.json": "application/json+chapters",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".opml": "text/x-opml",
}
"""File-name ending -> Content-Type (longest ending wins; ``.xml`` files are feeds here)."""

CORS_SUFFIXES = (".vtt", ".srt", ".chapters.json", ".txt", ".xml")
"""File endings served with ``Access-Control-Allow-Origin: *``."""


def mime_type(name: str) -> str:
    """The Content-Type for file ``name`` (``application/octet-stream`` if unknown)."""
    lower = name.lower()
    for suffix in sorted(MIME_TYPES, key=len, reverse=True):
        if lower.endswith(suffix):
            return MIME_TYPES[suffix]
    return "application/octet-stream"


def resolve(root: Path, url_path: str) -> Path | None:
    """The file that decoded request path ``url_path`` names inside ``root``, or None when it
    must not be served: traversal, a dot-file or dot-folder on the way, a backslash or NUL,
    a symlink leading outside ``root`` or into a dot-folder, or anything but a regular file.
    ``/`` and folders map to their ``index.html`` (never to a listing)."""
    if "\\" in url_path or "\x00" in url_path:
        return None
    parts = url_path.split("/")
    if any(p in (".", "..") or p.startswith(".") for p in parts if p):
        return None
    real_root = root.resolve()
    candidate = real_root.joinpath(*[p for p in parts if p])
    try:
        real = candidate.resolve(strict=True)
        if real.is_dir():
            real = (real / "index.html").resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(real_root):
        return None
    if any(p.startswith(".") for p in PurePosixPath(real.relative_to(real_root).as_posix()).parts):
        return None
    return real if real.is_file() else None


def create_app(
    root: Path,
    token: str | None = None,
    routes: Sequence[BaseRoute] = (),
    health: Callable[[], dict[str, Any]] | None = None,
) -> Starlette:
    """The ASGI app serving the show folder ``root`` (see the module docstring), under
    ``/<token>/`` only when ``token`` is given. ``routes`` come first (the inbox's);
    ``GET /healthz`` answers ``health()`` as JSON (no secrets; default ``{"status": "ok"}``)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    async def healthz(request: Request) -> Response:
        body = await run_in_threadpool(health) if health is not None else {"status": "ok"}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def serve_file(request: Request) -> Response:
        url_path = request.path_params.get("path", "")
        if token is not None:
            head, _, url_path = url_path.partition("/")
            if head != token:
                return PlainTextResponse("Not Found", status_code=404)
        path = resolve(root, url_path)
        if path is None:
            return PlainTextResponse("Not Found", status_code=404)
        headers = {"Cache-Control": "no-cache"}
        if path.name.lower().endswith(CORS_SUFFIXES):
            headers["Access-Control-Allow-Origin"] = "*"
            headers["Access-Control-Expose-Headers"] = "Content-Length, Content-Range"
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Range"
            return Response(status_code=204, headers=headers)
        return FileResponse(path, media_type=mime_type(path.name), headers=headers)

    methods = ["GET", "HEAD", "OPTIONS"]
    return Starlette(
        routes=[
            *routes,
            Route("/healthz", healthz, methods=["GET", "HEAD"]),
            Route("/", serve_file, methods=methods),
            Route("/{path:path}", serve_file, methods=methods),
        ]
    )


def lan_address() -> str:
    """This machine's address on the local network (the interface of the default route),
    or ``127.0.0.1`` if there is none. Sends no packet: a UDP connect only picks a route."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never routed, never sent to
            address: str = s.getsockname()[0]
            return address
        except OSError:
            return "127.0.0.1"


def public_base_url(host: str, port: int) -> str:
    """The base URL other devices use to reach a server bound to ``host``:``port``
    (the LAN address for ``0.0.0.0``/``::``)."""
    if host in ("0.0.0.0", "::", ""):
        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def run(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    *,
    routes: Sequence[BaseRoute] = (),
    health: Callable[[], dict[str, Any]] | None = None,
    on_stop: Callable[[], None] | None = None,
) -> None:
    """Serve ``root`` on ``host``:``port`` (under ``/<token>/`` if given; ``routes`` and
    ``health`` as :func:`create_app` takes them) until SIGTERM or SIGINT (blocking; uvicorn).

    With ``on_stop``: the first signal calls ``on_stop()`` in a thread while the server
    keeps answering (the inbox answers 503 by then), and the server stops once it returns;
    the signal is not raised again afterwards, so the caller exits normally (0). A second
    SIGINT stops at once."""
    import threading
    from types import FrameType

    import uvicorn

    from newsaudio.publish.access_log import AccessLog

    app = AccessLog(create_app(root, token, routes, health))  # a line per request (newsaudio.serve)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    if on_stop is None:
        uvicorn.Server(config).run()
        return
    stop = on_stop

    class _Server(uvicorn.Server):
        draining = False

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if self.draining:
                self.should_exit = self.force_exit = True
                return
            self.draining = True

            def drain() -> None:
                try:
                    stop()
                finally:
                    self.should_exit = True

            threading.Thread(target=drain, name="newsaudio-stop", daemon=True).start()

    _Server(config).run()
