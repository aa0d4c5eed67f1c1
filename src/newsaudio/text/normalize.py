"""Speech normalization: display text in, text an engine reads well out (English first).

Contract used by the pipeline::

    normalize(text: str, *, lexicon: Lexicon | None = None, language: str = "en") -> str

``text`` is ONE sentence or utterance of cleaned display text. The result is what the
text-to-speech engine should read. ``normalize`` is deterministic, never raises, is safe
to apply twice (its output is a fixed point for everything it produces) and cheap: all
regexes are compiled at import and number words are cached.

Order of work
=============

1. The pronunciation lexicon (:class:`~newsaudio.text.lexicon.Lexicon`), for every
   language, so users can override anything below.
2. For English (``language`` is ``"en"`` or ``"en-*"``/``"en_*"``), the rules of
   :data:`ENGLISH_RULES`, in this order; each is a small ``str -> str`` function:

   ``_prepare_symbols``
       Unicode minus/hyphens to ``-``, fraction slash to ``/``, ``#5`` -> ``number 5``,
       ``~5`` -> ``about 5``.
   ``_expand_urls_and_emails``
       ``jane.doe@example.com`` -> ``jane dot doe at example dot com``; a URL or bare
       domain is read as its host without scheme, ``www.``, port or path:
       ``https://www.example.com/path?x=1`` -> ``example dot com``.
   ``_expand_abbreviations``
       The whole-token abbreviations of :data:`ABBREVIATIONS` (``Dr.`` -> ``Doctor``,
       ``etc.`` -> ``et cetera`` ...) and the British period-less titles of
       :data:`TITLES_WITHOUT_PERIOD` before a capitalized name (``Mr Smith``). ``St.``
       is ``Saint`` before a capitalized word and ``Street`` otherwise; ``Dr.`` is
       ``Drive`` after a capitalized name unless a capitalized word follows; ``No.``
       and ``Nos.`` only expand before a number. An abbreviation's period that also ends
       the utterance is kept once (``etc.`` at the end -> ``et cetera.``).
   ``_expand_dotted_initialisms``
       ``U.S.`` -> ``U S``, ``J.K.`` -> ``J K``; a middle initial loses its period
       (``John F. Kennedy`` -> ``John F Kennedy``) so the engine does not end a sentence.
   ``_read_acronym_words``
       Acronyms of :data:`ACRONYM_WORDS` are read as words (``NATO`` -> ``Nato``,
       ``COVID`` -> ``covid``).
   ``_expand_world_wars``
       ``WWII``/``WW2`` -> ``World War Two``.
   ``_expand_dates``
       ``Jan 20``/``January 20`` -> ``January twentieth``; ``4 March`` -> ``the fourth of
       March`` (no second "the" after "the"); ``2022-01-20`` -> ``January twentieth,
       2022``; day ranges ``March 4-6`` -> ``March fourth to sixth``. Years are read by
       the number rule.
   ``_expand_digit_groups``
       Telephone numbers and other dash-grouped codes read digit by digit, groups
       separated by commas: ``555-0123`` -> ``five five five, zero one two three``,
       ``+1 202 555 0147`` -> ``plus one, two zero two, five five five, zero one four
       seven``.
   ``_expand_ranges``
       A dash between two numbers means "to": ``9-5``/``9–5`` -> ``9 to 5``,
       ``2019-2021`` -> ``2019 to 2021`` (the numbers are read later); two equal numbers
       are just repeated (``50-50`` -> ``50 50``).
   ``_expand_times``
       ``08:30`` -> ``eight thirty``, ``10:05`` -> ``ten oh five``, ``12:00`` ->
       ``twelve o'clock``, ``18:00`` -> ``eighteen hundred``, ``9 a.m.``/``9am`` ->
       ``nine A-M``, ``9:30 p.m.`` -> ``nine thirty P M``, ``9.30am`` -> ``nine thirty
       A-M``; a one-digit ratio or score ``3:1`` -> ``3 to 1``.
   ``_split_letters_from_digits``
       ``COVID-19`` -> ``COVID 19``, ``F-35`` -> ``F 35``, ``G7`` -> ``G 7`` (a lone
       capital ``A`` keeps a hyphen, ``A380`` -> ``A-380``, see :func:`spell_letters`).
   ``_expand_currency``
       ``$10`` -> ``ten dollars``, ``$1`` -> ``one dollar``, ``$1.50`` -> ``one dollar
       and fifty cents``, ``$1.2bn``/``$1.2 billion`` -> ``one point two billion
       dollars``, ``£40m`` -> ``forty million pounds``, ``$5k``, ``€3``, ``¥``, ``₹``...
   ``_expand_percentages``
       ``45%`` -> ``forty-five percent``, ``-3.5%`` -> ``minus three point five percent``.
   ``_expand_units``
       A unit of :data:`UNITS` right after a number (``5 km`` -> ``five kilometers``,
       ``1 km`` -> ``one kilometer``, ``-4°C`` -> ``minus four degrees Celsius``, ``30
       mph``, ``km/h``, ``kWh``...). ``m`` is meters, and only after a number. A ``C``
       or ``F`` glued to a number is a temperature (``40C``); ``5 mg/day`` -> ``five
       milligrams per day`` (money too: ``$3.50/gallon``).
   ``_expand_ordinals_and_plurals``
       ``48th`` -> ``forty-eighth``; ``1990s`` -> ``nineteen nineties``, ``'90s`` ->
       ``nineties``, ``747s`` -> ``seven hundred forty-sevens``.
   ``_expand_fractions``
       ``½`` -> ``one half``, ``2½`` -> ``two and a half``, every Unicode vulgar fraction
       (:data:`VULGAR_FRACTIONS`); ``3/4`` -> ``three quarters``, ``1 1/2`` -> ``one and
       a half`` for denominators 2 to 10 when the numerator is smaller; other ``a/b`` are
       read as two numbers (``24/7`` -> ``twenty-four seven``, ``9/11`` -> ``nine
       eleven``); ``20/01/2022`` -> ``20 slash 01 slash 2022``.
   ``_expand_scale_suffixes``
       ``5k`` -> ``five thousand``, ``1.2bn`` -> ``one point two billion``, ``mn``, ``tn``.
   ``_expand_signs``
       ``-4`` -> ``minus 4``, ``+5`` -> ``plus 5``, ``±2`` -> ``plus or minus 2``.
   ``_expand_numbers``
       Every remaining number. Grouped ``100,000`` -> ``one hundred thousand``;
       ``0.6`` -> ``zero point six``; four digits 1100-2099 are years (``2008`` -> ``two
       thousand eight``, ``2019`` -> ``twenty nineteen``, ``1905`` -> ``nineteen oh
       five``) unless a quantity word precedes or follows (``about 1500``, ``1500
       troops`` are cardinals); 5+ digits without grouping and numbers with a leading
       zero are read digit by digit (``02134`` -> ``zero two one three four``), and so is
       ``911`` (``nine one one``); dotted
       groups ``1.2.3`` -> ``one dot two dot three``; ``4.5b`` -> ``four point five b``.
   ``_expand_roman_numerals``
       ``World War II`` -> ``World War Two``, ``Super Bowl LVIII`` -> ``Super Bowl
       fifty-eight`` (after the words of :data:`ROMAN_CARDINAL_WORDS`), otherwise regnal
       ``Louis XIV`` -> ``Louis the Fourteenth`` after a capitalized name (up to XXX).
       Single letters (I, V, X, L, C) only count after a known monarch name or a title
       (``King``, ``Pope``...), so the pronoun "I" and "Malcolm X" stay as they are.
       Invalid numerals and words such as MIX, DIV, CIVIL, LIVID are never touched.
   ``_spell_initialisms``
       All-capital tokens of 2 to 5 letters are spelled with :func:`spell_letters`
       (``FBI`` -> ``F B I``, ``CEOs`` -> ``C E O's``) except :data:`KEEP_AS_WRITTEN`
       (``WHO``, ``OK``), words of Roman-numeral letters with an ``I`` (``MIX``, ``DIV``,
       ``CIVIL``, ``LIVID``, a stray ``II``: the engine reads those as written) and
       tokens next to another all-capital word (a shouted headline, ``POLICE SAY``).
   ``_expand_symbols``
       ``&`` -> ``and``, ``+`` -> ``plus``, ``@`` -> ``at``, ``#tag`` -> ``hashtag tag``,
       ``%`` -> ``percent``, ``=`` -> ``equals``, ``×`` -> ``times``, ``°`` -> ``degrees``,
       ``and/or`` -> ``and or``, ``km/h`` -> ``kilometers per hour`` and ``word/word`` ->
       ``word or word``.
   ``_tidy_punctuation``
       No space before ``, . ; : ? !``, no doubled period (an ellipsis stays).

3. Whitespace collapsed to single spaces and stripped (every language).

Other languages get the lexicon and whitespace only: no English word is ever produced.

Letters are spelled with spaces (``U S``, ``F B I``) so the engine says each letter,
except around the letter ``A``: espeak-ng, which Piper uses, reads a lone "A" as the
article "uh" (checked with Piper's own phonemizer). A leading "A" is hyphenated to the
next letter (``AP`` -> ``A-P``, ``AM`` -> ``A-M``, ``ACLU`` -> ``A-C L U``, ``A380`` ->
``A-three hundred eighty``) and a group with an "A" elsewhere stays joined (``UAE``,
``USA``, ``NBA``), which espeak-ng reads letter by letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from num2words import num2words

from newsaudio.text.lexicon import Lexicon

__all__ = [
    "ABBREVIATIONS",
    "ACRONYM_WORDS",
    "ENGLISH_RULES",
    "KEEP_AS_WRITTEN",
    "ROMAN_CARDINAL_WORDS",
    "TITLES_WITHOUT_PERIOD",
    "UNITS",
    "VULGAR_FRACTIONS",
    "normalize",
    "spell_letters",
]

# ---------------------------------------------------------------------------------------
# Tables (public so tests can iterate over all of them)
# ---------------------------------------------------------------------------------------


def _word_tuple(words: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of ``words``, in order."""
    return tuple(words.split())


