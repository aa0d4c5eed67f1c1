"""Speech normalization of German, French, Spanish, Portuguese (pt-BR, pt-PT) and Italian:
golden corpora (tests/golden/normalize_<lang>.tsv) through the pipeline's ``normalize``,
whole tables, rule structure and hypothesis properties."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.text.normalize import de, es, fr, it, normalize, pt
from newsaudio.text.normalize._continental import Language, Rule, cardinal
from newsaudio.text.normalize.languages import SUPPORTED, normalize_language, rules_for

GOLDEN = Path(__file__).parents[1] / "golden"
DIGIT = re.compile(r"[0-9]")

# language tag -> golden file; the tag is what the pipeline passes
CORPORA = {
    tag: f"normalize_{tag.replace('-', '_')}.tsv"
    for tag in ("de", "fr", "es", "pt-BR", "it", "pt-PT")
}
MINIMUM = {"de": 60, "fr": 60, "es": 60, "pt-BR": 60, "it": 60, "pt-PT": 10}


def _pairs(name: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        display, spoken = line.split("\t")
        pairs.append((display, spoken))
    return pairs


CASES = [(tag, d, s) for tag, name in CORPORA.items() for d, s in _pairs(name)]
IDS = [f"{tag}:{d}" for tag, d, _ in CASES]
ALL_RULES: dict[str, tuple[Rule, ...]] = {
    "de": de.RULES, "fr": fr.RULES, "es": es.RULES, "it": it.RULES, "pt-BR": pt.RULES_BR,
    "pt-PT": pt.RULES_PT,
}  # fmt: skip
LANGUAGES: dict[str, Language] = {
    "de": de.LANGUAGE, "fr": fr.LANGUAGE, "es": es.LANGUAGE, "it": it.LANGUAGE,
    "pt-BR": pt.BRAZIL, "pt-PT": pt.PORTUGAL,
}  # fmt: skip


@pytest.mark.parametrize("tag", sorted(CORPORA))
def test_golden_corpus_is_large_enough(tag: str) -> None:
    pairs = _pairs(CORPORA[tag])
    assert len(pairs) >= MINIMUM[tag]
    assert len({d for d, _ in pairs}) == len(pairs)


@pytest.mark.parametrize(("tag", "display", "spoken"), CASES, ids=IDS)
def test_golden(tag: str, display: str, spoken: str) -> None:
    # through the pipeline's entry point, with the language tag the article carries
    assert normalize(display, language=tag) == spoken
    # the spoken line is a fixed point, and has no digit left
    assert normalize(spoken, language=tag) == spoken
    assert not DIGIT.search(spoken)
    # run() shields the pipeline from a failing rule; here every rule must work on its own
    text = display
    for rule in ALL_RULES[tag]:
        text = rule(text)
    text = " ".join(text.split())
    # run() also capitalizes an utterance that started with a digit ("1 Person" -> "Eine")
    assert text[:1].lower() + text[1:] == spoken[:1].lower() + spoken[1:]


# --- dispatch -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "rules"),
    [("de", de.RULES), ("de-AT", de.RULES), ("de_CH", de.RULES), ("fr-CA", fr.RULES),
     ("es-MX", es.RULES), ("it", it.RULES), ("pt", pt.RULES_BR), ("pt-BR", pt.RULES_BR),
     ("pt_br", pt.RULES_BR), ("pt-PT", pt.RULES_PT), ("PT-pt", pt.RULES_PT)],
)  # fmt: skip
def test_rules_for(tag: str, rules: tuple[Rule, ...]) -> None:
    assert rules_for(tag) is rules


@pytest.mark.parametrize("tag", ["en", "en-GB", "nl", "pl", "zh", "", "xx-yy"])
def test_other_languages_have_no_rules(tag: str) -> None:
    assert rules_for(tag) is None
    assert normalize_language("Es kostet 5 €.", tag) is None


def test_supported() -> None:
    assert SUPPORTED == ("de", "fr", "es", "pt", "it")


# --- tables -------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", sorted(LANGUAGES))
def test_letter_names_cover_the_alphabet(tag: str) -> None:
    letters = LANGUAGES[tag].letter_names
    assert set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") <= set(letters)
    assert all(name and not DIGIT.search(name) for name in letters.values())


ABBREVIATION_CASES = [
    (tag, key, words)
    for tag, lang in LANGUAGES.items()
    for key, words in lang.abbreviations.items()
]


@pytest.mark.parametrize(("tag", "abbreviation", "words"), ABBREVIATION_CASES)
def test_every_abbreviation_expands_mid_sentence(tag: str, abbreviation: str, words: str) -> None:
    out = normalize_language(f"Wir sahen {abbreviation} Weber heute.", tag)
    assert out is not None
    assert words in out
    assert ".." not in out


@pytest.mark.parametrize(("tag", "abbreviation", "words"), ABBREVIATION_CASES)
def test_no_abbreviation_matches_inside_a_word(tag: str, abbreviation: str, words: str) -> None:
    out = normalize_language(f"Das xyz{abbreviation}abc bleibt", tag)
    assert out is not None and words not in out


UNIT_CASES = [(tag, sym, u.one, u.many) for tag, lang in LANGUAGES.items()
              for sym, u in lang.units.items()]  # fmt: skip


@pytest.mark.parametrize(("tag", "unit", "one", "many"), UNIT_CASES)
def test_every_unit(tag: str, unit: str, one: str, many: str) -> None:
    seven = normalize_language(f"Es waren 7 {unit} heute.", tag)
    assert seven is not None and f" {many} heute" in seven, seven
    assert not DIGIT.search(seven)
    single = normalize_language(f"Es waren 1 {unit} heute.", tag)
    assert single is not None and f" {one} heute" in single, single


CURRENCY_CASES = [(tag, sym) for tag, lang in LANGUAGES.items() for sym in lang.currencies]


@pytest.mark.parametrize(("tag", "symbol"), CURRENCY_CASES)
def test_every_currency_after_a_number(tag: str, symbol: str) -> None:
    out = normalize_language(f"Es kostet 12,50 {symbol} heute.", tag)
    assert out is not None
    assert not DIGIT.search(out)
    assert symbol not in out.split() or symbol.isalpha()


@pytest.mark.parametrize(
    ("tag", "words"),
    [("de", "einundzwanzig"), ("fr", "vingt et une"), ("es", "veintiuna"),
     ("pt-BR", "vinte e uma"), ("pt-PT", "vinte e uma"), ("it", "ventuno")],
)  # fmt: skip
def test_hours_agree(tag: str, words: str) -> None:
    hours = {"de": "21 Uhr", "fr": "21 heures", "es": "21 horas", "pt-BR": "21 horas",
             "pt-PT": "21 horas", "it": "alle 21:00"}[tag]  # fmt: skip
    out = normalize_language(f"Es war {hours}.", tag)
    assert out is not None and words in out


@pytest.mark.parametrize(
    ("lang", "value", "gender", "words"),
    [("es", 21, "m", "veintiún"), ("es", 21, "f", "veintiuna"), ("es", 200, "f", "doscientas"),
     ("es", 21000, None, "veintiún mil"), ("es", 200_000_000, "f", "doscientos millones"),
     ("pt_BR", 2, "f", "duas"), ("pt_BR", 222, "f", "duzentas e vinte e duas"),
     ("fr", 21, "f", "vingt et une"), ("fr", 1, "f", "une"), ("de", 1, "f", "eine"),
     ("de", 1, "m", "ein"), ("it", 1, "f", "una"), ("it", 1, "m", "un")],
)  # fmt: skip
def test_cardinal_agreement(lang: str, value: int, gender: str | None, words: str) -> None:
    assert cardinal(value, lang, gender) == words  # type: ignore[arg-type]


# --- structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("tag", sorted(ALL_RULES))
def test_every_rule_has_a_one_line_docstring(tag: str) -> None:
    rules = ALL_RULES[tag]
    assert len(rules) >= 15
    for rule in rules:
        assert rule.__doc__, rule.__name__
        assert "\n" not in rule.__doc__.strip(), rule.__name__


def test_speed() -> None:
    sentences = {
        "de": "Am 15. März 2026 um 14.30 Uhr zahlte Dr. Müller 12.500 € für 3,5 km, z. B. 2,5 %.",
        "fr": "Le 1er janvier 2026 à 14h30, M. Dupont a payé 12 500 € pour 3,5 km, soit 2,5 %.",
        "es": "El 3 de marzo de 2026 a las 14:30, el Sr. García pagó 12.500 € por 3,5 km, 2,5 %.",
        "pt-BR": "Em 15/03/2026 às 14h30, o Sr. Silva pagou R$ 12.500 por 3,5 km, ou 2,5 %.",
        "it": "Il 15/03/2026 alle 14:30 il Sig. Rossi ha pagato 12.500 € per 3,5 km, il 2,5 %.",
    }
    start = time.perf_counter()
    for i in range(100):
        for tag, sentence in sentences.items():
            normalize_language(sentence.replace("14", str(10 + i % 10)), tag)
    assert time.perf_counter() - start < 5.0  # 500 sentences; measured 0.2-0.8 s


# --- properties -----------------------------------------------------------------------------

TAGS = st.sampled_from(sorted(ALL_RULES))


@settings(max_examples=120, deadline=None)
@given(st.text(), TAGS)
def test_never_raises_on_arbitrary_unicode(text: str, tag: str) -> None:
    out = normalize_language(text, tag)
    assert out is not None
    assert out == out.strip()
    assert "  " not in out


@settings(max_examples=120, deadline=None)
@given(st.text(), TAGS)
def test_no_rule_raises_on_arbitrary_unicode(text: str, tag: str) -> None:
    for rule in ALL_RULES[tag]:
        text = rule(text)


WORDS = st.sampled_from(
    [
        "der",
        "die",
        "am",
        "um",
        "Uhr",
        "bis",
        "le",
        "la",
        "à",
        "h",
        "heures",
        "de",
        "del",
        "las",
        "las",
        "y",
        "e",
        "alle",
        "ore",
        "às",
        "R$",
        "€",
        "$",
        "%",
        "km",
        "m",
        "t",
        "°C",
        "°",
        "Mio.",
        "Mrd.",
        "M€",
        "mld",
        "mln",
        "bi",
        "z.",
        "B.",
        "Nr.",
        "Sr.",
        "Sra.",
        "M.",
        "Mme",
        "Dr.",
        "Prof.",
        "n°",
        "nº",
        "º",
        "ª",
        "1er",
        "er",
        "e",
        "März",
        "mars",
        "marzo",
        "março",
        "marzo",
        "Januar",
        "janvier",
        "enero",
        "maio",
        "maggio",
        "siglo",
        "XXI",
        "XX",
        "secolo",
        ".",
        ",",
        ":",
        "/",
        "-",
        "–",
        "+",
        "personas",
        "pessoas",
        "heures",
        "Stunde",
        "persona",
        "Personen",
        "NATO",
        "SPD",
        "SNCF",
        "S.A.",
        "GmbH",
        "h",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**18), max_value=10**18).map(str),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(
        lambda f: f"{f:.2f}".replace(".", ",")
    ),
    st.integers(min_value=1000, max_value=2100).map(str),
    st.tuples(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2100)).map(
        lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]}"
    ),
    st.tuples(st.integers(0, 24), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(st.integers(0, 24), st.integers(0, 59)).map(lambda t: f"{t[0]}h{t[1]:02d}"),
    st.tuples(st.integers(0, 24), st.integers(0, 59)).map(lambda t: f"{t[0]}.{t[1]:02d} Uhr"),
)
TOKENS = st.lists(st.one_of(WORDS, NUMBERS), min_size=1, max_size=14)


@settings(max_examples=120, deadline=None)
@given(TOKENS, TAGS, st.sampled_from([" ", "", " "]))
def test_words_and_numbers_leave_no_digit(tokens: list[str], tag: str, joiner: str) -> None:
    out = normalize_language(joiner.join(tokens), tag)
    assert out is not None
    assert not DIGIT.search(out), out


@settings(max_examples=120, deadline=None)
@given(TOKENS, TAGS)
def test_normalizing_twice_is_stable(tokens: list[str], tag: str) -> None:
    once = normalize_language(" ".join(tokens), tag)
    assert once is not None
    assert normalize_language(once, tag) == once


# Each family on its own, in its own language's writing: no digit in what is spoken.
FAMILIES = {
    "cardinal": st.integers(0, 10**12).map(lambda n: f"{n:,}".replace(",", ".")),
    "decimal": st.tuples(st.integers(0, 10**6), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    "date": st.tuples(st.integers(1, 28), st.integers(1, 12), st.integers(1000, 2999)).map(
        lambda t: f"{t[0]}/{t[1]}/{t[2]}"
    ),
    "iso": st.tuples(st.integers(1000, 2999), st.integers(1, 12), st.integers(1, 28)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
    ),
    "time": st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    "money_after": st.tuples(st.integers(0, 10**7), st.integers(0, 99)).map(
        lambda t: f"{t[0]},{t[1]:02d} €"
    ),
    "money_before": st.integers(0, 10**7).map(lambda n: f"€ {n}"),
    "money_scale": st.integers(1, 999).map(lambda n: f"{n},5 Mio. €"),
    "percent": st.tuples(st.integers(0, 100), st.integers(0, 9)).map(lambda t: f"{t[0]},{t[1]} %"),
}


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(FAMILIES)).flatmap(lambda k: FAMILIES[k]), TAGS)
def test_families_leave_no_digit(value: str, tag: str) -> None:
    out = normalize_language(f"Il y a {value} ici.", tag)
    assert out is not None
    assert not DIGIT.search(out), out
    assert normalize_language(out, tag) == out
