"""The pure decisions about one feed item, before anything is rendered: its text (the feed's
or the linked page's, :func:`choose_text`), whether a source's filters let it through
(:func:`filter_reason`), the Article made of it, and the item as JSON in the sources state.
:mod:`newsaudio.pipeline.update` runs them for every new item of a followed source.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from newsaudio.errors import InputError, NewsaudioError
from newsaudio.models import Article, Block
from newsaudio.sources.content import html_blocks, word_count
from newsaudio.sources.model import Enclosure, FeedItem
from newsaudio.sources.state import (
    SourceRecord,
)

if TYPE_CHECKING:  # the pipeline is imported by run_update only (``--help`` stays instant)
    pass

_LOG = logging.getLogger(__name__)

FULL_TEXT_WORDS = 150
"""An item whose feed text has fewer words is a teaser (``--full-text auto``)."""

TextSource = Literal["feed", "page"]
_MEDIA_SUFFIXES = (
    ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".wav", ".flac", ".mp4", ".m4v", ".mov",
    ".webm", ".mkv", ".avi",
)  # fmt: skip


# -- items as JSON (kept in the state so a failed item can be retried after a 304) --------


def item_to_json(item: FeedItem) -> str:
    """``item`` as a JSON string (see :func:`item_from_json`)."""
    return json.dumps(
        {
            "title": item.title,
            "guid": item.guid,
            "link": item.link,
            "author": item.author,
            "published": item.published.isoformat() if item.published else None,
            "content_html": item.content_html,
            "summary_html": item.summary_html,
            "enclosures": [[e.url, e.media_type] for e in item.enclosures],
            "language": None,
        },
        ensure_ascii=False,
    )


def item_from_json(data: str, title: str) -> FeedItem:
    """The FeedItem stored by :func:`item_to_json` (``title`` if the data is missing)."""
    try:
        d = json.loads(data)
    except json.JSONDecodeError:
        d = {}
    published = d.get("published")
    return FeedItem(
        title=d.get("title") or title,
        guid=d.get("guid"),
        link=d.get("link"),
        author=d.get("author"),
        published=datetime.fromisoformat(published) if published else None,
        content_html=d.get("content_html") or "",
        summary_html=d.get("summary_html") or "",
        enclosures=tuple(Enclosure(u, t) for u, t in d.get("enclosures") or []),
    )


# -- choosing an item's text ---------------------------------------------------------------


class Skip(Exception):
    """The item is skipped for good, for the reason given."""


def _is_http(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme.lower() in ("http", "https")


def _is_media_link(url: str | None, enclosures: tuple[Enclosure, ...]) -> bool:
    if not url:
        return False
    path = urlsplit(url).path.lower()
    return path.endswith(_MEDIA_SUFFIXES) or any(e.url == url for e in enclosures)


def _has_media(item: FeedItem) -> bool:
    return any(e.media_type.startswith(("audio/", "video/")) for e in item.enclosures) or any(
        urlsplit(e.url).path.lower().endswith(_MEDIA_SUFFIXES) for e in item.enclosures
    )


def feed_blocks(item: FeedItem) -> list[Block]:
    """The text the feed itself carries for ``item``: its content or its summary, whichever
    has more words ([] when neither has any)."""
    content = html_blocks(item.content_html)
    summary = html_blocks(item.summary_html)
    return content if word_count(content) >= word_count(summary) else summary


PAGE_GONE = frozenset({404, 410})
"""HTTP statuses that say a linked page is not there and will not be (no retry helps)."""


def page_gone(error: NewsaudioError, item: FeedItem) -> bool:
    """True if ``error`` (from fetching ``item``'s page) says the page is gone for good
    (:data:`PAGE_GONE`) and the feed has words of its own to read instead."""
    status = getattr(error, "status", None)
    return status in PAGE_GONE and word_count(feed_blocks(item)) > 0


def choose_text(item: FeedItem, full_text: str) -> tuple[TextSource, list[Block]]:
    """Where ``item``'s text comes from: ("feed", its blocks) or ("page", []) when the linked
    page must be fetched. Raises Skip (audio/video only, no text, a link that is not
    http(s))."""
    blocks = feed_blocks(item)
    words = word_count(blocks)
    if full_text == "never":
        if not words:
            raise Skip("no text in the feed (--full-text never)")
        return "feed", blocks
    if full_text == "auto" and words >= FULL_TEXT_WORDS:
        return "feed", blocks
    if _is_media_link(item.link, item.enclosures) or (_has_media(item) and words < FULL_TEXT_WORDS):
        raise Skip("links to audio or video only")
    if not item.link:
        if words and full_text == "auto":
            return "feed", blocks
        raise Skip("no text in the feed and no link to an article")
    if not _is_http(item.link):
        scheme = urlsplit(item.link).scheme or "relative"
        raise Skip(f"link is a {scheme}: URL; only http(s) links are fetched")
    return "page", []


def display_title(item: FeedItem) -> str:
    """``item``'s title, else the start of its summary, else its link (for messages)."""
    if item.title:
        return item.title
    words = " ".join(b.text for b in html_blocks(item.summary_html or item.content_html)).split()
    if words:
        return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")
    return item.link or "(untitled)"


def _language(value: str | None) -> str:
    from newsaudio.loaders._blocks import language_tag

    return language_tag(value) or "en"


def feed_article(
    item: FeedItem, blocks: list[Block], source_key: str, language: str | None
) -> Article:
    """An Article from ``item``'s own text (not yet cleaned)."""
    return Article(
        title=item.title,
        blocks=tuple(blocks),
        source=item.link or source_key,
        source_key=source_key,
        byline=item.author,
        published=item.published,
        source_url=item.link if _is_http(item.link) else None,
        language=_language(language),
    )


def page_article(item: FeedItem, source_key: str) -> Article:
    """Fetch ``item``'s linked page (one request at a time per host) and extract it with the
    HTML loader; the item's title, author and date win over the page's. Raises InputError."""
    from newsaudio.loaders.url import load_url
    from newsaudio.sources.fetch_http import polite

    assert item.link is not None
    with polite(item.link):
        page = load_url(item.link)
    return replace(
        page,
        title=item.title or page.title,
        byline=item.author or page.byline,
        published=item.published or page.published,
        source=item.link,
        source_key=source_key,
        source_url=page.source_url or item.link,
    )


def cleaned(article: Article) -> Article:
    """``article`` cleaned like every loaded article
    (:func:`newsaudio.pipeline.render.load_article`). Raises InputError if nothing speakable
    is left."""
    from newsaudio.text.clean import clean_article

    article = clean_article(article)
    if not any(any(ch.isalnum() for ch in b.text) for b in article.blocks):
        raise InputError(article.source, "has no words to read after removing boilerplate")
    if not article.title:
        article = replace(article, title=article.blocks[0].text[:120], blocks=article.blocks[1:])
    return article


def _matches(item: FeedItem, words: str) -> str | None:
    haystack = f"{item.title} {' '.join(b.text for b in html_blocks(item.summary_html))}"
    haystack = haystack.casefold()
    for word in (w.strip() for w in words.split(",")):
        if word and word.casefold() in haystack:
            return word
    return None


def filter_reason(item: FeedItem, source: SourceRecord) -> str | None:
    """Why ``item`` is filtered out by the source's --include/--exclude, or None."""
    if source.include.strip() and _matches(item, source.include) is None:
        return f"matches none of --include {source.include!r}"
    hit = _matches(item, source.exclude) if source.exclude.strip() else None
    return f"matches --exclude {hit!r}" if hit else None
