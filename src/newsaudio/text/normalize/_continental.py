"""Rules shared by German, French, Spanish, Portuguese and Italian (decimal-comma languages).

Each language module (:mod:`.de`, :mod:`.fr`, :mod:`.es`, :mod:`.pt`, :mod:`.it`) fills a
:class:`Language` with its tables (words for numbers, months, currencies, units, abbreviations,
letter names...) and lists its rules; the generic rules here take that table. Number words come
from num2words only (``de``, ``fr``, ``es``, ``pt``, ``pt_BR``, ``it``), cached, with the
agreement fixes num2words does not make (:func:`cardinal` with ``gender``).

Every rule is a ``str -> str`` function: deterministic, never raises on any ``str``, and its
output is a fixed point (no rule produces a digit, an abbreviation or an all-capital token).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from num2words import num2words

Gender = Literal["m", "f"] | None


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


def word_tuple(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text``, in order."""
    return tuple(text.split())


Rule = Callable[[str], str]

MAX_CARDINAL_DIGITS = 15
"""Longer numbers are read digit by digit."""


@dataclass(frozen=True)
class Currency:
    """How one currency is read: names, gender of the name, minor unit, scale connector."""

    one: str
    many: str
    gender: Gender = "m"
    minor_one: str = ""
    minor_many: str = ""
    minor_gender: Gender = "m"


@dataclass(frozen=True)
class Unit:
    """How one unit is read after a number: (singular, plural, gender of the noun)."""

    one: str
    many: str
    gender: Gender = "m"


@dataclass(frozen=True)
class Language:
    """Every table the shared rules need for one language (see each language module)."""

    code: str
    n2w: str
    decimal_word: str
    minus: str
    plus: str
    percent: str
    to_word: str  # a range "2019-2021": "2019 bis 2021"
    score_word: str  # a score "2:1": "zwei zu eins"
    months: tuple[str, ...]
    month_names: Mapping[str, int]  # every spelling of a month (full, abbreviated) -> 1..12
    group_separators: str  # characters that group thousands ("." or spaces)
    currencies: Mapping[str, Currency]  # symbol or code -> currency
    units: Mapping[str, Unit]
    scales: Mapping[str, tuple[int, str, str, Gender]]  # "Mio." -> (exponent, one, many, gender)
    scale_connector: str  # "d'" / "de" / "di" between a scale word and a currency; "" in de
    abbreviations: Mapping[str, str]  # whole tokens -> words (context-free)
    titles: Mapping[str, str]  # titles read only before a capitalized name
    before_number: Mapping[str, str]  # read only before a number ("Nr. 5", "n.º 3")
    letter_names: Mapping[str, str]
    acronym_words: Mapping[str, str]
    keep_as_written: frozenset[str]
    symbols: Mapping[str, str]
    at_word: str
    dot_word: str
    feminine_nouns: frozenset[str] = frozenset()
    masculine_nouns: frozenset[str] = frozenset()
    not_nouns: frozenset[str] = frozenset()  # words after a number that take no agreement
    quantity_after: frozenset[str] = frozenset()  # nouns after 4 digits that make a quantity
    extra: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _n2w(value: int, lang: str, to: str = "cardinal") -> str:
    """num2words, with the commas some languages put in long numbers removed."""
    words: str = num2words(value, lang=lang, to=to)
    return " ".join(words.replace(",", " ").split())


_ES_APOCOPE = re.compile(r"\b(veinti)?uno(?= (?:mil|millones|millón|billones|billón)\b)")
_HUNDREDS_ES = re.compile(r"\b(dos|tres|cuatro|quin|seis|sete|ocho|nove)cientos\b")
_HUNDREDS_PT = re.compile(r"\b(duz|trez|quatroc|quinh|seisc|setec|oitoc|novec)entos\b")
_SCALE_SPLIT = {
    "es": re.compile(r"^.*\b(?:millón|millones|billón|billones)\b ?"),
    "pt": re.compile(r"^.*\b(?:milhão|milhões|bilhão|bilhões|bilião|biliões)\b ?"),
    "pt_BR": re.compile(r"^.*\b(?:milhão|milhões|bilhão|bilhões)\b ?"),
    "fr": re.compile(r"^.*\b(?:million|millions|milliard|milliards)\b ?"),
    "it": re.compile(r"^.*(?:milione|milioni|miliardo|miliardi)\b ?"),
}


