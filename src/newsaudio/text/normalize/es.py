"""Spanish speech normalization (``es``, ``es-ES``, ``es-MX``, ``es-AR``...).

Decimal comma, thousands dot (``12.500``); ordinals ``1.º``/``1.ª``/``1.er``; dates ``3 de marzo de
2026`` and ``15/03/2026``; times ``las 14:30`` -> ``las catorce y treinta``, hours feminine (``la
una``, ``21 horas`` -> ``veintiuna horas``); money ``12.500 euros``, ``3,50 €`` -> ``tres euros con
cincuenta céntimos``, ``2,5 M€``; ``25 %`` -> ``veinticinco por ciento``; agreement ``21 años`` ->
``veintiún años``, ``200 personas`` -> ``doscientas personas``; ``Sr.``, ``Sra.``, ``Dña.``,
``Dr.``; ``EE. UU.``; initialisms by Spanish letter names. See :mod:`._continental`.
"""

from __future__ import annotations

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
    signs,
    spell_initialisms,
    symbols,
    tidy_punctuation,
    units,
    urls_and_emails,
    word_set,
)
from newsaudio.text.normalize._romance import centuries, clock_times, numeric_dates, ordinals

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES["setiembre"] = 9

LETTERS = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "efe", "G": "ge", "H": "hache",
    "I": "i", "J": "jota", "K": "ka", "L": "ele", "M": "eme", "N": "ene", "Ñ": "eñe", "O": "o",
    "P": "pe", "Q": "cu", "R": "erre", "S": "ese", "T": "te", "U": "u", "V": "uve",
    "W": "uve doble", "X": "equis", "Y": "i griega", "Z": "zeta",
}  # fmt: skip

_EURO = Currency("euro", "euros", "m", "céntimo", "céntimos")
_DOLLAR = Currency("dólar", "dólares", "m", "centavo", "centavos")
_POUND = Currency("libra", "libras", "f", "penique", "peniques")
_PESO = Currency("peso", "pesos", "m", "centavo", "centavos")

