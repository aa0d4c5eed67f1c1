"""German speech normalization (``de``, ``de-DE``, ``de-AT``, ``de-CH``).

Numbers are written with a decimal comma and a thousands dot (``12.500,50``); ordinals with a
dot (``3. Liga``, ``am 15. März``), inflected by the word before them (``der dritte``, ``am
dritten``, ``ein dritter``); times ``14.30 Uhr``/``14:30`` -> ``vierzehn Uhr dreißig``; ``1 Uhr``
-> ``ein Uhr``; years 1100-1999 as ``neunzehnhundert...``; money ``12.500 €`` / ``3,50 Euro``
(-> ``drei Euro fünfzig``) / ``2,5 Mio. Euro``; abbreviations ``z. B.``, ``u. a.``, ``Nr.``,
``Dr.``, ``Prof.``; initialisms by German letter names (``SPD`` -> ``Es-Pe-De``); ``GmbH`` stays.
See :mod:`._continental` for the shared rules and their contract.
"""

from __future__ import annotations

import re

from newsaudio.text.normalize._continental import (
    Currency,
    Gender,
    Language,
    Rule,
    Unit,
    _n2w,
    abbreviations,
    acronym_words,
    cardinal,
    dotted_initialisms,
    fractions,
    money,
    named,
    number_pattern,
    numbers,
    ordinal,
    percentages,
    prepare_symbols,
    prev_word,
    ranges_and_scores,
    run,
    scale_words,
    signs,
    spell_initialisms,
    symbols,
    tidy_punctuation,
    units,
    urls_and_emails,
    word_set,
)

MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES.update(
    {"Jänner": 1, "Jan.": 1, "Feb.": 2, "Febr.": 2, "Mrz.": 3, "Apr.": 4, "Jun.": 6, "Jul.": 7,
     "Aug.": 8, "Sep.": 9, "Sept.": 9, "Okt.": 10, "Nov.": 11, "Dez.": 12}
)  # fmt: skip

LETTERS = {
    "A": "A", "B": "Be", "C": "Ze", "D": "De", "E": "E", "F": "Eff", "G": "Ge", "H": "Ha",
    "I": "I", "J": "Jott", "K": "Ka", "L": "Ell", "M": "Emm", "N": "Enn", "O": "O", "P": "Pe",
    "Q": "Ku", "R": "Er", "S": "Ess", "T": "Te", "U": "U", "V": "Fau", "W": "We", "X": "Ix",
    "Y": "Üpsilon", "Z": "Zett", "Ä": "Ä", "Ö": "Ö", "Ü": "Ü",
}  # fmt: skip

_EURO = Currency("Euro", "Euro", "m", "Cent", "Cent")
_DOLLAR = Currency("Dollar", "Dollar", "m", "Cent", "Cent")
_US_DOLLAR = Currency("U-Es-Dollar", "U-Es-Dollar", "m", "Cent", "Cent")
_POUND = Currency("Pfund", "Pfund", "m", "Penny", "Pence")
_FRANC = Currency("Franken", "Franken", "m", "Rappen", "Rappen")

