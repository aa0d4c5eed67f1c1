"""Sentence splitting (pysbd, guarded) and chunking to an engine's length limit.

Guarantees, tested with hypothesis:

* lossless: ``"".join(split_sentences(t)) == t`` (whitespace stays attached to the left piece);
* never a piece without a letter or digit (a lone quote mark or dot is glued to its neighbour);
* no break after a non-terminal abbreviation (``Dr.``, ``Sen.``, ``et al.``, ``Jan.``...) nor
  before text that cannot start a sentence (lower case, ``[``, ``(``, ``&``, a digit);
* a break after "a.m."/"p.m." before a capitalized word unless it qualifies the time
  (:data:`TIME_QUALIFIERS`: ``10 a.m. Monday``, ``9 a.m. ET``, ``9 a.m. New York time``);
  after an initialism (``U.S.``) only before a word of :data:`SENTENCE_OPENERS`;
* sentences inside one long quotation are still separated;
* bounded time: pysbd runs under a deadline and on bounded-length input; past either, a
  simple regular-expression splitter takes over.

:func:`chunk` cuts a sentence longer than an engine's maximum at clause boundaries
(``;`` ``:`` ``,`` dashes, then spaces), never inside a word.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsaudio.text.sentence_guards import merge_for_language, primary_subtag


def _word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words``."""
    return frozenset(words.split())


NON_TERMINAL_ABBREVIATIONS = frozenset(
    [
        "cllr",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "maj",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "com",
        "cpl",
        "pvt",
        "brig",
        "st",
        "mt",
        "ft",
        "rev",
        "fr",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "atty",
        "amb",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "p",
        "ch",
        "fig",
        "figs",
        "op",
        "al",
        "approx",
        "est",
        "dept",
        "univ",
        "assn",
        "bros",
        "vs",
        "v",
        "cf",
        "e.g",
        "i.e",
        "viz",
        "ca",
    ]
)
"""Abbreviations (lower case, without the final dot) after which a sentence does not end."""

CLOCK_ABBREVIATIONS = frozenset(["a.m", "p.m"])
"""Abbreviations that end a sentence unless what follows qualifies the time: "before 10 a.m.
Work is due" is two sentences, "at 10 a.m. Monday", "9 a.m. ET", "9 a.m. New York time" one."""

