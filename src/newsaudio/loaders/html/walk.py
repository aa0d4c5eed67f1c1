"""The block walk: trafilatura's XML (``<main>``) into headings, paragraphs and list items."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from newsaudio.loaders.html.tree import one_line
from newsaudio.models import Block

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
    return sum(len(one_line(_inline_text(ref))) for ref in el.iter("ref"))


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


def walk_xml(el: Any) -> Iterator[Block]:
    """Blocks of trafilatura's ``<main>`` element, in reading order.

    Inline text between block elements (after a heading inside the same ``<div>``, say) is a
    paragraph of its own; a block that is only a link to another page is left out, and so is
    the cut-off blurb under such a linked headline (a short paragraph ending in an ellipsis:
    the teaser card of another story).
    """
    pending: list[str] = [el.text or ""]
    after_link_heading = False

    def flush() -> Iterator[Block]:
        text = one_line("".join(pending))
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
            text = one_line(_inline_text(child))
            if not _is_link_block(child, text):
                yield Block("heading", text, level)
            else:
                after_link_heading = True
        elif tag == "list":
            for item in child:
                if item.tag != "item":
                    continue
                text = one_line(_inline_text(item))
                if text and not _is_link_block(item, text):
                    yield Block("list_item", text)
                for nested in item:
                    if nested.tag == "list":
                        yield from walk_xml(_wrap(nested))
        elif tag in ("p", "quote", "div", "item"):
            if any(c.tag in ("p", "list", "head", "quote", "div") for c in child):
                yield from walk_xml(child)
            else:
                text = one_line(_inline_text(child))
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
    """A detached container holding ``list_el`` so :func:`walk_xml` can walk it."""
    from lxml import etree

    box = etree.Element("div")
    box.append(_copy(list_el))
    return box


def _copy(el: Any) -> Any:
    return copy.deepcopy(el)