# fmt: off
LANGUAGE = Language(
    code="de",
    n2w="de",
    decimal_word="Komma",
    minus="minus",
    plus="plus",
    percent="Prozent",
    to_word="bis",
    score_word="zu",
    months=MONTHS,
    month_names=_MONTH_NAMES,
    group_separators=".",
    currencies={
        "€": _EURO, "EUR": _EURO, "Euro": _EURO, "$": _DOLLAR, "US$": _US_DOLLAR,
        "USD": _US_DOLLAR, "Dollar": _DOLLAR, "US-Dollar": _US_DOLLAR, "£": _POUND,
        "Pfund": _POUND, "CHF": _FRANC, "Franken": _FRANC, "¥": Currency("Yen", "Yen"),
    },
    units={
        "km": Unit("Kilometer", "Kilometer"), "m": Unit("Meter", "Meter"),
        "cm": Unit("Zentimeter", "Zentimeter"), "mm": Unit("Millimeter", "Millimeter"),
        "km²": Unit("Quadratkilometer", "Quadratkilometer"),
        "m²": Unit("Quadratmeter", "Quadratmeter"), "m³": Unit("Kubikmeter", "Kubikmeter"),
        "ha": Unit("Hektar", "Hektar"), "kg": Unit("Kilogramm", "Kilogramm"),
        "g": Unit("Gramm", "Gramm"), "t": Unit("Tonne", "Tonnen", "f"),
        "l": Unit("Liter", "Liter"), "km/h": Unit("Kilometer pro Stunde", "Kilometer pro Stunde"),
        "°C": Unit("Grad Celsius", "Grad Celsius"), "° C": Unit("Grad Celsius", "Grad Celsius"),
        "°": Unit("Grad", "Grad"), "kW": Unit("Kilowatt", "Kilowatt"),
        "MW": Unit("Megawatt", "Megawatt"), "GW": Unit("Gigawatt", "Gigawatt"),
        "kWh": Unit("Kilowattstunde", "Kilowattstunden", "f"),
        "MWh": Unit("Megawattstunde", "Megawattstunden", "f"),
        "TWh": Unit("Terawattstunde", "Terawattstunden", "f"),
        "GB": Unit("Gigabyte", "Gigabyte"), "MB": Unit("Megabyte", "Megabyte"),
        "Std.": Unit("Stunde", "Stunden", "f"), "Min.": Unit("Minute", "Minuten", "f"),
        "h": Unit("Stunde", "Stunden", "f"),
    },
    scales={
        "Mio.": (6, "Million", "Millionen", "f"), "Mio": (6, "Million", "Millionen", "f"),
        "Mrd.": (9, "Milliarde", "Milliarden", "f"), "Mrd": (9, "Milliarde", "Milliarden", "f"),
        "Tsd.": (3, "Tausend", "Tausend", None), "Billionen": (12, "Billion", "Billionen", "f"),
    },
    scale_connector="",
    abbreviations={
        "z. B.": "zum Beispiel", "z.B.": "zum Beispiel", "u. a.": "unter anderem",
        "u.a.": "unter anderem", "d. h.": "das heißt", "d.h.": "das heißt",
        "v. a.": "vor allem", "v.a.": "vor allem", "z. T.": "zum Teil", "z.T.": "zum Teil",
        "u. U.": "unter Umständen", "o. ä.": "oder ähnlich", "o.ä.": "oder ähnlich",
        "i. d. R.": "in der Regel", "u. v. m.": "und vieles mehr", "z. Zt.": "zurzeit",
        "usw.": "und so weiter", "bzw.": "beziehungsweise", "ca.": "circa",
        "vgl.": "vergleiche", "ggf.": "gegebenenfalls", "inkl.": "inklusive",
        "evtl.": "eventuell", "bspw.": "beispielsweise", "sog.": "sogenannte",
        "geb.": "geboren", "gest.": "gestorben", "Dr.": "Doktor", "Prof.": "Professor",
        "St.": "Sankt", "Str.": "Straße", "Jh.": "Jahrhundert", "Jhd.": "Jahrhundert",
        "v. Chr.": "vor Christus", "n. Chr.": "nach Christus", "e. V.": "eingetragener Verein",
        "Hbf.": "Hauptbahnhof", "Bhf.": "Bahnhof", "Tel.": "Telefon", "Abb.": "Abbildung",
        "Mio.": "Millionen", "Mrd.": "Milliarden", "Tsd.": "Tausend",
    },
    titles={"Hr.": "Herr", "Fr.": "Frau"},
    before_number={
        "Nr.": "Nummer", "S.": "Seite", "Abs.": "Absatz", "Art.": "Artikel", "Bd.": "Band",
        "Kap.": "Kapitel",
    },
    letter_names=LETTERS,
    acronym_words={
        "NATO": "Nato", "UNO": "Uno", "UNESCO": "Unesco", "UNICEF": "Unicef", "OPEC": "Opec",
        "FIFA": "Fifa", "UEFA": "Uefa", "DAX": "Dax", "MDAX": "M-Dax", "NASA": "Nasa",
        "COVID": "Covid", "AIDS": "Aids", "TÜV": "Tüv", "BAMF": "Bamf", "GAU": "Gau",
        "ASEAN": "Asean", "FRONTEX": "Frontex", "EUROPOL": "Europol", "INTERPOL": "Interpol",
        "CERN": "Cern", "IKEA": "Ikea", "ESA": "Esa",
    },
    keep_as_written=frozenset({"S.A.", "GmbH", "OK"}),
    symbols={
        "&": "und", "+": "plus", "=": "gleich", "§§": "Paragrafen", "§": "Paragraf",
        "°": "Grad", "%": "Prozent", "€": "Euro", "$": "Dollar", "£": "Pfund", "@": "at",
        "×": "mal", "km²": "Quadratkilometer", "m²": "Quadratmeter", "m³": "Kubikmeter",
    },
    at_word="at",
    dot_word="Punkt",
    feminine_nouns=word_set(
        "million milliarde billion person personen stunde minute sekunde woche tonne frau "
        "stimme partei firma stadt nacht seite runde klasse schule million milliarde "
        "kilowattstunde"
    ),
    not_nouns=frozenset(),
    quantity_after=word_set(
        "menschen personen euro dollar soldaten stimmen mitarbeiter einwohner kilometer "
        "meter tonnen fälle tote stück exemplare besucher"
    ),
    extra={"cents_after_major": "bare"},
)
# fmt: on