def _feminine(words: str, lang: str) -> str:
    """Return number words agreeing with a feminine noun ("veintiuna", "duzentas", "une")."""
    split = _SCALE_SPLIT.get(lang)
    head, tail = "", words
    if split is not None:
        m = split.match(words)
        if m:
            head, tail = words[: m.end()], words[m.end() :]
    if lang == "es":
        tail = re.sub(r"\b(veinti)?uno\b", lambda m: (m[1] or "") + "una", tail)
        tail = _HUNDREDS_ES.sub(lambda m: m[1] + "cientas", tail)
    elif lang in ("pt", "pt_BR"):
        tail = re.sub(r"\bum\b", "uma", tail)
        tail = re.sub(r"\bdois\b", "duas", tail)
        tail = _HUNDREDS_PT.sub(lambda m: m[1] + "entas", tail)
    elif lang == "fr":
        tail = re.sub(r"\bun$", "une", tail)
        tail = re.sub(r"\bun(?= mille$)", "une", tail)
    elif lang == "it":
        tail = re.sub(r"^uno$", "una", tail)
    elif lang == "de":
        tail = "eine" if tail == "eins" else tail
    return head + tail


def _masculine_before_noun(words: str, lang: str) -> str:
    """Return number words as said before a masculine noun ("un año", "veintiún euros")."""
    if lang == "es":
        return re.sub(r"\b(veinti)?uno$", lambda m: "veintiún" if m[1] else "un", words)
    if lang == "it":
        return "un" if words == "uno" else words
    if lang == "de":
        return "ein" if words == "eins" else words
    return words


@lru_cache(maxsize=8192)
def cardinal(value: int, lang: str, gender: Gender = None) -> str:
    """Return ``value`` as cardinal words of ``lang`` (a num2words code).

    ``gender`` None is the counting form ("eins", "uno", "um"); "m" the form before a
    masculine noun ("ein", "un", "veintiún"); "f" before a feminine one ("eine", "una",
    "veintiuna", "duas", "duzentas", "une").
    """
    words = _n2w(abs(value), lang)
    if lang == "es":
        words = _ES_APOCOPE.sub(lambda m: "veintiún" if m[1] else "un", words)
    if gender == "f":
        words = _feminine(words, lang)
    elif gender == "m":
        words = _masculine_before_noun(words, lang)
    return words


@lru_cache(maxsize=2048)
def ordinal(value: int, lang: str, gender: Gender = None) -> str:
    """Return ``value`` as ordinal words ("dritte", "troisième", "tercero"/"tercera")."""
    words = _n2w(value, lang, "ordinal")
    if gender == "f" and lang in ("es", "pt", "pt_BR", "it"):
        words = " ".join(w[:-1] + "a" if w.endswith("o") else w for w in words.split())
    elif gender == "f" and lang == "fr" and words == "premier":
        words = "première"
    elif gender == "m" and lang == "es":
        words = re.sub(r"\b(primer|tercer)o$", r"\1", words)
    return words


def digits_words(digits: str, lang: str) -> str:
    """Return every ASCII digit of ``digits`` as a word, in ``lang``."""
    return " ".join(cardinal(ord(c) - 48, lang) for c in digits if "0" <= c <= "9")


def integer_words(digits: str, lang: str, gender: Gender = None) -> str:
    """Return an integer (digits only) as words; too long or with a leading zero: digit by digit."""
    if not digits:
        return ""
    if len(digits) > MAX_CARDINAL_DIGITS or (len(digits) > 1 and digits[0] == "0"):
        return digits_words(digits, lang)
    return cardinal(int(digits), lang, gender)


def _plain_digits(number: str) -> str:
    """Return the digits of an integer part, separators removed."""
    return "".join(c for c in number if "0" <= c <= "9")


