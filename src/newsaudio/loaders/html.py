"""HTML articles (``.html``/``.htm`` files, pages fetched by the URL loader, sniffed stdin).

The main text is found by trafilatura (``extract(output_format="xml",
include_formatting=True)``), which drops navigation, share buttons, comments, related
links and cookie banners; its XML is walked so that headings and list items stay their
own blocks. Code listings and tables are left out (they do not read well aloud); images
are dropped; links become their text.

Metadata, all optional:

* headline: trafilatura's title (``og:title``, ``<title>`` without the site name, ``<h1>``);
  a first heading repeating it is dropped from the body;
* byline: trafilatura's author (``<meta name="author">``, JSON-LD, byline markup);
* published: the most precise of ``article:published_time``, JSON-LD ``datePublished``,
  ``<time datetime>`` and similar, else trafilatura's date; always timezone-aware
  (UTC when the page gives none);
* language: ``<html lang>``, ``Content-Language`` or ``og:locale`` as a BCP 47 tag
  (default ``en``);
* source URL: the canonical URL (``<link rel="canonical">``/``og:url``), resolved against
  the page's own URL when relative, else the URL the page was fetched from.

When trafilatura finds nothing, a plain walk over headings, paragraphs and list items
outside navigation, headers, footers and asides takes over; a page with no article text at
all (only navigation, scripts or markup) raises InputError "no article text found".
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsaudio.errors import InputError
from newsaudio.loaders._blocks import language_tag, parse_datetime, protect_ampersands, split_title
from newsaudio.models import Article, Block, BlockKind

_LOGGER = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MARKUP_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|\?xml)", re.I | re.S)
_BLOCK_TAG = re.compile(
    r"<(p|div|article|body|head|h[1-6]|ul|ol|li|section|main|span|a|br|table|meta|title)[\s/>]",
    re.I,
)
_CLOSING_TAG = re.compile(r"</(p|div|article|body|h[1-6]|li|section|main|span|a|title)>", re.I)

_PRUNE_ALWAYS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "svg",
    "iframe",
    "button",
    "select",
    "form",
)
_PRUNE_OUTSIDE_ARTICLE = ("header", "footer", "aside")

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


_XML_BLOCKS = frozenset({"head", "list", "p", "quote", "div", "item", "code", "table", "graphic"})
_INLINE_SKIP = frozenset({"list", "graphic", "table", "code"})


def _inline_text(el: Any) -> str:
    """Text of a trafilatura XML element: line breaks become spaces, nested lists excluded.

    A word that ends inside a child element and one that starts right after it stay apart
    when the child is bold/italic (``<hi>will</hi>appreciate`` reads "will appreciate"):
    a highlighted run glued to a letter on both sides is a lost space, not a word.
    """
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            parts.append(" ")
        elif tag not in _INLINE_SKIP:
            inner = _inline_text(child)
            if tag in ("hi", "ref") and parts[-1][-1:].isalnum() and inner[:1].isalnum():
                parts.append(" ")
            parts.append(inner)
            tail = child.tail or ""
            if tag == "hi" and inner[-1:].isalnum() and tail[:1].isalpha():
                parts.append(" ")
        parts.append(child.tail or "")
    return "".join(parts)


def _link_text(el: Any) -> int:
    """Characters of ``el``'s text that sit inside links (``<ref>``)."""
    return sum(len(_one_line(_inline_text(ref))) for ref in el.iter("ref"))


def _is_link_block(el: Any, text: str) -> bool:
    """True for a block that is a bare link to another page: almost all its text is link
    text and it reads like a headline (short, or without a final full stop).

    Such blocks are "related stories", galleries and playlists of other pages; a long
    sentence that happens to be a link is kept.
    """
    if not text or _link_text(el) < 0.9 * len(text):
        return False
    return len(text.split()) <= _LINK_BLOCK_MAX_WORDS or not re.search(r"[.!?…][\"'”’)]*$", text)


