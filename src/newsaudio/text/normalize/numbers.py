"""Numbers: digit groups (phones, codes), ranges, letter-digit codes, ordinals and decades,
fractions, scale suffixes, signs, plain numbers, Roman numerals and world wars."""

from __future__ import annotations

import re
import unicodedata

from newsaudio.text.normalize._common import (
    _INT,
    _MAX_CARDINAL_DIGITS,
    _NEXT_PLAIN_WORD,
    _NUM,
    _PREV_PLAIN_WORD,
    _SCALE_WORDS,
    _cardinal,
    _digits,
    _integer,
    _ordinal,
    _pluralize,
    _quantity,
    _word_set,
    _year,
)
from newsaudio.text.normalize.money_units import (
    _SIGN_WORDS,
)

#: Words after which a Roman numeral is a plain cardinal ("World War Two").
ROMAN_CARDINAL_WORDS: frozenset[str] = _word_set(
    "War Bowl Part Chapter Title Act Volume Book Phase Stage Type Class Category "
    "Article Section Episode Vatican Apollo Round Level Grade Division Tier Schedule "
    "Appendix Annex"
)

# Titles and monarch names that make a single-letter numeral ("Elizabeth I") regnal.
_REGNAL_TITLES = _word_set(
    "King Queen Pope Emperor Empress Tsar Czar Tsarina Kaiser Prince Princess Duke "
    "Sultan Pharaoh Saint"
)
_MONARCH_NAMES = _word_set(
    "Alexander Alfonso Benedict Boniface Carlos Catherine Charles Clement Constantine "
    "Edward Elizabeth Ferdinand Francis Frederick George Gregory Gustav Haakon Harald "
    "Henry Innocent James John Juan Leo Leopold Louis Mary Napoleon Nicholas Olav "
    "Paul Peter Philip Pius Richard Urban Victor Wilhelm William"
)


def _build_vulgar_fractions() -> dict[str, tuple[int, int]]:
    """Return every Unicode VULGAR FRACTION character mapped to (numerator, denominator)."""
    table: dict[str, tuple[int, int]] = {}
    for code in (*range(0x00BC, 0x00BF), *range(0x2150, 0x2190)):
        char = chr(code)
        if not unicodedata.name(char, "").startswith("VULGAR FRACTION"):
            continue
        parts = unicodedata.decomposition(char).split()  # "<fraction> 0031 2044 0032"
        slash = parts.index("2044")
        numerator = int("".join(chr(int(p, 16)) for p in parts[1:slash]))
        denominator = int("".join(chr(int(p, 16)) for p in parts[slash + 1 :]))
        table[char] = (numerator, denominator)
    return table


#: Every Unicode vulgar fraction character: char -> (numerator, denominator).
VULGAR_FRACTIONS: dict[str, tuple[int, int]] = _build_vulgar_fractions()


# A four-digit number after one of these words, or before one of the nouns below, is a
# quantity ("about 1500", "1500 troops"), not a year.
_QUANTITY_BEFORE = _word_set(
    "about around nearly almost over than some approximately roughly least only just "
    "total additional another extra exactly estimated"
)
_QUANTITY_AFTER = _word_set(
    "people persons troops soldiers cars vehicles votes jobs homes houses deaths "
    "cases workers children students residents patients members employees staff units "
    "tons tonnes points words pages dollars euros pounds times miles feet meters "
    "metres kilometers kilometres acres hectares seats flights pupils refugees "
    "migrants civilians officers police fans users customers participants athletes "
    "visitors copies barrels ships aircraft planes calories"
)


_ROMAN_VALID = re.compile(r"^(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(
    r"(?<![\w'’-])(?:(?P<prev>[A-Z][a-z]+) )?(?P<name>[A-Z][a-z]+) (?P<roman>[IVXLC]+)(?![\w])"
)
_WORLD_WAR_RE = re.compile(r"(?<![\w-])WW ?(I{1,2}|[12])(?![\w])")
_MAX_REGNAL = 30