def number_words(number: str, language: Language, gender: Gender = None) -> str:
    """Return a number of ``language``'s writing ("12.500", "2,5", "3 000") as words."""
    whole, _, fraction = number.partition(",")
    digits = _plain_digits(whole)
    if not fraction:
        if len(digits) > 1 and digits[0] == "0" and digits == whole:
            return digits_words(digits, language.n2w)
        return integer_words(digits.lstrip("0") or "0", language.n2w, gender)
    head = integer_words(digits.lstrip("0") or "0", language.n2w)
    return f"{head} {language.decimal_word} {fraction_words(fraction, language)}"


def fraction_words(fraction: str, language: Language) -> str:
    """Return the digits after a decimal comma: German digit by digit ("Komma zwei fünf"),
    the others as a number when short and without a leading zero ("virgule vingt-cinq")."""
    if language.code == "de" or len(fraction) > 2 or fraction.startswith("0"):
        return digits_words(fraction, language.n2w)
    return cardinal(int(fraction), language.n2w)


def is_one(number: str) -> bool:
    """True for the integer one, however written ("1", "01" is not)."""
    return number == "1"


def number_pattern(language: Language) -> str:
    """Return the regex of one number in ``language``'s writing (no sign)."""
    seps = "".join(re.escape(c) for c in language.group_separators + "\u00a0\u202f")
    return rf"(?:[0-9]{{1,3}}(?:[{seps}][0-9]{{3}})+(?![0-9])|[0-9]+)(?:,[0-9]+)?"


# ---------------------------------------------------------------------------------------
# Context helpers
# ---------------------------------------------------------------------------------------

_AT_END = re.compile(r"""[\s"'’”»)\]]*$""")
_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w'’-]*)")
_PREV_WORD = re.compile(r"([^\W\d_][\w'’-]*)[\s,]*$")


def at_end(text: str, position: int) -> bool:
    """True when only closing quotes/brackets and spaces follow ``position``."""
    return _AT_END.match(text, position) is not None


def next_word(text: str, position: int) -> str:
    """The word right after ``position`` (after spaces), or ''."""
    m = _NEXT_WORD.match(text, position)
    return m.group(1) if m else ""


def prev_word(text: str, position: int) -> str:
    """The word right before ``position`` (before spaces), or ''."""
    m = _PREV_WORD.search(text, max(0, position - 40), position)
    return m.group(1) if m else ""


def noun_gender(word: str, language: Language) -> Gender:
    """Gender a number before ``word`` must agree with: "f", "m", or None (no agreement).

    German: a capitalized word is a noun (feminine when listed). Romance languages: the
    lists first, then the ending (plural "-as"/singular "-a" feminine, except the listed
    masculine nouns such as "días", "problemas").
    """
    if not word:
        return None
    lower = word.lower()
    if lower in language.not_nouns:
        return None
    if lower in language.feminine_nouns:
        return "f"
    if lower in language.masculine_nouns:
        return "m"
    if language.code == "de":
        return "m" if word[:1].isupper() else None
    if language.code in ("es", "pt") and word[:1].islower() and lower.endswith(("as", "a")):
        return "f"
    if language.code == "it" and word[:1].islower() and lower.endswith(("a", "e")):
        return "f" if lower.endswith("a") else None
    if language.code in ("es", "it") and word[:1].islower():
        return "m"
    return None


# ---------------------------------------------------------------------------------------
# Rule builders (each returns a str -> str function with a one-line docstring)
# ---------------------------------------------------------------------------------------


def named(name: str, doc: str, fn: Rule) -> Rule:
    """Give a built rule a name and a one-line docstring."""
    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


_DASHES = re.compile(r"[\u2212\u2010\u2011\u2012\ufe63\uff0d]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ODD_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")


def prepare_symbols(text: str) -> str:
    """Map Unicode minus/hyphens to '-', odd spaces to ' ', character references to characters."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = _ODD_SPACES.sub(" ", text)
    return _DASHES.sub("-", text)


_EMAIL_RE = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._+-]*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w@])"
)
_TLDS = word_tuple(
    "com org net edu gov info biz news io eu de at ch fr be lu es pt br it mx ar cl co pe uy "
    "uk us ca tv"
)
_URL_RE = re.compile(
    r"(?<![\w@./-])"
    r"(?:(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    rf"|(?P<bare>(?:[A-Za-z0-9-]+\.)+(?:{'|'.join(_TLDS)}))(?![\w-]))"
    r"(?::[0-9]+)?(?:[/?#][^\s]*?)?"
    r"""(?=[.,;:!?)\]"'’”»]*(?:\s|$))"""
)


