"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 by feedparser. feedparser is given the bytes (wrapped in a
stream, so it never fetches or opens anything itself) and no base URL: feedparser would
otherwise resolve a relative guid against it, and an item's identity would change when its feed
moves; item and enclosure links are resolved against the feed URL here instead. The DOCTYPE,
with every entity declaration in it, is removed here before parsing (feedparser itself keeps
plain-text entity declarations), and feedparser's SAX parser has external entities turned off:
XXE and entity bombs ("billion laughs") are inert. HTML in content is sanitized. A document
that is not well-formed is recovered by feedparser's loose parser when possible ("bozo").

feedparser's time grows faster than linearly with the number of items (4,000 items take
seconds, 100,000 minutes), so a document with more than ``max_items`` items is cut after
the ``max_items``-th closing ``</item>``/``</entry>`` and closed with the document's own
ending (:func:`bounded`) before parsing: time and memory stay bounded whatever the feed.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from newsaudio.errors import SourceError
from newsaudio.sources.content import plain_text
from newsaudio.sources.model import Enclosure, FeedItem, FeedResponse, ParsedFeed

_LOG = logging.getLogger(__name__)

_ITEM_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)


def bounded(body: bytes, max_items: int) -> tuple[bytes, int]:
    """``body`` cut after its ``max_items``-th item (then closed with what followed its last
    item), and how many items it holds (counted by closing tags)."""
    ends = [m.end() for m in _ITEM_END.finditer(body)]
    if len(ends) <= max_items:
        return body, len(ends)
    return body[: ends[max_items - 1]] + body[ends[-1] :], len(ends)


def _date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _content(entry: Any) -> str:
    parts = [c for c in entry.get("content") or [] if isinstance(c.get("value"), str)]
    if not parts:
        return ""
    html_parts = [c for c in parts if "html" in (c.get("type") or "")] or parts
    return str(max(html_parts, key=lambda c: len(c["value"]))["value"])


def _item(entry: Any, base: str) -> FeedItem:
    link = entry.get("link")
    enclosures = tuple(
        Enclosure(urljoin(base, str(e.get("href"))), str(e.get("type") or "").lower())
        for e in entry.get("enclosures") or []
        if e.get("href")
    )
    guid = entry.get("id")
    return FeedItem(
        title=plain_text(entry.get("title")),
        guid=str(guid).strip() if guid and str(guid).strip() else None,
        link=urljoin(base, link.strip()) if isinstance(link, str) and link.strip() else None,
        author=plain_text(entry.get("author")) or None,
        published=_date(entry),
        content_html=_content(entry),
        summary_html=str(entry.get("summary") or ""),
        enclosures=enclosures,
    )


_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL)
"""A DOCTYPE with its internal subset: removed before parsing, so no entity it declares is
ever expanded (feedparser keeps "safe" declarations, and its loose parser expands them)."""
MAX_TITLE_CHARS = 300
"""A feed title longer than this is cut (it names the source in every listing)."""


def _problem(exc: object) -> str:
    """What feedparser's bozo exception says is wrong, in plain words: "not well-formed XML
    at line 5, column 3: mismatched tag", "document declared as us-ascii, but parsed as
    utf-8"..."""
    get_line = getattr(exc, "getLineNumber", None)
    words = " ".join(str(exc).split())
    if callable(get_line):  # xml.sax's SAXParseException
        where = f"line {get_line()}, column {exc.getColumnNumber()}"  # type: ignore[attr-defined]
        detail = " ".join(str(exc.getMessage()).split())  # type: ignore[attr-defined]
        if detail.startswith("not well-formed"):
            detail = detail.removeprefix("not well-formed").strip(" ()")
        return f"not well-formed XML at {where}" + (f": {detail}" if detail else "")
    return words or "not well-formed XML"


def parse_xml(response: FeedResponse, max_items: int) -> ParsedFeed:
    """Parse an RSS or Atom document. Raises SourceError if it is not a feed at all (or
    so malformed that nothing can be recovered)."""
    import feedparser

    body, counted = bounded(response.body, max_items)
    body = _DOCTYPE.sub(b"", body, count=1)
    if counted > max_items:
        _LOG.info("%s: %d items; reading the first %d", response.url, counted, max_items)
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": response.media_type or "application/xml"},
    )
    feed = result.get("feed") or {}
    entries = result.get("entries") or []
    version = result.get("version") or ""
    problem = _problem(result.get("bozo_exception")) if result.get("bozo") else None
    if not version and not entries:
        if problem:
            raise SourceError(response.url, f"is not a readable feed ({problem})")
        raise SourceError(response.url, "is not an RSS, Atom or JSON feed")
    if problem:
        _LOG.info("%s: not well-formed, recovered (%s)", response.url, problem)
    base = response.url if "://" in response.url else ""
    items = tuple(_item(e, base) for e in entries[:max_items])
    link = feed.get("link")
    return ParsedFeed(
        title=plain_text(feed.get("title"))[:MAX_TITLE_CHARS],
        items=items,
        format=version or "unknown",
        link=link if isinstance(link, str) else None,
        language=feed.get("language") or None,
        total_items=max(len(entries), counted),
        problem=problem,
    )