def _roman_value(numeral: str) -> int:
    """Return the value of a valid Roman numeral made of I, V, X, L and C."""
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _say_roman(match: re.Match[str]) -> str:
    """Return 'Name the Ordinal' or 'Word cardinal' for a name followed by a numeral."""
    prev, name, numeral = match.group("prev"), match.group("name"), match.group("roman")
    if not _ROMAN_VALID.match(numeral) or name in _SPOKEN_NUMERALS:
        return match.group(0)  # invalid, or already read ("the Second XIV" is not a name)
    value = _roman_value(numeral)
    head = f"{prev} {name}" if prev else name
    if name in ROMAN_CARDINAL_WORDS:
        words = _cardinal(value)
        return f"{head} {words.title() if name == 'War' else words}"
    if len(numeral) == 1 and name not in _MONARCH_NAMES and prev not in _REGNAL_TITLES:
        return match.group(0)
    if value > _MAX_REGNAL:
        return match.group(0)
    return f"{head} the {_ordinal(value).title()}"


_SPOKEN_NUMERALS = frozenset(
    word for n in range(1, 100) for word in (_ordinal(n).title(), _cardinal(n).title())
)


def _expand_world_wars(text: str) -> str:
    """Read WWI/WWII/WW1/WW2 as 'World War One/Two'."""
    return _WORLD_WAR_RE.sub(
        lambda m: "World War " + ("One" if m.group(1) in ("I", "1") else "Two"), text
    )


def _expand_roman_numerals(text: str) -> str:
    """Read Roman numerals after names: World War II, Elizabeth II, Super Bowl LVIII."""
    return _ROMAN_RE.sub(_say_roman, text)


_PHONE_RES = (
    # British and other trunk-prefix numbers: 0300 123 4567, 020 7946 0958, 07700 900123
    re.compile(r"(?<![\w.,+/-])0[0-9]{2,4}(?: [0-9]{3,4}){1,2}(?![\w]|[.,][0-9])"),
    # international: +1 202 555 0147, +44 (20) 7946-0958
    re.compile(r"(?<![\w+])\+[0-9]{1,3}(?:[ .-]\(?[0-9]{1,5}\)?|\s?\([0-9]{1,5}\)){2,6}(?![\w])"),
    # North American: (202) 555-0147, 1-800-555-0199, 202 555 0147
    re.compile(
        r"(?<![\w(.,-])(?:1[ .-])?(?:\([0-9]{3}\) ?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![\w-])"
    ),
    # local 555-0123, ZIP+4 20500-0003 and any code of three or more dash groups
    re.compile(r"(?<![\w.,/+-])(?:[0-9]{3}|[0-9]{5})-[0-9]{4}(?![\w-]|[.,][0-9])"),
    re.compile(r"(?<![\w.,/+-])[0-9]+(?:-[0-9]+){2,}(?![\w-]|[.,][0-9])"),
)
_DIGIT_RUN = re.compile(r"[0-9]+")
_ROUND_RANGE = re.compile(r"([0-9]{3})-([0-9]{4})")


def _say_digit_groups(match: re.Match[str]) -> str:
    """Return a phone number or code read digit by digit, groups split by commas."""
    found = match.group(0)
    pair = _ROUND_RANGE.fullmatch(found)
    if pair:  # "500-1000" is a range of round numbers, not a phone number
        low, high = int(pair.group(1)), int(pair.group(2))
        if low % 10 == 0 and high % 10 == 0 and low < high:
            return found
    groups = ", ".join(_digits(group) for group in _DIGIT_RUN.findall(found))
    return f"plus {groups}" if found.startswith("+") else groups


def _expand_digit_groups(text: str) -> str:
    """Read phone numbers and dash-grouped codes digit by digit."""
    for pattern in _PHONE_RES:
        text = pattern.sub(_say_digit_groups, text)
    return text


_RANGE_RE = re.compile(
    rf"(?<![\w.,/+-])(?P<a>{_NUM})(?:\s?[–—]\s?|-| - )(?P<b>{_NUM})(?![\w]|[.,][0-9]|[-–])"
)


