"""The podcast feed: RSS 2.0 with the itunes, podcast (Podcasting 2.0), atom and content
namespaces, generated from the catalog and written atomically.

Built with lxml directly rather than feedgen: feedgen 1.0 cannot write ``itunes:explicit``
as ``true``/``false`` (Apple's current spec; it only accepts yes/no/clean), has no
``podcast:`` namespace, and crashes on non-string enclosure lengths. lxml escapes every text
and attribute exactly once; characters XML 1.0 forbids (C0 controls, lone surrogates,
U+FFFE/U+FFFF) are removed first.

References: RSS 2.0 (https://www.rssboard.org/rss-specification), Apple Podcasts RSS
requirements, the Podcasting 2.0 namespace (https://podcastindex.org/namespace/1.0),
RFC 2822 dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from email.utils import format_datetime

from lxml import etree

from newsaudio import __version__
from newsaudio.models import Episode
from newsaudio.show import Show, parse_explicit

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "content": CONTENT}

MAX_DESCRIPTION_BYTES = 4000
"""Apple's limit on channel and item descriptions, in bytes of UTF-8."""

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without characters XML 1.0 forbids (lxml escapes the rest exactly once)."""
    return _XML_FORBIDDEN.sub("", text)


def truncate_bytes(text: str, limit: int = MAX_DESCRIPTION_BYTES) -> str:
    """``text`` (without XML-forbidden characters) cut to at most ``limit`` UTF-8 bytes at a
    word boundary, with an ellipsis."""
    text = xml_text(text)
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - 3].decode("utf-8", "ignore")
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return cut.rstrip(" ,;:.") + "…"


def _zone(timezone: str | tzinfo) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def to_datetime(value: datetime | str | int | float, timezone: str | tzinfo = "UTC") -> datetime:
    """A timezone-aware datetime from a publication value.

    ``value`` is a datetime, an ISO 8601 string (``2024-12-04T00:53:36``, ``...Z``,
    ``...+01:00``) or Unix epoch seconds (UTC). Values without an offset are wall-clock
    times in ``timezone`` (the show's IANA zone); values with one keep it. Raises ValueError
    for a string that is not ISO 8601.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    elif not isinstance(value, datetime):
        return datetime.fromtimestamp(value, UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=_zone(timezone))
    return value


def rfc2822(moment: datetime | str | int | float, timezone: str | tzinfo = "UTC") -> str:
    """RFC 2822 date (``Wed, 04 Dec 2024 00:53:36 +0100``): English day and month names
    whatever the locale, a numeric zone that is never empty. Aware values keep their offset;
    naive ones are interpreted in ``timezone`` (see :func:`to_datetime`)."""
    return format_datetime(to_datetime(moment, timezone))


def itunes_duration(duration_ms: int) -> str:
    """Whole seconds, as Apple recommends (``1231`` for 20:31)."""
    return str(round(duration_ms / 1000))


def _sub(
    parent: etree._Element, tag: str, content: str | None = None, /, **attrs: str
) -> etree._Element:
    """A child ``tag`` of ``parent`` with text ``content`` and attributes ``attrs``."""
    el = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if content is not None:
        el.text = xml_text(content)
    return el


def _it(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _pc(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


def explicit_value(explicit: object) -> str:
    """``itunes:explicit`` text: ``true`` or ``false`` (Apple's current spec), never empty.

    False/'false'/'no'/'clean'/None -> ``false``; True/'true'/'yes'/'explicit' -> ``true``.
    Raises ConfigError for other values.
    """

    return "true" if parse_explicit(explicit) else "false"


def build_feed(show: Show, episodes: Sequence[Episode], now: datetime | None = None) -> bytes:
    """The feed document (UTF-8 XML bytes) for ``show`` listing ``episodes`` in the given order.

    Transcript and chapter tags are written for the sidecar files that exist in
    ``show.episodes_dir``. Text is escaped exactly once; characters XML forbids are dropped.
    """
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", show.title)
    _sub(ch, "link", show.public_url)
    _sub(ch, "description", truncate_bytes(show.description))
    _sub(ch, "language", show.language)
    _sub(ch, "generator", f"newsaudio {__version__}")
    _sub(ch, "lastBuildDate", rfc2822(now or datetime.now(UTC), show.timezone))
    if show.copyright:
        _sub(ch, "copyright", show.copyright)
    _sub(ch, f"{{{ATOM}}}link", href=show.feed_url, rel="self", type="application/rss+xml")
    image = _sub(ch, "image")
    _sub(image, "url", show.cover_url)
    _sub(image, "title", show.title)
    _sub(image, "link", show.public_url)
    _sub(ch, _it("author"), show.author)
    owner = _sub(ch, _it("owner"))
    _sub(owner, _it("name"), show.owner_name)
    _sub(owner, _it("email"), show.owner_email)
    _sub(ch, _it("image"), href=show.cover_url)
    category = _sub(ch, _it("category"), text=show.category)
    if show.subcategory:
        _sub(category, _it("category"), text=show.subcategory)
    _sub(ch, _it("explicit"), explicit_value(show.explicit))
    _sub(ch, _it("type"), show.show_type)
    _sub(ch, _pc("guid"), show.podcast_guid)
    _sub(ch, _pc("locked"), "no")
    if show.private:  # ask directories not to list it (Apple, Podcasting 2.0)
        _sub(ch, _it("block"), "Yes")
        _sub(ch, _pc("block"), "yes")
    _sub(ch, _pc("txt"), "true", purpose="ai-content")
    for episode in episodes:
        _item(ch, show, episode)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def article_date(episode: Episode) -> datetime | None:
    """The article's own publication date (``extra["article_date"]``), if it had one."""
    value = episode.extra.get("article_date")
    try:
        return to_datetime(value) if value else None
    except ValueError:
        return None


def article_author(episode: Episode, show_author: str | None = None) -> str | None:
    """The article's author, or None when it named none. An episode rendered before bylines
    were kept apart stored the show's author as a stand-in: that is not the article's."""
    if not episode.author or episode.author == show_author:
        return None
    return episode.author


def byline(episode: Episode, timezone: str | tzinfo = "UTC", show_author: str | None = None) -> str:
    """``Published 20 November 2026 by <author>.`` from the article's own date (in the show's
    time zone) and author, ``Published 20 November 2026.`` when the article names no author
    (the show is never credited: see :func:`article_author`); ``""`` when it had no date."""
    date = article_date(episode)
    if date is None:
        return ""
    local = date.astimezone(_zone(timezone)) if date.tzinfo else date
    text = f"Published {local.day} {local:%B %Y}"
    author = article_author(episode, show_author)
    return text + (f" by {author}." if author else ".")


def _item(ch: etree._Element, show: Show, episode: Episode) -> None:
    item = _sub(ch, "item")
    _sub(item, "title", episode.title)
    # a digest lists its stories as HTML (escaped once by lxml, as RSS 2.0 expects)
    description = episode.extra.get("description_html") or episode.description or episode.title
    published = byline(episode, show.timezone, show.author)
    if published:
        description = f"{published}\n\n{description}"
    _sub(item, "description", truncate_bytes(description))
    _sub(item, "link", episode.link or f"{show.public_url}#{episode.guid}")
    _sub(item, "guid", episode.guid, isPermaLink="false")
    _sub(item, "pubDate", rfc2822(episode.published, show.timezone))
    if episode.author:
        _sub(item, _it("author"), episode.author)
    _sub(
        item,
        "enclosure",
        url=show.episode_url(episode.file_name),
        length=str(episode.bytes),
        type="audio/mpeg",
    )
    _sub(item, _it("title"), episode.title)
    _sub(item, _it("duration"), itunes_duration(episode.duration_ms))
    _sub(item, _it("episodeType"), "full")
    _sub(item, _it("explicit"), explicit_value(show.explicit))
    _sub(item, _it("image"), href=show.cover_url)
    for suffix, tag, mime in _SIDECARS:
        if (show.episodes_dir / f"{episode.slug}{suffix}").is_file():
            _sub(item, _pc(tag), url=show.episode_url(f"{episode.slug}{suffix}"), type=mime)


_SIDECARS: tuple[tuple[str, str, str], ...] = (
    (".vtt", "transcript", "text/vtt"),
    (".srt", "transcript", "application/x-subrip"),
    (".chapters.json", "chapters", "application/json+chapters"),
)
"""Sidecar suffix, podcast: tag and MIME type of the files published beside each MP3."""
