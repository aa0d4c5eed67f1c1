"""The parsed page and the measures every step of the HTML loader shares.

``parse_tree`` turns markup into an lxml tree; the rest are small measures on text and
elements: a block's text on one line, a comparison key for titles, which elements are
blocks (all but the inline ones such as ``<a>``, ``<b>``, ``<span>``, ``<br>``), the block an
element reads as, and how long a paragraph of prose is at the least.
"""

from __future__ import annotations

import re
from typing import Any

from newsaudio.errors import InputError
from newsaudio.models import Block, BlockKind

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) one space, trimmed."""
    return " ".join(text.split())


def parse_tree(text: str, source: str) -> Any:
    """The lxml HTML tree of ``text``. Raises InputError if it is not parseable markup."""
    import lxml.html
    from lxml.etree import ParserError

    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise InputError(source, f"is not readable HTML ({exc})") from None


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


def is_block(el: Any) -> bool:
    """True for an element that is not one of the inline elements."""
    return isinstance(el.tag, str) and el.tag not in _INLINE_TAGS


PROSE_PARAGRAPH_CHARS = 80


def title_key(text: str) -> str:
    """``text`` case-folded to its letters and digits: titles compared on their words."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def element_block(el: Any) -> Block | None:
    """The block an HTML block element reads as: ``<h1>``-``<h6>`` a heading of that level,
    ``<li>`` a list item, any other a paragraph; None when it holds no text."""
    text = one_line(el.text_content())
    if not text:
        return None
    kind: BlockKind = (
        "heading" if el.tag[0] == "h" else "list_item" if el.tag == "li" else "paragraph"
    )
    return Block(kind, text, int(el.tag[1]) if kind == "heading" else 0)