def _expand_ranges(text: str) -> str:
    """Read a dash between two numbers as 'to' (9-5 -> 9 to 5); 50-50 -> 50 50."""
    return _RANGE_RE.sub(
        lambda m: f"{m['a']} {m['b']}" if m["a"] == m["b"] else f"{m['a']} to {m['b']}",
        text,
    )


_DIMENSIONS_RE = re.compile(r"(?<![\w.,])([0-9]+(?:\.[0-9]+)?)[x×]([0-9]+(?:\.[0-9]+)?)(?![\w])")
_SUBSECTION_RE = re.compile(r"(?<![\w.,])([0-9]+)\(([a-z]|[ivx]{1,4})\)")


def _expand_dimensions(text: str) -> str:
    """Read '4x4' and '1920×1080' as 'four by four', and subsections '3(a)' as '3 A'."""
    if "x" in text or "×" in text:
        text = _DIMENSIONS_RE.sub(r"\1 by \2", text)
    if "(" in text:
        text = _SUBSECTION_RE.sub(lambda m: f"{m[1]} {m[2].upper()}", text)
    return text


_LETTER_DIGIT_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-?(?=[0-9])")


def _split_letters_from_digits(text: str) -> str:
    """Separate a code's letters from its number: COVID-19 -> COVID 19, G7 -> G 7."""
    # A lone "A" keeps a hyphen ("A380" -> "A-380"): alone it would be read as "uh".
    return _LETTER_DIGIT_RE.sub(lambda m: "A-" if m[1] == "A" else f"{m[1]} ", text)


_ORDINAL_RE = re.compile(rf"(?<![\w.,])(?P<num>{_INT})(?:st|nd|rd|th|ST|ND|RD|TH)(?![\w])")
_PLURAL_NUMBER_RE = re.compile(r"(?<![\w.,])(?P<apos>['’])?(?P<num>[0-9]+)(?:['’]s|s)(?![\w])")


def _say_plural_number(match: re.Match[str]) -> str:
    """Return a decade or plural number: 1990s -> 'nineteen nineties', '90s -> 'nineties'."""
    digits = match["num"]
    if len(digits) > _MAX_CARDINAL_DIGITS:
        return _digits(digits) + "s"
    value = int(digits)
    if len(digits) == 4 and 1100 <= value <= 2099 and value % 10 == 0:
        return _pluralize(_year(value))
    return _pluralize(_cardinal(value))


def _expand_ordinals_and_plurals(text: str) -> str:
    """Read ordinals (48th -> forty-eighth) and decades/plurals (1990s, '90s, 747s)."""
    text = _ORDINAL_RE.sub(lambda m: _ordinal(int(m["num"].replace(",", ""))), text)
    return _PLURAL_NUMBER_RE.sub(_say_plural_number, text)


_VULGAR_ALT = "".join(VULGAR_FRACTIONS)
_VULGAR_RE = re.compile(rf"(?:(?<![\w.,])(?P<whole>[0-9]+)\s?)?(?P<frac>[{_VULGAR_ALT}])")
_SLASH_FRACTION_RE = re.compile(
    r"(?<![\w/.,])(?:(?P<whole>[0-9]{1,3}) )?(?P<n>[0-9]+)/(?P<d>[0-9]+)(?![\w/]|[.,][0-9])"
)
_SLASH_SERIES_RE = re.compile(r"(?<![\w/.,])[0-9]+(?:/[0-9]+){2,}(?![\w/])")
_MAX_DENOMINATOR = 10


def _fraction_words(numerator: int, denominator: int, *, mixed: bool) -> str:
    """Return a fraction read aloud: (3, 4) -> 'three quarters', mixed (1, 2) -> 'a half'."""
    if denominator == 2:
        unit = "half" if numerator == 1 else "halves"
    elif denominator == 4:
        unit = "quarter" if numerator == 1 else "quarters"
    else:
        unit = _ordinal(denominator)
        if numerator != 1:
            unit = _pluralize(unit)
    count = "a" if mixed and numerator == 1 else _cardinal(numerator)
    return f"{count} {unit}"


def _say_mixed(whole: str | None, numerator: int, denominator: int) -> str:
    """Return '[whole and ]fraction' read aloud."""
    if whole is None:
        return _fraction_words(numerator, denominator, mixed=False)
    fraction = _fraction_words(numerator, denominator, mixed=True)
    return f"{_integer(whole)} and {fraction}"


