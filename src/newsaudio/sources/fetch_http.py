"""Fetching feeds over HTTP(S): conditional requests, bounded, polite.

* Conditional requests (RFC 9110 section 13): the stored ETag goes out as ``If-None-Match``
  and the stored Last-Modified as ``If-Modified-Since``; ``304 Not Modified`` comes back
  as a :class:`FeedResponse` with an empty body.
* Bounds as for article URLs (:class:`newsaudio.loaders.url.FetchLimits`): connect/read
  timeouts, a total deadline, a 10 MiB cap (enforced while streaming), at most 5 redirects,
  each only to http/https, loops detected.
* Redirects: when every hop is permanent (301, 308) the response names the new address
  (``moved_to``), so the stored URL is updated.
* Politeness: one request at a time per host, at least ``NEWSAUDIO_HOST_INTERVAL`` seconds
  (default 1) between two requests to the same host (:func:`polite`); ``429`` and ``503``
  raise a SourceError carrying ``Retry-After`` (seconds or an HTTP date); ``410 Gone``
  raises a SourceError with ``gone`` set.

Errors: :class:`~newsaudio.errors.SourceError` naming the URL and the problem.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsaudio import __version__
from newsaudio.errors import SourceError
from newsaudio.loaders.url import FetchLimits
from newsaudio.net import BodyTooLarge, BodyTooSlow, describe_request_error, read_capped, split_url
from newsaudio.sources.model import FeedResponse, Validators

_LOG = logging.getLogger(__name__)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
USER_AGENT = f"newsaudio/{__version__} (+feed-to-podcast)"
MAX_RETRY_AFTER_S = 24 * 3600.0
"""A Retry-After longer than a day is taken as a day."""

_PERMANENT = frozenset({301, 308})
_REDIRECT = frozenset({301, 302, 303, 307, 308})

_gate_lock = threading.Lock()
_host_locks: dict[str, threading.Lock] = {}
_host_last: dict[str, float] = {}


def host_interval_s() -> float:
    """Seconds between two requests to one host: ``NEWSAUDIO_HOST_INTERVAL``, default 1."""
    try:
        value = float(os.environ.get("NEWSAUDIO_HOST_INTERVAL", "1"))
    except ValueError:
        return 1.0
    return value if 0 <= value < 3600 else 1.0


@contextlib.contextmanager
def polite(url: str) -> Iterator[None]:
    """Hold the per-host slot of ``url``'s host: one request at a time per host, spaced by
    :func:`host_interval_s` (waits as needed)."""
    host = (urlsplit(url).hostname or "").lower()
    with _gate_lock:
        lock = _host_locks.setdefault(host, threading.Lock())
    with lock:
        wait = _host_last.get(host, -1e9) + host_interval_s() - time.monotonic()
        if wait > 0:
            _LOG.debug("waiting %.2f s before the next request to %s", wait, host)
            time.sleep(wait)
        try:
            yield
        finally:
            _host_last[host] = time.monotonic()


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), capped
    at :data:`MAX_RETRY_AFTER_S`; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _check_scheme(url: str, original: str) -> None:
    """SourceError unless ``url`` is a well-formed http(s) URL with a host."""
    try:
        parts = split_url(url)
    except ValueError as exc:
        raise SourceError(original, f"is not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(
            original, f"redirects to a {parts.scheme}: URL; only http and https are fetched"
        )
    if not parts.hostname:
        raise SourceError(original, "is not a valid URL (no host name)")


def _read_capped(response: Any, url: str, limits: FetchLimits, started: float) -> bytes:
    """The feed's body, within the size cap and the total deadline."""
    try:
        return read_capped(
            response,
            max_bytes=limits.max_bytes,
            started=started,
            total_timeout_s=limits.total_timeout_s,
        )
    except BodyTooLarge as exc:
        if exc.declared_bytes is not None:
            raise SourceError(
                url, f"is {exc.declared_bytes:,} bytes; feeds over {limits.max_bytes:,} bytes"
            ) from None
        raise SourceError(
            url, f"is larger than {limits.max_bytes:,} bytes; feeds are capped"
        ) from None
    except BodyTooSlow:
        raise SourceError(
            url, f"download not finished after {limits.total_timeout_s:g} s"
        ) from None


def fetch_http(
    url: str, validators: Validators | None = None, limits: FetchLimits | None = None
) -> FeedResponse:
    """GET ``url`` (conditionally when ``validators`` are given). Raises SourceError for a
    network failure, a timeout, an HTTP error status (with ``retry_after_s`` for 429/503,
    ``gone`` for 410), a redirect loop or a refused scheme, or a body over the cap."""
    import requests
    import urllib3

    limits = limits or FetchLimits.from_env()
    _check_scheme(url, url)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if validators is not None:
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
    started = time.monotonic()
    current, seen, permanent = url, {url}, True
    with requests.Session() as session:
        for _hop in range(limits.max_redirects + 1):
            try:
                with polite(current):
                    response = session.get(
                        current,
                        headers=headers,
                        stream=True,
                        allow_redirects=False,
                        timeout=(limits.connect_timeout_s, limits.read_timeout_s),
                    )
            except requests.exceptions.ConnectTimeout:
                raise SourceError(
                    url, f"no connection within {limits.connect_timeout_s:g} s"
                ) from None
            except requests.exceptions.ReadTimeout:
                raise SourceError(url, f"no answer within {limits.read_timeout_s:g} s") from None
            except requests.exceptions.RequestException as exc:
                reason = describe_request_error(exc, current)
                raise SourceError(url, f"cannot be fetched: {reason}") from None
            with response:
                status = response.status_code
                if status in _REDIRECT:
                    location = response.headers.get("Location")
                    if not location:
                        raise SourceError(url, f"HTTP {status} redirect without a Location")
                    target = urljoin(current, location.strip())
                    _check_scheme(target, url)
                    if target in seen:
                        raise SourceError(url, f"redirect loop (back to {target})")
                    seen.add(target)
                    permanent = permanent and status in _PERMANENT
                    current = target
                    continue
                moved = current if permanent and current != url else None
                if status == 304:
                    return FeedResponse(current, 304, validators=validators or Validators(),
                                        moved_to=moved)  # fmt: skip
                if status == 410:
                    raise SourceError(url, "HTTP 410 Gone: no longer followed", status=410,
                                      gone=True)  # fmt: skip
                if status in (429, 503):
                    wait = retry_after_s(response.headers.get("Retry-After"))
                    raise SourceError(
                        url,
                        f"HTTP {status} {response.reason or ''}".rstrip()
                        + (f" (retry after {wait:.0f} s)" if wait is not None else ""),
                        status=status,
                        retry_after_s=wait,
                    )
                if status >= 400:
                    raise SourceError(
                        url, f"HTTP {status} {response.reason or ''}".rstrip(), status=status
                    )
                if status != 200:
                    raise SourceError(url, f"unexpected HTTP status {status}", status=status)
                try:
                    body = _read_capped(response, url, limits, started)
                except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
                        OSError) as exc:  # fmt: skip
                    reason = describe_request_error(exc, current)
                    raise SourceError(url, f"download failed: {reason}") from None
                media_type = response.headers.get("Content-Type", "").split(";")[0]
                _LOG.info("fetched %s (HTTP %d, %d bytes)", current, status, len(body))
                return FeedResponse(
                    current,
                    status,
                    body,
                    media_type.strip().lower(),
                    Validators(response.headers.get("ETag"), response.headers.get("Last-Modified")),
                    moved_to=moved,
                )
    raise SourceError(url, f"more than {limits.max_redirects} redirects")
