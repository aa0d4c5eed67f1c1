"""Italian speech normalization (``it``, ``it-IT``, ``it-CH``).

Decimal comma, thousands dot; ordinals ``1°``/``1º`` -> ``primo``, ``1ª`` -> ``prima``, ``XX
secolo`` -> ``ventesimo secolo``; dates ``15/03/2026`` -> ``quindici marzo duemilaventisei``,
``1 marzo``/``1° maggio`` -> ``primo``; times ``alle 14:30``/``alle 14.30`` -> ``quattordici e
trenta``; money ``12.500 euro``, ``3,50 €`` -> ``tre euro e cinquanta centesimi``, ``2,5 mld di
euro``/``2,5 mln €``; ``25%`` -> ``venticinque per cento``; ``1 persona`` -> ``una persona``;
``Sig.``, ``Dott.``, ``Prof.ssa``, ``On.``; ``S.p.A.`` stays; initialisms by Italian letter names
(``PD`` -> ``pi-di``). See :mod:`._continental`.
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
    percentages,
    prepare_symbols,
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
from newsaudio.text.normalize._romance import (
    centuries,
    clock_times,
    first_of_month,
    numeric_dates,
    ordinals,
)

MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
    "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}

LETTERS = {
    "A": "a", "B": "bi", "C": "ci", "D": "di", "E": "e", "F": "effe", "G": "gi", "H": "acca",
    "I": "i", "J": "i lunga", "K": "cappa", "L": "elle", "M": "emme", "N": "enne", "O": "o",
    "P": "pi", "Q": "cu", "R": "erre", "S": "esse", "T": "ti", "U": "u", "V": "vu",
    "W": "doppia vu", "X": "ics", "Y": "ipsilon", "Z": "zeta",
}  # fmt: skip

_EURO = Currency("euro", "euro", "m", "centesimo", "centesimi")
_DOLLAR = Currency("dollaro", "dollari", "m", "centesimo", "centesimi")
_POUND = Currency("sterlina", "sterline", "f", "penny", "pence")
_FRANC = Currency("franco svizzero", "franchi svizzeri", "m", "centesimo", "centesimi")

# fmt: off
LANGUAGE = Language(
    code="it",
    n2w="it",
    decimal_word="virgola",
    minus="meno",
    plus="più",
    percent="per cento",
    to_word="a",
    score_word="a",
    months=MONTHS,
    month_names=_MONTH_NAMES,
    group_separators=".",
    currencies={
        "€": _EURO, "EUR": _EURO, "euro": _EURO, "$": _DOLLAR, "USD": _DOLLAR,
        "dollari": _DOLLAR, "£": _POUND, "sterline": _POUND, "CHF": _FRANC,
    },
    units={
        "km": Unit("chilometro", "chilometri"), "m": Unit("metro", "metri"),
        "cm": Unit("centimetro", "centimetri"), "mm": Unit("millimetro", "millimetri"),
        "km²": Unit("chilometro quadrato", "chilometri quadrati"),
        "m²": Unit("metro quadrato", "metri quadrati"),
        "mq": Unit("metro quadrato", "metri quadrati"),
        "m³": Unit("metro cubo", "metri cubi"), "ha": Unit("ettaro", "ettari"),
        "kg": Unit("chilo", "chili"), "g": Unit("grammo", "grammi"),
        "t": Unit("tonnellata", "tonnellate", "f"), "l": Unit("litro", "litri"),
        "km/h": Unit("chilometro orario", "chilometri orari"), "°C": Unit("grado", "gradi"),
        "° C": Unit("grado", "gradi"), "°": Unit("grado", "gradi"),
        "kW": Unit("chilowatt", "chilowatt"), "MW": Unit("megawatt", "megawatt"),
        "GW": Unit("gigawatt", "gigawatt"), "kWh": Unit("chilowattora", "chilowattora"),
        "GB": Unit("gigabyte", "gigabyte"), "min": Unit("minuto", "minuti"),
    },
    scales={
        "mln": (6, "milione", "milioni", None), "mln.": (6, "milione", "milioni", None),
        "mld": (9, "miliardo", "miliardi", None), "mld.": (9, "miliardo", "miliardi", None),
        "mila": (3, "mila", "mila", None), "milioni": (6, "milione", "milioni", None),
        "miliardi": (9, "miliardo", "miliardi", None),
    },
    scale_connector="di",
    abbreviations={
        "Sig.ra": "signora", "Sig.na": "signorina", "Sig.": "signor", "Sigg.": "signori",
        "Dott.ssa": "dottoressa", "Dott.": "dottor", "Prof.ssa": "professoressa",
        "Prof.": "professor", "Avv.": "avvocato", "Ing.": "ingegner", "Arch.": "architetto",
        "On.": "onorevole", "Sen.": "senatore", "Gen.": "generale", "Mons.": "monsignor",
        "ecc.": "eccetera", "etc.": "eccetera", "p. es.": "per esempio", "a.C.": "avanti Cristo",
        "d.C.": "dopo Cristo", "tel.": "telefono", "c.d.": "cosiddetto",
    },
    titles={},
    before_number={
        "n.": "numero", "nr.": "numero", "N.": "numero", "art.": "articolo", "pag.": "pagina",
    },
    letter_names=LETTERS,
    acronym_words={
        "NATO": "Nato", "ONU": "Onu", "UNESCO": "Unesco", "UNICEF": "Unicef", "FIFA": "Fifa",
        "UEFA": "Uefa", "ISTAT": "Istat", "RAI": "Rai", "FIAT": "Fiat", "ANSA": "Ansa",
        "COVID": "covid", "AIDS": "aids", "IVA": "Iva", "IRPEF": "Irpef", "IMU": "Imu",
        "CONSOB": "Consob", "ENI": "Eni", "ENEL": "Enel", "ANAS": "Anas", "USA": "Usa",
        "PIL": "Pil", "TAR": "Tar", "TAV": "Tav", "NASA": "Nasa", "OPEC": "Opec",
        "FRONTEX": "Frontex", "EUROPOL": "Europol", "INTERPOL": "Interpol", "CERN": "Cern",
        "IKEA": "Ikea", "INPS": "Inps", "INAIL": "Inail", "CONI": "Coni",
    },
    keep_as_written=frozenset({"S.p.A.", "S.r.l.", "SpA", "Srl", "OK"}),
    symbols={
        "&": "e", "+": "più", "=": "uguale a", "§": "paragrafo", "°": "gradi", "%": "per cento",
        "€": "euro", "$": "dollari", "£": "sterline", "@": "chiocciola", "×": "per",
    },
    at_word="chiocciola",
    dot_word="punto",
    feminine_nouns=word_set("persona ora volta"),
    masculine_nouns=word_set("problema programma sistema tema clima papa"),
    not_nouns=word_set(
        "di del della dei delle e o a al alla alle in nel nella per con che si è fu sono "
        "il la lo le gli un una uno suoi sua senza più meno tra fra fino da dal dalla dopo "
        "sopra contro verso ma come quando mila già non"
    ),
    extra={"and_cents": "e"},
)
# fmt: on


def _say_date(day: int, month: int, year: str) -> str:
    """Return (15, 3, "2026") as quindici marzo duemilaventisei (the first: primo)."""
    first = "primo" if day == 1 else cardinal(day, "it")
    return f"{first} {MONTHS[month - 1]} {cardinal(int(year), 'it')}"


_FRACTION_NAMES = {
    (1, 2): "mezzo",
    (1, 4): "un quarto",
    (3, 4): "tre quarti",
    (1, 3): "un terzo",
    (2, 3): "due terzi",
}

_ELISION_RE = re.compile(r"\buna (?=[aeiouàèéìòù])")


def _elide_una(text: str) -> str:
    """Elide "una" before a vowel, as Italian writes it: una ora -> un'ora."""
    return _ELISION_RE.sub("un'", text)


