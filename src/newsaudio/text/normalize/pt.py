"""Portuguese speech normalization: ``pt-BR`` (Brazil) and ``pt``/``pt-PT`` (Portugal).

Decimal comma, thousands dot; ordinals ``1º``/``1ª``; dates ``15/03/2026`` -> ``quinze de março
de dois mil e vinte e seis``, ``1º de maio``/``1 de maio`` -> ``primeiro de maio``; times
``14h30`` -> ``catorze e trinta``, ``14h`` -> ``catorze horas``, ``1h`` -> ``uma hora``; money
``R$ 3,50`` -> ``três reais e cinquenta centavos``, ``R$ 2,5 bilhões``, ``12.500 €``; agreement
``2 pessoas`` -> ``duas pessoas``, ``200 libras`` -> ``duzentas libras``. The two variants differ
in num2words (``dezesseis``/``dezasseis``, ``bilhão``/``mil milhões``), units (``quilômetro``/
``quilómetro``) and the euro's cents (``centavos``/``cêntimos``). See :mod:`._continental`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

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
from newsaudio.text.normalize._romance import (
    centuries,
    clock_times,
    first_of_month,
    numeric_dates,
    ordinals,
)

MONTHS = (
    "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
    "outubro", "novembro", "dezembro",
)  # fmt: skip
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES.update({m.capitalize(): i for m, i in list(_MONTH_NAMES.items())})

LETTERS = {
    "A": "á", "B": "bê", "C": "cê", "D": "dê", "E": "é", "F": "efe", "G": "gê", "H": "agá",
    "I": "i", "J": "jota", "K": "cá", "L": "ele", "M": "eme", "N": "ene", "O": "ó", "P": "pê",
    "Q": "quê", "R": "erre", "S": "esse", "T": "tê", "U": "u", "V": "vê", "W": "dáblio",
    "X": "xis", "Y": "ípsilon", "Z": "zê",
}  # fmt: skip

_REAL = Currency("real", "reais", "m", "centavo", "centavos")
_DOLLAR = Currency("dólar", "dólares", "m", "centavo", "centavos")
_POUND = Currency("libra", "libras", "f", "pêni", "pence")


def _units(km: str, km_many: str) -> dict[str, Unit]:
    """The unit table, with the variant's spelling of kilometre."""
    return {
        "km": Unit(km, km_many),
        "m": Unit("metro", "metros"),
        "cm": Unit("centímetro", "centímetros"),
        "mm": Unit("milímetro", "milímetros"),
        "km²": Unit(f"{km} quadrado", f"{km_many} quadrados"),
        "m²": Unit("metro quadrado", "metros quadrados"),
        "m³": Unit("metro cúbico", "metros cúbicos"),
        "ha": Unit("hectare", "hectares"),
        "kg": Unit("quilo", "quilos"),
        "g": Unit("grama", "gramas"),
        "t": Unit("tonelada", "toneladas", "f"),
        "l": Unit("litro", "litros"),
        "km/h": Unit(f"{km} por hora", f"{km_many} por hora"),
        "°C": Unit("grau", "graus"),
        "° C": Unit("grau", "graus"),
        "°": Unit("grau", "graus"),
        "kW": Unit("quilowatt", "quilowatts"),
        "MW": Unit("megawatt", "megawatts"),
        "GW": Unit("gigawatt", "gigawatts"),
        "kWh": Unit("quilowatt-hora", "quilowatts-hora"),
        "GB": Unit("gigabyte", "gigabytes"),
        "min": Unit("minuto", "minutos"),
    }


