"""Sentence-split guards of German, French, Spanish, Portuguese and Italian.

:func:`newsaudio.text.segment.split_sentences` keeps its English guards and, for these
languages, glues back (:func:`merge_for_language`) the pieces pysbd or the inner splitter
ended after an abbreviation that never ends a sentence in that language (``z. B.``,
``Nr.``, ``Sr.``, ``Sra.``, ``M.``, ``Mme``, ``Sig.``, ``Dott.``...) and, in German, after a
day ordinal before a month (``am 3.`` | ``März``). Lossless: the pieces are only joined.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NON_TERMINAL_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "de": _words(
        "nr bzw ca vgl ggf inkl evtl bspw sog str hr fr abs art bd jh jhd mio mrd tsd dr prof "
        "st tel hbf bhf geb gest kap abb z.b u.a d.h v.a z.t u.u o.ä i.d.r usw"
    ),
    "fr": _words(
        "m mm mme mmes mlle mgr dr pr me st ste env av apr cf vol p art n° c.-à-d p.ex j.-c"
    ),
    "es": _words(
        "sr sra srta sres dña d.ª dr dra prof profa lic ing gral excmo excma sto sta avda av "
        "núm n.º nº pág art ud uds aprox p.ej tel ee cc"
    ),
    "pt": _words(
        "sr sra srs srta dr dra prof profa exmo exma exa sto sta av n.º nº pág art aprox p.ex tel"
    ),
    "it": _words(
        "sig sig.ra sig.na sigg dott dott.ssa prof prof.ssa avv ing arch on sen gen mons n nr "
        "art pag tel p.es c.d"
    ),
}
"""Abbreviations (lower case, without the final dot) after which a sentence does not end."""

_GERMAN_MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    "|Jan|Feb|Mrz|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez"
)
_ORDINAL_END = re.compile(r"(?<![\w.,])[0-9]{1,2}\.\s*$")
_MONTH_START = re.compile(rf"^\s*(?:{_GERMAN_MONTHS})\b")
_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_SPACED_ABBREVIATION_END = {
    # two-part abbreviations that never end a sentence; those that can ("EE. UU.", "v. Chr.")
    # only guard their first part ("ee" in the word list, single letters in segment.py)
    "de": re.compile(r"\b(?:z\. ?B|u\. ?a|d\. ?h|v\. ?a|z\. ?T|u\. ?U|i\. ?d\. ?R)\.\s*$"),
    "fr": re.compile(r"\bp\. ?ex\.\s*$"),
    "es": re.compile(r"\bp\. ?ej\.\s*$"),
    "pt": re.compile(r"\b(?:p\. ?ex|V\. ?Exa)\.\s*$"),
    "it": re.compile(r"\bp\. ?es\.\s*$"),
}
_TAIL_CHARS = 64


def primary_subtag(language: str) -> str:
    """The primary subtag of a BCP 47 tag or POSIX locale, lower case (``pt_BR`` -> ``pt``)."""
    return language.strip().replace("_", "-").lower().partition("-")[0]


def german_ordinal_before_month(left: str, right: str) -> bool:
    """True when ``left`` ends with a day ordinal ("am 3.") and ``right`` starts with a month."""
    return bool(_ORDINAL_END.search(left[-12:]) and _MONTH_START.match(right))


def ends_non_terminal(piece: str, language: str) -> bool:
    """True when ``piece`` ends with an abbreviation after which no ``language`` sentence ends
    (False for every language without guards here, English included)."""
    primary = primary_subtag(language)
    words = NON_TERMINAL_BY_LANGUAGE.get(primary)
    if not words:
        return False
    tail = piece[-_TAIL_CHARS:]
    spaced = _SPACED_ABBREVIATION_END.get(primary)
    if spaced is not None and spaced.search(tail) and not tail.rstrip().endswith("etc."):
        return True
    m = _LAST_TOKEN.search(tail)
    if not m:
        return False
    token = m.group(1).lstrip("\"'“‘«([")
    return token.endswith(".") and token[:-1].lower() in words


def merge_for_language(pieces: list[str], language: str) -> list[str]:
    """``pieces`` with each piece that must not end a ``language`` sentence glued to the next
    (the list itself when the language has no guards). ``"".join`` is unchanged."""
    primary = primary_subtag(language)
    if primary not in NON_TERMINAL_BY_LANGUAGE or len(pieces) < 2:
        return pieces
    merged: list[str] = []
    for piece in pieces:
        if merged and (
            ends_non_terminal(merged[-1], primary)
            or (primary == "de" and german_ordinal_before_month(merged[-1], piece))
        ):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged
