"""Web pages: fetch an ``http://``/``https://`` URL safely, then parse it as HTML.

Fetching (requests, streaming) is bounded in every direction (:class:`FetchLimits`):

* connect and read timeouts, plus a total deadline for the body (60 s, or
  ``NEWSAUDIO_FETCH_TIMEOUT`` seconds), so a server that drips bytes cannot hold a run forever;
* a size cap (10 MiB by default): a larger ``Content-Length`` is refused before reading,
  and the cap is enforced while streaming when the server does not say or lies;
* at most 5 redirects, each only to ``http``/``https`` (never ``file:``, ``ftp:``,
  ``data:``...), loops detected;
* content type: HTML (``text/html``, ``application/xhtml+xml``) is parsed by
  :func:`newsaudio.loaders.html.parse_html`; ``text/markdown`` and ``text/plain`` by those
  loaders; anything else (PDF, images, audio, JSON...) is refused.

The final URL (after redirects) is the article's ``source_key`` and, unless the page names
a canonical URL, its ``source_url``. Every failure is an InputError naming the URL: HTTP
status, timeout, too large, redirect loop, refused scheme, not a web page; network failures
in plain words naming ``HOST:PORT`` (:func:`newsaudio.net.describe_request_error`).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

from newsaudio import __version__
from newsaudio.errors import ConfigError, InputError, SourceError
from newsaudio.loaders.decode import decode_text
from newsaudio.loaders.html import HtmlLoader, parse_html
from newsaudio.loaders.registry import choose_loader, get_loader
from newsaudio.models import Article
from newsaudio.net import BodyTooLarge, BodyTooSlow, describe_request_error, read_capped, split_url

_LOGGER = logging.getLogger(__name__)

URL_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
"""Anything that starts like ``scheme://`` is treated as a URL, never as a file path."""

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = {"text/markdown": "markdown", "text/x-markdown": "markdown", "text/plain": "text"}
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class FetchLimits:
    """Bounds of one fetch: seconds, bytes and redirect hops."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchLimits:
        """The default limits, with the total deadline (seconds) taken from
        ``NEWSAUDIO_FETCH_TIMEOUT`` when set (connect and read timeouts never exceed it).

        Raises ConfigError if the variable is not a positive number.
        """
        value = (os.environ if env is None else env).get("NEWSAUDIO_FETCH_TIMEOUT", "").strip()
        if not value:
            return cls()
        try:
            total = float(value)
        except ValueError:
            total = -1.0
        if not 0 < total < float("inf"):
            raise ConfigError(f"NEWSAUDIO_FETCH_TIMEOUT={value}: not a positive number of seconds")
        base = cls()
        return cls(
            connect_timeout_s=min(base.connect_timeout_s, total),
            read_timeout_s=min(base.read_timeout_s, total),
            total_timeout_s=total,
        )


@dataclass(frozen=True)
class Fetched:
    """A fetched page: final URL, media type (lower case, no parameters), charset, body."""

    url: str
    media_type: str
    charset: str | None
    body: bytes


def is_url(source: str) -> bool:
    """True if ``source`` looks like ``scheme://...`` (any scheme)."""
    return bool(URL_PATTERN.match(source))


