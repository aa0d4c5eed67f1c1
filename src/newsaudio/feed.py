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
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from newsaudio import __version__
from newsaudio.config import Show
from newsaudio.models import Episode

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
    """``text`` cut to at most ``limit`` UTF-8 bytes at a word boundary, with an ellipsis."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - 3].decode("utf-8", "ignore")
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return cut.rstrip(" ,;:.") + "…"


def rfc2822(moment: datetime) -> str:
    """RFC 2822 date with English names and a numeric zone (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment)


def itunes_duration(duration_ms: int) -> str:
    """Whole seconds, as Apple recommends (``1231`` for 20:31)."""
    return str(round(duration_ms / 1000))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _it(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _pc(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


def build_feed(show: Show, episodes: Sequence[Episode], now: datetime | None = None) -> bytes:
    """The feed document (UTF-8 XML bytes) for ``show`` listing ``episodes`` in the given order."""
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", show.title)
    _sub(ch, "link", show.base_url)
    _sub(ch, "description", truncate_bytes(show.description))
    _sub(ch, "language", show.language)
    _sub(ch, "generator", f"newsaudio {__version__}")
    _sub(ch, "lastBuildDate", rfc2822(now or datetime.now(UTC)))
    if show.copyright:
        _sub(ch, "copyright", show.copyright)
    _sub(ch, f"{{{ATOM}}}link", href=show.feed_url, rel="self", type="application/rss+xml")
    image = _sub(ch, "image")
    _sub(image, "url", show.cover_url)
    _sub(image, "title", show.title)
    _sub(image, "link", show.base_url)
    _sub(ch, _it("author"), show.author)
    owner = _sub(ch, _it("owner"))
    _sub(owner, _it("name"), show.owner_name)
    _sub(owner, _it("email"), show.owner_email)
    _sub(ch, _it("image"), href=show.cover_url)
    category = _sub(ch, _it("category"), text=show.category)
    if show.subcategory:
        _sub(category, _it("category"), text=show.subcategory)
    _sub(ch, _it("explicit"), "true" if show.explicit else "false")
    _sub(ch, _it("type"), show.show_type)
    _sub(ch, _pc("guid"), show.podcast_guid)
    _sub(ch, _pc("locked"), "no")
    _sub(ch, _pc("txt"), "true", purpose="ai-content")
    for episode in episodes:
        _item(ch, show, episode)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _item(ch: etree._Element, show: Show, episode: Episode) -> None:
    item = _sub(ch, "item")
    _sub(item, "title", episode.title)
    _sub(item, "description", truncate_bytes(episode.description))
    if episode.link:
        _sub(item, "link", episode.link)
    _sub(item, "guid", episode.guid, isPermaLink="false")
    _sub(item, "pubDate", rfc2822(episode.published))
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
    _sub(item, _it("explicit"), "true" if show.explicit else "false")
    _sub(item, _it("image"), href=show.cover_url)
    _sub(item, _pc("transcript"), url=show.episode_url(f"{episode.slug}.vtt"), type="text/vtt")
    _sub(
        item,
        _pc("transcript"),
        url=show.episode_url(f"{episode.slug}.srt"),
        type="application/x-subrip",
    )
    _sub(
        item,
        _pc("chapters"),
        url=show.episode_url(f"{episode.slug}.chapters.json"),
        type="application/json+chapters",
    )
