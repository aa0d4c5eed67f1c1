"""Text of feed items: HTML fragments (``content:encoded``, ``atom:content``, ``content_html``,
descriptions) into article blocks, plain titles, word counts.

Fragments are parsed with lxml's HTML parser (no DTD, no network, no entity expansion
beyond HTML's own). Block elements (``p``, ``div``, ``li``, headings, ``blockquote``...) and
two ``<br>`` in a row separate paragraphs; scripts, styles, embedded media, figures,
tables and code listings are left out (they do not read well aloud).
"""

from __future__ import annotations

import html
import re

from newsaudio.models import Block, BlockKind

_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio",
    "figure", "figcaption", "table", "pre", "code", "svg", "form", "button", "img", "picture",
)  # fmt: skip
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "blockquote",
        "hr",
    ]
)
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
_MARK = "\ue000"  # a private-use character marks headings and list items
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAGGED = re.compile(r"<[A-Za-z!/?][^>]*>")


def plain_text(value: str | None) -> str:
    """``value`` with markup removed and entities decoded, on one line."""
    if not value:
        return ""
    text = value
    if "<" in text:
        text = _TAGGED.sub(" ", text)
    return " ".join(html.unescape(text).split())


def html_blocks(fragment: str) -> list[Block]:
    """Paragraphs, headings and list items of an HTML (or plain text) fragment."""
    fragment = _CONTROL.sub(" ", fragment.replace(_MARK, " "))
    if not fragment.strip():
        return []
    if "<" not in fragment:  # plain text: blank lines separate paragraphs
        parts = re.split(r"\n\s*\n", html.unescape(fragment))
        return [Block("paragraph", " ".join(p.split())) for p in parts if p.strip()]
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block("paragraph", plain_text(fragment))] if plain_text(fragment) else []
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
            mark = f"{_MARK}{tag}{_MARK}" if tag in _HEADINGS or tag == "li" else ""
            el.text = f"\n\n{mark}" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t\r\f\v]*\n", text):
        kind: BlockKind = "paragraph"
        level = 0
        m = re.match(rf"\s*{_MARK}(\w+){_MARK}", chunk)
        if m:
            tag = m.group(1)
            kind = "list_item" if tag == "li" else "heading"
            level = int(tag[1]) if kind == "heading" else 0
            chunk = chunk[m.end() :]
        words = " ".join(chunk.replace(_MARK, " ").split())
        if words and any(ch.isalnum() for ch in words):
            blocks.append(Block(kind, words, level))
    return blocks


def word_count(blocks: list[Block]) -> int:
    """Words (whitespace-separated tokens) in ``blocks``."""
    return sum(len(b.text.split()) for b in blocks)