_LINK_BLOCK_MAX_WORDS = 12


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _walk_xml(el: Any) -> Iterator[Block]:
    """Blocks of trafilatura's ``<main>`` element, in reading order.

    Inline text between block elements (after a heading inside the same ``<div>``, say) is a
    paragraph of its own; a block that is only a link to another page is left out, and so is
    the cut-off blurb under such a linked headline (a short paragraph ending in an ellipsis:
    the teaser card of another story).
    """
    pending: list[str] = [el.text or ""]
    after_link_heading = False

    def flush() -> Iterator[Block]:
        text = _one_line("".join(pending))
        pending.clear()
        if text:
            yield Block("paragraph", text)

    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in _XML_BLOCKS:
            if tag == "lb":
                pending.append(" ")
            elif tag:
                pending.append(_inline_text(child))
            pending.append(child.tail or "")
            continue
        yield from flush()
        linked_heading, after_link_heading = after_link_heading, False
        if tag == "head":
            rend = child.get("rend", "h2")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            text = _one_line(_inline_text(child))
            if not _is_link_block(child, text):
                yield Block("heading", text, level)
            else:
                after_link_heading = True
        elif tag == "list":
            for item in child:
                if item.tag != "item":
                    continue
                text = _one_line(_inline_text(item))
                if text and not _is_link_block(item, text):
                    yield Block("list_item", text)
                for nested in item:
                    if nested.tag == "list":
                        yield from _walk_xml(_wrap(nested))
        elif tag in ("p", "quote", "div", "item"):
            if any(c.tag in ("p", "list", "head", "quote", "div") for c in child):
                yield from _walk_xml(child)
            else:
                text = _one_line(_inline_text(child))
                if not _is_link_block(child, text) and not (linked_heading and _is_blurb(text)):
                    yield Block("paragraph", text)
        # code, table, graphic: left out (see module docstring)
        pending.append(child.tail or "")
    yield from flush()


_BLURB_MAX_WORDS = 60
_CUT_OFF = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")


def _is_blurb(text: str) -> bool:
    """True for a teaser blurb: short and cut off with an ellipsis ("War VW anfangs vom ...")."""
    return len(text.split()) <= _BLURB_MAX_WORDS and bool(_CUT_OFF.search(text))


def _wrap(list_el: Any) -> Any:
    """A detached container holding ``list_el`` so :func:`_walk_xml` can walk it."""
    from lxml import etree

    box = etree.Element("div")
    box.append(_copy(list_el))
    return box


def _copy(el: Any) -> Any:
    import copy

    return copy.deepcopy(el)


def _parse_tree(text: str, source: str) -> Any:
    """The lxml HTML tree of ``text``. Raises InputError if it is not parseable markup."""
    import lxml.html
    from lxml.etree import ParserError

    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise InputError(source, f"is not readable HTML ({exc})") from None


def _meta(tree: Any) -> dict[str, str]:
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


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
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


_WALL_PHRASES = re.compile(
    r"\b(?:"
    r"(?:sign|log) ?in (?:to|and) (?:continue|keep reading|read|view|access|unlock)"
    r"|(?:subscribe|register|sign up)(?: now| today| for free)? to (?:continue|keep reading|read"
    r"|access|unlock|view)"
    r"|to continue reading"
    r"|forgot (?:your )?password"
    r"|create (?:an?|your) (?:free )?account"
    r"|(?:already|not) (?:a subscriber|have an account|registered)"
    r"|(?:don't|do not) have an account"
    r"|(?:for|to) (?:paying |premium )?(?:subscribers|members|registered users) only"
    r"|(?:subscribers|members)[- ]only"
    r"|(?:is|are) (?:only )?(?:available|reserved|exclusive) (?:to|for) (?:our )?(?:paying )?"
    r"(?:subscribers|members|registered users)"
    r"|reached (?:your|the) (?:limit|maximum) of free"
    r"|free articles? (?:left|remaining)"
    r"|remember me"
    r"|(?:subscribe|sign in|log in) now"
    r")\b",
    re.IGNORECASE,
)
_WALL_MAX_WORDS = 250
"""A page with more words than this is read whatever it says about subscribing."""


def _not_free(tree: Any, meta: dict[str, str]) -> bool:
    """True if schema.org says the page is not free (``isAccessibleForFree: false``)."""

    def false(value: Any) -> bool:
        return value is False or str(value).strip().lower() == "false"

    if false(meta.get("isaccessibleforfree", "")):
        return True
    for obj in _json_ld(tree):
        stack: list[Any] = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if "isAccessibleForFree" in item and false(item["isAccessibleForFree"]):
                    return True
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return False


