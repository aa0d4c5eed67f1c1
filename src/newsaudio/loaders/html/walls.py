"""Login walls and paywalls: a page that shows a prompt or a teaser instead of its article."""

from __future__ import annotations

import re
from typing import Any

from newsaudio.loaders.html.meta import json_ld
from newsaudio.models import Block

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


def marked_not_free(tree: Any, meta: dict[str, str]) -> bool:
    """True if schema.org says the page is not free (``isAccessibleForFree: false``)."""

    def false(value: Any) -> bool:
        return value is False or str(value).strip().lower() == "false"

    if false(meta.get("isaccessibleforfree", "")):
        return True
    for obj in json_ld(tree):
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
