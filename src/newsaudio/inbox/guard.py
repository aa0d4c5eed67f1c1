"""What the inbox refuses before anything is queued: the link rules and the per-token rate.

Link rules (:func:`pick_url`, :func:`check_url`):

* the link is the first ``http://`` or ``https://`` URL found in the ``url`` field, then in
  ``text``, then in ``title`` (Android's share sheet often sends "Headline https://... via
  App" in ``text``); trailing punctuation that closes a sentence or a bracket is not part of it;
* only ``http`` and ``https``, with a host, at most :data:`MAX_URL_CHARS` (2,048) characters,
  no user name or password in it;
* every address the host resolves to (``socket.getaddrinfo``, IPv4 and IPv6) must be public:
  not loopback, private (RFC 1918, RFC 4193 ``fc00::/7``), link-local, shared (RFC 6598
  ``100.64.0.0/10``), reserved, multicast or unspecified; IPv4-mapped (``::ffff:a.b.c.d``),
  IPv4-compatible, NAT64 (``64:ff9b::/96``) and 6to4 (``2002::/16``) IPv6 forms are judged by
  the IPv4 address inside them. One bad address refuses the link (a name resolving to a public
  and a private address is a DNS-rebinding set-up). ``allow_private=True``
  (``serve --inbox-allow-private``) lifts this rule. A literal IP host is judged the same way;
  an unresolvable host is refused too (it could not be fetched anyway).

  The check answers the submitter at once; the loader must still refuse to *connect* to a
  non-public address at fetch time (DNS may answer differently later): this guard is the
  first line, not the only one.

Rate (:class:`RateLimiter`): a sliding window per token, 30 requests in any 60 s; the 31st is
refused with the whole seconds until the oldest request leaves the window (``Retry-After``,
RFC 9110 §10.2.3). Memory is bounded: one deque of at most ``limit`` times per token seen in
the last window, idle tokens dropped.

Errors: :class:`Refused` (a ``ValueError``) with one clear line and the HTTP ``status`` the
API answers (400).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

MAX_URL_CHARS = 2048
MAX_BODY_BYTES = 64 * 1024

_URL_RE = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’'\""

Resolver = Callable[[str], Iterable[str]]


class Refused(ValueError):
    """A submission the inbox refuses; ``str()`` is one line, ``status`` the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _strip_trailing(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # a balanced parenthesis belongs to the URL (Wikipedia-style links)
        url = url[:-1]
    return url


def find_url(text: str | None) -> str | None:
    """The first http(s) URL in ``text`` (trailing sentence punctuation removed), or None."""
    if not text:
        return None
    m = _URL_RE.search(text)
    return _strip_trailing(m.group(0)) if m else None


def pick_url(url: str | None, text: str | None = None, title: str | None = None) -> str:
    """The link of a submission: the first http(s) URL in ``url``, then ``text``, then
    ``title``. Raises Refused when none of them holds one (naming a non-http scheme given
    in ``url``)."""
    for field in (url, text, title):
        found = find_url(field)
        if found:
            return found
    given = (url or "").strip()
    if given:
        scheme = given.split(":", 1)[0].lower() if ":" in given else ""
        if scheme and scheme.isalpha() and scheme not in ("http", "https"):
            raise Refused(f"only http and https links can be added, not {scheme}:")
        raise Refused("the url field holds no http(s) link")
    raise Refused("no http(s) link in url, text or title")


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6, TCP), as strings. Raises
    Refused when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused(f"{host}: the host name does not resolve ({exc})") from None
    return sorted({str(info[4][0]).split("%", 1)[0] for info in infos})


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    packed = int(ip)
    if packed >> 32 == 0 and packed > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def non_public_reason(address: str) -> str | None:
    """Why ``address`` (an IPv4 or IPv6 literal) is not a public internet address
    (``"loopback"``, ``"private"``, ``"link-local"``...), or None when it is public."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            reason = non_public_reason(str(inner))
            return None if reason is None else f"{reason} (as {ip})"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared address space", isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = resolve_host) -> str:
    """``url`` when the inbox may take it (module docstring), else raises Refused.

    ``resolver(host)`` gives the host's addresses (tests pass a fixed table)."""
    if len(url) > MAX_URL_CHARS:
        raise Refused(f"the link is {len(url):,} characters long; at most {MAX_URL_CHARS:,}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        raise Refused(f"not a valid link ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused(f"only http and https links can be added, not {parts.scheme or '(none)'}:")
    if not host:
        raise Refused("the link has no host")
    if parts.username is not None or parts.password is not None:
        raise Refused("links with a user name or password are not taken")
    if allow_private:
        return url
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        addresses = list(resolver(host))
    else:
        addresses = [str(literal)]
    if not addresses:
        raise Refused(f"{host}: the host name does not resolve")
    for address in addresses:
        reason = non_public_reason(address)
        if reason is not None:
            raise Refused(
                f"{host} resolves to {address}, a {reason} address; links into private "
                "networks are refused (serve --inbox-allow-private allows them)"
            )
    return url


TOKEN_PARAMS = frozenset({"token", "access_token", "api_key", "apikey", "key", "auth", "bearer"})
"""Query parameters that would carry a token: refused on ``/api/`` (tokens go in the
``Authorization`` header only; a query string ends up in logs, history and proxies)."""


def check_query(query: str, tokens: Callable[[str], bool] | None = None) -> None:
    """Raise Refused (400) when the raw query string ``query`` holds a token parameter
    (:data:`TOKEN_PARAMS`), or any value that ``tokens(value)`` recognises as a stored token.
    The message never repeats the value; callers must not log the query either."""
    from urllib.parse import parse_qsl

    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in TOKEN_PARAMS or (tokens is not None and value and tokens(value)):
            raise Refused(
                "tokens are not accepted in the query string; send the header "
                "'Authorization: Bearer TOKEN' (and revoke this token: it may be in logs)"
            )


def check_body_size(length: int | None, limit: int = MAX_BODY_BYTES) -> None:
    """Raise Refused (413) when a body of ``length`` bytes (``Content-Length``, or the count
    read so far) is over ``limit`` (64 KiB)."""
    if length is not None and length > limit:
        raise Refused(f"the request body is over {limit // 1024} KiB", status=413)


class RateLimiter:
    """At most ``limit`` hits per ``window_s`` seconds per key (a sliding window);
    thread-safe. ``clock`` gives monotonic seconds."""

    def __init__(
        self, limit: int = 30, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key: str) -> int | None:
        """Count one request for ``key``. Returns None when allowed, else the whole seconds
        (at least 1) until one is allowed again (the ``Retry-After`` value). A refused
        request is not counted."""
        now = self.clock()
        with self._lock:
            if now - self._last_sweep > self.window_s:
                self._sweep(now)
            times = self._hits.setdefault(key, deque())
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) >= self.limit:
                wait = times[0] + self.window_s - now
                return max(1, int(wait) + (0 if wait == int(wait) else 1))
            times.append(now)
            return None

    def _sweep(self, now: float) -> None:
        self._last_sweep = now
        for key in [k for k, t in self._hits.items() if not t or t[-1] <= now - self.window_s]:
            del self._hits[key]

    def __len__(self) -> int:
        """Keys held (for the memory test: bounded by the tokens active in one window)."""
        return len(self._hits)