def access_wall(blocks: list[Block], not_free: bool) -> str | None:
    """Why the text of ``blocks`` is a login wall or paywall rather than an article, or None.

    A wall is short (at most :data:`_WALL_MAX_WORDS` words) and either marked not free by
    schema.org (``isAccessibleForFree: false``) or dominated by sign-in/subscribe prompts
    ("Sign in to continue reading", "Forgot your password?", "Subscribe now"): two kinds of
    prompt, or prompts in a third of its blocks.
    """
    words = sum(len(b.text.split()) for b in blocks)
    if words > _WALL_MAX_WORDS:
        return None
    prompts = {m.group(0).lower() for b in blocks for m in _WALL_PHRASES.finditer(b.text)}
    prompt_blocks = sum(1 for b in blocks if _WALL_PHRASES.search(b.text))
    if not_free and (prompts or words < 150):
        return "looks like a paywall (marked not free, and only a teaser to read)"
    if len(prompts) >= 2 or (prompts and 3 * prompt_blocks >= len(blocks)):
        return "looks like a login wall or paywall (mostly sign-in or subscribe prompts)"
    return None


def _published(tree: Any, meta: dict[str, str], fallback: str | None) -> datetime | None:
    """The publication date-time (tz-aware), most precise source first."""
    candidates: list[str] = [meta[k] for k in _PUBLISHED_META if k in meta]
    candidates += [str(obj["datePublished"]) for obj in _json_ld(tree) if obj.get("datePublished")]
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


def _language(tree: Any, meta: dict[str, str]) -> str:
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


def _absolute_http(url: str | None, base: str | None) -> str | None:
    """``url`` made absolute against ``base``, if the result is an http(s) URL."""
    if not url:
        return None
    full = urljoin(base, url.strip()) if base else url.strip()
    return full if urlsplit(full).scheme in ("http", "https") and urlsplit(full).netloc else None


def _canonical(
    tree: Any, meta: dict[str, str], base: str | None, fallback: str | None
) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = _absolute_http(link.get("href"), base)
            if found:
                return found
    return (
        _absolute_http(meta.get("og:url"), base)
        or _absolute_http(fallback, base)
        or _absolute_http(base, None)
    )


def _site_name(tree: Any, meta: dict[str, str]) -> str | None:
    """The publication's name: ``og:site_name``, else JSON-LD ``publisher.name``."""
    for key in ("og:site_name", "application-name"):
        if meta.get(key):
            return _one_line(meta[key]) or None
    for obj in _json_ld(tree):
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return _one_line(publisher["name"]) or None
    return None


def _image(meta: dict[str, str], base: str | None) -> str | None:
    """The lead image's absolute http(s) URL (``og:image``, ``twitter:image``), if any."""
    for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image"):
        found = _absolute_http(meta.get(key), base)
        if found:
            return found
    return None


_CHROME_CLASS = re.compile(
    r"(?:^|[-_\s])(?:newsletter|signup|sign-up|subscribe|subscription|promo|promotion|related"
    r"|recommended|recirc|outbrain|taboola|share|sharing|social|gallery|carousel|slideshow"
    r"|playlist|player|video-player|jwplayer|rollover|tooltip|popover|popup|hovercard|modal"
    r"|sidebar|widget|advert|advertisement|ad-slot|sponsor|sponsored|cookie|consent"
    r"|read-more|more-stories|most-popular|most-read|trending|next-article|inline-related"
    r"|author-bio|about-author|nav|menu|breadcrumbs?|tags|comments?|latest|latest-news|subline"
    r"|subheadline|standfirst|dek|strapline|copyright)(?:$|[-_\s])",
    re.IGNORECASE,
)
_CHROME_MAX_SHARE = 0.25
"""An element marked as chrome by its class or id is dropped only while it holds less than
this share of the page's text: a page whose article sits in a "share-wrapper" keeps it."""
_FORM_MIN_PARAGRAPHS = 3


