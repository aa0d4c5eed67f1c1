"""The inbox's HTTP side: ``/api/inbox`` (token-protected JSON) and the ``/inbox`` page.

Routes (Starlette; mounted by ``serve --inbox`` before the show's files):

* ``POST /api/inbox`` with ``Authorization: Bearer TOKEN`` and a JSON body ``{"url", "title",
  "text"}`` or a form body (``application/x-www-form-urlencoded`` or ``multipart/form-data``)
  with the same fields: the first http(s) link in ``url``, then ``text``, then ``title`` is
  queued. **202** ``{"id", "status": "queued", "position"}`` for a new item; **200** with
  the existing item's id and status when the same canonical link is queued, rendering or
  already in the show.
* ``GET /api/inbox`` ``{"items": [...]}`` (newest first) and ``GET /api/inbox/ID``.
* ``GET /inbox`` (no token: the page keeps it in localStorage from the pairing URL's
  fragment), ``/inbox/inbox.js``, ``/inbox/manifest.webmanifest`` (``share_target``, GET).

Refusals answer ``{"error": "one line"}`` and queue nothing: 401 (no or wrong token), 400
(a token in the query string; no http(s) link; not http(s); over 2,048 characters; a host
in a private network unless ``allow_private``), 413 (a body over 64 KiB), 429 with
``Retry-After`` (over 30 requests a minute for one token), 503 (stopping, or the state
folder cannot record the link). Answers under ``/api/`` carry ``Cache-Control: no-store``,
no cookie and no CORS header; the page a strict Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from newsaudio.inbox.guard import (
    MAX_BODY_BYTES,
    RateLimiter,
    Refused,
    check_body_size,
    check_query,
    check_url,
    pick_url,
)
from newsaudio.inbox.queue import InboxQueue
from newsaudio.inbox.tokens import TokenStore, bearer_token

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    "manifest-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
)
PAGE_FILES = {
    "inbox.html": "text/html; charset=utf-8",
    "inbox.js": "text/javascript; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json",
    "icon-192.png": "image/png",
    "icon-512.png": "image/png",
}


ICONS = {"icon-192.png": 192, "icon-512.png": 512}
"""The web app manifest's icons (PNG, drawn like the show's generated cover)."""


@functools.lru_cache(maxsize=8)
def page_file(name: str) -> bytes:
    """A file of the inbox page (package data ``newsaudio/inbox/page/``), or one of the
    :data:`ICONS` drawn as PNG."""
    if name in ICONS:
        import io

        from PIL import Image

        from newsaudio.cover import draw_cover

        out = io.BytesIO()
        Image.open(io.BytesIO(draw_cover("Inbox", ICONS[name]))).save(out, "PNG")
        return out.getvalue()
    return resources.files("newsaudio.inbox").joinpath("page").joinpath(name).read_bytes()


def inbox_routes(
    queue: InboxQueue,
    tokens: TokenStore,
    *,
    allow_private: bool = False,
    stopping: Callable[[], bool] = lambda: False,
    submitted: Callable[[], None] = lambda: None,
    limiter: RateLimiter | None = None,
) -> list[BaseRoute]:
    """The inbox's routes (module docstring). ``stopping()`` True makes POST answer 503;
    ``submitted()`` is called after a link is queued (wakes the worker)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    rate = limiter or RateLimiter()
    api_headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}

    def error(status: int, message: str, **headers: str) -> JSONResponse:
        return JSONResponse({"error": message}, status, headers={**api_headers, **headers})

    async def authorize(request: Request) -> tuple[str | None, Response | None]:
        try:
            check_query(request.url.query)
        except Refused as exc:
            return None, error(400, str(exc))
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return None, error(401, "no token: send the header 'Authorization: Bearer TOKEN'")
        device = await run_in_threadpool(tokens.check, token)
        if device is None:
            return None, error(401, "wrong or revoked token")
        return device, None

    async def read_body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit():
            check_body_size(int(length))
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            check_body_size(len(body))
        return bytes(body)

    def fields_of(body: bytes, content_type: str) -> dict[str, str | None]:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind in ("application/json", "") or kind.endswith("+json"):
            try:
                data = json.loads(body.decode("utf-8") or "{}")
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise Refused("the body is not valid JSON") from None
            if not isinstance(data, dict):
                raise Refused('the JSON body must be an object like {"url": "https://..."}')
        elif kind == "application/x-www-form-urlencoded" or kind == "text/plain":
            from urllib.parse import parse_qsl

            text = body.decode("utf-8", "replace")
            if kind == "text/plain":
                data = {"text": text}
            else:
                data = dict(parse_qsl(text, keep_blank_values=True))
        else:
            raise Refused(f"unsupported Content-Type {kind}; send JSON or a form", status=415)
        out: dict[str, str | None] = {}
        for key in ("url", "text", "title"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise Refused(f"{key}: expected a string")
            out[key] = value
        return out

    def accept(
        token: str, parsed: dict[str, str | None] | Refused
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Everything after the body is read, in one worker thread (one hop per request):
        the token, the rate, the link rules, the queue. (status, JSON body, headers)."""
        device = tokens.check(token)
        if device is None:
            return 401, {"error": "wrong or revoked token"}, {}
        wait = rate.hit(device)
        if wait is not None:
            return (
                429,
                {"error": f"over {rate.limit} requests a minute"},
                {"Retry-After": str(wait)},
            )
        try:
            if isinstance(parsed, Refused):
                raise parsed
            url = pick_url(parsed["url"], parsed["text"], parsed["title"])
            url = check_url(url, allow_private=allow_private)
        except Refused as exc:
            return exc.status, {"error": str(exc)}, {}
        title = (parsed.get("title") or "").strip()[:300] or None
        try:
            got = queue.submit(url, title, device)
        except Exception as exc:  # sqlite3.Error, OSError: read-only or full state folder
            from newsaudio.errors import plain_reason

            reason = f"cannot record the link ({plain_reason(exc)}); nothing queued"
            return 503, {"error": reason}, {}
        if got.created:
            submitted()
        body = {"id": got.id, "status": got.status, "position": got.position}
        return (202 if got.created else 200), body, {}

    async def submit(request: Request) -> Response:
        if stopping():
            return error(
                503, "the server is stopping; try again in a minute", **{"Retry-After": "60"}
            )
        try:
            check_query(request.url.query)
        except Refused as exc:
            return error(400, str(exc))
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return error(401, "no token: send the header 'Authorization: Bearer TOKEN'")
        content_type = request.headers.get("content-type", "")
        parsed: dict[str, str | None] | Refused
        try:
            body = await read_body(request)
            if content_type.lower().startswith("multipart/form-data"):
                form = await _multipart(request, body)
                parsed = {k: form.get(k) for k in ("url", "text", "title")}
            else:
                parsed = fields_of(body, content_type)
        except Refused as exc:
            if exc.status == 413:
                return error(413, str(exc))
            parsed = exc  # reported after the token is checked (401 first)
        status, answer, headers = await run_in_threadpool(accept, token, parsed)
        return JSONResponse(answer, status, headers={**api_headers, **headers})

    async def listing(request: Request) -> Response:
        _, refusal = await authorize(request)
        if refusal is not None:
            return refusal
        items = await run_in_threadpool(queue.items)
        return JSONResponse({"items": [i.to_json() for i in items]}, headers=api_headers)

    async def one(request: Request) -> Response:
        _, refusal = await authorize(request)
        if refusal is not None:
            return refusal
        item = await run_in_threadpool(queue.item, request.path_params["item_id"])
        if item is None:
            return error(404, "no such inbox item")
        return JSONResponse(item.to_json(), headers=api_headers)

    async def page(request: Request) -> Response:
        name = request.path_params.get("name", "inbox.html")
        if name not in PAGE_FILES:
            return Response("Not Found", 404, media_type="text/plain")
        headers = {
            "Content-Security-Policy": PAGE_CSP,
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-cache",
        }
        data = await asyncio.to_thread(page_file, name)
        return Response(data, media_type=PAGE_FILES[name], headers=headers)

    return [
        Route("/api/inbox", submit, methods=["POST"]),
        Route("/api/inbox", listing, methods=["GET"]),
        Route("/api/inbox/{item_id}", one, methods=["GET"]),
        Route("/inbox", page, methods=["GET", "HEAD"]),
        Route("/inbox/{name}", page, methods=["GET", "HEAD"]),
    ]


async def _multipart(request: Any, body: bytes) -> dict[str, str]:
    """The text fields of a ``multipart/form-data`` body already read (RFC 7578; parsed with
    the standard library's MIME parser)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = b"Content-Type: " + request.headers["content-type"].encode("latin-1") + b"\r\n\r\n"
    try:
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if isinstance(name, str) and part.get_filename() is None:
                fields[name] = str(part.get_content())
    except Exception:
        raise Refused("the form body cannot be read") from None
    return fields


__all__ = ["MAX_BODY_BYTES", "inbox_routes", "page_file"]
