"""Cleaning: display text that is safe to show and speak, with site boilerplate removed.

Two ordered rule lists, each a list of small functions:

* :data:`TEXT_RULES` (``str -> str``) run on every block of text, in order: decode HTML
  character references once, turn every Unicode space into a plain space, drop zero-width and
  control characters, collapse runs of spaces. Curly quotes and dashes are kept for display.
* :data:`BOILERPLATE` (compiled patterns) name whole blocks that are site chrome, never
  article text: comment prompts, "Read more", share/follow prompts, newsletter sign-ups,
  cookie notices, photo credits, "Related:" lists, advertisement labels.

:func:`clean_article` applies both to an :class:`~newsaudio.models.Article` and drops blocks
with nothing speakable in them (separators such as ``* * *``, lone dots, emoji-only lines).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from newsaudio.models import Article, Block

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """Decode HTML character references (``&nbsp;``, ``&#8239;``, ``&amp;``) exactly once."""
    if "&" not in text or not _ENTITY.search(text):
        return text
    return html.unescape(text)


def plain_spaces(text: str) -> str:
    """Every Unicode space separator (Zs: U+00A0, U+202F, U+2009, ...) and tab becomes ' '."""
    return "".join(" " if (ch == "\t" or unicodedata.category(ch) == "Zs") else ch for ch in text)


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_KEEP_FORMAT = frozenset({"\u200d"})  # ZWJ joins emoji sequences; harmless to keep for display


def drop_invisible(text: str) -> str:
    """Remove control, format (zero-width, BOM, bidi marks), private-use and unassigned characters.

    Newlines are kept (they separate lines within a block until :func:`collapse_spaces`).
    """
    return "".join(
        ch
        for ch in text
        if ch == "\n" or ch in _KEEP_FORMAT or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


_SPACE_RUN = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Collapse every run of whitespace (including newlines) to one space and strip the ends."""
    return _SPACE_RUN.sub(" ", text).strip()


TEXT_RULES: list[Callable[[str], str]] = [
    decode_entities,
    plain_spaces,
    drop_invisible,
    collapse_spaces,
]
"""Rules applied, in order, to every block's text."""


def clean_text(text: str) -> str:
    """Apply :data:`TEXT_RULES` to ``text`` and return the result."""
    for rule in TEXT_RULES:
        text = rule(text)
    return text


_B = r"[\s\W_]*"  # punctuation, arrows or bullets around a prompt
_BOILERPLATE_SOURCES = [
    # comments
    r"leave a (reply|comment)",
    r"(post|add|write|submit) (a|your) comment",
    r"\d*\s*comments?",
    r"(show|view|read|load) (all )?(\d+ )?comments?",
    r"join the (conversation|discussion)",
    r"cancel reply",
    r"your email address will not be published\.?( required fields are marked \*?)?",
    r"required fields are marked \*?",
    r"(name|email|website|comment) ?\*",
    r"save my name, email, and website in this browser for the next time i comment\.?",
    r"you must be logged in to post a comment\.?",
    r"this site uses akismet to reduce spam\..*",
    # read more / navigation
    r"(read|continue reading|see|learn|click here for|find out) (more|the full story|the full article)?",
    r"read more( about this)?( here)?",
    r"continue reading( below)?",
    r"(story|article) continues below( advertisement)?",
    r"(skip|jump) to (main )?content",
    r"back to top",
    r"(previous|next) (article|post|story)",
    r"(previous|next)",
    r"more (stories|news|from .{1,40})",
    r"(related|recommended|most read|most popular|trending|also read|read also|see also)( (stories|articles|content|posts|coverage|news|reading|links|topics))?(:.*)?",
    r"you (may|might) also (like|be interested in):?",
    r"(top|latest) (stories|news|headlines)",
    # advertising
    r"(advertisement|advertising|sponsored( content)?|ad|promoted|paid content)",
    r"scroll to continue( with content)?",
    # sharing / following
    r"share( this)?( (article|story|post|page))?( on)?:?( (facebook|twitter|x|email|whatsapp|linkedin|reddit|print|copy link)[ ,|/]*)*",
    r"(share|tweet|pin|email|print|copy link)( (on|via) \w+)?",
    r"(facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|email|print|telegram)([ ,|/•]+(facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|email|print|telegram))*",
    r"(follow|like) us on .{1,60}",
    r"click (here )?to share on .{1,40}",
    r"(click|tap) to (share|print|email|copy)",
    # newsletters, subscriptions
    r"(sign up|subscribe|register)( now| today)? (for|to) (our|the|my) .{0,60}(newsletter|briefing|digest|updates|emails?)\.?.*",
    r"(subscribe|sign up)( now| today| here)?( to read more)?\.?",
    r"get (our|the) .{0,40}newsletter.*",
    r"already (a subscriber|have an account)\??.*",
    r"(log ?in|sign ?in) (to|or) .{0,40}",
    r"support (our|independent) journalism.*",
    # cookies, consent
    r"(we|this (web)?site) uses? cookies.*",
    r"(accept|reject|manage) (all )?(cookies|preferences|settings)",
    r"cookie (policy|settings|preferences)",
    r"by (using|continuing to use) this (web)?site.*cookies.*",
    # credits and captions
    r"(photo|image|picture|video|graphic|illustration)( credit)?s?:.{0,120}",
    r"\(?(photo|image) (by|courtesy of) .{1,80}\)?",
    r"(getty images|ap photo|reuters|afp via getty images|shutterstock)(/.{1,60})?",
    r"copyright ©?.{0,80}all rights reserved\.?",
    r"©.{0,80}",
    r"all rights reserved\.?",
    # misc page chrome
    r"(tags?|topics?|filed under|categories):.{0,200}",
    r"(listen to|hear) this (article|story)( \d+ min)?",
    r"\d+ min(ute)? read",
    r"(updated|published|posted|last updated)( on)?:? .{0,60}\d.{0,40}",
    r"(report|reporting) (an )?(error|typo|correction)",
    r"(print|email) (this )?(article|story|page)",
]
BOILERPLATE: list[re.Pattern[str]] = [
    re.compile(rf"{_B}(?:{src}){_B}", re.IGNORECASE) for src in _BOILERPLATE_SOURCES
]
"""Whole-block patterns of site chrome; a block that fully matches one is never spoken."""

_MAX_BOILERPLATE_LEN = 300  # a long block is article text even if it starts like a prompt


def is_boilerplate(text: str) -> bool:
    """True if the whole (cleaned) block is site chrome rather than article text."""
    if len(text) > _MAX_BOILERPLATE_LEN:
        return False
    return any(p.fullmatch(text) for p in BOILERPLATE)


def has_words(text: str) -> bool:
    """True if ``text`` has at least one letter or digit (not only punctuation, symbols, emoji)."""
    return any(ch.isalnum() for ch in text)


def clean_article(article: Article) -> Article:
    """Return ``article`` with every block cleaned and boilerplate or empty blocks removed.

    The title is cleaned with the same :data:`TEXT_RULES`. Raises nothing.
    """
    blocks: list[Block] = []
    for block in article.blocks:
        text = clean_text(block.text)
        if not has_words(text) or is_boilerplate(text):
            continue
        blocks.append(replace(block, text=text))
    byline = clean_text(article.byline) if article.byline else None
    return replace(
        article, title=clean_text(article.title), blocks=tuple(blocks), byline=byline or None
    )