def _word_set(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``words`` as a set."""
    return frozenset(words.split())


#: Whole-token abbreviations and what to say. Keys are case-sensitive; a lowercase key
#: also matches with a capital first letter ("E.g." -> "For example"). Context rules:
#: "St." is "Saint" before a capitalized word and "Street" otherwise; "Dr." is "Drive"
#: after a capitalized name when no capitalized word follows; "No."/"Nos." only before
#: a number.
ABBREVIATIONS: dict[str, str] = {
    # titles and ranks
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Messrs.": "Messieurs",
    "Dr.": "Doctor",
    "Prof.": "Professor",
    "Sen.": "Senator",
    "Rep.": "Representative",
    "Gov.": "Governor",
    "Pres.": "President",
    "Gen.": "General",
    "Lt.": "Lieutenant",
    "Col.": "Colonel",
    "Maj.": "Major",
    "Sgt.": "Sergeant",
    "Cpl.": "Corporal",
    "Pvt.": "Private",
    "Capt.": "Captain",
    "Cmdr.": "Commander",
    "Com.": "Commander",
    "Adm.": "Admiral",
    "Det.": "Detective",
    "Insp.": "Inspector",
    "Supt.": "Superintendent",
    "Rev.": "Reverend",
    "Fr.": "Father",
    "Hon.": "Honorable",
    "Atty.": "Attorney",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "Ph.D.": "P H D",
    # places
    "St.": "Saint",
    "Mt.": "Mount",
    "Ft.": "Fort",
    "Ave.": "Avenue",
    "Blvd.": "Boulevard",
    "Rd.": "Road",
    "Hwy.": "Highway",
    # organizations
    "Inc.": "Incorporated",
    "Corp.": "Corporation",
    "Co.": "Company",
    "Ltd.": "Limited",
    "Bros.": "Brothers",
    "Dept.": "Department",
    "Univ.": "University",
    "Assn.": "Association",
    "Govt.": "Government",
    # Latin and common
    "vs.": "versus",
    "vs": "versus",
    "v.": "versus",
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "et al.": "et al",
    "approx.": "approximately",
    "a.k.a.": "also known as",
    "ca.": "circa",
    "No.": "number",
    "Nos.": "numbers",
    # months (the date rule also reads them without the period before a day)
    "Jan.": "January",
    "Feb.": "February",
    "Mar.": "March",
    "Apr.": "April",
    "Jun.": "June",
    "Jul.": "July",
    "Aug.": "August",
    "Sep.": "September",
    "Sept.": "September",
    "Oct.": "October",
    "Nov.": "November",
    "Dec.": "December",
}

#: British-style titles without a period, expanded only before a capitalized word.
TITLES_WITHOUT_PERIOD: dict[str, str] = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "St": "Saint",
    "Prof": "Professor",
}

#: All-capital acronyms read as words, and how to write them so the engine does.
ACRONYM_WORDS: dict[str, str] = {
    "NATO": "Nato",
    "NASA": "Nasa",
    "COVID": "covid",
    "UNESCO": "Unesco",
    "UNICEF": "Unicef",
    "OPEC": "Opec",
    "FIFA": "Fifa",
    "UEFA": "Uefa",
    "NAFTA": "Nafta",
    "ASEAN": "Asean",
    "AIDS": "Aids",
    "SARS": "Sars",
    "MERS": "Mers",
    "FEMA": "Fema",
    "OSHA": "Osha",
    "NASDAQ": "Nasdaq",
    "ISIS": "Isis",
    "CERN": "Cern",
    "DARPA": "Darpa",
    "INTERPOL": "Interpol",
    "SWAT": "Swat",
    "SCOTUS": "Scotus",
}

#: All-capital words left exactly as written (ambiguous or read well as they are).
KEEP_AS_WRITTEN: frozenset[str] = frozenset({"WHO", "OK"})

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

#: Units read after a number: symbol -> (singular, plural). Case-sensitive.
UNITS: dict[str, tuple[str, str]] = {
    "km": ("kilometer", "kilometers"),
    "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "km²": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "m³": ("cubic meter", "cubic meters"),
    "sq km": ("square kilometer", "square kilometers"),
    "sq ft": ("square foot", "square feet"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "mi": ("mile", "miles"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "m/s": ("meter per second", "meters per second"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "° C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "° F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "TWh": ("terawatt hour", "terawatt hours"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
}


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

# Currency symbol -> (singular, plural, minor singular, minor plural); minor "" = none.
_CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("U S dollar", "U S dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "₺": ("lira", "lira", "kurus", "kurus"),
    "₪": ("shekel", "shekels", "agora", "agorot"),
}

_SCALE_WORDS: dict[str, str] = {
    "k": "thousand",
    "K": "thousand",
    "thousand": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "million": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}

_MONTHS = _word_tuple(
    "January February March April May June July August September October November December"
)
_MONTH_BY_NAME: dict[str, str] = {name: name for name in _MONTHS}
_MONTH_BY_NAME.update(
    {
        "Jan": "January",
        "Feb": "February",
        "Mar": "March",
        "Apr": "April",
        "Jun": "June",
        "Jul": "July",
        "Aug": "August",
        "Sep": "September",
        "Sept": "September",
        "Oct": "October",
        "Nov": "November",
        "Dec": "December",
    }
)

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

_TLDS = _word_tuple(
    "com org net edu gov mil int info biz news io ai app dev tv me ly co uk us ca au "
    "nz ie de fr eu in"
)

# ---------------------------------------------------------------------------------------
# Number words (num2words only; cached)
# ---------------------------------------------------------------------------------------

_MAX_CARDINAL_DIGITS = 15  # beyond quadrillions, digits are read one by one


def _tidy_words(words: str) -> str:
    """Return num2words output without commas, British "and" or "oh-" hyphen."""
    words = words.replace(",", " ").replace("oh-", "oh ")
    return " ".join(word for word in words.split() if word != "and")


@lru_cache(maxsize=4096)
def _cardinal(value: int) -> str:
    """Return ``value`` as cardinal words: 3500000 -> 'three million five hundred thousand'."""
    return _tidy_words(num2words(value))


@lru_cache(maxsize=1024)
def _ordinal(value: int) -> str:
    """Return ``value`` as ordinal words: 48 -> 'forty-eighth'."""
    return _tidy_words(num2words(value, to="ordinal"))


@lru_cache(maxsize=1024)
def _year(value: int) -> str:
    """Return ``value`` read as a year: 2019 -> 'twenty nineteen'."""
    return _tidy_words(num2words(value, to="year"))


_DIGIT_WORDS: tuple[str, ...] = tuple(_cardinal(d) for d in range(10))


def _digits(digits: str) -> str:
    """Return each ASCII digit of ``digits`` as a word: '0123' -> 'zero one two three'."""
    return " ".join(_DIGIT_WORDS[ord(c) - 48] for c in digits if "0" <= c <= "9")


def _integer(digits: str) -> str:
    """Return an integer string (commas allowed) as cardinal words, or digit by digit."""
    plain = digits.replace(",", "")
    if len(plain) > _MAX_CARDINAL_DIGITS:
        return _digits(plain)
    return _cardinal(int(plain))


def _quantity(number: str) -> str:
    """Return a number like '3,500,000', '12', '0.6' or '.5' as cardinal words."""
    whole, _, fraction = number.partition(".")
    words = _integer(whole) if whole else ""
    if fraction:
        words = f"{words} point {_digits(fraction)}".strip()
    return words


def _pluralize(words: str) -> str:
    """Return number words with the last word made plural: 'nineteen ninety' -> '...nineties'."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith(("x", "s")):
        return words + "es"
    return words + "s"


def spell_letters(letters: str) -> str:
    """Return capital letters spelled for the engine: 'FBI' -> 'F B I', 'AP' -> 'A-P'.

    espeak-ng reads a lone "A" as the article "uh", so a leading "A" is hyphenated to the
    next letter ('ACLU' -> 'A-C L U') and a group with any other "A" stays joined
    ('UAE', 'USA', 'NBA'), which espeak-ng reads letter by letter.
    """
    if "A" not in letters:
        return " ".join(letters)
    if letters[0] == "A" and len(letters) > 1 and "A" not in letters[1:]:
        return f"A-{' '.join(letters[1:])}"
    return letters


# ---------------------------------------------------------------------------------------
# Shared regex pieces and context helpers
# ---------------------------------------------------------------------------------------

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_INT = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_AT_END = re.compile(r"""[\s"'’”)\]]*$""")
_NEXT_WORD = re.compile(r"\s+([^\W_][\w'’-]*)")
_PREV_WORD = re.compile(r"([^\W_][\w'’-]*)[\s,]*$")
_PREV_PLAIN_WORD = re.compile(r"([A-Za-z]+)\s+$")
_NEXT_PLAIN_WORD = re.compile(r"\s+([A-Za-z]+)")


def _at_end(text: str, position: int) -> bool:
    """Return True when only closing quotes/brackets and spaces follow ``position``."""
    return _AT_END.match(text, position) is not None


def _next_word(text: str, position: int) -> str:
    """Return the word right after ``position`` (after spaces), or ''."""
    match = _NEXT_WORD.match(text, position)
    return match.group(1) if match else ""


def _prev_word(text: str, position: int) -> str:
    """Return the word right before ``position`` (before spaces), or ''."""
    match = _PREV_WORD.search(text, max(0, position - 40), position)
    return match.group(1) if match else ""


def _is_capitalized(word: str) -> bool:
    """Return True for a word starting with an uppercase letter."""
    return word[:1].isupper()


# ---------------------------------------------------------------------------------------
# The rules, in order
# ---------------------------------------------------------------------------------------

_PREPARE_RE = re.compile(r"[\u2212\u2010\u2011\u2012\ufe63\uff0d]|\u2044|#(?=[0-9])|~(?=[0-9])")
_PREPARE_MAP = {"\u2044": "/", "#": "number ", "~": "about "}


def _prepare_symbols(text: str) -> str:
    """Map Unicode minus/hyphens to '-', fraction slash to '/', '#5'/'~5' to words."""
    return _PREPARE_RE.sub(lambda m: _PREPARE_MAP.get(m.group(0), "-"), text)


_TLD = "|".join(_TLDS)
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._+-]*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w@])"
)
_URL_RE = re.compile(
    r"(?<![\w@./-])"
    r"(?:(?:https?|ftp)://(?:[^\s/@]+@)?(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    rf"|(?P<bare>(?:[A-Za-z0-9-]+\.)+(?:{_TLD}))(?![\w-]))"
    r"(?::[0-9]+)?"
    r"(?:[/?#][^\s]*?)?"
    r"""(?=[.,;:!?)\]"'’”]*(?:\s|$))"""
)


