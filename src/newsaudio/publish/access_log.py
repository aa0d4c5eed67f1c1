"""One log line per request ``serve`` answers, so a phone that fails to play can be debugged.

:class:`AccessLog` is plain ASGI middleware (no Starlette import): it sees the request line
and the response messages going out, and logs on the ``newsaudio.serve`` logger at INFO::

    192.168.1.23 GET /episodes/harbour.mp3 range=bytes=0-1 206 2 bytes

client address, method, path (with query), the ``Range`` header (``-`` if none), status and
the body bytes actually sent (0 for ``HEAD``; fewer than promised if the client hung up,
then ``(aborted)`` follows). The ``serve`` command shows these lines on stderr.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

LOGGER = logging.getLogger("newsaudio.serve")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


PRIVATE_QUERY_PREFIXES = ("/api/", "/inbox")
"""Paths logged without their query string: a shared link (``/inbox?url=...``) is private
reading, and a token wrongly put in a query (refused) is a secret."""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class AccessLog:
    """Wrap the ASGI ``app``; log every HTTP request it answers (see the module docstring)."""

    def __init__(self, app: ASGIApp, logger: logging.Logger = LOGGER) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        status = 0
        sent = 0

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        aborted = True
        try:
            await self.app(scope, receive, counting_send)
            aborted = False
        finally:
            client = scope.get("client") or ("-", 0)
            query = scope.get("query_string", b"").decode("latin-1")
            path = scope.get("path", "")
            if query and not path.startswith(PRIVATE_QUERY_PREFIXES):
                path += f"?{query}"
            self.logger.info(
                "%s %s %s range=%s %s %d bytes%s",
                client[0],
                scope.get("method", "-"),
                path,
                _header(scope, b"range") or "-",
                status or "-",
                sent,
                " (aborted)" if aborted else "",
            )