# fmt: off
LANGUAGE = Language(
    code="es",
    n2w="es",
    decimal_word="coma",
    minus="menos",
    plus="más",
    percent="por ciento",
    to_word="a",
    score_word="a",
    months=MONTHS,
    month_names=_MONTH_NAMES,
    group_separators=". ",
    currencies={
        "€": _EURO, "EUR": _EURO, "euros": _EURO, "euro": _EURO, "US$": _DOLLAR,
        "$": _DOLLAR, "USD": _DOLLAR, "dólares": _DOLLAR, "£": _POUND, "libras": _POUND,
        "MXN": _PESO, "pesos": _PESO,
    },
    units={
        "km": Unit("kilómetro", "kilómetros"), "m": Unit("metro", "metros"),
        "cm": Unit("centímetro", "centímetros"), "mm": Unit("milímetro", "milímetros"),
        "km²": Unit("kilómetro cuadrado", "kilómetros cuadrados"),
        "m²": Unit("metro cuadrado", "metros cuadrados"),
        "m³": Unit("metro cúbico", "metros cúbicos"),
        "ha": Unit("hectárea", "hectáreas", "f"), "kg": Unit("kilo", "kilos"),
        "g": Unit("gramo", "gramos"), "t": Unit("tonelada", "toneladas", "f"),
        "l": Unit("litro", "litros"), "km/h": Unit("kilómetro por hora", "kilómetros por hora"),
        "°C": Unit("grado", "grados"), "° C": Unit("grado", "grados"), "°": Unit("grado", "grados"),
        "kW": Unit("kilovatio", "kilovatios"), "MW": Unit("megavatio", "megavatios"),
        "GW": Unit("gigavatio", "gigavatios"), "kWh": Unit("kilovatio hora", "kilovatios hora"),
        "GB": Unit("gigabyte", "gigabytes"), "min": Unit("minuto", "minutos"),
        "h": Unit("hora", "horas", "f"),
    },
    scales={
        "M": (6, "millón", "millones", None), "mill.": (6, "millón", "millones", None),
        "millones": (6, "millón", "millones", None), "millón": (6, "millón", "millones", None),
    },
    scale_connector="de",
    abbreviations={
        "EE. UU.": "Estados Unidos", "EE.UU.": "Estados Unidos", "EEUU": "Estados Unidos",
        "Dña.": "doña", "D.ª": "doña", "Dª": "doña", "Sr.": "señor", "Sra.": "señora",
        "Srta.": "señorita", "Sres.": "señores", "Dr.": "doctor", "Dra.": "doctora",
        "Prof.": "profesor", "Profa.": "profesora", "Lic.": "licenciado", "Ing.": "ingeniero",
        "Gral.": "general", "Excmo.": "excelentísimo", "Excma.": "excelentísima",
        "Sto.": "santo", "Sta.": "santa", "Avda.": "avenida", "Av.": "avenida",
        "etc.": "etcétera", "aprox.": "aproximadamente",
        "a. C.": "antes de Cristo", "d. C.": "después de Cristo", "p. ej.": "por ejemplo",
        "S. M.": "su majestad", "CC. OO.": "Comisiones Obreras", "tel.": "teléfono",
    },
    titles={},
    before_number={
        "núm.": "número", "n.º": "número", "nº": "número", "Nº": "número", "N.º": "número",
        "pág.": "página", "art.": "artículo",
    },
    letter_names=LETTERS,
    acronym_words={
        "OTAN": "Otan", "ONU": "Onu", "PSOE": "Psoe", "UNESCO": "Unesco", "UNICEF": "Unicef",
        "OPEP": "Opep", "FIFA": "Fifa", "UEFA": "Uefa", "COVID": "covid", "SIDA": "sida",
        "NASA": "Nasa", "IBEX": "Ibex", "AEMET": "Aemet", "IVA": "Iva", "ERE": "Ere",
        "ERTE": "Erte", "UNED": "Uned", "RENFE": "Renfe", "INE": "Ine", "ETA": "Eta",
        "FRONTEX": "Frontex", "EUROPOL": "Europol", "INTERPOL": "Interpol", "CERN": "Cern",
        "IKEA": "Ikea", "MERCOSUR": "Mercosur", "OCDE": "o-ce-de-e", "ONG": "o-ene-ge",
    },
    keep_as_written=frozenset({"S.A.", "S.L.", "SA", "SL", "OK"}),
    symbols={
        "&": "y", "+": "más", "=": "igual a", "§": "párrafo", "°": "grados", "%": "por ciento",
        "€": "euros", "$": "dólares", "£": "libras", "@": "arroba", "×": "por",
    },
    at_word="arroba",
    dot_word="punto",
    feminine_nouns=word_set("personas persona veces vez mujeres mujer horas hora"),
    masculine_nouns=word_set(
        "día días problema problemas programa programas sistema sistemas tema temas mapa mapas "
        "idioma idiomas planeta planetas poema poemas clima climas drama dramas esquema "
        "esquemas"
    ),
    not_nouns=word_set(
        "de del y o a e u en por para con que se es fue son al la las los el un una sus su sin "
        "más menos entre hasta desde según tras sobre ante contra hacia ni pero como cuando "
        "mil ya no lo le les era han ha"
    ),
    extra={"and_cents": "con"},
)
# fmt: on


def _say_date(day: int, month: int, year: str) -> str:
    """Return (15, 3, "2026") as quince de marzo de dos mil veintiséis."""
    return f"{cardinal(day, 'es')} de {MONTHS[month - 1]} de {cardinal(int(year), 'es')}"


_FRACTION_NAMES = {
    (1, 2): "medio",
    (1, 4): "un cuarto",
    (3, 4): "tres cuartos",
    (1, 3): "un tercio",
    (2, 3): "dos tercios",
}

RULES: tuple[Rule, ...] = (
    prepare_symbols,
    urls_and_emails(LANGUAGE),
    abbreviations(LANGUAGE),
    dotted_initialisms(LANGUAGE),
    acronym_words(LANGUAGE),
    numeric_dates(LANGUAGE, _say_date),
    ranges_and_scores(LANGUAGE),
    clock_times(
        LANGUAGE,
        joiner="y",
        hour_one="hora",
        hour_many="horas",
        before_words="las|la|Las|La",
        h_suffix=True,
    ),
    money(LANGUAGE),
    percentages(LANGUAGE),
    ordinals(LANGUAGE),
    units(LANGUAGE),
    centuries(LANGUAGE, "siglo|siglos|Siglo", "", as_ordinal=False),
    signs(LANGUAGE),
    fractions(LANGUAGE, _FRACTION_NAMES, "y"),
    numbers(LANGUAGE),
    spell_initialisms(LANGUAGE),
    symbols(LANGUAGE),
    tidy_punctuation,
)
"""The Spanish rules, in the order they run."""


def normalize(text: str) -> str:
    """Return one Spanish utterance rewritten for speech; never raises."""
    return run(RULES, text)


__all__ = ["LANGUAGE", "LETTERS", "MONTHS", "RULES", "normalize"]
