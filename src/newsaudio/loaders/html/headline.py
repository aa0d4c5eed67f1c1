"""The headline: the page's titles compared, and the site name cut off."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from newsaudio.loaders.html.meta import json_ld
from newsaudio.loaders.html.tree import one_line, title_key

_TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•»-]+\s+|\s+::\s+")


def site_name_keys(tree: Any, meta: dict[str, str], url: str | None) -> set[str]:
    """Names the page gives its site (og:site_name, application-name, JSON-LD publisher,
    the host name), as comparison keys."""
    names = {meta.get("og:site_name", ""), meta.get("application-name", "")}
    for obj in json_ld(tree):
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(publisher["name"])
    if url:
        host = urlsplit(url).hostname or ""
        host = host.removeprefix("www.")
        names.add(host)
        names.add(host.rsplit(".", 1)[0])
    return {title_key(n) for n in names if title_key(n)}


_SITE_EXTRA_CHARS = 6  # "The Hill" vs "thehill.com", "Sportsnet.ca" vs "sportsnet"


def strip_site_name(title: str, site_names: set[str]) -> str:
    """``title`` without a leading or trailing site name ("Headline - Sportsnet.ca",
    "Headline | The Paradigm", "IGN: Headline"): a part cut off by a separator that is one of
    ``site_names`` (keys), or contains or is contained in one of them."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title.strip()

    def is_site(part: str) -> bool:
        key = title_key(part)
        return bool(key) and any(
            key == name
            or (len(key) >= 4 and key in name)
            or (len(name) >= 4 and name in key and len(key) - len(name) <= _SITE_EXTRA_CHARS)
            for name in site_names
        )

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    separators = _TITLE_SEPARATOR.findall(title.strip())
    # rebuild with the separators that stood between the kept parts
    start = _TITLE_SEPARATOR.split(title.strip()).index(parts[0])
    out = parts[0]
    for i, part in enumerate(parts[1:], start=start):
        out += separators[i] + part
    return out.strip()


def choose_headline(
    extracted: str | None,
    first_h1: str | None,
    meta: dict[str, str],
    *,
    doc_title: str,
    site_names: set[str],
) -> str | None:
    """The headline: og:title/twitter:title when the page gives one, else trafilatura's title,
    else ``<title>``, else the first ``<h1>``; a site name is cut off ("Headline - Site").

    A short ``<h1>`` that ``<title>`` does not contain is a site or section banner ("Allergies
    Health Center"), not the headline, when ``<title>`` says something else.
    """
    social = meta.get("og:title") or meta.get("twitter:title")
    for candidate in (social, extracted, doc_title, first_h1):
        if candidate and candidate.strip():
            headline = strip_site_name(one_line(candidate), site_names)
            if (
                candidate is not social
                and first_h1
                and title_key(headline) == title_key(first_h1)
                and doc_title
                and title_key(first_h1) not in title_key(doc_title)
                and len(first_h1.split()) <= _BANNER_MAX_WORDS
            ):
                return strip_site_name(doc_title, site_names)
            return headline
    return None


_BANNER_MAX_WORDS = 5
