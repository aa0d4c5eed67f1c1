"""French speech normalization (``fr``, ``fr-FR``, ``fr-BE``, ``fr-CH``, ``fr-CA``).

Numbers: decimal comma, thousands grouped by a space or a narrow no-break space (``12 500``);
ordinals ``1er``/``1re``/``2e``/``XXe siècle``; dates ``15/03/2026`` and ``1er janvier``; times
``14h30``/``14 h``/``14:30`` -> ``quatorze heures trente``, ``1 h`` -> ``une heure``, ``24h/24``;
money ``12 500 €``, ``3,50 €`` (-> ``trois euros cinquante``), ``2,5 M€``; ``25 %``; feminine
agreement before ``heures``, ``personnes``, ``tonnes``... (``21 heures`` -> ``vingt et une
heures``); titles ``M.``, ``Mme``, ``Dr``, ``Pr``, ``Me`` before a name; initialisms by French
letter names (``SNCF`` -> ``esse-enne-cé-effe``). See :mod:`._continental`.
"""

from __future__ import annotations

import re

from newsaudio.text.normalize._continental import (
    Currency,
    Language,
    Rule,
    Unit,
    abbreviations,
    acronym_words,
    cardinal,
    dotted_initialisms,
    fractions,
    money,
    numbers,
    ordinal,
    percentages,
    prepare_symbols,
    ranges_and_scores,
    run,
    signs,
    spell_initialisms,
    symbols,
    tidy_punctuation,
    units,
    urls_and_emails,
    word_set,
)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES.update({m.capitalize(): i for m, i in list(_MONTH_NAMES.items())})
_MONTH_NAMES.update(
    {"janv.": 1, "févr.": 2, "avr.": 4, "juil.": 7, "sept.": 9, "oct.": 10, "nov.": 11, "déc.": 12}
)

LETTERS = {
    "A": "a", "B": "bé", "C": "cé", "D": "dé", "E": "euh", "F": "effe", "G": "gé", "H": "ache",
    "I": "i", "J": "ji", "K": "ka", "L": "elle", "M": "emme", "N": "enne", "O": "o", "P": "pé",
    "Q": "qu", "R": "erre", "S": "esse", "T": "té", "U": "u", "V": "vé", "W": "double-vé",
    "X": "ixe", "Y": "i-grec", "Z": "zède", "É": "é",
}  # fmt: skip

_EURO = Currency("euro", "euros", "m", "centime", "centimes")
_DOLLAR = Currency("dollar", "dollars", "m", "cent", "cents")
_POUND = Currency("livre", "livres", "f", "penny", "pence")
_FRANC = Currency("franc suisse", "francs suisses", "m", "centime", "centimes")