# fmt: off
BRAZIL = Language(
    code="pt",
    n2w="pt_BR",
    decimal_word="vírgula",
    minus="menos",
    plus="mais",
    percent="por cento",
    to_word="a",
    score_word="a",
    months=MONTHS,
    month_names=_MONTH_NAMES,
    group_separators=".",
    currencies={
        "R$": _REAL, "BRL": _REAL, "reais": _REAL, "€": Currency("euro", "euros", "m", "centavo",
        "centavos"), "euros": Currency("euro", "euros", "m", "centavo", "centavos"),
        "US$": _DOLLAR, "$": _DOLLAR, "USD": _DOLLAR, "dólares": _DOLLAR, "£": _POUND,
    },
    units=_units("quilômetro", "quilômetros"),
    scales={
        "mi": (6, "milhão", "milhões", None), "milhões": (6, "milhão", "milhões", None),
        "milhão": (6, "milhão", "milhões", None), "bi": (9, "bilhão", "bilhões", None),
        "bilhões": (9, "bilhão", "bilhões", None), "bilhão": (9, "bilhão", "bilhões", None),
        "tri": (12, "trilhão", "trilhões", None), "trilhões": (12, "trilhão", "trilhões", None),
    },
    scale_connector="de",
    abbreviations={
        "Sr.": "senhor", "Sra.": "senhora", "Srs.": "senhores", "Srta.": "senhorita",
        "Dr.": "doutor", "Dra.": "doutora", "Prof.": "professor", "Profa.": "professora",
        "Prof.ª": "professora", "Exmo.": "excelentíssimo", "Exma.": "excelentíssima",
        "V. Exa.": "Vossa Excelência", "Sto.": "santo", "Sta.": "santa", "Av.": "avenida",
        "etc.": "etcétera", "p. ex.": "por exemplo", "a.C.": "antes de Cristo",
        "d.C.": "depois de Cristo", "aprox.": "aproximadamente", "Ltda.": "limitada",
        "tel.": "telefone", "Cia.": "companhia",
    },
    titles={},
    before_number={
        "n.º": "número", "nº": "número", "Nº": "número", "N.º": "número", "n°": "número",
        "pág.": "página", "art.": "artigo",
    },
    letter_names=LETTERS,
    acronym_words={
        "ONU": "Onu", "OTAN": "Otan", "UNESCO": "Unesco", "UNICEF": "Unicef", "FIFA": "Fifa",
        "UEFA": "Uefa", "PIB": "Pib", "SUS": "Sus", "ENEM": "Enem", "COVID": "covid",
        "NASA": "Nasa", "IVA": "Iva", "OPEP": "Opep", "MERCOSUL": "Mercosul", "IKEA": "Ikea",
        "FRONTEX": "Frontex", "INTERPOL": "Interpol", "CERN": "Cern", "AIDS": "aids",
    },
    keep_as_written=frozenset({"S.A.", "SA", "OK", "Ltda"}),
    symbols={
        "&": "e", "+": "mais", "=": "igual a", "§": "parágrafo", "°": "graus",
        "%": "por cento", "€": "euros", "$": "dólares", "£": "libras", "@": "arroba",
        "×": "vezes",
    },
    at_word="arroba",
    dot_word="ponto",
    feminine_nouns=word_set("pessoas pessoa vezes vez mulheres mulher horas hora"),
    masculine_nouns=word_set(
        "dia dias problema problemas programa programas sistema sistemas tema temas mapa mapas "
        "idioma idiomas planeta planetas poema poemas clima climas"
    ),
    not_nouns=word_set(
        "de do da dos das e ou a o as os em no na nos nas por para com que se é foi são ao à "
        "às um uma seus sua sem mais menos entre até desde segundo após sobre contra mil já "
        "não era tem têm"
    ),
    extra={"and_cents": "e"},
)
# fmt: on

PORTUGAL = replace(
    BRAZIL,
    n2w="pt",
    currencies={
        **BRAZIL.currencies,
        "€": Currency("euro", "euros", "m", "cêntimo", "cêntimos"),
        "euros": Currency("euro", "euros", "m", "cêntimo", "cêntimos"),
        "EUR": Currency("euro", "euros", "m", "cêntimo", "cêntimos"),
    },
    units=_units("quilómetro", "quilómetros"),
    scales={
        **BRAZIL.scales,
        "M": (6, "milhão", "milhões", None),
        "mil milhões": (9, "mil milhões", "mil milhões", None),
    },
)


def _say_date_for(lang: str) -> Callable[[int, int, str], str]:
    """Return the date reader for num2words code ``lang``: (1, 5, "2026") -> primeiro de maio
    de dois mil e vinte e seis."""

    def say(day: int, month: int, year: str) -> str:
        first = "primeiro" if day == 1 else cardinal(day, lang)
        return f"{first} de {MONTHS[month - 1]} de {cardinal(int(year), lang)}"

    return say


_FRACTION_NAMES = {
    (1, 2): "meio",
    (1, 4): "um quarto",
    (3, 4): "três quartos",
    (1, 3): "um terço",
    (2, 3): "dois terços",
}


def _rules(language: Language) -> tuple[Rule, ...]:
    """The Portuguese rules for one variant, in the order they run."""
    return (
        prepare_symbols,
        urls_and_emails(language),
        abbreviations(language),
        dotted_initialisms(language),
        acronym_words(language),
        numeric_dates(language, _say_date_for(language.n2w)),
        first_of_month(language, "primeiro", "de "),
        ranges_and_scores(language),
        clock_times(
            language,
            joiner="e",
            hour_one="hora",
            hour_many="horas",
            before_words="às|as|Às|As",
            h_suffix=True,
        ),
        money(language),
        percentages(language),
        ordinals(language),
        units(language),
        centuries(language, "século|séculos|Século", "", as_ordinal=False),
        signs(language),
        fractions(language, _FRACTION_NAMES, "e"),
        numbers(language),
        spell_initialisms(language),
        symbols(language),
        tidy_punctuation,
    )


RULES_BR: tuple[Rule, ...] = _rules(BRAZIL)
"""The Brazilian Portuguese rules, in the order they run."""
RULES_PT: tuple[Rule, ...] = _rules(PORTUGAL)
"""The European Portuguese rules, in the order they run."""


def normalize(text: str, *, variant: str = "pt-BR") -> str:
    """Return one Portuguese utterance rewritten for speech (``variant`` "pt-BR" or "pt-PT")."""
    portugal = variant.replace("_", "-").lower() in ("pt", "pt-pt")
    return run(RULES_PT if portugal else RULES_BR, text)


__all__ = ["BRAZIL", "LETTERS", "MONTHS", "PORTUGAL", "RULES_BR", "RULES_PT", "normalize"]
