"""Lead briefs: a story told in the whole sentences that open its body (the inverted pyramid's
lead; "lead-3" is the classic news-summarization baseline), within a time budget.

Input is a *cleaned* article (``newsaudio.text.clean.clean_article``: wire datelines such as
``LONDON (Reuters) -`` are already rewritten to a ``London.`` sentence). Sentences are split
with the same function as the full story's script (``newsaudio.text.segment.split_sentences``
on each paragraph), and the brief is returned as an Article whose paragraphs hold exactly the
chosen sentences, joined back as they were: ``text.prepare.prepare`` then produces for them
the very utterances (same normalization, same spoken text, so the same segment-cache keys)
as the full story's script. Only pauses differ (the last chosen sentence of a paragraph
gets the paragraph pause), and pauses are not part of the cache key.

What never counts as the lead (skipped, never cut into): a dateline sentence (``London.``,
``Washington, Dec. 7.``, or a raw ``LONDON (Reuters) -`` one); bylines and credits (``By Jane
Doe``, ``Reporting by ...; Editing by ...``, ``Photo: ...``, ``(AP Photo/...)``, ``Getty
Images``); page furniture (``Advertisement``, ``Story continues below``, ``Read more:``,
``Sign up ...``, ``Listen to this article``, ``5 min read``, ``Updated 10:32 GMT``); a
paragraph that only repeats the headline (same words, order and case ignored, at least 80 %
overlap both ways); a label paragraph (at most eight words, no lower-case word, no closing
punctuation: ``BAAR, SWITZERLAND``, an all-caps kicker). Headings and list items are not
lead sentences either: only paragraphs.

Budget: sentences are taken in order while the brief stays within ``budget_s`` seconds; the
first eligible sentence is always taken (a brief is never empty when the body has one), so a
brief overruns its budget by less than one sentence only when that first sentence alone is
longer. Durations come from ``seconds_for(sentence)`` when it knows (measured synthesized
audio through the segment cache), else from ``words / words_per_minute``.

Errors: none raised for any cleaned article; a body with no eligible sentence gives a brief
with no sentences (``LeadBrief.sentences == ()``), which the digest reads as its headline only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from newsaudio.models import Article, Block
from newsaudio.summarize import Brief, SummarizerSettings
from newsaudio.text.segment import split_sentences

DEFAULT_WORDS_PER_MINUTE = 160.0
"""Estimated speaking rate before measuring (Piper voices at speed 1.0 read 150-175 wpm)."""

SENTENCE_PAUSE_S = 0.45
"""The silence after a sentence in a script (``text.prepare.Pauses.sentence_ms``), seconds."""

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)

_AGENCIES = (
    r"AP|AFP|Reuters|dpa|DPA|ANSA|EFE|Xinhua|UPI|PA|CNN|Bloomberg|Kyodo|Yonhap|TASS|IANS|PTI"
)
_RAW_DATELINE = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý .'’-]{1,40}(?:,\s*[\w .'’-]{1,30})?"
    rf"\s*(?:\((?:{_AGENCIES})\))?\s*[—–-]{{1,2}}\s",
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_SENTENCE = re.compile(
    r"^(?:[A-ZÀ-Ý][\w'’.-]*)"
    r"(?:[ -](?:[A-ZÀ-Ý][\w'’.-]*|of|on|upon|de|la|le|du|am|an|der|van|von))*"
    r"(?:,\s*(?:[A-ZÀ-Ý][\w'’.-]*(?: [A-ZÀ-Ý][\w'’.-]*)*"
    rf"|{_MONTH}\s*\d{{1,2}}|\d{{1,2}}\s*{_MONTH}))*"
    rf"\s*\.?\s*$"
)

_FURNITURE = re.compile(
    r"^\W*(?:"
    r"advertisement|advertising|anzeige|publicité|sponsored( content)?|"
    r"story continues( below)?( advertisement)?|article continues below.*|"
    r"continue reading.*|read more\b.*|related\b:?.*|see also\b.*|"
    r"sign up\b.*|subscribe\b.*|listen to this (article|story).*|"
    r"share (this|on)\b.*|follow us\b.*|"
    r"\d+\s*(min|minute)s?\s*read|"
    r"(updated|published|posted|last updated)\b.{0,40}\d.{0,40}|"
    r"(photo|image|picture|video|graphic|illustration|credit|source|caption)s?\s*(:|by\b).*|"
    r".{0,80}\b(getty images|ap photo|afp via getty|reuters/|shutterstock|epa-efe|alamy)\b.{0,80}|"
    r"\(?(ap|afp|reuters|epa) ?photo\b.*"
    r")\W*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\W*(?:"
    r"(?i:by)\s+[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,3})*"
    r"(?:\s*[,|–—-]\s*[\w .'’-]{0,40})?|"
    r"(?i:(?:reporting|writing|editing|additional reporting|compiled|written|research)\s+by)\b.*|"
    r"[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}\s*\|\s*[\w .'’-]{2,40}"
    r")\W*$"
)


@dataclass(frozen=True)
class LeadBrief:
    """A story's lead brief: the ``article`` with only the chosen sentences (paragraphs in
    order), the ``sentences`` themselves (as split, whitespace kept), and ``seconds`` (their
    estimated or measured duration)."""

    article: Article
    sentences: tuple[str, ...]
    seconds: float


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, inner apostrophes, dots and hyphens)."""
    return _WORD.findall(text)


