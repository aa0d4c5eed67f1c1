"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), parsed with the standard
library's json module (the format is a small JSON object; no library needed).

Items: ``id``, ``url`` (else ``external_url``), ``title``, ``content_html`` (else
``content_text``), ``summary``, ``date_published`` (RFC 3339), ``authors``/``author``,
``attachments``. Relative URLs resolve against the feed URL.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from newsaudio.errors import SourceError
from newsaudio.sources.content import plain_text
from newsaudio.sources.model import Enclosure, FeedItem, FeedResponse, ParsedFeed


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for holder in (item, feed):
        authors = holder.get("authors")
        if isinstance(authors, list):
            names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
            if any(names):
                return ", ".join(n for n in names if n)
        author = holder.get("author")
        if isinstance(author, dict) and _str(author.get("name")):
            return _str(author.get("name"))
    return None


def _item(item: dict[str, Any], feed: dict[str, Any], base: str) -> FeedItem:
    link = _str(item.get("url")) or _str(item.get("external_url"))
    content = _str(item.get("content_html"))
    if not content and _str(item.get("content_text")):
        paragraphs = _str(item.get("content_text")).split("\n\n")
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    attachments = item.get("attachments")
    enclosures = tuple(
        Enclosure(urljoin(base, _str(a.get("url"))), _str(a.get("mime_type")).lower())
        for a in (attachments if isinstance(attachments, list) else [])
        if isinstance(a, dict) and _str(a.get("url"))
    )
    return FeedItem(
        title=plain_text(_str(item.get("title"))),
        guid=_str(item.get("id")).strip() or None,
        link=urljoin(base, link.strip()) if link.strip() else None,
        author=_author(item, feed),
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        content_html=content,
        summary_html=html.escape(_str(item.get("summary"))),
        enclosures=enclosures,
    )


def parse_json(response: FeedResponse, max_items: int) -> ParsedFeed:
    """Parse a JSON Feed document. Raises SourceError if it is not one."""
    try:
        data = json.loads(response.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SourceError(response.url, f"is not valid JSON ({exc})") from None
    version = _str(data.get("version")) if isinstance(data, dict) else ""
    if not version.startswith("https://jsonfeed.org/version/") or not isinstance(
        data.get("items"), list
    ):
        raise SourceError(response.url, "is JSON but not a JSON Feed (no version and items)")
    base = response.url if "://" in response.url else ""
    raw_items = [i for i in data["items"] if isinstance(i, dict)]
    home = _str(data.get("home_page_url"))
    return ParsedFeed(
        title=plain_text(_str(data.get("title"))),
        items=tuple(_item(i, data, base) for i in raw_items[:max_items]),
        format="json" + version.rsplit("/", 1)[-1],
        link=urljoin(base, home) if home else None,
        language=_str(data.get("language")) or None,
        total_items=len(raw_items),
    )