def _text_length(el: Any) -> int:
    return len(" ".join(el.text_content().split()))


def _prune(tree: Any) -> None:
    """Remove elements that never hold article text (in place).

    Always: HTML comments (the text that follows one is kept: CMS markers such as
    ``<!-- RSPEAK_START -->`` often open a paragraph's text), scripts, styles, navigation,
    buttons, inputs, and forms, except a form that wraps the article itself (ASP.NET pages
    put the whole page in one ``<form>``). Then
    ARIA navigation, banners and hidden elements, and elements whose class or id names
    page chrome (newsletter sign-ups, related stories, galleries, video players, pop-up
    name cards, share bars...) while they hold under a quarter of the page's text. Last,
    bare text in a ``<div>`` gets paragraphs (:func:`_wrap_bare_text`).
    """
    from lxml import etree

    etree.strip_tags(tree, etree.Comment)
    for el in list(tree.iter(*_PRUNE_ALWAYS)):
        if el.getparent() is None:
            continue
        if el.tag == "form" and (
            next(el.iter("article", "main"), None) is not None
            or sum(1 for p in el.iter("p") if p.text_content().strip()) >= _FORM_MIN_PARAGRAPHS
        ):
            continue
        el.drop_tree()
    body = tree.find("body")
    total = max(1, _text_length(body if body is not None else tree))
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el.tag in ("body", "html"):
            continue
        role = (el.get("role") or "").lower()
        hidden = el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"
        if role in ("navigation", "banner", "contentinfo", "search") or hidden:
            el.drop_tree()
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if (
            el.tag not in ("article", "main")
            and _CHROME_CLASS.search(marks)
            and _text_length(el) < _CHROME_MAX_SHARE * total
            and not _holds_prose(el)
        ):
            el.drop_tree()
    _wrap_bare_text(tree)


_INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    ]
)
_BARE_TEXT_CONTAINERS = ("div", "section", "article", "main", "center")


def _wrap_bare_text(tree: Any) -> None:
    """Give paragraph elements to article text that sits directly in a ``<div>`` (or
    ``<section>``, ``<article>``, ``<main>``) in place: each run of text and inline
    elements between two block children, or between two consecutive ``<br>``, becomes a
    ``<p>``, as a browser lays it out (an anonymous block box, CSS 2.1 § 9.2.1.1); a bold
    line alone before a ``<br>`` (a subheading) is a paragraph of its own.

    Only containers whose bare text holds a paragraph of prose (a run of at least
    :data:`_PROSE_PARAGRAPH_CHARS` characters) are touched, and only runs holding bare text
    of their own are wrapped (a lone link or label between blocks stays as it was).
    trafilatura reads ``<p>`` but drops bare text in a ``<div>`` or splits it at each link,
    losing the words before the first one.
    """
    for el in list(tree.iter(*_BARE_TEXT_CONTAINERS)):
        if el.getparent() is None:
            continue
        items: list[Any] = [el.text or ""]
        for child in el:
            items += [child, child.tail or ""]
        if not any(isinstance(i, str) and i.strip() for i in items):
            continue
        runs: list[list[Any]] = [[]]
        bold_lines: list[list[Any]] = []
        for item in items:
            if isinstance(item, str):
                runs[-1].append(item)
            elif item.tag == "br":
                last = next((i for i in reversed(runs[-1]) if not isinstance(i, str)), None)
                if (
                    last is not None
                    and last.tag == "br"
                    and not "".join(
                        i for i in runs[-1][runs[-1].index(last) + 1 :] if isinstance(i, str)
                    ).strip()
                ):
                    runs[-1] = runs[-1][: runs[-1].index(last)]
                    runs += [[last, item], []]  # the two breaks stay outside the paragraphs
                elif _bold_line(line := _last_line(runs[-1])):
                    # a bold line alone between two breaks is a subheading: its own paragraph
                    runs[-1] = runs[-1][: len(runs[-1]) - len(line)]
                    bold_lines.append(line)
                    runs += [line, [item], []]
                else:
                    runs[-1].append(item)
            elif _is_block(item):
                runs += [[item], []]
            else:
                runs[-1].append(item)

        def bare(run: list[Any]) -> bool:
            return any(isinstance(i, str) and any(ch.isalpha() for ch in i) for i in run)

        def length(run: list[Any]) -> int:
            return len(
                _one_line("".join(i if isinstance(i, str) else i.text_content() for i in run))
            )

        alone = sum(1 for r in runs if r) < 2
        if (alone and not any(_is_text_element(i) for r in runs for i in r)) or not any(
            bare(r) and length(r) >= _PROSE_PARAGRAPH_CHARS for r in runs
        ):
            continue  # a box of plain text alone (a caption, a teaser) is left to trafilatura
        el.text = None
        for child in list(el):
            child.tail = None
            el.remove(child)
        for run in runs:
            wrapped = bare(run) or any(run is b for b in bold_lines)
            target = el.makeelement("p", {}) if wrapped else el
            if wrapped:
                el.append(target)
            for item in run:
                if isinstance(item, str):
                    _append_text(target, item)
                else:
                    target.append(item)


