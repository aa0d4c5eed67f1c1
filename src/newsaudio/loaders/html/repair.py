"""Repairs to what trafilatura extracted, made on a fresh pruned tree.

A body the page splits into sibling sections (trafilatura reads one), a preview paragraph
kept in a bare box after the last extracted one, and the standfirst the page marks up as
the article's description.
"""

from __future__ import annotations

import re
from typing import Any

from newsaudio.loaders.html.tree import (
    PROSE_PARAGRAPH_CHARS,
    element_block,
    is_block,
    one_line,
    title_key,
)
from newsaudio.models import Block

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
        block = element_block(el)
        if block is not None:
            out.append(block)
    return out


def join_split_body(tree: Any, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the rest of an article body that the page splits into several
    sibling sections (``<div class="article__body">`` repeated between ads), of which
    trafilatura reads only one.

    The section is found from the first long extracted paragraph: climbing from it, the
    first ancestor with siblings of the same tag and class that hold prose names the
    sections; their paragraphs not already read are added before or after, in page order.
    """
    first = next((b.text for b in blocks if len(b.text) >= PROSE_PARAGRAPH_CHARS), None)
    if first is None:
        return blocks
    probe = first[:60]
    anchor = next(
        (p for p in tree.iter("p") if probe in one_line(p.text_content())),
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
        known = {one_line(b.text) for b in blocks}
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


def find_standfirst(tree: Any) -> str | None:
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
        text = one_line(el.text_content())
        if len(text) >= _STANDFIRST_MIN_CHARS and not _hidden(el):
            return text
    for group in tree.iter("hgroup"):
        h1 = group.find(".//h1")
        if h1 is None or _hidden(group):
            continue
        after = [one_line(e.text_content()) for e in h1.itersiblings() if isinstance(e.tag, str)]
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


def with_standfirst(standfirst: str | None, blocks: list[Block]) -> list[Block]:
    """``blocks`` with ``standfirst`` as their first paragraph, unless they already read it."""
    if not standfirst:
        return blocks
    key = title_key(standfirst)
    if any(key in title_key(b.text) for b in blocks):
        return blocks
    return [Block("paragraph", standfirst), *blocks]


def continuation(tree: Any, blocks: list[Block]) -> list[Block]:
    """``blocks`` and, after them, the article text that the page keeps in a bare box right
    after the last extracted paragraph (a paywalled page's preview of its opening
    paragraphs sits in a ``<div>`` of plain text, which trafilatura does not read).

    The next text in document order after the last extracted paragraph is taken when it is
    the whole content of a ``<div>``/``<section>`` with no block inside: plain prose of at
    least :data:`PROSE_PARAGRAPH_CHARS` characters, not links.
    """
    last = next((b.text for b in reversed(blocks) if b.kind == "paragraph"), None)
    if last is None or len(last) < PROSE_PARAGRAPH_CHARS // 2:
        return blocks
    probe = last[-60:]
    anchor = next(
        (
            el
            for el in tree.iter("p", "div", "li", "blockquote", "section")
            if probe in one_line(el.text_content())
        ),
        None,
    )
    if anchor is None:
        return blocks
    while True:  # the innermost element holding the probe
        inner = next(
            (c for c in anchor if isinstance(c.tag, str) and probe in one_line(c.text_content())),
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
        while not is_block(box) and box.getparent() is not None:
            box = box.getparent()
        text = one_line(box.text_content())
        if (
            box.tag in ("div", "section")
            and not any(is_block(c) for c in box.iterdescendants())
            and len(text) >= PROSE_PARAGRAPH_CHARS
            and _link_chars(box) < 0.1 * len(text)
            and title_key(text)[:80] not in "".join(title_key(b.text) for b in blocks)
        ):
            return [*blocks, Block("paragraph", text)]
        return blocks
    return blocks


def _link_chars(el: Any) -> int:
    return sum(len(one_line(a.text_content())) for a in el.iter("a"))


def _holds_text(el: Any) -> bool:
    return any(len(p.text_content().strip()) >= PROSE_PARAGRAPH_CHARS for p in el.iter("p"))