TIME_QUALIFIERS = _word_set(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs
    Fri Sat Sun January February March April May June July August September October November
    December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Eastern Central Mountain Pacific
    Atlantic Alaska Hawaii Greenwich Universal Coordinated British Summer Standard Daylight
    Local GMT UTC BST IST CET CEST EET EEST WET WEST ET EST EDT CT CST CDT MT MST MDT PT PST
    PDT AKST HST AEST AEDT ACST AWST NZST NZDT JST KST HKT SGT WIB SAST WAT EAT MSK
    """
)
"""Capitalized words that continue a time after "a.m."/"p.m." (days, months, time zones)."""

SENTENCE_OPENERS = _word_set(
    """
    The A An This That These Those He She It They We I You His Her Its Their Our My Your
    There Here But And So Yet Or Nor However Meanwhile Still Then Now Later Earlier Since
    After Before When While If As Although Though Because Despite During In On At By For
    From With Without Under Over Some Many Most Several Few All Both Each Every No None
    What Why How Who Where Which Asked According Also Instead Indeed Even Only Last Next
    """
)
"""Capitalized words that start a sentence after an initialism or company suffix at the
end of one ("...moved to the U.S. The move...", "...of Acme Inc. It said..."): determiners,
pronouns, conjunctions, prepositions and sentence adverbs, a closed list, because a noun
after "U.S." more often continues a name ("U.S. Army", "U.S. Open") than starts a sentence."""

_MAX_PYSBD_CHARS = 20_000
_PYSBD_SECONDS = 2.0


class _Deadline(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Deadline inside the block after ``seconds`` (main thread only; else no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def _segmenter(language: str) -> Any:
    import pysbd

    try:
        return pysbd.Segmenter(language=language, clean=False)
    except ValueError:  # language pysbd does not know: English rules are a fair default
        return pysbd.Segmenter(language="en", clean=False)


_SIMPLE_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def simple_split(text: str) -> list[str]:
    """Fallback splitter: break after ``.``, ``!``, ``?`` or ``…`` (and closing quotes) + space."""
    pieces: list[str] = []
    start = 0
    for m in _SIMPLE_BOUNDARY.finditer(text):
        pieces.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _pysbd_split(text: str, language: str) -> list[str]:
    if len(text) > _MAX_PYSBD_CHARS:
        return simple_split(text)
    try:
        with _deadline(_PYSBD_SECONDS):
            pieces: list[str] = list(_segmenter(language).segment(text))
    except _Deadline:
        return simple_split(text)
    except Exception:  # pysbd raises assorted errors on odd input; never lose the text
        return simple_split(text)
    if "".join(pieces) != text:
        return simple_split(text)
    return pieces


_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_CANNOT_START = re.compile(r"^\s*[a-z\[(&,;:%)\]}0-9]")
_QUOTE_OPENERS = "\"'“‘«"


_TAIL_CHARS = 64  # longer than any abbreviation token; keeps the checks O(1) per piece


def _ends_non_terminal(piece: str) -> bool:
    """True if ``piece`` ends with an abbreviation after which no sentence ends."""
    tail = piece[-_TAIL_CHARS:].rstrip()
    m = _LAST_TOKEN.search(tail)
    if not m or (m.start() == 0 and len(piece) > _TAIL_CHARS):
        return False
    token = m.group(1).lstrip(_QUOTE_OPENERS + "([")
    if not token.endswith("."):
        return False
    word = token[:-1].lower()
    if word in NON_TERMINAL_ABBREVIATIONS:
        return True
    # single initials ("J. Smith") never end a sentence
    return len(word) == 1 and word.isalpha()


_FIRST_WORDS = re.compile(r"\s*[\"'“‘«]?([A-Z][\w'’-]*)((?:\s+[A-Z][\w'’-]*){0,3})(?:\s+(\w+))?")


def _ends_clock(piece: str) -> bool:
    """True if ``piece`` ends with "a.m." or "p.m." (any case)."""
    tail = piece[-_TAIL_CHARS:].rstrip()
    m = _LAST_TOKEN.search(tail)
    return m is not None and m.group(1).lstrip(_QUOTE_OPENERS + "([").lower() in ("a.m.", "p.m.")


def _clock_continues(following: str) -> bool:
    """True if ``following`` (the text after "a.m."/"p.m.") qualifies the time: a day,
    month or time zone, or capitalized words then "time" ("New York time"). Text that
    cannot start a sentence is handled by the caller."""
    m = _FIRST_WORDS.match(following)
    if m is None:
        return True  # not a capitalized word: the other guards decide
    if m.group(1).rstrip(".,") in TIME_QUALIFIERS:
        return True
    return (m.group(3) or "").lower() == "time"


def _binds(left: str, right: str) -> bool:
    """True if no sentence may end between ``left`` and ``right``: ``left`` ends with a
    non-terminal abbreviation, or with "a.m."/"p.m." and ``right`` qualifies the time."""
    if _ends_clock(left):
        return _clock_continues(right)
    return _ends_non_terminal(left)


def _starts_with_opener(text: str) -> bool:
    """True if ``text`` starts (after an opening quote) with a word of SENTENCE_OPENERS."""
    m = _FIRST_WORDS.match(text)
    return m is not None and m.group(1) in SENTENCE_OPENERS


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _merge(pieces: list[str]) -> list[str]:
    """Glue pieces that must not stand alone to their neighbours (lossless)."""
    merged: list[str] = []
    last_has_alnum = False  # tracked, not recomputed: merged[-1] can grow very long
    for piece in pieces:
        piece_has_alnum = _has_alnum(piece)
        if merged and (
            not piece_has_alnum
            or not last_has_alnum
            or _binds(merged[-1], piece)
            or _CANNOT_START.match(piece)
        ):
            merged[-1] += piece
            last_has_alnum = last_has_alnum or piece_has_alnum
        else:
            merged.append(piece)
            last_has_alnum = piece_has_alnum
    # a leading piece with no words (e.g. an opening quote alone) joins the next one
    if len(merged) > 1 and not _has_alnum(merged[0]):
        merged[1] = merged[0] + merged[1]
        merged.pop(0)
    return merged


_INNER_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])")


def _split_inside(piece: str) -> list[str]:
    """Split sentences pysbd left together (e.g. inside a long quotation)."""
    out: list[str] = []
    start = 0
    for m in _INNER_BOUNDARY.finditer(piece):
        left = piece[start : m.end()]
        stripped = piece[start : m.start()].rstrip()
        token_m = _LAST_TOKEN.search(stripped)
        token = token_m.group(1) if token_m else ""
        right = piece[m.end() : m.end() + _TAIL_CHARS]
        if _binds(left, right):
            continue
        if _INITIALISM.match(token.strip(_QUOTE_OPENERS + "([")) and not _starts_with_opener(right):
            continue  # "U.S. Army": only a word that starts sentences ends one after "U.S."
        out.append(left)
        start = m.end()
    out.append(piece[start:])
    return [p for p in out if p]


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split ``text`` into sentences, losslessly; every returned piece has a letter or digit.

    Returns ``[]`` when ``text`` has no letter or digit at all. Bounded in time whatever the
    input. ``language`` (BCP 47) picks pysbd's rules by its primary subtag and, for de, fr,
    es, pt and it, the guards of :mod:`newsaudio.text.sentence_guards`.
    """
    if not _has_alnum(text):
        return []
    pieces = _pysbd_split(text, primary_subtag(language) or "en")
    refined: list[str] = []
    for piece in pieces:
        refined.extend(_split_inside(piece))
    return merge_for_language(_merge(refined), language)


_CLAUSE_BREAKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


_BOUND_RIGHT = re.compile(r"^(?:[ap]\.m\.|[ap]m\b|%|percent\b|per cent\b)", re.IGNORECASE)


def _good_space_cut(sentence: str, m: re.Match[str]) -> bool:
    """False for a space that binds its neighbours: after an abbreviation or initial
    (``Dr.|Okafor``), or next to a number (``9:30|a.m.``, ``12|km``, ``March|4``)."""
    left = sentence[max(0, m.start() - _TAIL_CHARS) : m.start()]
    right = sentence[m.end() : m.end() + _TAIL_CHARS]
    if _ends_non_terminal(left) or _BOUND_RIGHT.match(right):
        return False
    left_token = left.rsplit(None, 1)[-1] if left.strip() else ""
    right_token = right.split(None, 1)[0] if right.strip() else ""
    return not any(ch.isdigit() for ch in left_token + right_token)


_COARSE_FACTOR = 16


def _coarse_parts(sentence: str, max_chars: int) -> Iterator[str]:
    """Greedy parts of about ``_COARSE_FACTOR / 2 * max_chars`` characters, cut at whitespace."""
    size = _COARSE_FACTOR * max_chars // 2
    start = 0
    while len(sentence) - start > _COARSE_FACTOR * max_chars:
        space = sentence.rfind(" ", start + size // 2, start + size)
        end = space if space > start else start + size
        yield sentence[start:end]
        start = end
    yield sentence[start:]


def chunk(sentence: str, max_chars: int) -> list[str]:
    """Cut ``sentence`` into pieces of at most ``max_chars`` characters (after stripping).

    Cuts prefer clause boundaries in the order ``; :``, dashes, commas, then spaces (a space
    after an abbreviation or next to a number only if there is no other); the cut nearest
    the middle is taken and both halves are cut again if still too long. A number, time,
    decimal or abbreviation is never cut, as cuts happen only at whitespace; a single
    word longer than ``max_chars`` is cut hard as a last resort. Lossless up to whitespace
    at the cut points: ``" ".join(pieces)`` equals the stripped sentence with each
    whitespace run at a cut replaced by one space.
    """
    sentence = sentence.strip()
    if len(sentence) <= max_chars:
        return [sentence] if sentence else []
    if len(sentence) > _COARSE_FACTOR * max_chars:
        # pathological length: cut coarsely at spaces first so the work stays linear
        return [p for part in _coarse_parts(sentence, max_chars) for p in chunk(part, max_chars)]
    for pattern in _CLAUSE_BREAKS:
        cuts = [m for m in pattern.finditer(sentence) if 0 < m.start() < len(sentence)]
        if pattern is _CLAUSE_BREAKS[-1]:
            cuts = [m for m in cuts if _good_space_cut(sentence, m)] or cuts
        if not cuts:
            continue
        # the cut nearest the middle keeps pieces balanced; recurse on both halves
        middle = len(sentence) / 2
        best = min(cuts, key=lambda m: abs(m.start() - middle))
        left, right = sentence[: best.start()], sentence[best.end() :]
        if left.strip() and right.strip():
            return chunk(left, max_chars) + chunk(right, max_chars)
    return [sentence[i : i + max_chars] for i in range(0, len(sentence), max_chars)]