def urls_and_emails(language: Language) -> Rule:
    """Build the rule reading e-mail addresses and URLs (as their host) in the language."""
    dot = f" {language.dot_word} "

    def host(name: str) -> str:
        if name.lower().startswith("www."):
            name = name[4:]
        return dot.join(part for part in name.split(".") if part)

    def expand(text: str) -> str:
        if "@" in text:
            text = _EMAIL_RE.sub(
                lambda m: (
                    f"{m[1].replace('.', dot).replace('_', ' ')} {language.at_word} {host(m[2])}"
                ),
                text,
            )
        if "." in text or "://" in text:
            text = _URL_RE.sub(lambda m: host(m["host"] or m["bare"]), text)
        return text

    return named("_expand_urls_and_emails", "Read e-mail addresses and URLs as their host.", expand)


def abbreviations(language: Language) -> Rule:
    """Build the rule expanding whole-token abbreviations and titles before names."""
    table = dict(language.abbreviations)
    for key in list(table):
        if key[:1].islower():
            table.setdefault(key[:1].upper() + key[1:], table[key][:1].upper() + table[key][1:])
    keys = sorted(table, key=lambda k: (-len(k), k))
    abbreviation_re = (
        re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")
        if keys
        else None
    )
    titles = sorted(language.titles, key=lambda k: (-len(k), k))
    title_re = (
        re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(k) for k in titles) + r")(?= [A-ZÀ-ÖØ-Þ][\w'’-])"
        )
        if titles
        else None
    )

    numbered = sorted(language.before_number, key=lambda k: (-len(k), k))
    number_re = (
        re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in numbered) + r")\s?(?=[0-9])")
        if numbered
        else None
    )

    def say(match: re.Match[str]) -> str:
        found = match.group(0)
        words = table[found]
        if found[:1].isupper() and not match.string[: match.start()].strip(" \"'«“‘(["):
            words = words[:1].upper() + words[1:]  # "Dña. Letizia..." -> "Doña Letizia..."
        if found.endswith(".") and at_end(match.string, match.end()):
            return words + "."
        return words

    def expand(text: str) -> str:
        if number_re is not None:
            text = number_re.sub(lambda m: language.before_number[m.group(1)] + " ", text)
        if abbreviation_re is not None:
            text = abbreviation_re.sub(say, text)
        if title_re is not None:
            text = title_re.sub(lambda m: language.titles[m.group(1)], text)
        return text

    return named("_expand_abbreviations", "Expand abbreviations and titles of news text.", expand)


def spell(letters: str, language: Language) -> str:
    """Return capital letters read by the language's letter names, joined by hyphens."""
    return "-".join(language.letter_names.get(c, c) for c in letters)


_DOTTED_RE = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,}|(?:[A-Z]\.)+[A-Z](?![\w.]))")


def dotted_initialisms(language: Language) -> Rule:
    """Build the rule spelling dotted initialisms (``U.S.``); listed ones stay (``S.A.``)."""

    def say(match: re.Match[str]) -> str:
        found = match.group(1)
        if found in language.keep_as_written or found.rstrip(".") + "." in language.keep_as_written:
            return found
        spoken = spell(found.replace(".", ""), language)
        if found.endswith(".") and at_end(match.string, match.end()):
            return spoken + "."
        return spoken

    def expand(text: str) -> str:
        return _DOTTED_RE.sub(say, text) if "." in text else text

    return named("_expand_dotted_initialisms", "Spell dotted initialisms by letter names.", expand)


def acronym_words(language: Language) -> Rule:
    """Build the rule reading listed acronyms as words (``NATO`` -> ``Nato``)."""
    if not language.acronym_words:
        return named("_read_acronym_words", "Read listed acronyms as words.", lambda t: t)
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(sorted(map(re.escape, language.acronym_words), key=len, reverse=True))
        + r")(?![\w-])"
    )

    def expand(text: str) -> str:
        return pattern.sub(lambda m: language.acronym_words[m.group(1)], text)

    return named("_read_acronym_words", "Read listed acronyms as words.", expand)