def _say_host(host: str) -> str:
    """Return a host name read aloud: 'www.example.com' -> 'example dot com'."""
    if host.lower().startswith("www."):
        host = host[4:]
    return " dot ".join(label for label in host.split(".") if label)


def _say_email(match: re.Match[str]) -> str:
    """Return an e-mail address read aloud."""
    local = match.group(1).replace(".", " dot ").replace("_", " underscore ")
    return f"{local} at {_say_host(match.group(2))}"


def _say_url(match: re.Match[str]) -> str:
    """Return a URL or bare domain read as its host."""
    return _say_host(match.group("host") or match.group("bare"))


def _expand_urls_and_emails(text: str) -> str:
    """Read e-mail addresses in full and URLs/domains as their host ('example dot com')."""
    if "@" in text:
        text = _EMAIL_RE.sub(_say_email, text)
    if "." in text:
        text = _URL_RE.sub(_say_url, text)
    return text


def _abbreviation_keys() -> dict[str, str]:
    """Return every spelling the abbreviation rule matches -> canonical key."""
    keys: dict[str, str] = {}
    for key in ABBREVIATIONS:
        keys[key] = key
        if key[:1].islower():
            keys.setdefault(key[:1].upper() + key[1:], key)
    return keys


_ABBREVIATION_KEYS = _abbreviation_keys()
_ABBREVIATION_RE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(k) for k in sorted(_ABBREVIATION_KEYS, key=lambda k: (-len(k), k)))
    + r")(?!\w)"
)
_TITLE_RE = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(TITLES_WITHOUT_PERIOD, key=len, reverse=True)) + r")"
    r"(?= [A-Z][a-z])"
)
_FOLLOWED_BY_NUMBER = re.compile(r"\s*[0-9]")
_DETERMINERS = frozenset(
    {"The", "A", "An", "This", "That", "Our", "Your", "My", "His", "Her", "Their", "Its"}
)