def _last_line(run: list[Any]) -> list[Any]:
    """The items of ``run`` after its last ``<br>`` (all of them if it has none)."""
    for i in range(len(run) - 1, -1, -1):
        if not isinstance(run[i], str) and run[i].tag == "br":
            return run[i + 1 :]
    return run


def _bold_line(run: list[Any]) -> bool:
    """True if ``run`` is one bold element alone on its line (``<b>Subheading</b><br>``)."""
    content = [i for i in run if not (isinstance(i, str) and not i.strip())]
    return (
        len(content) == 1
        and not isinstance(content[0], str)
        and content[0].tag in ("b", "strong")
        and bool(content[0].text_content().strip())
    )


def _is_text_element(item: Any) -> bool:
    return not isinstance(item, str) and item.tag != "br" and bool(item.text_content().strip())


def _is_block(el: Any) -> bool:
    return isinstance(el.tag, str) and el.tag not in _INLINE_TAGS


def _append_text(parent: Any, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _holds_prose(el: Any) -> bool:
    """True if ``el`` holds article prose: an ``<article>``, ``articleBody`` or at least three
    paragraphs of a sentence or more (chrome holds links, prompts and captions)."""
    if (
        next(el.iter("article"), None) is not None
        or el.find(".//*[@itemprop='articleBody']") is not None
    ):
        return True
    long_paragraphs = 0
    for p in el.iter("p"):
        if len(p.text_content().strip()) >= _PROSE_PARAGRAPH_CHARS:
            long_paragraphs += 1
            if long_paragraphs >= _FORM_MIN_PARAGRAPHS:
                return True
    return False


_PROSE_PARAGRAPH_CHARS = 80


def _has_words(blocks: list[Block]) -> bool:
    return any(any(ch.isalnum() for ch in b.text) for b in blocks)


def _fallback_blocks(tree: Any) -> list[Block]:
    """Headings, paragraphs and list items outside page chrome, for pages trafilatura skips."""
    for el in list(tree.iter(*_PRUNE_OUTSIDE_ARTICLE)):
        if el.getparent() is None:
            continue
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            el.drop_tree()
    body = next(tree.iter("article"), None)
    if body is None:
        body = next(tree.iter("main"), None)
    if body is None:
        body = tree.find("body")
    if body is None:
        body = tree
    wanted = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "pre"}
    taken: set[Any] = set()
    blocks: list[Block] = []
    for el in body.iter(*wanted):
        if any(a in taken for a in el.iterancestors()):
            continue
        taken.add(el)
        if el.tag == "pre":
            continue
        if el.tag in ("li", "blockquote") and el.find(".//p") is not None:
            taken.discard(el)  # let its paragraphs through one by one
            continue
        text = _one_line(el.text_content())
        if not text:
            continue
        kind: BlockKind = (
            "heading" if el.tag[0] == "h" else "list_item" if el.tag == "li" else "paragraph"
        )
        blocks.append(Block(kind, text, int(el.tag[1]) if kind == "heading" else 0))
    if not blocks:
        text = _one_line(body.text_content())
        if text:
            blocks.append(Block("paragraph", text))
    return blocks


_TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•»-]+\s+|\s+::\s+")