# ---------------------------------------------------------------------------------------
# Ordinals, dates and times
# ---------------------------------------------------------------------------------------

_NOMINATIVE = frozenset({"der", "die", "das", "eine", "jede", "diese"})
_STRONG = frozenset({"ein"})
_WEAK_EN = word_set(
    "dem den des am im zum zur vom beim einem einen einer seit ab bis dieses diesem "
    "diesen jedes jedem"
)
_ORDINAL_NOUNS = word_set(
    "Platz Liga Bundesliga Runde Spieltag Jahrhundert Mal Stock Etage Klasse Weltkrieg Advent "
    "Geburtstag Jahrestag Sitzung Lesung Quartal Halbjahr Amtszeit Stelle Wahlgang Tag "
    "Woche Etappe Auflage Staffel Folge Mannschaft Kammer Senat Kreis Bezirk"
)


_PREPOSITIONS = word_set(
    "in an auf aus bei mit nach von zu vor seit unter über hinter neben zwischen während "
    "wegen trotz gegenüber"
)


def _ordinal_words(value: int, before: str, *, date: bool, before2: str = "") -> str:
    """Ordinal inflected by the words before it: der dritte, in der dritten, am dritten,
    seinen achtzigsten, ein dritter."""
    base = ordinal(value, "de")  # "dritte"
    word = before.lower()
    if word in ("der", "die") and before2.lower() in _PREPOSITIONS:
        return base + "n"  # dative: "in der dritten Liga"
    if word in _NOMINATIVE:
        return base
    if word in _STRONG:
        return base + "r"
    if word in _WEAK_EN or word.endswith(("en", "em")) or date:
        return base + "n"
    return base


def _year_words(year: str) -> str:
    """A year as read in German (1990 -> neunzehnhundertneunzig)."""
    value = int(year)
    if len(year) == 2:
        value += 2000 if value < 50 else 1900
    if 1100 <= value <= 1999:
        return _n2w(value, "de", "year")
    return cardinal(value, "de")


_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTH_NAMES, key=len, reverse=True))
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\w.,/])(?P<d>[0-9]{1,2})(?P<s>[./])\s?(?P<m>[0-9]{1,2})(?:(?P=s)(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?![0-9]|,[0-9])|\.(?=\s|$))"
)
_ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-]|\.[0-9])")
_WORD_DATE_RE = re.compile(
    rf"(?<![\w.,])(?P<d>[0-9]{{1,2}})\.\s?(?:(?P<d2>[0-9]{{1,2}})\.\s?)?"
    rf"(?P<m>{_MONTH_ALT})(?![\w])(?:\s(?P<y>[0-9]{{4}})(?![0-9]))?"
)
_RANGE_DATE_RE = re.compile(
    rf"(?<![\w.,])(?P<d>[0-9]{{1,2}})\.\s?[-–]\s?(?P<d2>[0-9]{{1,2}})\.\s?(?P<m>{_MONTH_ALT})(?![\w])"
)


def _say_numeric_date(match: re.Match[str]) -> str:
    """Return 15.03.2026 / 15/03/2026 / 15.3. as words."""
    day, month, year = int(match["d"]), int(match["m"]), match["y"]
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    before = prev_word(match.string, match.start())
    spoken = f"{_ordinal_words(day, before, date=True)} {MONTHS[month - 1]}"
    if year:
        spoken += f" {_year_words(year)}"
    return spoken


def _say_word_date(match: re.Match[str]) -> str:
    """Return "15. März 2026" as words."""
    day = int(match["d"])
    if not 1 <= day <= 31:
        return match.group(0)
    before = prev_word(match.string, match.start())
    month = MONTHS[_MONTH_NAMES[match["m"]] - 1]
    spoken = _ordinal_words(day, before, date=True)
    if match["d2"]:
        spoken += " " + _ordinal_words(int(match["d2"]), before, date=True)
    spoken += f" {month}"
    if match["y"]:
        spoken += f" {_year_words(match['y'])}"
    return spoken


def _expand_dates(text: str) -> str:
    """Read dates: 15.03.2026, 15/03/2026, 2026-03-15, 15. März 2026, 3.-5. Mai."""
    text = _ISO_DATE_RE.sub(
        lambda m: (
            f"{_ordinal_words(int(m[3]), prev_word(m.string, m.start()), date=True)} "
            f"{MONTHS[int(m[2]) - 1]} {_year_words(m[1])}"
            if 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31
            else m.group(0)
        ),
        text,
    )
    text = _RANGE_DATE_RE.sub(lambda m: f"{m['d']}. bis {m['d2']}. {m['m']}", text)
    text = _NUMERIC_DATE_RE.sub(_say_numeric_date, text)
    return _WORD_DATE_RE.sub(_say_word_date, text)