def estimate_seconds(text: str, words_per_minute: float = DEFAULT_WORDS_PER_MINUTE) -> float:
    """Seconds ``text`` takes to say at ``words_per_minute``."""
    return len(words(text)) * 60.0 / words_per_minute


def is_furniture(text: str) -> bool:
    """True for a byline, a photo credit or page furniture (module docstring)."""
    t = text.strip()
    if not t:
        return True
    return bool(_FURNITURE.match(t) or _BYLINE.match(t))


def is_label(paragraph: str) -> bool:
    """True for a paragraph that is a label, not a sentence: at most eight words, no
    sentence-ending punctuation, and no lower-case word (``BAAR, SWITZERLAND``, a kicker
    ``LOOK WHAT YOU MADE ME DO``, ``Key Points``)."""
    t = paragraph.strip()
    ws = words(t)
    return (
        0 < len(ws) <= 8
        and not re.search(r"[.!?…][\"'”’)\]]*$", t)
        and not any(w[0].islower() for w in ws)
    )


def is_dateline(sentence: str) -> bool:
    """True for a sentence that is only a dateline (``London.``, ``Washington, Dec. 7.``,
    at most six words, no lower-case word but particles) or starts with a raw wire dateline
    (``LONDON (Reuters) - ...``)."""
    s = sentence.strip()
    if _RAW_DATELINE.match(s):
        return True
    letters = sum(ch.isalpha() for ch in s)
    return (
        letters >= 3
        and len(words(s)) <= 6
        and s.endswith(".")
        and bool(_DATELINE_SENTENCE.match(s))
    )


def repeats_headline(paragraph: str, headline: str) -> bool:
    """True when ``paragraph`` says only the headline again: its word set and the
    headline's overlap by at least 80 % both ways (case ignored)."""
    a = {w.lower() for w in words(paragraph)}
    b = {w.lower() for w in words(headline)}
    if not a or not b:
        return False
    common = len(a & b)
    return common >= 0.8 * len(a) and common >= 0.8 * len(b)


def lead(
    article: Article,
    budget_s: float,
    *,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    seconds_for: Callable[[str], float | None] | None = None,
    pause_s: float = 0.0,
) -> LeadBrief:
    """The lead brief of ``article`` within ``budget_s`` seconds (module docstring); each
    sentence also costs ``pause_s`` (the silence after it)."""
    chosen_blocks: list[Block] = []
    chosen: list[str] = []
    total = 0.0
    full = False
    for block in article.blocks:
        if full:
            break
        if block.kind != "paragraph" or is_furniture(block.text) or is_label(block.text):
            continue
        if repeats_headline(block.text, article.title):
            continue
        kept: list[str] = []
        sentences = split_sentences(block.text, article.language)
        for index, sentence in enumerate(sentences):
            if not chosen and not kept and index + 1 < len(sentences) and is_dateline(sentence):
                continue  # "London. Text": the dateline opens a paragraph that goes on
            if is_furniture(sentence):
                continue
            known = seconds_for(sentence.strip()) if seconds_for is not None else None
            cost = known if known is not None else estimate_seconds(sentence, words_per_minute)
            cost += pause_s
            if (chosen or kept) and total + cost > budget_s:
                full = True
                break
            kept.append(sentence)
            total += cost
        if kept:
            chosen_blocks.append(Block("paragraph", "".join(kept).strip()))
            chosen.extend(kept)
    brief = replace(article, blocks=tuple(chosen_blocks))
    return LeadBrief(brief, tuple(s.strip() for s in chosen), total)


@dataclass(frozen=True)
class LeadSummarizer:
    """The ``lead`` summarizer (:class:`newsaudio.summarize.Summarizer`): :func:`lead` at
    ``words_per_minute``, each sentence with ``pause_s`` of silence after it (the script's
    sentence pause)."""

    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE
    pause_s: float = SENTENCE_PAUSE_S
    name: str = "lead"

    def brief(
        self,
        article: Article,
        budget_s: float,
        seconds_for: Callable[[str], float | None] | None = None,
    ) -> Brief:
        """The lead brief of ``article`` as a :class:`Brief` (kind ``"lead"``)."""
        made = lead(
            article,
            budget_s,
            words_per_minute=self.words_per_minute,
            seconds_for=seconds_for,
            pause_s=self.pause_s,
        )
        return Brief(made.article, "lead", made.sentences, made.seconds)


def create(settings: SummarizerSettings) -> LeadSummarizer:
    """The lead summarizer (registry factory); only ``words_per_minute`` is read."""
    return LeadSummarizer(settings.words_per_minute)
