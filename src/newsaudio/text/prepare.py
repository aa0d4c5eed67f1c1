"""Prepare: a cleaned :class:`Article` in, a :class:`Script` of utterances out.

Order: the headline, then every block. A paragraph is split into sentences
(:func:`~newsaudio.text.segment.split_sentences`), each sentence normalized for speech
(:func:`~newsaudio.text.normalize.normalize`) and, if still longer than the engine accepts,
cut at clause boundaries (:func:`~newsaudio.text.segment.chunk`). Pauses come from
:class:`Pauses`: a short one after a clause cut, a sentence pause, a longer one after a
paragraph, heading or the headline.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from newsaudio.models import Article, ChapterMark, Script, Utterance, UtteranceKind
from newsaudio.text.clean import has_words
from newsaudio.text.lexicon import Lexicon
from newsaudio.text.normalize import normalize
from newsaudio.text.segment import chunk, split_sentences


@dataclass(frozen=True)
class Pauses:
    """Silences placed after utterances, in milliseconds."""

    clause_ms: int = 180
    sentence_ms: int = 450
    paragraph_ms: int = 900
    heading_ms: int = 800
    title_ms: int = 1200

    def scaled(self, speed: float) -> Pauses:
        """These pauses for speaking ``speed`` times faster: every pause divided by ``speed``
        (rounded to the millisecond), so that speech and silence shorten alike."""
        if speed == 1.0:
            return self
        return Pauses(**{f.name: round(getattr(self, f.name) / speed) for f in fields(self)})


_MIN_CUT_CHARS = 12


def _spoken_pieces(
    display: str, max_chars: int, lexicon: Lexicon | None, language: str
) -> list[tuple[str, str]]:
    """(display, spoken) pieces of one sentence, each spoken piece at most ``max_chars``.

    Speech normalization lengthens text ("2019-2021" -> "twenty nineteen to twenty
    twenty-one"), so the display text is cut with a shrinking limit until every piece's
    spoken form fits. Only when one display piece cannot be cut any further is its spoken
    form cut; the display then goes with the first part and later parts show their spoken
    words, so the transcript never repeats text.
    """
    spoken = normalize(display, lexicon=lexicon, language=language)
    if len(spoken) <= max_chars:
        return [(display, spoken)] if has_words(spoken) else []
    limit = max_chars
    while True:
        parts = chunk(display, limit)
        said = [normalize(part, lexicon=lexicon, language=language) for part in parts]
        if all(len(s) <= max_chars for s in said) or limit <= _MIN_CUT_CHARS:
            break
        limit = max(_MIN_CUT_CHARS, int(limit * 0.75))
    pieces: list[tuple[str, str]] = []
    for part, part_spoken in zip(parts, said, strict=True):
        if len(part_spoken) > max_chars:
            for i, sub in enumerate(chunk(part_spoken, max_chars)):
                if has_words(sub):
                    pieces.append((part if i == 0 else sub, sub))
        elif has_words(part_spoken):
            pieces.append((part, part_spoken))
    return pieces


def line(
    kind: UtteranceKind,
    display: str,
    pause_ms: int,
    block: int,
    *,
    max_chars: int = 400,
    lexicon: Lexicon | None = None,
    language: str = "en",
    within_pause_ms: int = Pauses.clause_ms,
    chapter: ChapterMark | None = None,
) -> list[Utterance]:
    """Utterances for one line of ``display`` text (a digest's linking line): normalized,
    cut to ``max_chars`` like any sentence; ``pause_ms`` after the last piece, ``chapter``
    on the first. Empty when the line has nothing speakable."""
    pieces = _spoken_pieces(display.strip(), max_chars, lexicon, language)
    return [
        Utterance(
            kind,
            shown.strip(),
            said,
            pause_ms if i == len(pieces) - 1 else within_pause_ms,
            block,
            chapter if i == 0 else None,
        )
        for i, (shown, said) in enumerate(pieces)
    ]


def prepare(
    article: Article,
    *,
    max_chars: int = 400,
    lexicon: Lexicon | None = None,
    pauses: Pauses | None = None,
) -> Script:
    """Turn ``article`` into a :class:`Script`: every utterance non-empty and at most ``max_chars``.

    Raises nothing for any cleaned article; an article with no speakable body yields a
    script with the title only.
    """
    pauses = pauses or Pauses()
    language = article.language
    utterances: list[Utterance] = []

    def add(
        kind: UtteranceKind, display: str, last_pause: int, within_pause: int, block: int
    ) -> None:
        pieces = _spoken_pieces(display.strip(), max_chars, lexicon, language)
        for i, (shown, said) in enumerate(pieces):
            pause = last_pause if i == len(pieces) - 1 else within_pause
            utterances.append(Utterance(kind, shown.strip(), said, pause, block))

    add("title", article.title, pauses.title_ms, pauses.clause_ms, -1)
    for index, block in enumerate(article.blocks):
        if block.kind == "heading":
            add("heading", block.text, pauses.heading_ms, pauses.clause_ms, index)
        elif block.kind == "list_item":
            add("list_item", block.text, pauses.sentence_ms, pauses.clause_ms, index)
        else:
            sentences = split_sentences(block.text, language)
            for s_index, sentence in enumerate(sentences):
                last = s_index == len(sentences) - 1
                add(
                    "sentence",
                    sentence,
                    pauses.paragraph_ms if last else pauses.sentence_ms,
                    pauses.clause_ms,
                    index,
                )
    return Script(article=article, utterances=tuple(utterances))
