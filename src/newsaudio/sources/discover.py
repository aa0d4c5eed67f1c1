"""Feed autodiscovery: the feeds a web page announces with
``<link rel="alternate" type="application/rss+xml|application/atom+xml|application/feed+json"
href="...">`` (the RSS Autodiscovery convention), resolved against the page URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)


def looks_like_html(body: bytes, media_type: str) -> bool:
    """True if the document is a web page rather than a feed."""
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def discover(body: bytes, page_url: str) -> list[str]:
    """The feed URLs ``body`` (an HTML page read from ``page_url``) announces, in page
    order; [] when none (or not parseable). A remote page's links are http(s) only; a
    local page (the user's own file) may also name a feed file beside it."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    remote = page_url.lower().startswith(("http://", "https://"))
    base = page_url
    for el in tree.iter("base"):
        if remote and el.get("href"):
            base = urljoin(page_url, el.get("href").strip())
            break
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        if remote:
            url = urljoin(base, href)
        elif "://" in href or href.startswith("/"):  # a local page names absolute URLs only
            url = href if href.lower().startswith(("http://", "https://")) else ""
        else:  # a local page's relative link: a file beside it
            url = str(Path(page_url).parent / href.split("#")[0].split("?")[0])
        http = url.lower().startswith(("http://", "https://"))
        if url and (http or not remote) and url not in found:
            found.append(url)
    return found
