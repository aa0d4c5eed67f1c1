"""Feeds and pages for the sources tests: RSS 2.0 with full text, Atom teasers linking to
article pages, a JSON Feed, and a page that announces a feed."""

from __future__ import annotations

import json
from html import escape

WORDS = (
    "The harbour authority said the new ferry schedule would add six crossings a day, "
    "with boats leaving every forty minutes from the early morning until late at night. "
)


def long_text(n: int, topic: str) -> str:
    """About ``n`` words of plain prose about ``topic``, in paragraphs."""
    sentence = f"{topic} was discussed again. " + WORDS
    per = len(sentence.split())
    paragraphs = [sentence * 2 for _ in range(max(1, n // (2 * per) + 1))]
    return "\n\n".join(paragraphs)


def rss(items: list[dict[str, str]], title: str = "Harbour Daily") -> str:
    """An RSS 2.0 feed; each item: title, guid, link, date (RFC 822), body (full text)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>http://example.invalid/</link>",
        "<description>News</description><language>en</language>",
    ]
    for it in items:
        body = "".join(f"<p>{escape(p)}</p>" for p in it["body"].split("\n\n"))
        parts.append(
            f"<item><title>{escape(it['title'])}</title>"
            + (f"<guid>{escape(it['guid'])}</guid>" if it.get("guid") else "")
            + (f"<link>{escape(it['link'])}</link>" if it.get("link") else "")
            + f"<pubDate>{it['date']}</pubDate><description>{escape(it['title'])}</description>"
            + f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom(entries: list[dict[str, str]], title: str = "Island Notes") -> str:
    """An Atom 1.0 feed of teasers; each entry: title, id, link, date (RFC 3339), summary."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:uuid:feed</id><updated>2026-11-30T10:00:00Z</updated>",
    ]
    for e in entries:
        parts.append(
            f"<entry><title>{escape(e['title'])}</title><id>{escape(e['id'])}</id>"
            f'<link href="{escape(e["link"])}"/><updated>{e["date"]}</updated>'
            f"<author><name>Ada Reporter</name></author>"
            f"<summary>{escape(e['summary'])}</summary></entry>"
        )
    parts.append("</feed>")
    return "\n".join(parts)


def json_feed(items: list[dict[str, str]], title: str = "Valley Wire") -> str:
    """A JSON Feed 1.1; each item: id, url, title, date, text (content_html)."""
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": "http://example.invalid/",
            "items": [
                {
                    "id": it["id"],
                    "url": it["url"],
                    "title": it["title"],
                    "date_published": it["date"],
                    "authors": [{"name": "Val Writer"}],
                    "content_html": "".join(
                        f"<p>{escape(p)}</p>" for p in it["text"].split("\n\n")
                    ),
                }
                for it in items
            ],
        }
    )


def article_page(title: str, words: int = 200) -> str:
    """A news page whose main text the HTML loader extracts."""
    body = "".join(f"<p>{escape(p)}</p>" for p in long_text(words, title).split("\n\n"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>"
        f"{body}</article><footer>Copyright</footer></body></html>"
    )


def announcing_page(feed_href: str, kind: str = "application/rss+xml") -> str:
    """A home page that announces its feed (autodiscovery)."""
    return (
        "<!doctype html><html><head><title>Home</title>"
        f'<link rel="alternate" type="{kind}" title="Feed" href="{escape(feed_href)}">'
        "</head><body><p>Welcome.</p></body></html>"
    )