_CAPS_RE = re.compile(r"(?<![\w'’-])([A-ZÄÖÜÉÑ]{2,5})(s)?(?![\w'’-])")
_CAPS_BEFORE = re.compile(r"(?<![\w'’])[A-ZÄÖÜÉÑ]{2,}[\s:]+$")
_CAPS_AFTER = re.compile(r"[\s:]+[A-ZÄÖÜÉÑ]{2,}(?![\w'’])")
_ROMAN_WORD = re.compile(r"[IVXLCDM]+")


def spell_initialisms(language: Language) -> Rule:
    """Build the rule spelling all-capital tokens of 2-5 letters by the language's letter names."""

    def say(match: re.Match[str]) -> str:
        letters, plural = match.group(1), match.group(2)
        whole = match.group(0)
        if whole in language.keep_as_written or letters in language.keep_as_written:
            return whole
        if _ROMAN_WORD.fullmatch(letters) and "I" in letters:
            return whole
        text, start, end = match.string, match.start(), match.end()
        if _CAPS_BEFORE.search(text, max(0, start - 60), start) or _CAPS_AFTER.match(text, end):
            return whole  # a shouted headline
        spoken = spell(letters, language)
        return spoken + "s" if plural else spoken

    def expand(text: str) -> str:
        return _CAPS_RE.sub(say, text)

    return named("_spell_initialisms", "Spell initialisms by the language's letter names.", expand)


def symbols(language: Language) -> Rule:
    """Build the rule reading the symbols left (``&``, ``+``, ``=``, ``§``, ``°``, ``%``)."""
    table = language.symbols
    pattern = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))

    def expand(text: str) -> str:
        if not any(s[0] in text for s in table):
            return text
        return pattern.sub(lambda m: f" {table[m.group(0)]} ", text)

    return named("_expand_symbols", "Read symbols as words.", expand)


_SPACE_BEFORE_PUNCT = re.compile(r" (?=[,.;?!])")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")


def tidy_punctuation(text: str) -> str:
    """Collapse spaces, drop spaces before , . ; ? ! and doubled periods (not an ellipsis)."""
    text = _SPACE_BEFORE_PUNCT.sub("", " ".join(text.split()))
    return _DOUBLE_PERIOD.sub(".", text) if ".." in text else text


def percentages(language: Language) -> Rule:
    """Build the rule reading percentages (``25 %`` -> ``fünfundzwanzig Prozent``)."""
    num = number_pattern(language)
    pattern = re.compile(rf"(?P<sign>(?<![\w)\].,:/])[-+±])?(?<![\w.,/])(?P<num>{num})\s?%")
    signs = {
        "-": language.minus + " ",
        "+": language.plus + " ",
        "±": f"{language.plus} {language.minus} ",
    }

    def say(m: re.Match[str]) -> str:
        sign = signs.get(m["sign"] or "", "")
        gender: Gender = "m" if language.code == "de" and is_one(m["num"]) else None
        return f"{sign}{number_words(m['num'], language, gender)} {language.percent}"

    def expand(text: str) -> str:
        return pattern.sub(say, text) if "%" in text else text

    return named("_expand_percentages", "Read percentages.", expand)


def units(language: Language) -> Rule:
    """Build the rule reading units after a number (``5 km``, ``-4 °C``, ``2,5 Mio.``)."""
    num = number_pattern(language)
    alternatives = sorted(language.units, key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in alternatives)
    pattern = re.compile(
        rf"(?P<sign>(?<![\w)\].,:/])[-+])?(?<![\w.,/])(?P<num>{num})\s?(?P<unit>{unit_alt})"
        r"(?![\w/²³])(?P<dot>\.(?=\s+[a-zà-ÿ]))?"
    )
    signs = {"-": language.minus + " ", "+": language.plus + " "}

    def say(m: re.Match[str]) -> str:
        unit = language.units[m["unit"]]
        number = m["num"]
        one = is_one(number)
        gender: Gender = unit.gender if one or language.code != "de" else None
        words = number_words(number, language, gender)
        noun = unit.one if one else unit.many
        return f"{signs.get(m['sign'] or '', '')}{words} {noun}"

    def expand(text: str) -> str:
        return pattern.sub(say, text)

    return named("_expand_units", "Read units after a number.", expand)