def _say_abbreviation(match: re.Match[str]) -> str:
    """Return the expansion of one abbreviation, with context rules for St./Dr./No."""
    found = match.group(0)
    key = _ABBREVIATION_KEYS[found]
    words = ABBREVIATIONS[key]
    text, start, end = match.string, match.start(), match.end()
    if key in ("No.", "Nos.") and not _FOLLOWED_BY_NUMBER.match(text, end):
        return found
    following = _next_word(text, end)
    if key == "St.":
        words = "Saint" if _is_capitalized(following) else "Street"
    elif key == "Dr.":
        previous = _prev_word(text, start)
        if (
            _is_capitalized(previous)
            and previous not in _DETERMINERS
            and not _is_capitalized(following)
        ):
            words = "Drive"
    if found != key:  # capitalized variant of a lowercase key ("E.g.")
        words = words[:1].upper() + words[1:]
    if found.endswith(".") and _at_end(text, end):
        return words + "."
    return words


def _expand_abbreviations(text: str) -> str:
    """Expand whole-token abbreviations (Dr. -> Doctor, etc. -> et cetera, Mr Smith)."""
    text = _ABBREVIATION_RE.sub(_say_abbreviation, text)
    return _TITLE_RE.sub(lambda m: TITLES_WITHOUT_PERIOD[m.group(1)], text)