def _say_slash_fraction(match: re.Match[str]) -> str:
    """Return a/b as a fraction when it looks like one, else as two numbers."""
    whole, numerator, denominator = match["whole"], match["n"], match["d"]
    n, d = int(numerator), int(denominator)
    if 0 < n < d <= _MAX_DENOMINATOR and numerator[0] != "0":
        return _say_mixed(whole, n, d)
    prefix = f"{whole} " if whole else ""
    return f"{prefix}{numerator} {denominator}"


def _expand_fractions(text: str) -> str:
    """Read fractions: ½ -> one half, 2½ -> two and a half, 3/4 -> three quarters."""
    if _VULGAR_ALT and any(char in VULGAR_FRACTIONS for char in text):
        text = _VULGAR_RE.sub(lambda m: _say_mixed(m["whole"], *VULGAR_FRACTIONS[m["frac"]]), text)
    if "/" in text:
        text = _SLASH_SERIES_RE.sub(lambda m: m.group(0).replace("/", " slash "), text)
        text = _SLASH_FRACTION_RE.sub(_say_slash_fraction, text)
    return text


_SCALE_SUFFIX_RE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})(?:\s?(?P<abbr>bn|mn|tn)|k)(?![\w])")


def _expand_scale_suffixes(text: str) -> str:
    """Read scale suffixes: 5k -> five thousand, 1.2bn -> one point two billion."""
    return _SCALE_SUFFIX_RE.sub(
        lambda m: f"{_quantity(m['num'])} {_SCALE_WORDS[m['abbr'] or 'k']}", text
    )


_SIGN_RE = re.compile(r"(?<![\w)\].,:/+-])([-+±])(?=\.?[0-9])")


def _expand_signs(text: str) -> str:
    """Read a sign before a number: -4 -> minus 4, +5 -> plus 5."""
    return _SIGN_RE.sub(lambda m: _SIGN_WORDS[m.group(1)], text)


_NUMBER_RE = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)*|(?<![\w.])\.[0-9]+")


def _is_quantity_context(text: str, start: int, end: int) -> bool:
    """Return True when the words around a four-digit number make it a quantity."""
    before = _PREV_PLAIN_WORD.search(text, max(0, start - 30), start)
    if before and before.group(1).lower() in _QUANTITY_BEFORE:
        return True
    after = _NEXT_PLAIN_WORD.match(text, end)
    return bool(after and after.group(1).lower() in _QUANTITY_AFTER)


def _say_plain_number(digits: str, text: str, start: int, end: int) -> str:
    """Return an integer without grouping: year, cardinal or digit by digit."""
    if (len(digits) > 1 and digits[0] == "0") or len(digits) >= 5 or digits == "911":
        return _digits(digits)  # codes, long digit strings and the emergency number
    value = int(digits)
    if len(digits) == 4 and 1100 <= value <= 2099 and not _is_quantity_context(text, start, end):
        return _year(value)
    return _cardinal(value)


def _say_number(match: re.Match[str]) -> str:
    """Return any remaining number read aloud, spaced from adjacent letters."""
    found, text, start, end = match.group(0), match.string, match.start(), match.end()
    parts = found.split(".")
    if found.startswith("."):
        spoken = f"point {_digits(parts[1])}"
    elif len(parts) > 2:
        spoken = " dot ".join(_say_plain_number(part, "", 0, 0) for part in parts)
    elif len(parts) == 2:
        spoken = f"{_integer(parts[0])} point {_digits(parts[1])}"
    elif "," in found:
        spoken = _integer(found)
    else:
        spoken = _say_plain_number(found, text, start, end)
    if start > 0 and text[start - 1].isalnum():
        spoken = " " + spoken
    if end < len(text) and text[end].isalpha():
        spoken += " "
    return spoken


def _expand_numbers(text: str) -> str:
    """Read every remaining number: cardinals, decimals, years, long digit strings."""
    return _NUMBER_RE.sub(_say_number, text)
