"""HTTP for service kinds: one JSON client with timeouts, a size cap, errors as one line,
and a bounded wait on ``429 Too Many Requests``.

* 401 and 403 are "authentication failed" (:attr:`KindError.auth`).
* 429 and 503: when ``Retry-After`` (seconds or an HTTP date, RFC 9110 section 10.2.3)
  is at most ``max_wait_s`` the request is sent again once after that wait (Readwise's
  list endpoint allows 20 requests a minute); otherwise KindError with ``retry_after_s``.
* A host that does not answer is "cannot reach host:port (reason)".
* Bodies over ``max_bytes`` (10 MiB) are refused while reading.

Credentials travel only in headers or form bodies, never in a URL, so no error line or log
line can carry them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from newsaudio.sources.services.base import KindError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_S = (10.0, 30.0)
MAX_WAIT_S = 65.0


def retry_after_s(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` value (delta-seconds or HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def host_port(url: str) -> str:
    """``host:port`` of ``url`` (default port filled in)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


class HttpClient:
    """A ``requests`` session for one source. ``source`` names it in error lines."""

    def __init__(
        self,
        source: str,
        *,
        max_wait_s: float = MAX_WAIT_S,
        session: requests.Session | None = None,
        verify: bool | str = True,
    ) -> None:
        self.source = source
        self.max_wait_s = max_wait_s
        self.session = session or requests.Session()
        self.session.verify = verify
        self.session.headers["User-Agent"] = "newsaudio (+feed-to-podcast)"

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        data: Any = None,
        json_body: Any = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> requests.Response:
        """Send one request (again once after a short 429/503 wait). Returns the response
        with its body read (capped). Raises KindError for any other status."""
        for attempt in (1, 2):
            try:
                response = self.session.request(
                    method,
                    url,
                    headers=dict(headers or {}),
                    params=params,
                    data=data,
                    json=json_body,
                    timeout=TIMEOUT_S,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout:
                raise KindError(self.source, f"{host_port(url)} did not answer in time") from None
            except requests.ConnectionError as exc:
                raise KindError(
                    self.source, f"cannot reach {host_port(url)} ({_reason(exc)})"
                ) from None
            body = _read_capped(response, self.source)
            response._content = body
            status = response.status_code
            if status in ok:
                return response
            if status in (401, 403):
                raise KindError(self.source, "authentication failed", auth=True, status=status)
            if status in (429, 503):
                wait = retry_after_s(response.headers.get("Retry-After"))
                if attempt == 1 and wait is not None and wait <= self.max_wait_s:
                    time.sleep(wait)
                    continue
                raise KindError(
                    self.source,
                    f"rate limited (HTTP {status}); retry after {wait or 60:g} s",
                    status=status,
                    retry_after_s=wait or 60.0,
                )
            raise KindError(self.source, f"HTTP {status} from {urlsplit(url).path}", status=status)
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, method: str, url: str, **kwargs: Any) -> Any:
        """:meth:`request`, the body parsed as JSON. Raises KindError if it is not JSON."""
        response = self.request(method, url, **kwargs)
        try:
            return json.loads(response.content or b"null")
        except ValueError:
            raise KindError(self.source, f"{urlsplit(url).path} did not answer JSON") from None


def _read_capped(response: requests.Response, source: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(65536):
        size += len(chunk)
        if size > MAX_BYTES:
            response.close()
            raise KindError(source, f"answer over {MAX_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: BaseException) -> str:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return str(seen.strerror)
        seen = (
            seen.__cause__
            or seen.__context__
            or next((a for a in getattr(seen, "args", ()) if isinstance(a, BaseException)), None)
        )
    text = str(exc)
    if "Connection refused" in text:
        return "Connection refused"
    return "connection failed"


def parse_time(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601 text (``Z``, ``+02:00`` or ``+0200``)
    or Unix seconds; None for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)