_DOTTED_RE = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,}|(?:[A-Z]\.)+[A-Z](?![\w.]))")
_MIDDLE_INITIAL_RE = re.compile(r"\b([A-Z][a-z]+ [B-Z])\. (?=[A-Z][a-z])")


def _say_dotted(match: re.Match[str]) -> str:
    """Return a dotted initialism spelled, keeping a final period that ends the text."""
    found = match.group(1)
    spoken = spell_letters(found.replace(".", ""))
    if found.endswith(".") and _at_end(match.string, match.end()):
        return spoken + "."
    return spoken


def _expand_dotted_initialisms(text: str) -> str:
    """Spell dotted initialisms (U.S. -> U S) and drop a middle initial's period."""
    if "." not in text:
        return text
    text = _DOTTED_RE.sub(_say_dotted, text)
    return _MIDDLE_INITIAL_RE.sub(r"\1 ", text)


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


_MONTH_ALT = "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True))
_SUFFIX = r"(?:st|nd|rd|th)?"
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.? (?P<day>[0-9]{{1,2}}){_SUFFIX}"
    rf"(?:\s?[–-]\s?(?P<day2>[0-9]{{1,2}}){_SUFFIX})?(?![\w:]|[.,][0-9])"
)
_DAY_MONTH_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<the>[Tt]he) )?(?P<day>[0-9]{{1,2}}){_SUFFIX}(?: of)? "
    rf"(?P<month>{_MONTH_ALT})\b"
)
_ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-]|\.[0-9])")


