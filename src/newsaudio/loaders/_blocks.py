"""Helpers shared by the structured loaders (HTML, Markdown): titles, dates, entities."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from newsaudio.models import Article, Block

_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9])")


def protect_ampersands(text: str) -> str:
    """Escape ``&`` before a name or ``#`` so the cleaning stage's entity decoding is a no-op.

    Structured parsers (lxml, markdown-it) already decode character references; cleaning
    decodes them again for plain text. Escaping here keeps decoding exactly once:
    ``"&amp;"`` (the text of ``&amp;amp;``) survives cleaning as ``"&amp;"``.
    """
    return _ENTITY_START.sub("&amp;", text)


def protected(article: Article) -> Article:
    """``article`` with :func:`protect_ampersands` applied to all the text its parser decoded:
    title, blocks, byline and site name (an empty byline or site name becomes None)."""
    return replace(
        article,
        title=protect_ampersands(article.title),
        blocks=tuple(Block(b.kind, protect_ampersands(b.text), b.level) for b in article.blocks),
        byline=protect_ampersands(article.byline) if article.byline else None,
        site_name=protect_ampersands(article.site_name) if article.site_name else None,
    )


def same_text(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ only in case, spacing and punctuation."""

    def key(s: str) -> str:
        return "".join(ch for ch in s.casefold() if ch.isalnum())

    return bool(key(a)) and key(a) == key(b)


_REPEAT_WITHIN = 3
_KICKER_MAX_WORDS = 15
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def split_title(
    title: str | None, blocks: list[Block], language: str = "en"
) -> tuple[str, list[Block]]:
    """The headline and the body without a repeat of it.

    If ``title`` is given, a block with the same text among the first
    :data:`_REPEAT_WITHIN` is dropped, and so are the blocks before it when they are page
    furniture rather than text (a kicker such as "Semesterstart", a release date and label
    line: at most :data:`_KICKER_MAX_WORDS` words in all, no sentence). Otherwise the
    first heading (if it is the first block) becomes the title; failing that, the first
    sentence of the first block does and the rest of that block stays, so no words are
    lost. Returns ``("", [])`` for no blocks and no title.
    """
    if title and title.strip():
        for i, block in enumerate(blocks[:_REPEAT_WITHIN]):
            if same_text(block.text, title):
                before = blocks[:i]
                kicker = sum(len(b.text.split()) for b in before) <= _KICKER_MAX_WORDS and not any(
                    _SENTENCE_END.search(b.text) for b in before
                )
                blocks = ([] if kicker else before) + blocks[i + 1 :]
                break
        return title.strip(), blocks
    if not blocks:
        return "", blocks
    first = blocks[0]
    if first.kind == "heading":
        return first.text, blocks[1:]
    from newsaudio.text.segment import split_sentences

    sentences = split_sentences(first.text, language)
    head = sentences[0].strip() if sentences else first.text
    rest = "".join(sentences[1:]).strip()
    return head, ([Block(first.kind, rest, first.level)] if rest else []) + blocks[1:]


def parse_datetime(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or date-time (``Z`` allowed) into a timezone-aware datetime.

    A date without a time is midnight UTC; a naive time is taken as UTC. Returns None for
    anything unparseable (never raises).
    """
    if not value:
        return None
    value = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        # "2024-03-04 10:00:00 +0100" (Jekyll, some CMSs) -> "2024-03-04 10:00:00+01:00"
        value = re.sub(r"\s*([+-]\d{2}):?(\d{2})$", r"\1:\2", value)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
        parsed = datetime(day.year, day.month, day.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def language_tag(value: str | None) -> str | None:
    """A BCP 47 tag from ``en_GB``/``en-gb``/``EN`` style values (``en-GB``), else None."""
    if not value:
        return None
    value = value.strip().split(",")[0].strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return None
    primary, *rest = value.split("-")
    parts = [primary.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(parts)


_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "was",
        "said",
        "it",
        "as",
        "at",
        "by",
        "from",
        "are",
        "be",
        "has",
        "have",
        "he",
        "she",
        "they",
        "this",
        "an",
        "were",
        "will",
        "would",
        "not",
        "but",
        "who",
        "which",
        "their",
        "its",
        "been",
        "had",
    ]
)
_ENGLISH_SHARE = 0.12
_MIN_DETECTION_WORDS = 8
_MIN_DETECTION_CONFIDENCE = 0.9
_IDENTIFIER: Any = None


def detect_language(text: str) -> str | None:
    """The language of ``text`` as a BCP 47 primary tag ("fr"), or None when unsure.

    Plain English prose (at least 12% of its words among the commonest English function
    words) is "en" without further work; otherwise py3langid (a naive Bayes model over
    97 languages) decides, when it has at least 8 words and is 90% sure.
    """
    words = re.findall(r"[^\W\d_]+", text[:20000].casefold())
    if len(words) < _MIN_DETECTION_WORDS:
        return None
    if sum(w in _ENGLISH_FUNCTION_WORDS for w in words) >= _ENGLISH_SHARE * len(words):
        return "en"
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import (  # type: ignore[import-untyped]
            MODEL_FILE,
            LanguageIdentifier,
        )

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language, confidence = _IDENTIFIER.classify(text[:20000])
    return str(language) if confidence >= _MIN_DETECTION_CONFIDENCE else None
