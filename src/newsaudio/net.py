"""Network failures in plain words, for every module that makes HTTP requests.

:func:`describe_request_error` turns what ``requests`` (and urllib3 under it) raises into a
short phrase that names the server as ``HOST:PORT`` and says what went wrong, in the words a
user would use: "connection refused by example.org:443", "cannot find the server
example.org (DNS lookup failed)", "no answer from example.org:443 within 10 s", "TLS error
with example.org:443 (certificate verify failed: ...)". Callers put it in their own
error (InputError for an article URL, SynthesisError for an engine, a report line for
``feed check``); nothing here raises or prints.

:func:`read_capped` reads a streamed response body within a size cap and a deadline, for
both fetchers (article pages, feeds); it raises :class:`BodyTooLarge` or
:class:`BodyTooSlow`, which each caller turns into its own error.
"""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any
from urllib.parse import SplitResult, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> str:
    """``HOST:PORT`` of ``url`` (the scheme's default port when none is given), e.g.
    ``example.org:443``; IPv6 hosts in brackets. ``url`` itself if it has no host."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number
        return url
    host = parts.hostname
    if not host:
        return url
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it wraps: causes, contexts, ``reason`` attributes (urllib3's
    MaxRetryError) and exception arguments (requests wraps urllib3's errors there)."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(seen) < 32:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([getattr(item, "reason", None), item.__cause__, item.__context__])
        todo.extend(item.args)
    return seen


def _names(chain: list[BaseException]) -> set[str]:
    return {cls.__name__ for e in chain for cls in type(e).__mro__}


def _first(chain: list[BaseException], kind: type[BaseException]) -> BaseException | None:
    return next((e for e in chain if isinstance(e, kind)), None)


def describe_request_error(exc: BaseException, url: str, *, timeout_s: float | None = None) -> str:
    """A plain-words phrase for why a request to ``url`` failed.

    ``exc`` is what requests/urllib3 (or botocore, paramiko) raised; any exception is
    accepted, and the phrase never names an exception class. ``timeout_s`` is the timeout
    that ran out, if known (seconds).
    Covers: connection refused, DNS lookup failure, connect and read timeouts, TLS errors,
    connection reset or closed, proxy errors, too many redirects, a transfer broken off, a
    malformed URL; anything else is "the request to HOST:PORT failed" with the error's own
    words when it has some.
    """
    where = host_port(url)
    host = where.rsplit(":", 1)[0] if where != url else url
    chain = _chain(exc)
    names = _names(chain)
    within = f" within {timeout_s:g} s" if timeout_s is not None else ""
    if "ProxyError" in names:
        return f"the proxy refused or failed the connection to {where}"
    if _first(chain, ssl.SSLError) is not None or "SSLError" in names:
        tls = _first(chain, ssl.SSLError)
        detail = getattr(tls, "reason", None) or getattr(tls, "verify_message", None)
        detail = detail or (str(tls) if tls is not None else "")
        detail = " ".join(str(detail).replace("_", " ").split())
        return f"TLS error with {where}" + (f" ({detail})" if detail else "")
    if _first(chain, ConnectionRefusedError) is not None:
        return f"connection refused by {where} (nothing is listening there)"
    if _first(chain, socket.gaierror) is not None or "NameResolutionError" in names:
        return f"cannot find the server {host} (DNS lookup failed)"
    if _first(chain, ConnectionResetError) is not None:
        return f"connection reset by {where}"
    # (urllib3's NewConnectionError is a ConnectTimeoutError subclass: causes come first)
    if "ConnectTimeout" in names or "ConnectTimeoutError" in names:
        return f"could not connect to {where}{within} (timed out)"
    if "ReadTimeout" in names or "ReadTimeoutError" in names or "Timeout" in names:
        return f"no answer from {where}{within} (timed out)"
    if "RemoteDisconnected" in names or "ProtocolError" in names:
        return f"{where} closed the connection without an answer"
    if _first(chain, TimeoutError) is not None:
        return f"no answer from {where}{within} (timed out)"
    if "TooManyRedirects" in names:
        return f"too many redirects from {where}"
    if "ChunkedEncodingError" in names or "IncompleteRead" in names or isinstance(exc, EOFError):
        return f"the connection to {where} broke off during the transfer"
    if {"InvalidURL", "MissingSchema", "InvalidSchema", "LocationParseError"} & names:
        return f"{url} is not a valid URL"
    unreachable = _first(chain, OSError)
    strerror = getattr(unreachable, "strerror", None)
    if strerror:
        return f"cannot connect to {where} ({str(strerror).lower()})"
    words = _plain_words(exc)
    return f"the request to {where} failed" + (f" ({words})" if words else "")


def _plain_words(exc: BaseException) -> str:
    """``exc``'s own message when it is a short plain sentence, else "" (a message that
    carries a class name or an object's repr says nothing to a user)."""
    text = " ".join(str(exc).split())
    if not text or len(text) > 160 or "Error(" in text or "<" in text or "object at" in text:
        return ""
    return text


class BodyTooLarge(Exception):
    """A response body over the cap. ``declared_bytes`` is the ``Content-Length`` that
    announced it (nothing was read), or None when the cap was passed while reading."""

    def __init__(self, declared_bytes: int | None) -> None:
        super().__init__(declared_bytes)
        self.declared_bytes = declared_bytes


class BodyTooSlow(Exception):
    """A response body not read in full before the deadline."""


READ_BLOCK_BYTES = 65536


def read_capped(response: Any, *, max_bytes: int, started: float, total_timeout_s: float) -> bytes:
    """The body of a streamed ``requests`` response (``stream=True``), decoded from its
    ``Content-Encoding``, read in blocks of at most :data:`READ_BLOCK_BYTES`.

    A ``Content-Length`` over ``max_bytes`` is refused before reading, and the cap is kept
    while reading (a server may not say, or lie). ``started`` is the ``time.monotonic()``
    when the request began; the body must be read within ``total_timeout_s`` seconds of it.
    Raises BodyTooLarge or BodyTooSlow; what the connection raises (requests, urllib3,
    OSError) passes through.
    """
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > max_bytes:
        raise BodyTooLarge(int(length))
    raw = response.raw
    raw.decode_content = True
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() - started > total_timeout_s:
            raise BodyTooSlow()
        chunk = raw.read1(READ_BLOCK_BYTES) if hasattr(raw, "read1") else raw.read(READ_BLOCK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(None)
        chunks.append(chunk)


def split_url(url: str) -> SplitResult:
    """``urllib.parse.urlsplit(url)`` with its port checked, so a malformed URL (an unclosed
    IPv6 bracket, a port out of range 0-65535) raises ValueError here, with urllib's reason,
    instead of later where a property is read."""
    parts = urlsplit(url)
    parts.port  # noqa: B018  (the property raises ValueError for a port out of range)
    return parts