def scale_words(language: Language) -> Rule:
    """Build the rule reading abbreviated scales after a number (``2,5 Mio.`` -> words)."""
    num = number_pattern(language)
    scale_alt = "|".join(re.escape(s) for s in sorted(language.scales, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.,/])(?P<num>{num})\s?(?P<scale>{scale_alt})(?![\w])")

    def say(m: re.Match[str]) -> str:
        _, one, many, gender = language.scales[m["scale"]]
        number = m["num"]
        noun = one if is_one(number) else many
        words = number_words(number, language, gender if is_one(number) else None)
        spoken = f"{words} {noun}"
        if m["scale"].endswith(".") and at_end(m.string, m.end()):
            spoken += "."
        return spoken

    def expand(text: str) -> str:
        return pattern.sub(say, text) if language.scales else text

    return named("_expand_scale_words", "Read abbreviated scales after a number.", expand)


def money(language: Language) -> Rule:
    """Build the rule reading money: symbol before or after, minor units, scales."""
    num = number_pattern(language)
    symbols_alt = "|".join(re.escape(s) for s in sorted(language.currencies, key=len, reverse=True))
    leading_alt = "|".join(
        re.escape(s)
        for s in sorted(language.currencies, key=len, reverse=True)
        if not s[:1].islower() and not (s[:1].isupper() and s[1:2].islower())
    )
    scale_alt = "|".join(re.escape(s) for s in sorted(language.scales, key=len, reverse=True))
    scale = rf"(?:\s?(?P<scale>{scale_alt})(?![\w]))?" if scale_alt else r"(?P<scale>(?!))?"
    before = re.compile(
        rf"(?<![\w$])(?P<sign>-)?(?P<cur>{leading_alt})\s?(?P<num>{num}){scale}"
        r"(?:,-|,–)?(?![\w])"
    )
    after = re.compile(
        rf"(?<![\w.,/])(?P<sign>-)?(?P<num>{num}){scale}(?:,-|,–)?\s?(?P<cur>{symbols_alt})"
        r"(?![\w$])"
    )

    def say(m: re.Match[str]) -> str:
        currency = language.currencies[m["cur"]]
        number = m["num"]
        sign = language.minus + " " if m["sign"] else ""
        if m["scale"]:
            _, one, many, gender = language.scales[m["scale"]]
            words = number_words(number, language, gender if is_one(number) else None)
            noun = one if is_one(number) else many
            connector = language.scale_connector
            name = currency.many
            if connector == "d'" and name[:1] in "aeiouéèêh":
                link = f"d'{name}"
            elif connector in ("", "d'"):
                link = f"de {name}" if connector == "d'" else name
            else:
                link = f"{connector} {name}"
            return f"{sign}{words} {noun} {link}"
        whole, _, cents = number.partition(",")
        if len(cents) == 2 and currency.minor_one:
            major_digits = _plain_digits(whole)
            major, minor = int(major_digits or "0"), int(cents)
            parts = []
            if major or not minor:
                words = integer_words(
                    major_digits.lstrip("0") or "0", language.n2w, currency.gender
                )
                parts.append(f"{words} {currency.one if major == 1 else currency.many}")
            if minor:
                words = cardinal(minor, language.n2w, currency.minor_gender)
                minor_name = currency.minor_one if minor == 1 else currency.minor_many
                if major and language.extra.get("cents_after_major") == "bare":
                    parts.append(words)  # "drei Euro fünfzig", "trois euros cinquante"
                else:
                    parts.append(f"{words} {minor_name}")
            if len(parts) == 2 and language.extra.get("cents_after_major") != "bare":
                return sign + f" {language.extra.get('and_cents', 'und')} ".join(parts)
            return sign + " ".join(parts)
        gender = currency.gender
        words = number_words(number, language, gender)
        return f"{sign}{words} {currency.one if is_one(number) else currency.many}"

    def expand(text: str) -> str:
        text = before.sub(say, text)
        return after.sub(say, text)

    return named("_expand_money", "Read amounts of money.", expand)