def _site_names(tree: Any, meta: dict[str, str], url: str | None) -> set[str]:
    """Names the page gives its site (og:site_name, application-name, JSON-LD publisher,
    the host name), as comparison keys."""
    names = {meta.get("og:site_name", ""), meta.get("application-name", "")}
    for obj in _json_ld(tree):
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(publisher["name"])
    if url:
        host = urlsplit(url).hostname or ""
        host = host.removeprefix("www.")
        names.add(host)
        names.add(host.rsplit(".", 1)[0])
    return {_title_key(n) for n in names if _title_key(n)}


def _title_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_SITE_EXTRA_CHARS = 6  # "The Hill" vs "thehill.com", "Sportsnet.ca" vs "sportsnet"


def strip_site_name(title: str, site_names: set[str]) -> str:
    """``title`` without a leading or trailing site name ("Headline - Sportsnet.ca",
    "Headline | The Paradigm", "IGN: Headline"): a part cut off by a separator that is one of
    ``site_names`` (keys), or contains or is contained in one of them."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title.strip()

    def is_site(part: str) -> bool:
        key = _title_key(part)
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
            headline = strip_site_name(_one_line(candidate), site_names)
            if (
                candidate is not social
                and first_h1
                and _title_key(headline) == _title_key(first_h1)
                and doc_title
                and _title_key(first_h1) not in _title_key(doc_title)
                and len(first_h1.split()) <= _BANNER_MAX_WORDS
            ):
                return strip_site_name(doc_title, site_names)
            return headline
    return None


_BANNER_MAX_WORDS = 5


_BLOCK_ELEMENTS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")


def _signature(el: Any) -> tuple[str, str]:
    return el.tag, " ".join((el.get("class") or "").split())


def _chunk_blocks(chunk: Any) -> list[Block]:
    """Headings, paragraphs and list items of one body chunk, in reading order."""
    out: list[Block] = []
    taken: set[Any] = set()
    for el in chunk.iter(*_BLOCK_ELEMENTS):
        if any(a in taken for a in el.iterancestors()):
            continue
        if el.tag in ("li", "blockquote") and el.find(".//p") is not None:
            continue
        taken.add(el)
        text = _one_line(el.text_content())
        if not text:
            continue
        kind: BlockKind = (
            "heading" if el.tag[0] == "h" else "list_item" if el.tag == "li" else "paragraph"
        )
        out.append(Block(kind, text, int(el.tag[1]) if kind == "heading" else 0))
    return out


def _join_split_body(tree: Any, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the rest of an article body that the page splits into several
    sibling sections (``<div class="article__body">`` repeated between ads), of which
    trafilatura reads only one.

    The section is found from the first long extracted paragraph: climbing from it, the
    first ancestor with siblings of the same tag and class that hold prose names the
    sections; their paragraphs not already read are added before or after, in page order.
    """
    first = next((b.text for b in blocks if len(b.text) >= _PROSE_PARAGRAPH_CHARS), None)
    if first is None:
        return blocks
    probe = first[:60]
    anchor = next(
        (p for p in tree.iter("p") if probe in _one_line(p.text_content())),
        None,
    )
    if anchor is None:
        return blocks
    for ancestor in anchor.iterancestors():
        parent = ancestor.getparent()
        if parent is None or ancestor.tag in ("body", "html"):
            return blocks
        signature = _signature(ancestor)
        if not signature[1]:
            continue
        siblings = [s for s in parent if isinstance(s.tag, str) and _signature(s) == signature]
        if len(siblings) < 2 or not all(_holds_text(s) for s in siblings):
            continue
        known = {_one_line(b.text) for b in blocks}
        before: list[Block] = []
        after: list[Block] = []
        seen_anchor = False
        for section in siblings:
            if section is ancestor:
                seen_anchor = True
                continue
            extra = [b for b in _chunk_blocks(section) if b.text not in known]
            (after if seen_anchor else before).extend(extra)
        return before + blocks + after
    return blocks


_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|Report)$")
_STANDFIRST_MIN_CHARS = 40