# fmt: off
LANGUAGE = Language(
    code="fr",
    n2w="fr",
    decimal_word="virgule",
    minus="moins",
    plus="plus",
    percent="pour cent",
    to_word="à",
    score_word="à",
    months=MONTHS,
    month_names=_MONTH_NAMES,
    group_separators=" ",
    currencies={
        "€": _EURO, "EUR": _EURO, "euros": _EURO, "euro": _EURO, "$": _DOLLAR,
        "USD": _DOLLAR, "dollars": _DOLLAR, "£": _POUND, "CHF": _FRANC,
    },
    units={
        "km": Unit("kilomètre", "kilomètres"), "m": Unit("mètre", "mètres"),
        "cm": Unit("centimètre", "centimètres"), "mm": Unit("millimètre", "millimètres"),
        "km²": Unit("kilomètre carré", "kilomètres carrés"),
        "m²": Unit("mètre carré", "mètres carrés"), "m³": Unit("mètre cube", "mètres cubes"),
        "ha": Unit("hectare", "hectares"), "kg": Unit("kilo", "kilos"),
        "g": Unit("gramme", "grammes"), "t": Unit("tonne", "tonnes", "f"),
        "l": Unit("litre", "litres"), "L": Unit("litre", "litres"),
        "km/h": Unit("kilomètre heure", "kilomètres heure"),
        "°C": Unit("degré Celsius", "degrés Celsius"),
        "° C": Unit("degré Celsius", "degrés Celsius"),
        "°": Unit("degré", "degrés"), "kW": Unit("kilowatt", "kilowatts"),
        "MW": Unit("mégawatt", "mégawatts"), "GW": Unit("gigawatt", "gigawatts"),
        "kWh": Unit("kilowattheure", "kilowattheures"),
        "TWh": Unit("térawattheure", "térawattheures"),
        "Go": Unit("gigaoctet", "gigaoctets"), "Mo": Unit("mégaoctet", "mégaoctets"),
        "min": Unit("minute", "minutes", "f"), "mn": Unit("minute", "minutes", "f"),
    },
    scales={
        "M": (6, "million", "millions", None), "Md": (9, "milliard", "milliards", None),
        "Mds": (9, "milliard", "milliards", None), "mds": (9, "milliard", "milliards", None),
        "millions": (6, "million", "millions", None), "million": (6, "million", "millions", None),
        "milliards": (9, "milliard", "milliards", None),
    },
    scale_connector="d'",
    abbreviations={
        "etc.": "et cetera", "cf.": "confer", "env.": "environ", "c.-à-d.": "c'est-à-dire",
        "p. ex.": "par exemple", "av. J.-C.": "avant Jésus-Christ",
        "apr. J.-C.": "après Jésus-Christ", "J.-C.": "Jésus-Christ", "Cie": "Compagnie",
        "mds": "milliards", "Mds": "milliards", "hab.": "habitants", "Mme": "Madame",
        "Mmes": "Mesdames", "Mlle": "Mademoiselle", "Mlles": "Mesdemoiselles", "MM.": "Messieurs",
        "Mgr": "Monseigneur", "Dr.": "Docteur", "Pr.": "Professeur",
    },
    titles={
        "M.": "Monsieur", "Dr": "Docteur", "Pr": "Professeur", "Me": "Maître", "St": "Saint",
        "Ste": "Sainte", "Prof.": "Professeur",
    },
    before_number={"n°": "numéro", "nº": "numéro", "N°": "numéro", "art.": "article",
                   "p.": "page"},
    letter_names=LETTERS,
    acronym_words={
        "OTAN": "Otan", "ONU": "Onu", "UNESCO": "Unesco", "UNICEF": "Unicef", "OPEP": "Opep",
        "FIFA": "Fifa", "UEFA": "Uefa", "CAC": "Cac", "SMIC": "Smic", "INSEE": "Insee",
        "COVID": "Covid", "SIDA": "Sida", "NASA": "Nasa", "ENA": "Ena", "IFOP": "Ifop",
        "SAMU": "Samu", "UNEF": "Unef", "CNIL": "Cnil", "ARCOM": "Arcom", "ASEAN": "Asean",
        "FRONTEX": "Frontex", "EUROPOL": "Europol", "INTERPOL": "Interpol", "CERN": "Cern",
        "IKEA": "Ikea", "MEDEF": "Medef", "ONG": "O-enne-gé",
    },
    keep_as_written=frozenset({"S.A.", "SA", "SAS", "SARL", "OK"}),
    symbols={
        "&": "et", "+": "plus", "=": "égale", "§": "paragraphe", "°": "degrés",
        "%": "pour cent", "€": "euros", "$": "dollars", "£": "livres", "@": "arobase",
        "×": "fois",
    },
    at_word="arobase",
    dot_word="point",
    feminine_nouns=word_set(
        "personne personnes heure heures minute minutes seconde secondes semaine semaines fois "
        "année années tonne tonnes femme femmes voix victime victimes place places étoile "
        "étoiles journée journées nuit nuits société sociétés entreprise entreprises famille "
        "familles maison maisons page pages saison saisons ville villes région régions commune "
        "communes classe classes voiture voitures arme armes vie vies élection élections mesure "
        "mesures loi lois livre livres centaine centaines circonscription circonscriptions "
        "équipe équipes victoire victoires défaite défaites école écoles"
    ),
    not_nouns=frozenset(),
    quantity_after=frozenset(),
    extra={"cents_after_major": "bare"},
)
# fmt: on

# ---------------------------------------------------------------------------------------

_ORDINAL_RE = re.compile(
    r"(?<![\w.,])(?P<n>[0-9]{1,4})(?P<suf>er|re|ère|ers|res|ères|e|è|ème|es|èmes|nd|nde|nds|ndes)"
    r"(?![\w])"
)
_ROMAN_ORDINAL_RE = re.compile(
    r"(?<![\w.,])(?P<r>[IVX]|[IVXLC]{2,7})(?P<suf>e|è|ème|er|re)(?![\w])"
)  # one letter only for I, V, X: "Le" and "Ce" are words
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_VALID = re.compile(r"^(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def _roman(numeral: str) -> int:
    """Value of a valid Roman numeral (I, V, X, L, C)."""
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _say_ordinal(value: int, suffix: str) -> str:
    """Return an ordinal: (1, "er") -> premier, (1, "re") -> première, (2, "nde") -> seconde."""
    plural = suffix.endswith("s") and suffix not in ("es",)
    if value == 1 and suffix in ("er", "ers"):
        words = "premier"
    elif value == 1 and suffix in ("re", "ère", "res", "ères"):
        words = "première"
    elif value == 2 and suffix.startswith("nd"):
        words = "seconde" if suffix.startswith("nde") else "second"
    else:
        words = ordinal(value, "fr")
    if plural or suffix in ("es", "èmes"):
        words += "s"
    return words


_SAINT_RE = re.compile(r"(?<![\w.])St(e?)-(?=[A-ZÀ-Ý])")


def _expand_saints(text: str) -> str:
    """Read St-/Ste- in place names as Saint-/Sainte- (St-Étienne, Ste-Foy)."""
    return _SAINT_RE.sub(lambda m: "Sainte-" if m[1] else "Saint-", text)


def _expand_ordinals(text: str) -> str:
    """Read ordinals: 1er -> premier, 1re -> première, 3e -> troisième, XXe -> vingtième."""
    text = _ORDINAL_RE.sub(
        lambda m: _say_ordinal(int(m["n"]), m["suf"]) if int(m["n"]) else m[0], text
    )
    return _ROMAN_ORDINAL_RE.sub(
        lambda m: _say_ordinal(_roman(m["r"]), m["suf"]) if _ROMAN_VALID.match(m["r"]) else m[0],
        text,
    )


_SLASH_DATE_RE = re.compile(
    r"(?<![\w/.,-])(?P<d>[0-9]{1,2})[/.](?P<m>[0-9]{1,2})[/.](?P<y>[0-9]{4})(?![\w/]|[.,][0-9])"
)
_ISO_DATE_RE = re.compile(r"(?<![\w.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![\w-]|\.[0-9])")
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTH_NAMES, key=len, reverse=True))
_DAY_ONE_RE = re.compile(rf"(?<![\w.,])1(?:er)? (?={_MONTH_ALT}(?![\w]))")
_ABBREVIATED_MONTH_RE = re.compile(
    rf"(?<=[0-9] )({'|'.join(re.escape(m) for m in _MONTH_NAMES if m.endswith('.'))})"
)


