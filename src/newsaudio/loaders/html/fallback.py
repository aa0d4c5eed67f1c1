"""The plain walk that takes over when trafilatura finds nothing (or one flattened paragraph)."""

from __future__ import annotations

from typing import Any

from newsaudio.loaders.html.tree import element_block, one_line
from newsaudio.models import Block

_PRUNE_OUTSIDE_ARTICLE = ("header", "footer", "aside")


def has_words(blocks: list[Block]) -> bool:
    """True if any of ``blocks`` holds a letter or digit."""
    return any(any(ch.isalnum() for ch in b.text) for b in blocks)


def fallback_blocks(tree: Any) -> list[Block]:
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
        block = element_block(el)
        if block is not None:
            blocks.append(block)
    if not blocks:
        text = one_line(body.text_content())
        if text:
            blocks.append(Block("paragraph", text))
    return blocks
