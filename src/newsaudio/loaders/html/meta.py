"""Metadata of an HTML page, read from the tree before any pruning.

``<meta>`` tags (name, property, itemprop, http-equiv), JSON-LD objects and a few elements
(``<html lang>``, ``<link rel="canonical">``, ``<time datetime>``) give the publication
date, language, canonical URL, site name and lead image; see the package docstring for the
order in which each is looked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsaudio.loaders._blocks import language_tag, parse_datetime
from newsaudio.loaders.html.tree import one_line

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "cxenseparse:recs:publishtime",
)


def page_meta(tree: Any) -> dict[str, str]:
    """Every ``<meta>`` name/property/itemprop/http-equiv (lower case) -> its content."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page (``@graph`` members included); bad JSON is skipped."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def published_time(tree: Any, meta: dict[str, str], fallback: str | None) -> datetime | None:
    """The publication date-time (tz-aware), most precise source first."""
    candidates: list[str] = [meta[k] for k in _PUBLISHED_META if k in meta]
    candidates += [str(obj["datePublished"]) for obj in json_ld(tree) if obj.get("datePublished")]
    for time_el in tree.iter("time"):
        if time_el.get("datetime"):
            candidates.append(time_el.get("datetime"))
            break
    parsed = [p for p in (parse_datetime(c) for c in candidates) if p is not None]
    with_time = [p for p in parsed if (p.hour, p.minute, p.second) != (0, 0, 0)]
    if with_time:
        return with_time[0]
    if parsed:
        return parsed[0]
    return parse_datetime(fallback)


def page_language(tree: Any, meta: dict[str, str]) -> str:
    """BCP 47 language of the page (``en`` when it does not say)."""
    for value in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
        meta.get("language"),
    ):
        tag = language_tag(value)
        if tag:
            return tag
    return "en"


def absolute_http(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``, if the result is an http(s) URL."""
    if not url:
        return None
    full = urljoin(base, url.strip()) if base else url.strip()
    return full if urlsplit(full).scheme in ("http", "https") and urlsplit(full).netloc else None


def canonical_url(
    tree: Any, meta: dict[str, str], base: str | None, fallback: str | None
) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = absolute_http(link.get("href"), base)
            if found:
                return found
    return (
        absolute_http(meta.get("og:url"), base)
        or absolute_http(fallback, base)
        or absolute_http(base, None)
    )


def page_site_name(tree: Any, meta: dict[str, str]) -> str | None:
    """The publication's name: ``og:site_name``, else JSON-LD ``publisher.name``."""
    for key in ("og:site_name", "application-name"):
        if meta.get(key):
            return one_line(meta[key]) or None
    for obj in json_ld(tree):
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return one_line(publisher["name"]) or None
    return None


def lead_image(meta: dict[str, str], base: str | None) -> str | None:
    """The lead image's absolute http(s) URL (``og:image``, ``twitter:image``), if any."""
    for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image"):
        found = absolute_http(meta.get(key), base)
        if found:
            return found
    return None