def _check_scheme(url: str, original: str, *, redirected: bool) -> None:
    """InputError unless ``url`` is a well-formed http(s) URL with a host (a malformed one,
    such as an unclosed IPv6 bracket or a port out of range, is named, never a crash)."""
    try:
        parts = split_url(url)
    except ValueError as exc:
        raise InputError(original, f"is not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        what = f"redirects to a {parts.scheme}: URL" if redirected else "is not an http(s) URL"
        raise InputError(original, f"{what}; only http and https are fetched")
    if not parts.hostname:
        raise InputError(original, "is not a valid URL (no host name)")


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


def _read_body(response: Any, original: str, limits: FetchLimits, started: float) -> bytes:
    """The response body, within the size cap and the total deadline."""
    try:
        return read_capped(
            response,
            max_bytes=limits.max_bytes,
            started=started,
            total_timeout_s=limits.total_timeout_s,
        )
    except BodyTooLarge as exc:
        if exc.declared_bytes is not None:
            raise InputError(
                original,
                f"is {_mib(exc.declared_bytes)}; "
                f"pages larger than {_mib(limits.max_bytes)} are refused",
            ) from None
        raise InputError(
            original, f"is larger than {_mib(limits.max_bytes)}; such pages are refused"
        ) from None
    except BodyTooSlow:
        raise InputError(
            original, f"download too slow: not finished after {limits.total_timeout_s:g} s"
        ) from None


def fetch(
    url: str, limits: FetchLimits | None = None, media_types: frozenset[str] | None = None
) -> Fetched:
    """Fetch ``url`` within ``limits`` (see module docstring). ``media_types``: the media
    types accepted (default: web pages and text). Raises InputError."""
    import requests
    import urllib3

    limits = limits or FetchLimits.from_env()
    _check_scheme(url, url, redirected=False)
    started = time.monotonic()
    seen = {url}
    current = url
    headers = {
        "User-Agent": f"newsaudio/{__version__} (+article-to-podcast)",
        "Accept": ",".join(sorted(media_types))
        if media_types
        else "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8",
    }
    with requests.Session() as session:
        for _hop in range(limits.max_redirects + 1):
            try:
                response = session.get(
                    current,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(limits.connect_timeout_s, limits.read_timeout_s),
                )
            except requests.exceptions.InvalidURL as exc:
                raise InputError(url, f"is not a valid URL ({exc})") from None
            except requests.exceptions.RequestException as exc:
                timeout_s = (
                    limits.connect_timeout_s
                    if isinstance(exc, requests.exceptions.ConnectTimeout)
                    else limits.read_timeout_s
                )
                reason = describe_request_error(exc, current, timeout_s=timeout_s)
                raise InputError(url, f"cannot be fetched: {reason}") from exc
            with response:
                if response.status_code in _REDIRECT_CODES:
                    location = response.headers.get("Location")
                    if not location:
                        raise InputError(
                            url, f"HTTP {response.status_code} redirect without a Location"
                        )
                    target = urljoin(current, location.strip())
                    _check_scheme(target, url, redirected=True)
                    if target in seen:
                        raise InputError(url, f"redirect loop (back to {target})")
                    seen.add(target)
                    current = target
                    continue
                if response.status_code >= 400:  # the status kept: a 404 or 410 is final
                    raise SourceError(
                        url,
                        f"HTTP {response.status_code} {response.reason or ''}".rstrip(),
                        status=response.status_code,
                    )
                if response.status_code != 200:
                    raise InputError(url, f"unexpected HTTP status {response.status_code}")
                content_type = response.headers.get("Content-Type", "")
                media_type = content_type.split(";")[0].strip().lower()
                if media_types is not None:
                    if media_type not in media_types:
                        raise InputError(url, f"is {media_type or 'untyped'}, not an image")
                elif media_type and media_type not in HTML_TYPES and media_type not in TEXT_TYPES:
                    raise InputError(url, f"is {media_type}, not a web page (HTML) or text")
                charset_m = re.search(r"charset\s*=\s*\"?([^\s;\"]+)", content_type, re.I)
                try:
                    body = _read_body(response, url, limits, started)
                except urllib3.exceptions.ReadTimeoutError:
                    raise InputError(
                        url, f"the server stopped sending for {limits.read_timeout_s:g} s"
                    ) from None
                except (
                    requests.exceptions.RequestException,
                    urllib3.exceptions.HTTPError,
                    OSError,
                ) as exc:
                    reason = describe_request_error(exc, current)
                    raise InputError(url, f"download failed: {reason}") from exc
                _LOGGER.info("fetched %s (%d bytes, %s)", current, len(body), media_type)
                return Fetched(current, media_type, charset_m.group(1) if charset_m else None, body)
    raise InputError(url, f"more than {limits.max_redirects} redirects")


IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def fetch_image(url: str) -> bytes:
    """The bytes of the image at ``url`` (JPEG, PNG, GIF or WebP; at most 5 MiB, the usual
    timeouts). Raises InputError."""
    limits = replace(FetchLimits.from_env(), max_bytes=5 * 1024 * 1024)
    return fetch(url, limits, IMAGE_TYPES).body


def _decode(page: Fetched, source: str) -> str:
    """Text of ``page``: declared charset, else ``<meta charset>``, else UTF-8 (cp1252 if not)."""
    charset = page.charset
    if not charset:
        m = _META_CHARSET.search(page.body[:4096])
        charset = m.group(1).decode("ascii") if m else None
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return page.body.decode(charset, errors="replace")
        except LookupError:
            _LOGGER.warning("%s: unknown charset %r; trying UTF-8", source, charset)
    try:
        return decode_text(page.body, source)
    except InputError as exc:
        if "UTF-8" not in exc.problem:
            raise
        return page.body.decode("cp1252", errors="replace")


def load_url(url: str, limits: FetchLimits | None = None) -> Article:
    """Fetch ``url`` and parse it into an Article (not yet cleaned). Raises InputError."""
    page = fetch(url, limits)
    text = _decode(page, url)
    if page.media_type in TEXT_TYPES:
        loader = get_loader(TEXT_TYPES[page.media_type])
        if page.media_type == "text/plain":
            loader = choose_loader("-", text)
    elif page.media_type in HTML_TYPES or HtmlLoader().sniff(text):
        return parse_html(text, source=url, source_key=page.url, url=page.url)
    else:
        loader = choose_loader("-", text)
    article = loader.load(text, source=url, source_key=page.url)
    return replace(article, source_url=article.source_url or page.url)
