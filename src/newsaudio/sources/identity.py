"""Identity of feed items, so nothing is made twice.

An item is identified by its guid (RSS ``guid``, Atom ``id``, JSON Feed ``id``), else by its
canonical link, else by a hash of its title and date (:func:`item_key`). The episode made
from an item is keyed by the canonical link when there is one (:func:`episode_source_key`),
so the same article reached through two feeds is one episode.

Canonical link: scheme and host lower-cased, default port dropped, fragment removed, and
tracking parameters (``utm_*``, ``fbclid``, ``gclid``...) removed from the query.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsaudio.sources.model import FeedItem

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid", "igshid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "wt_mc", "cmpid", "ocid", "icid", "ncid", "sr_share",
    }
)  # fmt: skip
"""Query parameters that only track the reader (besides every ``utm_*``)."""


def canonical_link(url: str) -> str:
    """``url`` in canonical form (see the module docstring); other URLs are returned as they
    are, without their fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{host}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def item_key(item: FeedItem) -> str:
    """The stable identity of ``item`` within its source: ``guid:...``, ``link:...`` or
    ``hash:...`` (SHA-256 of title and date)."""
    if item.guid:
        return "guid:" + item.guid
    if item.link:
        return "link:" + canonical_link(item.link)
    date = item.published.isoformat() if item.published else ""
    digest = hashlib.sha256(f"{item.title}\n{date}".encode()).hexdigest()[:32]
    return "hash:" + digest


def episode_source_key(feed_url: str, item: FeedItem) -> str:
    """The ``source_key`` of the episode made from ``item`` (its guid derives from it)."""
    if item.link and item.link.lower().startswith(("http://", "https://")):
        return "item:" + canonical_link(item.link)
    return f"item:{feed_url}#{item_key(item)}"