def _standfirst(tree: Any) -> str | None:
    """The standfirst (the lead paragraph under the headline) when the page marks it as such:

    * the visible element that schema.org microdata names the description of the article
      (``itemprop="description"`` inside an ``itemscope`` of an Article type: NewsArticle,
      BlogPosting, ReportageNewsArticle...), not a ``<meta>``, where that item holds the
      page's ``<h1>`` or its ``articleBody`` (a teaser card of another story does not);
    * else the subheading that an ``<hgroup>`` gives the page's ``<h1>`` (HTML § 4.3.7).

    None when neither is there, or the text is shorter than a sentence or hidden.
    """
    h1 = next(tree.iter("h1"), None)
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link"):
            continue
        if "description" not in (el.get("itemprop") or "").split() or el.get("itemscope"):
            continue
        scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        if scope is None or not any(
            _ARTICLE_TYPE.search(t.rstrip("/")) for t in (scope.get("itemtype") or "").split()
        ):
            continue
        if not any(e is h1 for e in scope.iter("h1")) and not scope.xpath(
            ".//*[@itemprop='articleBody']"
        ):
            continue  # the card of another story, not the page's article
        text = _one_line(el.text_content())
        if len(text) >= _STANDFIRST_MIN_CHARS and not _hidden(el):
            return text
    for group in tree.iter("hgroup"):
        h1 = group.find(".//h1")
        if h1 is None or _hidden(group):
            continue
        after = [_one_line(e.text_content()) for e in h1.itersiblings() if isinstance(e.tag, str)]
        text = " ".join(t for t in after if t)
        if len(text) >= _STANDFIRST_MIN_CHARS:
            return text
    return None


def _hidden(el: Any) -> bool:
    """True if ``el`` or an ancestor is hidden (``hidden``, ``aria-hidden``, inline
    ``display: none``)."""
    for e in (el, *el.iterancestors()):
        style = (e.get("style") or "").replace(" ", "").lower()
        if (
            e.get("hidden") is not None
            or (e.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style
        ):
            return True
    return False


def _with_standfirst(standfirst: str | None, blocks: list[Block]) -> list[Block]:
    """``blocks`` with ``standfirst`` as their first paragraph, unless they already read it."""
    if not standfirst:
        return blocks
    key = _title_key(standfirst)
    if any(key in _title_key(b.text) for b in blocks):
        return blocks
    return [Block("paragraph", standfirst), *blocks]


def _continuation(tree: Any, blocks: list[Block]) -> list[Block]:
    """``blocks`` and, after them, the article text that the page keeps in a bare box right
    after the last extracted paragraph (a paywalled page's preview of its opening
    paragraphs sits in a ``<div>`` of plain text, which trafilatura does not read).

    The next text in document order after the last extracted paragraph is taken when it is
    the whole content of a ``<div>``/``<section>`` with no block inside: plain prose of at
    least :data:`_PROSE_PARAGRAPH_CHARS` characters, not links.
    """
    last = next((b.text for b in reversed(blocks) if b.kind == "paragraph"), None)
    if last is None or len(last) < _PROSE_PARAGRAPH_CHARS // 2:
        return blocks
    probe = last[-60:]
    anchor = next(
        (
            el
            for el in tree.iter("p", "div", "li", "blockquote", "section")
            if probe in _one_line(el.text_content())
        ),
        None,
    )
    if anchor is None:
        return blocks
    while True:  # the innermost element holding the probe
        inner = next(
            (c for c in anchor if isinstance(c.tag, str) and probe in _one_line(c.text_content())),
            None,
        )
        if inner is None:
            break
        anchor = inner
    for el in anchor.xpath("following::*"):
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if not any(ch.isalpha() for ch in own):
            continue
        box = el
        while not _is_block(box) and box.getparent() is not None:
            box = box.getparent()
        text = _one_line(box.text_content())
        if (
            box.tag in ("div", "section")
            and not any(_is_block(c) for c in box.iterdescendants())
            and len(text) >= _PROSE_PARAGRAPH_CHARS
            and _link_chars(box) < 0.1 * len(text)
            and _title_key(text)[:80] not in "".join(_title_key(b.text) for b in blocks)
        ):
            return [*blocks, Block("paragraph", text)]
        return blocks
    return blocks


def _link_chars(el: Any) -> int:
    return sum(len(_one_line(a.text_content())) for a in el.iter("a"))


def _holds_text(el: Any) -> bool:
    return any(len(p.text_content().strip()) >= _PROSE_PARAGRAPH_CHARS for p in el.iter("p"))


def parse_html(text: str, *, source: str, source_key: str, url: str | None = None) -> Article:
    """Parse an HTML page into an :class:`Article` (not yet cleaned).

    ``url`` is where the page was fetched from (relative canonical links resolve against
    it; it is the source URL when the page names no canonical URL). Raises InputError if
    the page holds no article text.
    """
    import trafilatura
    from lxml import etree

    tree = _parse_tree(text, source)
    meta = _meta(tree)
    language = _language(tree, meta)
    first_h1 = next((_one_line(h.text_content()) for h in tree.iter("h1")), None)
    published_tree = _published(tree, meta, None)
    canonical_tree = _canonical(tree, meta, url, None)
    site_name = _site_name(tree, meta)
    image_url = _image(meta, url or canonical_tree)
    not_free = _not_free(tree, meta)
    title_el = tree.find(".//title")
    tree_title = title_el.text_content() if title_el is not None else None
    site_names = _site_names(tree, meta, url or canonical_tree)
    standfirst = _standfirst(tree)
    _prune(tree)

    xml = trafilatura.extract(
        tree,
        url=url,
        output_format="xml",
        include_formatting=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,  # link density tells related stories from article text
        with_metadata=True,
    )
    title: str | None = None
    byline: str | None = None
    date_text: str | None = None
    blocks: list[Block] = []
    if xml:
        doc = etree.fromstring(xml.encode("utf-8"))
        title = doc.get("title")
        byline = doc.get("author")
        date_text = doc.get("date")
        main = doc.find("main")
        if main is not None:
            blocks = [b for b in _walk_xml(main) if b.text]
    if len(blocks) <= 1:
        # nothing found, or a short page flattened into one paragraph by trafilatura's
        # baseline extractor: a plain walk keeps headings, paragraphs and list items apart
        fresh = _parse_tree(text, source)  # trafilatura may have altered ``tree``
        _prune(fresh)
        walked = _fallback_blocks(fresh)
        if len(walked) > len(blocks) or not _has_words(blocks):
            _LOGGER.debug("%s: using the plain walk (%d blocks)", source, len(walked))
            blocks = walked
    if not _has_words(blocks):
        raise InputError(
            source, "no article text found (the page holds only navigation, scripts or markup)"
        )
    if len(blocks) > 1:
        fresh = _parse_tree(text, source)
        _prune(fresh)
        blocks = _continuation(fresh, _join_split_body(fresh, blocks))

    wall = access_wall(blocks, not_free)
    headline = choose_headline(
        title,
        first_h1,
        meta,
        doc_title=_one_line(tree_title or ""),
        site_names=site_names,
    )
    head, body = split_title(headline, blocks, language)
    body = _with_standfirst(standfirst, body)
    if byline:
        parts = [re.sub(r"^\s*by\s+", "", p, flags=re.I).strip() for p in byline.split(";")]
        byline = ", ".join(p for p in parts if p) or None
    return Article(
        title=protect_ampersands(head),
        blocks=tuple(Block(b.kind, protect_ampersands(b.text), b.level) for b in body),
        source=source,
        source_key=source_key,
        byline=protect_ampersands(byline) if byline else None,
        published=published_tree or parse_datetime(date_text),
        source_url=canonical_tree or _absolute_http(url, None),
        language=language,
        site_name=protect_ampersands(site_name) if site_name else None,
        image_url=image_url,
        wall=wall,
    )


class HtmlLoader:
    """Loader for ``.html``/``.htm``/``.xhtml`` files and HTML on stdin."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml", ".shtml")

    def sniff(self, text: str) -> bool:
        """True if ``text`` starts like an HTML document or is mostly tagged blocks."""
        head = text[:4096]
        if _MARKUP_START.match(head):
            return True
        return len(_BLOCK_TAG.findall(head)) >= 2 and bool(_CLOSING_TAG.search(head))

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """See :func:`parse_html`."""
        return parse_html(text, source=source, source_key=source_key)


LOADER = HtmlLoader()