RULES: tuple[Rule, ...] = (
    prepare_symbols,
    urls_and_emails(LANGUAGE),
    abbreviations(LANGUAGE),
    dotted_initialisms(LANGUAGE),
    acronym_words(LANGUAGE),
    numeric_dates(LANGUAGE, _say_date),
    first_of_month(LANGUAGE, "primo", ""),
    ranges_and_scores(LANGUAGE),
    clock_times(
        LANGUAGE,
        joiner="e",
        hour_one="",
        hour_many="",
        before_words=("alle|dalle|le|ore|Alle|Dalle|Le|Ore"),
        h_suffix=False,
    ),
    money(LANGUAGE),
    scale_words(LANGUAGE),
    percentages(LANGUAGE),
    ordinals(LANGUAGE),
    units(LANGUAGE),
    centuries(LANGUAGE, "", "secolo|secoli", as_ordinal=True),
    signs(LANGUAGE),
    fractions(LANGUAGE, _FRACTION_NAMES, "e"),
    numbers(LANGUAGE),
    _elide_una,
    spell_initialisms(LANGUAGE),
    symbols(LANGUAGE),
    tidy_punctuation,
)
"""The Italian rules, in the order they run."""


def normalize(text: str) -> str:
    """Return one Italian utterance rewritten for speech; never raises."""
    return run(RULES, text)


__all__ = ["LANGUAGE", "LETTERS", "MONTHS", "RULES", "normalize"]
