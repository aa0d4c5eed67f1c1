"""The shape every source kind shares: one plain item dataclass, one small Protocol, one
error carrying a single line.

::

    address + credentials ─open─▶ Kind ─list_new(limit)─▶ [ServiceItem, ...]
                                       └─write_back(item, action)   (after publish)

A kind never logs or prints a credential; error lines name the source (its address without
secrets), host:port or the folder, and the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from newsaudio.errors import SourceError

WRITE_BACK_ACTIONS = ("archive", "read", "none")
"""Values of ``follow --when-published``."""


@dataclass(frozen=True)
class ServiceItem:
    """One article a service holds for the user.

    ``id`` is the service's own id as text (stable; the write-back target); ``url`` the
    article's address (absolute, or None: a newsletter without a "view in browser" link);
    ``html`` the service's HTML content (None when it has none: the page is fetched);
    ``published`` timezone-aware UTC; ``author`` a display name; ``key`` the identity
    when ``id`` is not stable enough (a mail's Message-ID: its UID changes on a move),
    else None (``id`` is the identity).
    """

    id: str
    title: str
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    html: str | None = None
    key: str | None = None

    @property
    def identity(self) -> str:
        """The item's identity within its source (for ``item_key``)."""
        return self.key or self.id


class KindError(SourceError):
    """A source of a kind cannot be used: one line ``"<source>: <problem>"`` (exit 3 at
    ``follow``; in ``update`` the source fails alone, exit 10).

    ``auth`` is True for a refused password or token ("authentication failed"); ``status``
    the HTTP status when there was one; ``retry_after_s`` the seconds a 429/503 asked to
    wait.
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        auth: bool = False,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        self.auth = auth
        super().__init__(source, problem, status=status, retry_after_s=retry_after_s)


class Kind(Protocol):
    """A followed service or mailbox.

    ``write_backs`` are the actions it supports besides ``none``; ``default_write_back`` the
    one used unless ``--when-published`` says otherwise; ``credential_keys`` what ``follow``
    asks for.
    """

    name: ClassVar[str]
    credential_keys: ClassVar[tuple[str, ...]]
    write_backs: ClassVar[tuple[str, ...]]
    default_write_back: ClassVar[str]

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Up to ``limit`` items not yet archived/read, newest first, paging as needed.
        Raises KindError."""
        ...

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Archive or mark ``item`` read (``action`` in :attr:`write_backs`); doing it twice
        is harmless. Raises KindError."""
        ...


def require(credentials: Mapping[str, str], keys: tuple[str, ...], source: str) -> dict[str, str]:
    """The values of ``keys`` from ``credentials``. Raises KindError naming the missing
    keys (never the values)."""
    missing = [k for k in keys if not credentials.get(k)]
    if missing:
        raise KindError(source, "missing credential " + ", ".join(missing))
    return {k: credentials[k] for k in keys}


def check_action(kind: Kind, action: str, source: str) -> None:
    """Raise KindError unless ``kind`` supports write-back ``action``."""
    if action not in kind.write_backs:
        allowed = ", ".join((*kind.write_backs, "none"))
        raise KindError(source, f"--when-published {action} is not possible here ({allowed})")


def service_base(address: str, prefix: str) -> str:
    """The http(s) base URL of a ``<prefix>+https://HOST[/PATH]`` address (no trailing
    slash). Plain ``http`` only to a loopback host (credentials would cross the network in
    clear). Raises KindError."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    if not address.lower().startswith(prefix + "+"):
        raise KindError(address, f"is not a {prefix}+https:// address")
    url = address[len(prefix) + 1 :].rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KindError(address, f"is not a {prefix}+https://HOST[/PATH] address")
    if parts.username or parts.password:
        raise KindError(strip_secrets(address), "put credentials in --credential, not in the URL")
    if parts.scheme == "http":
        host = parts.hostname
        try:
            loopback = ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise KindError(address, "plain http:// only to a loopback address; use https://")
    return url


def strip_secrets(address: str) -> str:
    """``address`` without a password in its authority (for error lines and OPML)."""
    from urllib.parse import urlsplit, urlunsplit

    scheme, sep, rest = address.partition("://")
    if not sep:
        return address
    parts = urlsplit("x://" + rest)
    if parts.password is None:
        return address
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return scheme + "://" + urlunsplit(("", user + host, parts.path, parts.query, ""))[2:]
