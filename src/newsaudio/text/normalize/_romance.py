"""Rules Spanish, Portuguese and Italian share: ordinals with º/ª (``1º``, ``3.ª``, ``1°
maggio``), clock times read "hour and minutes" (``14:30`` -> ``catorce y treinta``), numeric
dates read day, month and year (``15/03/2026``), the first day of a month read as an ordinal
where the language does (``1 de maio`` -> ``primeiro de maio``), centuries in Roman numerals.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsaudio.text.normalize._continental import Gender, Language, Rule, cardinal, named, ordinal

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_VALID = re.compile(r"^(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_value(numeral: str) -> int:
    """Value of a valid Roman numeral (I, V, X, L, C); 0 when invalid."""
    if not numeral or not _ROMAN_VALID.match(numeral):
        return 0
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def month_alternation(language: Language) -> str:
    """Regex alternation of every month spelling of ``language``, longest first."""
    return "|".join(re.escape(m) for m in sorted(language.month_names, key=len, reverse=True))


ORDINAL_NOUNS = (
    "posto|posti|anniversario|compleanno|piano|giorno|turno|congresso|secolo|edizione|minuto"
    "|classificato|classificata|lugar|puesto|aniversario|aniversário|andar|piso|congreso|dia"
    "|día|colocado|colocada|grau|grado"
)
"""Nouns after which ``N°`` is an ordinal (``50° anniversario``), not degrees (``30° a Roma``)."""


def ordinals(language: Language) -> Rule:
    """Build the rule reading ``1º``/``1.º``/``1.er`` (masculine), ``1ª``/``1.ª`` (feminine) and
    ``1°`` before a month or as the first (``1° maggio``; otherwise ``°`` is degrees)."""
    months = month_alternation(language)
    pattern = re.compile(
        r"(?<![\w.,])(?P<n>[0-9]{1,3})\.?(?:(?P<m>º)|(?P<f>ª)|(?P<er>er)"
        rf"|(?P<deg>°)(?=\s+(?:de\s+)?(?:{months})\b|\s+(?:{ORDINAL_NOUNS})\b))(?![\w])"
    )

    def say(m: re.Match[str]) -> str:
        value = int(m["n"])
        if value == 0:
            return m.group(0)
        gender: Gender = "f" if m["f"] else ("m" if m["er"] else None)
        return ordinal(value, language.n2w, gender)

    def expand(text: str) -> str:
        return pattern.sub(say, text)

    return named("_expand_ordinals", "Read ordinals written with º, ª or °.", expand)


def centuries(language: Language, before: str, after: str, *, as_ordinal: bool) -> Rule:
    """Build the rule reading a Roman century (``siglo XXI``, ``XX secolo``)."""
    patterns = []
    if before:
        patterns.append(re.compile(rf"\b(?P<w>{before}) (?P<r>[IVXLC]{{1,7}})(?![\w])"))
    if after:
        patterns.append(re.compile(rf"(?<![\w])(?P<r>[IVXLC]{{1,7}}) (?P<w>{after})\b"))

    def words(numeral: str) -> str:
        value = roman_value(numeral)
        return ordinal(value, language.n2w) if as_ordinal else cardinal(value, language.n2w)

    def expand(text: str) -> str:
        for pattern in patterns:
            text = pattern.sub(
                lambda m: (
                    (
                        f"{m['w']} {words(m['r'])}"
                        if m.start("w") < m.start("r")
                        else f"{words(m['r'])} {m['w']}"
                    )
                    if roman_value(m["r"])
                    else m.group(0)
                ),
                text,
            )
        return text

    return named("_expand_centuries", "Read centuries in Roman numerals.", expand)


def clock_times(
    language: Language,
    *,
    joiner: str,
    hour_one: str,
    hour_many: str,
    before_words: str,
    h_suffix: bool,
) -> Rule:
    """Build the rule reading clock times: ``14:30`` -> hour + ``joiner`` + minutes; a full hour
    followed by ``h``/``horas`` keeps the word for hours; a dotted time (``14.30``) only after
    one of ``before_words`` or before ``h``/``horas``/``ore``."""
    suffix = r"(?:\s?(?P<suffix>h|hs|hrs?\.?|horas?|ore)(?![\w]))?"
    colon = re.compile(
        rf"(?<![\w.,:])(?P<h>[0-9]{{1,2}}):(?P<m>[0-9]{{2}})(?![\w:]|[.,][0-9]){suffix}"
    )
    dotted = re.compile(
        r"(?<![\w.,:])(?P<h>[0-9]{1,2})\.(?P<m>[0-9]{2})(?![\w:]|[.,][0-9])"
        r"(?:\s?(?P<suffix>h|hs|horas|ore)(?![\w]))"
    )
    dotted_after = re.compile(
        rf"\b(?P<w>{before_words}) (?P<h>[0-9]{{1,2}})\.(?P<m>[0-9]{{2}})(?![\w:]|[.,][0-9])"
    )
    h_time = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2}) ?h ?(?P<m>[0-9]{2})(?![\w])")
    h_alone = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2}) ?h(?![\w])")

    def say(m: re.Match[str]) -> str:
        hour, minute = int(m["h"]), int(m.groupdict().get("m") or 0)
        if hour > 24 or minute > 59:
            return m.group(0)
        spoken = cardinal(hour, language.n2w, "f")
        if minute:
            spoken += f" {joiner} {cardinal(minute, language.n2w, 'f')}"
        elif m.groupdict().get("suffix") or m.re is h_alone:
            spoken += f" {hour_one if hour == 1 else hour_many}"
        return spoken

    def expand(text: str) -> str:
        if ":" in text:
            text = colon.sub(say, text)
        if "." in text:
            text = dotted.sub(say, text)
            text = dotted_after.sub(lambda m: f"{m['w']} {say(m)}", text)
        if h_suffix and "h" in text:
            text = h_time.sub(say, text)
            text = h_alone.sub(say, text)
        return text

    return named("_expand_times", "Read clock times.", expand)


def numeric_dates(language: Language, say_date: Callable[[int, int, str], str]) -> Rule:
    """Build the rule reading ``15/03/2026``, ``15-03-2026``, ``15.03.2026`` and ISO
    ``2026-03-15`` with ``say_date(day, month, year)``."""
    slash = re.compile(
        r"(?<![\w/.,-])(?P<d>[0-9]{1,2})(?P<s>[/.-])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})"
        r"(?![\w/]|[.,][0-9])"
    )
    iso = re.compile(r"(?<![\w.-])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![\w-]|\.[0-9])")

    def say(m: re.Match[str]) -> str:
        day, month = int(m["d"]), int(m["m"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        return say_date(day, month, m["y"])

    def expand(text: str) -> str:
        text = iso.sub(say, text)
        return slash.sub(say, text)

    return named("_expand_dates", "Read numeric dates.", expand)


def first_of_month(language: Language, first: str, link: str) -> Rule:
    """Build the rule reading day 1 before a month as ``first`` (``1 de maio`` -> ``primeiro de
    maio``; ``1 marzo`` -> ``primo marzo``)."""
    months = month_alternation(language)
    pattern = re.compile(rf"(?<![\w.,])1 (?={link}(?:{months})(?![\w]))")

    def expand(text: str) -> str:
        return pattern.sub(first + " ", text)

    return named("_expand_first_of_month", "Read the first day of a month.", expand)
