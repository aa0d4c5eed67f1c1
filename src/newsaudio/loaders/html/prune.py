"""Pruning: the page tree without what never holds article text, before trafilatura reads it."""

from __future__ import annotations

import re
from typing import Any

from newsaudio.loaders.html.tree import PROSE_PARAGRAPH_CHARS, is_block, one_line

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


def prune(tree: Any) -> None:
    """Remove elements that never hold article text (in place).

    Always: HTML comments (the text that follows one is kept: CMS markers such as
    ``<!-- RSPEAK_START -->`` often open a paragraph's text), scripts, styles, navigation,
    buttons, inputs, and forms, except a form that wraps the article itself (ASP.NET pages
    put the whole page in one ``<form>``). Then
    ARIA navigation, banners and hidden elements, and elements whose class or id names
    page chrome (newsletter sign-ups, related stories, galleries, video players, pop-up
    name cards, share bars...) while they hold under a quarter of the page's text, but not a
    link read inside a sentence (:func:`_link_in_sentence`: a linked name). Last,
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
            and not _link_in_sentence(el)
        ):
            el.drop_tree()
    _wrap_bare_text(tree)


def _link_in_sentence(el: Any) -> bool:
    """True for a link read as part of a sentence, or the inline wrapper of one: an ``<a>``
    (or an element with exactly one ``<a>`` child) inside a paragraph that has more text than the
    link. Sites mark linked names with classes that name their pop-up cards
    (``<span class="rollover-people"><a class="rollover-people-link">Kristi Noem</a><span
    class="rollover-people-block">...card...</span></span>``, ``<a
    class="sn-player-post-link">Rafael Nadal</a>``): the name stays in the sentence, while
    the card, marked as chrome itself, is still dropped."""
    links = [el] if el.tag == "a" else [c for c in el if c.tag == "a"]
    if len(links) != 1:  # a wrapper of one name, not a card or list of links
        return False
    link = links[0]
    paragraph = next((a for a in el.iterancestors() if a.tag == "p"), None)
    if paragraph is None:
        return False
    name = " ".join(link.text_content().split())
    return 0 < len(name) <= 80 and _text_length(paragraph) > 2 * len(name)


_BARE_TEXT_CONTAINERS = ("div", "section", "article", "main", "center")


def _wrap_bare_text(tree: Any) -> None:
    """Give paragraph elements to article text that sits directly in a ``<div>`` (or
    ``<section>``, ``<article>``, ``<main>``) in place: each run of text and inline
    elements between two block children, or between two consecutive ``<br>``, becomes a
    ``<p>``, as a browser lays it out (an anonymous block box, CSS 2.1 § 9.2.1.1); a bold
    line alone before a ``<br>`` (a subheading) is a paragraph of its own.

    Only containers whose bare text holds a paragraph of prose (a run of at least
    :data:`PROSE_PARAGRAPH_CHARS` characters) are touched, and only runs holding bare text
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
            elif is_block(item):
                runs += [[item], []]
            else:
                runs[-1].append(item)

        def bare(run: list[Any]) -> bool:
            return any(isinstance(i, str) and any(ch.isalpha() for ch in i) for i in run)

        def length(run: list[Any]) -> int:
            return len(
                one_line("".join(i if isinstance(i, str) else i.text_content() for i in run))
            )

        alone = sum(1 for r in runs if r) < 2
        if (alone and not any(_is_text_element(i) for r in runs for i in r)) or not any(
            bare(r) and length(r) >= PROSE_PARAGRAPH_CHARS for r in runs
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
        if len(p.text_content().strip()) >= PROSE_PARAGRAPH_CHARS:
            long_paragraphs += 1
            if long_paragraphs >= _FORM_MIN_PARAGRAPHS:
                return True
    return False
