"""Plain dataclasses of the sources stage: a fetched feed document, a parsed feed, an item.

::

    feed URL ──fetch──▶ FeedResponse ──parse──▶ ParsedFeed (FeedItem, ...) ──▶ item state

Times are timezone-aware UTC datetimes; ``*_html`` fields hold HTML fragments as the feed
carried them (feedparser sanitizes them), ``*_text`` plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators of a feed (RFC 9110 section 8.8): sent back as ``If-None-Match``
    and ``If-Modified-Since`` so that an unchanged feed costs one ``304 Not Modified``."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedResponse:
    """The outcome of fetching a feed URL.

    ``status`` is the final HTTP status (200, 304; ``None`` for a local file); ``url`` the
    URL after redirects; ``moved_to`` the new address when every redirect hop was permanent
    (301/308), so the stored URL is updated. ``body`` is empty for a 304. ``media_type`` is
    lower case without parameters ('' when unknown).
    """

    url: str
    status: int | None
    body: bytes = b""
    media_type: str = ""
    validators: Validators = field(default_factory=Validators)
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a ``304 Not Modified`` answer."""
        return self.status == 304


@dataclass(frozen=True)
class Enclosure:
    """A media file an item links to (RSS ``<enclosure>``, Atom ``rel="enclosure"``, JSON
    Feed ``attachments``)."""

    url: str
    media_type: str = ""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as the feed describes it.

    ``guid`` is the RSS ``guid`` / Atom ``id`` / JSON Feed ``id`` (None if absent);
    ``link`` is absolute (resolved against the feed URL). ``content_html`` is the full
    content (``content:encoded``, ``atom:content``, ``content_html``), ``summary_html`` the
    description or summary. ``title`` is plain text.
    """

    title: str
    guid: str | None = None
    link: str | None = None
    author: str | None = None
    published: datetime | None = None
    content_html: str = ""
    summary_html: str = ""
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its title, home page, language and items in document order.

    ``format`` names what was parsed ('rss20', 'atom10', 'json1', ...). ``total_items`` is how
    many items the document holds; ``items`` may be fewer (bounded, see
    :data:`newsaudio.sources.MAX_ITEMS`). ``problem`` is set when the document was not
    well-formed but could be recovered (a one-line reason, logged). For a service or
    mailbox (:mod:`newsaudio.sources.service`): ``service_ids`` item key -> the item's id
    there (the write-back target), ``skips`` item key -> why it is not made.
    """

    title: str
    items: tuple[FeedItem, ...]
    format: str
    link: str | None = None
    language: str | None = None
    total_items: int = 0
    problem: str | None = None
    service_ids: dict[str, str] = field(default_factory=dict)
    skips: dict[str, str] = field(default_factory=dict)