def _say_month_day(match: re.Match[str]) -> str:
    """Return 'Month ordinal' (or a day range) for a month followed by a day."""
    day, day2 = int(match.group("day")), match.group("day2")
    if not 1 <= day <= 31 or (day2 is not None and not 1 <= int(day2) <= 31):
        return match.group(0)
    month = _MONTH_BY_NAME[match.group("month")]
    spoken = f"{month} {_ordinal(day)}"
    if day2 is not None:
        spoken += f" to {_ordinal(int(day2))}"
    return spoken


def _say_day_month(match: re.Match[str]) -> str:
    """Return 'the ordinal of Month' for a day followed by a month."""
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return match.group(0)
    the = match.group("the") or "the"
    month = _MONTH_BY_NAME[match.group("month")]
    return f"{the} {_ordinal(day)} of {month}"


def _say_iso_date(match: re.Match[str]) -> str:
    """Return 'Month ordinal, year' for an ISO date."""
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    return f"{_MONTHS[month - 1]} {_ordinal(day)}, {year}"


def _expand_dates(text: str) -> str:
    """Read dates: 'Jan 20' -> 'January twentieth', '4 March' -> 'the fourth of March'."""
    text = _ISO_DATE_RE.sub(_say_iso_date, text)
    text = _MONTH_DAY_RE.sub(_say_month_day, text)
    return _DAY_MONTH_RE.sub(_say_day_month, text)


_PHONE_RES = (
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


_AMPM = r"(?P<ampm>[aApP]\.?[mM]\.?)(?![\w])"
_CLOCK_RE = re.compile(
    r"(?<![\w:.,])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?"
    rf"(?![\w:]|[.,][0-9])(?:\s?{_AMPM})?"
)
_HOUR_RE = re.compile(rf"(?<![\w:.,])(?P<h>[0-9]{{1,2}})(?:\.(?P<m>[0-9]{{2}}))?\s?{_AMPM}")
_RATIO_RE = re.compile(r"(?<![\w:.,])([0-9]+):([0-9])(?![\w:]|[.,][0-9])")


def _say_time(hour: int, minute: int, ampm: str | None) -> str:
    """Return a time of day read aloud: (8, 30) -> 'eight thirty'."""
    spoken = _cardinal(hour)
    if minute == 0:
        if ampm is None:
            spoken += " o'clock" if 1 <= hour <= 12 else " hundred"
    elif minute < 10:
        spoken += f" oh {_cardinal(minute)}"
    else:
        spoken += f" {_cardinal(minute)}"
    if ampm is not None:
        spoken += " " + spell_letters("AM" if ampm[0] in "aA" else "PM")
    return spoken


def _keep_final_period(match: re.Match[str], spoken: str) -> str:
    """Append '.' when the match ended with a period that also ends the text."""
    if match.group(0).endswith(".") and _at_end(match.string, match.end()):
        return spoken + "."
    return spoken


def _say_clock(match: re.Match[str]) -> str:
    """Return an hh:mm[:ss] [am|pm] time read aloud."""
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 24 or minute > 59 or (match["ampm"] and not 1 <= hour <= 12):
        return match.group(0)
    spoken = _say_time(hour, minute, match["ampm"])
    if match["s"] is not None and int(match["s"]) <= 59:
        spoken += f" and {_cardinal(int(match['s']))} seconds"
    return _keep_final_period(match, spoken)


def _say_hour(match: re.Match[str]) -> str:
    """Return an 'h[.mm] am|pm' time read aloud."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return match.group(0)
    return _keep_final_period(match, _say_time(hour, minute, match["ampm"]))


def _expand_times(text: str) -> str:
    """Read clock times (08:30, 9 a.m., 9.30pm) and one-digit ratios (3:1 -> 3 to 1)."""
    text = _CLOCK_RE.sub(_say_clock, text)
    text = _HOUR_RE.sub(_say_hour, text)
    return _RATIO_RE.sub(r"\1 to \2", text)


_LETTER_DIGIT_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-?(?=[0-9])")


def _split_letters_from_digits(text: str) -> str:
    """Separate a code's letters from its number: COVID-19 -> COVID 19, G7 -> G 7."""
    # A lone "A" keeps a hyphen ("A380" -> "A-380"): alone it would be read as "uh".
    return _LETTER_DIGIT_RE.sub(lambda m: "A-" if m[1] == "A" else f"{m[1]} ", text)


_CURRENCY_ALT = "|".join(re.escape(symbol) for symbol in sorted(_CURRENCIES, key=len, reverse=True))
_CURRENCY_RE = re.compile(
    rf"(?<![\w$])(?P<sign>-)?(?P<cur>{_CURRENCY_ALT})\s?(?P<num>{_NUM})"
    r"(?:\s?(?P<word>thousand|million|billion|trillion)|(?P<abbr>bn|mn|tn|k|K|m|M|b|B))?"
    r"(?:/(?P<per>[A-Za-z]+))?(?![\w])"
)


def _say_currency(match: re.Match[str]) -> str:
    """Return an amount of money read aloud: '$1.2bn' -> 'one point two billion dollars'."""
    one, many, minor_one, minor_many = _CURRENCIES[match["cur"]]
    number = match["num"]
    sign = "minus " if match["sign"] else ""
    per = f" per {match['per']}" if match["per"] else ""  # "$3.50/gallon"
    scale = match["word"] or match["abbr"]
    if scale:
        return f"{sign}{_quantity(number)} {_SCALE_WORDS[scale]} {many}{per}"
    whole, _, cents = number.partition(".")
    if len(cents) == 2 and minor_one:
        major, minor = int(whole.replace(",", "")), int(cents)
        parts = []
        if major or not minor:
            parts.append(f"{_integer(whole)} {one if major == 1 else many}")
        if minor:
            parts.append(f"{_cardinal(minor)} {minor_one if minor == 1 else minor_many}")
        return sign + " and ".join(parts) + per
    return f"{sign}{_quantity(number)} {one if number == '1' else many}{per}"


def _expand_currency(text: str) -> str:
    """Read money: $10 -> ten dollars, £40m -> forty million pounds, $1.50, €3."""
    return _CURRENCY_RE.sub(_say_currency, text)


_SIGN = r"(?P<sign>(?<![\w)\].,:/])[-+±])?"
_SIGN_WORDS = {"-": "minus ", "+": "plus ", "±": "plus or minus ", None: ""}
_PERCENT_RE = re.compile(rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})\s?%")