def _date_words(day: int, month: int, year: str) -> str:
    """Return a date in words: (1, 1, "2026") -> premier janvier deux mille vingt-six."""
    spoken = "premier" if day == 1 else cardinal(day, "fr")
    return f"{spoken} {MONTHS[month - 1]} {cardinal(int(year), 'fr')}"


def _expand_dates(text: str) -> str:
    """Read dates: 15/03/2026, 2026-03-15, 1er janvier, 3 janv. 2026."""
    text = _ISO_DATE_RE.sub(
        lambda m: (
            _date_words(int(m[3]), int(m[2]), m[1])
            if 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31
            else m[0]
        ),
        text,
    )
    if "/" in text or "." in text:
        text = _SLASH_DATE_RE.sub(
            lambda m: (
                _date_words(int(m["d"]), int(m["m"]), m["y"])
                if 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31
                else m[0]
            ),
            text,
        )
    text = _ABBREVIATED_MONTH_RE.sub(lambda m: MONTHS[_MONTH_NAMES[m[1]] - 1], text)
    return _DAY_ONE_RE.sub("premier ", text)


_ROUND_THE_CLOCK_RE = re.compile(r"(?<![\w.,])(24) ?h ?/ ?24|(?<![\w.,])(7) ?j ?/ ?7")
_H_TIME_RE = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2}) ?h ?(?P<m>[0-9]{2})?(?![\w])")
_CLOCK_RE = re.compile(r"(?<![\w.,:])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?![\w:]|[.,][0-9])")


def _say_time(match: re.Match[str]) -> str:
    """Return 14h30 as quatorze heures trente, 1h as une heure."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 24 or minute > 59:
        return match.group(0)
    spoken = f"{cardinal(hour, 'fr', 'f')} {'heure' if hour <= 1 else 'heures'}"
    if minute:
        spoken += f" {cardinal(minute, 'fr', 'f')}"
    return spoken


def _expand_times(text: str) -> str:
    """Read times: 14h30, 14 h, 14:30, 24h/24, 7j/7."""
    text = _ROUND_THE_CLOCK_RE.sub(
        lambda m: "vingt-quatre heures sur vingt-quatre" if m[1] else "sept jours sur sept", text
    )
    text = _H_TIME_RE.sub(_say_time, text)
    return _CLOCK_RE.sub(_say_time, text) if ":" in text else text


_FRACTION_NAMES = {
    (1, 2): "demi",
    (1, 4): "quart",
    (3, 4): "trois quarts",
    (1, 3): "tiers",
    (2, 3): "deux tiers",
}

RULES: tuple[Rule, ...] = (
    prepare_symbols,
    urls_and_emails(LANGUAGE),
    abbreviations(LANGUAGE),
    _expand_saints,
    dotted_initialisms(LANGUAGE),
    acronym_words(LANGUAGE),
    _expand_dates,
    ranges_and_scores(LANGUAGE),
    _expand_times,
    money(LANGUAGE),
    percentages(LANGUAGE),
    units(LANGUAGE),
    _expand_ordinals,
    signs(LANGUAGE),
    fractions(LANGUAGE, _FRACTION_NAMES, "et"),
    numbers(LANGUAGE),
    spell_initialisms(LANGUAGE),
    symbols(LANGUAGE),
    tidy_punctuation,
)
"""The French rules, in the order they run."""


def normalize(text: str) -> str:
    """Return one French utterance rewritten for speech; never raises."""
    return run(RULES, text)


__all__ = ["LANGUAGE", "LETTERS", "MONTHS", "RULES", "normalize"]