def ranges_and_scores(language: Language) -> Rule:
    """Build the rule reading a dash between numbers as 'to' and a one-digit ratio as a score."""
    num = number_pattern(language)
    range_re = re.compile(
        rf"(?<![\w.,/+-])(?P<a>{num})(?:\s?[–—]\s?|-| - )(?P<b>{num})(?![\w]|[.,][0-9]|[-–])"
    )
    score_re = re.compile(r"(?<![\w:.,])([0-9]{1,2}):([0-9])(?![\w:]|[.,][0-9])")

    def expand(text: str) -> str:
        text = range_re.sub(
            lambda m: (
                f"{m['a']} {m['b']}"
                if m["a"] == m["b"]
                else f"{m['a']} {language.to_word} {m['b']}"
            ),
            text,
        )
        return score_re.sub(rf"\1 {language.score_word} \2", text)

    return named("_expand_ranges", "Read number ranges and scores.", expand)


_SIGN_RE = re.compile(r"(?<![\w)\].,:/+-])([-+±])(?=[0-9])")


def signs(language: Language) -> Rule:
    """Build the rule reading a sign before a number (``-4`` -> ``minus 4``)."""
    words = {
        "-": language.minus + " ",
        "+": language.plus + " ",
        "±": f"{language.plus} {language.minus} ",
    }

    def expand(text: str) -> str:
        return _SIGN_RE.sub(lambda m: words[m.group(1)], text)

    return named("_expand_signs", "Read signs before numbers.", expand)


def numbers(language: Language, *, years: Callable[[int], str] | None = None) -> Rule:
    """Build the rule reading every remaining number, agreeing with the noun after it."""
    num = number_pattern(language)
    pattern = re.compile(rf"(?<![\w.,])({num})(?![0-9])|[0-9]+")
    quantity_after = language.quantity_after

    def say(m: re.Match[str]) -> str:
        found = m.group(0)
        text, start, end = m.string, m.start(), m.end()
        following = next_word(text, end)
        if m.group(1) is None:  # digits glued to something: digit by digit
            spoken = digits_words(found, language.n2w)
        elif (
            years is not None
            and len(found) == 4
            and found.isdigit()
            and 1100 <= int(found) <= 1999
            and following.lower() not in quantity_after
        ):
            spoken = years(int(found))
        elif found.isdigit() and len(found) > 6:
            spoken = digits_words(found, language.n2w)
        else:
            gender = noun_gender(following, language) if text[end : end + 1] == " " else None
            spoken = number_words(found, language, gender)
        if start > 0 and text[start - 1].isalnum():
            spoken = " " + spoken
        if end < len(text) and text[end].isalnum():
            spoken += " "
        return spoken

    def expand(text: str) -> str:
        return pattern.sub(say, text)

    return named("_expand_numbers", "Read every remaining number.", expand)


VULGAR = {"½": (1, 2), "¼": (1, 4), "¾": (3, 4), "⅓": (1, 3), "⅔": (2, 3)}


def fractions(language: Language, names: Mapping[tuple[int, int], str], and_word: str) -> Rule:
    """Build the rule reading ½ ¼ ¾ ⅓ ⅔ (after a whole number too: ``2½``)."""
    pattern = re.compile(r"(?:(?<![\w.,])([0-9]+)\s?)?([½¼¾⅓⅔])")

    def say(m: re.Match[str]) -> str:
        words = names[VULGAR[m.group(2)]]
        if m.group(1):
            return f"{integer_words(m.group(1), language.n2w)} {and_word} {words}"
        return words

    def expand(text: str) -> str:
        return pattern.sub(say, text) if any(c in text for c in VULGAR) else text

    return named("_expand_fractions", "Read vulgar fractions.", expand)


def run(rules: tuple[Rule, ...], text: str) -> str:
    """Apply ``rules`` in order and collapse whitespace; never raises.

    An utterance that started with a capital, digit or symbol and now starts with a
    lowercase word gets a capital ("1 Person starb." -> "Eine Person starb.").
    """
    first = text.lstrip()[:1]
    keep_capital = not first.isalpha() or first.isupper()
    for rule in rules:
        try:
            text = rule(text)
        except Exception:  # pragma: no cover - a bug in one rule must not lose the utterance
            continue
    text = " ".join(text.split())
    if text and keep_capital and text[0].islower():
        text = text[0].upper() + text[1:]
    return text