def _expand_percentages(text: str) -> str:
    """Read percentages: 45% -> forty-five percent, 3.5% -> three point five percent."""
    if "%" not in text:
        return text
    return _PERCENT_RE.sub(lambda m: f"{_SIGN_WORDS[m['sign']]}{_quantity(m['num'])} percent", text)


_UNIT_ALT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_UNIT_RE = re.compile(
    rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})(?:\s?(?P<scale>thousand|million|billion))?"
    rf"\s?(?P<unit>{_UNIT_ALT})(?:/(?P<per>[A-Za-z]+)(?![\w/]))?(?![\w/²³])"
    r"(?:\.(?=\s+[a-z]))?"
)
# British style "40C": a C or F glued to the number is a temperature.
_GLUED_TEMPERATURE_RE = re.compile(rf"{_SIGN}(?<![\w.,/])(?P<num>{_NUM})(?P<unit>[CF])(?![\w])")
_GLUED_TEMPERATURE_UNITS = {"C": "°C", "F": "°F"}


def _say_unit(match: re.Match[str]) -> str:
    """Return a measurement read aloud: '5 km' -> 'five kilometers'."""
    symbol = _GLUED_TEMPERATURE_UNITS.get(match["unit"], match["unit"])
    one, many = UNITS[symbol]
    number = match["num"]
    scale = match.groupdict().get("scale")
    amount = _quantity(number) + (f" {scale}" if scale else "")
    unit = one if number == "1" and not scale else many
    per = f" per {match['per']}" if match.groupdict().get("per") else ""  # "5 mg/day"
    return f"{_SIGN_WORDS[match['sign']]}{amount} {unit}{per}"


def _expand_units(text: str) -> str:
    """Read units after numbers: 5 km -> five kilometers, -4°C -> minus four degrees Celsius."""
    text = _UNIT_RE.sub(_say_unit, text)
    return _GLUED_TEMPERATURE_RE.sub(_say_unit, text)


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


_ACRONYM_WORD_RE = re.compile(
    r"(?<![\w])(" + "|".join(sorted(ACRONYM_WORDS, key=len, reverse=True)) + r")(?![\w])"
)
_CAPS_RE = re.compile(r"(?<![\w'’])([A-Z]{2,5})(s|['’]s)?(?![\w])")
_CAPS_WORD_BEFORE = re.compile(r"(?<![\w'’])[A-Z]{2,}(?:\s+|\s*:\s*)$")
_CAPS_WORD_AFTER = re.compile(r"(?:\s+|\s*:\s*)[A-Z]{2,}(?![\w'’])")
_ROMAN_LETTER_WORD = re.compile(r"[VXLCDM]*I[IVXLCDM]*")  # MIX, DIV, CIVIL, LIVID, II