_UHR_RE = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2})(?:[.:](?P<m>[0-9]{2}))?\s?Uhr\b")
_CLOCK_RE = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?![\w:]|[.,][0-9])")
_DOT_CLOCK_RE = re.compile(
    r"\b(?P<w>[Uu]m|[Aa]b|[Bb]is|[Gg]egen) (?P<h>[0-9]{1,2})\.(?P<m>[0-9]{2})(?![\w.]|,[0-9])"
)


def _say_time(match: re.Match[str]) -> str:
    """Return a clock time as German words: 14.30 Uhr -> vierzehn Uhr dreißig."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 24 or minute > 59:
        return match.group(0)
    spoken = f"{'ein' if hour == 1 else cardinal(hour, 'de')} Uhr"
    if minute:
        spoken += f" {cardinal(minute, 'de')}"
    return spoken


def _expand_times(text: str) -> str:
    """Read times: 14.30 Uhr, 14:30, 1 Uhr (ein Uhr), um 9.15."""
    text = _UHR_RE.sub(_say_time, text)
    if ":" in text:
        text = _CLOCK_RE.sub(_say_time, text)
    return _DOT_CLOCK_RE.sub(lambda m: f"{m['w']} {_say_time(m)}", text)


_ORDINAL_RE = re.compile(r"(?<![\w.,])(?P<n>[0-9]{1,3})\.(?=\s+(?P<next>[\w-]+))")


def _say_ordinal(match: re.Match[str]) -> str:
    """Return "3." as an ordinal when a determiner precedes or an ordinal noun follows."""
    value = int(match["n"])
    before = prev_word(match.string, match.start())
    following = match["next"]
    lower = before.lower()
    if value == 0:
        return match.group(0)
    if (
        following in _ORDINAL_NOUNS
        or lower in _NOMINATIVE | _STRONG | _WEAK_EN
        or following[:1].islower()  # "als 3. ins Ziel": no sentence goes on in lower case
    ):
        before2 = prev_word(match.string, match.start() - len(before) - 1) if before else ""
        return _ordinal_words(value, before, date=False, before2=before2)
    return match.group(0)


_DECADE_RE = re.compile(r"(?<![\w.,])(?P<n>[0-9]{2,4})er(?=\b|-)")


def _say_decade(match: re.Match[str]) -> str:
    """Return 1990er -> neunzehnhundertneunziger, 90er -> neunziger."""
    digits = match["n"]
    words = _year_words(digits) if len(digits) == 4 else cardinal(int(digits), "de")
    return words + "er"


def _expand_ordinals(text: str) -> str:
    """Read ordinals (der 3. Platz, am 5. Spieltag) and decades (1990er, 90er-Jahre)."""
    text = _ORDINAL_RE.sub(_say_ordinal, text)
    return _DECADE_RE.sub(_say_decade, text)


def _one_before_noun(text: str) -> str:
    """Read "1" before a capitalized noun as "ein"/"eine" (1 Person -> eine Person)."""
    return _ONE_RE.sub(
        lambda m: ("eine " if m[1].lower() in LANGUAGE.feminine_nouns else "ein ") + m[1], text
    )


_ONE_RE = re.compile(r"(?<![\w.,])1 (?=[A-ZÄÖÜ])([A-ZÄÖÜ][a-zäöüß]+)")
_ONE_RULE = named("_expand_one_before_noun", "Read 1 before a noun as ein/eine.", _one_before_noun)

_FRACTION_NAMES = {
    (1, 2): "einhalb",
    (1, 4): "ein Viertel",
    (3, 4): "drei Viertel",
    (1, 3): "ein Drittel",
    (2, 3): "zwei Drittel",
}

RULES: tuple[Rule, ...] = (
    prepare_symbols,
    urls_and_emails(LANGUAGE),
    abbreviations(LANGUAGE),
    dotted_initialisms(LANGUAGE),
    acronym_words(LANGUAGE),
    _expand_dates,
    ranges_and_scores(LANGUAGE),
    _expand_times,
    money(LANGUAGE),
    scale_words(LANGUAGE),
    percentages(LANGUAGE),
    units(LANGUAGE),
    _expand_ordinals,
    signs(LANGUAGE),
    fractions(LANGUAGE, _FRACTION_NAMES, "und"),
    _ONE_RULE,
    numbers(LANGUAGE, years=lambda v: _year_words(str(v))),
    spell_initialisms(LANGUAGE),
    symbols(LANGUAGE),
    tidy_punctuation,
)
"""The German rules, in the order they run."""

NUMBER_PATTERN = number_pattern(LANGUAGE)


def normalize(text: str) -> str:
    """Return one German utterance rewritten for speech; never raises."""
    return run(RULES, text)


__all__ = ["LANGUAGE", "LETTERS", "MONTHS", "RULES", "Gender", "normalize"]