def _read_acronym_words(text: str) -> str:
    """Read known acronyms as words: NATO -> Nato, COVID -> covid."""
    return _ACRONYM_WORD_RE.sub(lambda m: ACRONYM_WORDS[m.group(1)], text)


def _next_to_capitals(text: str, start: int, end: int) -> bool:
    """Return True when another all-capital word sits right before or after the token."""
    if _CAPS_WORD_BEFORE.search(text, max(0, start - 60), start):
        return True
    return _CAPS_WORD_AFTER.match(text, end) is not None


def _say_caps(match: re.Match[str]) -> str:
    """Return an all-capital token spelled letter by letter (FBI -> F B I)."""
    letters, plural = match.group(1), match.group(2)
    if letters in KEEP_AS_WRITTEN or _ROMAN_LETTER_WORD.fullmatch(letters):
        return match.group(0)
    if _next_to_capitals(match.string, match.start(), match.end()):
        return match.group(0)  # a shouted headline ("POLICE SAY..."): leave it
    spoken = spell_letters(letters)
    return spoken + "'s" if plural else spoken


def _spell_initialisms(text: str) -> str:
    """Spell all-capital tokens of 2-5 letters: FBI -> F B I, CEOs -> C E O's."""
    return _CAPS_RE.sub(_say_caps, text)


_SYMBOL_RE = re.compile(r"\b(?:and/or|km/h|m/s)\b|(?<=[A-Za-z])/(?=[A-Za-z])|#(?=\w)|[&+@%=×°§]")
_SYMBOL_WORDS = {
    "and/or": "and or",
    "km/h": "kilometers per hour",
    "m/s": "meters per second",
    "/": " or ",
    "#": "hashtag ",
    "&": " and ",
    "+": " plus ",
    "@": " at ",
    "%": " percent ",
    "=": " equals ",
    "×": " times ",
    "°": " degrees ",
    "§": " section ",
}


def _expand_symbols(text: str) -> str:
    """Read symbols: & -> and, + -> plus, @ -> at, and/or -> and or, word/word -> or."""
    if not any(char in text for char in "/#&+@%=×°§"):
        return text
    return _SYMBOL_RE.sub(lambda m: _SYMBOL_WORDS[m.group(0)], text)


_SPACE_BEFORE_PUNCT = re.compile(r" (?=[,.;:?!])")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")


def _tidy_punctuation(text: str) -> str:
    """Collapse spaces, drop spaces before punctuation and doubled periods (not '...')."""
    text = _SPACE_BEFORE_PUNCT.sub("", " ".join(text.split()))
    return _DOUBLE_PERIOD.sub(".", text) if ".." in text else text


#: The English rules, in the order they run (see the module docstring).
ENGLISH_RULES: tuple[Callable[[str], str], ...] = (
    _prepare_symbols,
    _expand_urls_and_emails,
    _expand_abbreviations,
    _expand_dotted_initialisms,
    _read_acronym_words,
    _expand_world_wars,
    _expand_dates,
    _expand_digit_groups,
    _expand_ranges,
    _expand_times,
    _split_letters_from_digits,
    _expand_currency,
    _expand_percentages,
    _expand_units,
    _expand_ordinals_and_plurals,
    _expand_fractions,
    _expand_scale_suffixes,
    _expand_signs,
    _expand_numbers,
    _expand_roman_numerals,
    _spell_initialisms,
    _expand_symbols,
    _tidy_punctuation,
)


# Rules that only ever act on ASCII digits. No rule creates a digit, so an utterance
# without digits can skip them all.
_NUMBER_RULES = frozenset(
    {
        _expand_dates,
        _expand_digit_groups,
        _expand_ranges,
        _expand_times,
        _split_letters_from_digits,
        _expand_currency,
        _expand_percentages,
        _expand_units,
        _expand_ordinals_and_plurals,
        _expand_scale_suffixes,
        _expand_signs,
        _expand_numbers,
    }
)
_ENGLISH_RULES_WITHOUT_DIGITS = tuple(rule for rule in ENGLISH_RULES if rule not in _NUMBER_RULES)
_HAS_DIGIT = re.compile(r"[0-9]")


def _is_english(language: str) -> bool:
    """Return True for 'en', 'en-US', 'en_GB' and the like."""
    code = language.strip().lower()
    return code == "en" or code.startswith(("en-", "en_"))


def normalize(text: str, *, lexicon: Lexicon | None = None, language: str = "en") -> str:
    """Return ``text`` (one utterance) rewritten for speech; see the module docstring."""
    if lexicon is not None:
        text = lexicon.apply(text)
    text = " ".join(text.split())
    if _is_english(language):
        rules = ENGLISH_RULES if _HAS_DIGIT.search(text) else _ENGLISH_RULES_WITHOUT_DIGITS
        for rule in rules:
            text = rule(text)
        text = " ".join(text.split())
    return text
