"""German, French, Spanish, Portuguese and Italian text around normalization: sentence
splitting guards (text/sentence_guards.py through segment.split_sentences), boilerplate
(text/boilerplate_languages.py through clean.is_boilerplate) and the digest wording
(text/wording_languages.py through text/wording.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.text import wording
from newsaudio.text.boilerplate_languages import BOILERPLATE_SOURCES
from newsaudio.text.clean import is_boilerplate
from newsaudio.text.segment import split_sentences
from newsaudio.text.sentence_guards import NON_TERMINAL_BY_LANGUAGE
from newsaudio.text.wording_languages import (
    FRENCH,
    GERMAN,
    ITALIAN,
    PORTUGUESE_BR,
    PORTUGUESE_PT,
    SPANISH,
    Wording,
    wording_for,
)

# --- sentence splitting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Das gilt z. B. für Berlin. Am 3. März kam Nr. 5 an. Dr. Müller sprach.",
         ["Das gilt z. B. für Berlin. ", "Am 3. März kam Nr. 5 an. ", "Dr. Müller sprach."]),
        ("de", "Das Treffen ist am 3. Oktober. Danach geht es weiter.",
         ["Das Treffen ist am 3. Oktober. ", "Danach geht es weiter."]),
        ("de", "Es kamen u. a. Vertreter der Länder. Die Sitzung dauerte bzw. lief lang.",
         ["Es kamen u. a. Vertreter der Länder. ", "Die Sitzung dauerte bzw. lief lang."]),
        ("fr", "M. Macron a parlé. Mme Dupont aussi. Le n° 5 gagne.",
         ["M. Macron a parlé. ", "Mme Dupont aussi. ", "Le n° 5 gagne."]),
        ("fr", "MM. Durand et Petit sont partis. Ils reviendront.",
         ["MM. Durand et Petit sont partis. ", "Ils reviendront."]),
        ("es", "El Sr. García llegó. La Sra. López también. Dña. Ana no.",
         ["El Sr. García llegó. ", "La Sra. López también. ", "Dña. Ana no."]),
        ("es", "Viajó a EE. UU. El viaje duró dos días.",
         ["Viajó a EE. UU. ", "El viaje duró dos días."]),
        ("es", "Las EE. UU. y Canadá firmaron.", ["Las EE. UU. y Canadá firmaron."]),
        ("pt-BR", "O Sr. Silva chegou. A Dra. Souza também.",
         ["O Sr. Silva chegou. ", "A Dra. Souza também."]),
        ("it", "Il Sig. Rossi è arrivato. Il Dott. Bianchi no.",
         ["Il Sig. Rossi è arrivato. ", "Il Dott. Bianchi no."]),
    ],
)  # fmt: skip
def test_split_guards(language: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Sr.",
                "Sra.",
                "z.",
                "B.",
                "Nr.",
                "M.",
                "Mme",
                "Dr.",
                "Prof.",
                "Sig.",
                "Dott.",
                "3.",
                "März",
                "Oktober",
                "der",
                "Staat",
                ".",
                "!",
                "?",
                "García",
                "Rossi",
                "Das",
                "El",
                "Il",
                "Le",
                "»Hallo«",
                ",",
                "12",
                "1er",
            ]
        ),
        max_size=25,
    ),
    st.sampled_from(["de", "fr", "es", "pt", "it"]),
)
def test_split_is_lossless(words: list[str], language: str) -> None:
    text = " ".join(words)
    pieces = split_sentences(text, language)
    if any(ch.isalnum() for ch in text):  # like segment.py: no letter or digit -> []
        assert "".join(pieces) == text
        assert all(any(ch.isalnum() for ch in piece) for piece in pieces)
    else:
        assert pieces == []


def test_every_language_has_guards() -> None:
    assert set(NON_TERMINAL_BY_LANGUAGE) == {"de", "fr", "es", "pt", "it"}


# --- boilerplate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "block"),
    [
        ("de", "Lesen Sie auch: Merz trifft Macron in Paris"), ("de", "Mehr zum Thema"),
        ("de", "Anzeige"), ("de", "Artikel teilen"), ("de", "12 Kommentare"),
        ("de", "Wir verwenden Cookies, um Ihnen ein besseres Nutzererlebnis zu bieten."),
        ("de", "Newsletter abonnieren"), ("de", "Alle akzeptieren"), ("de", "(dpa)"),
        ("fr", "Lire aussi"), ("fr", "Lire aussi : Le gouvernement recule"), ("fr", "Publicité"),
        ("fr", "Partager"), ("fr", "Inscrivez-vous à notre newsletter quotidienne"),
        ("fr", "Cet article est réservé aux abonnés."), ("fr", "Tout accepter"),
        ("fr", "Nous utilisons des cookies pour améliorer votre expérience."),
        ("es", "Lea también"), ("es", "Lee también: El Gobierno aprueba los presupuestos"),
        ("es", "Publicidad"), ("es", "Suscríbete a nuestra newsletter"),
        ("es", "Utilizamos cookies propias y de terceros."), ("es", "Aceptar cookies"),
        ("pt", "Leia também"), ("pt", "Leia também: Lula viaja à China"), ("pt", "Publicidade"),
        ("pt", "Continua depois da publicidade"), ("pt", "Assine a nossa newsletter"),
        ("pt", "Este site usa cookies para melhorar a sua experiência."),
        ("it", "Leggi anche"), ("it", "Leggi anche: Meloni a Bruxelles"), ("it", "Pubblicità"),
        ("it", "Iscriviti alla nostra newsletter"), ("it", "Riproduzione riservata ©"),
        ("it", "Questo sito utilizza cookie tecnici e di profilazione."),
    ],
)  # fmt: skip
def test_boilerplate(language: str, block: str) -> None:
    assert is_boilerplate(block, language)


@pytest.mark.parametrize(
    ("language", "block"),
    [
        ("de", "Zum Thema äußerte sich der Minister nicht."),
        ("de", "Die Anzeige wurde am Montag erstattet."),
        ("de", "Mehr als 3.000 Menschen demonstrierten in Berlin."),
        ("fr", "Publicité mensongère : l'entreprise est condamnée à une amende."),
        ("fr", "Partager le pouvoir n'est pas dans ses habitudes."),
        ("es", "Relacionado con el caso, el juez citó a tres testigos."),
        ("es", "Publicado el libro, el autor inició una gira."),
        ("pt", "A seguir, o governo anunciou medidas."),
        ("pt", "Entrar na Justiça é o próximo passo, disse o advogado."),
        ("it", "Abbonati in crescita del 5 per cento nel trimestre."),
        ("it", "Correlati ai fatti sono tre indagati."),
    ],
)  # fmt: skip
def test_article_text_is_not_boilerplate(language: str, block: str) -> None:
    assert not is_boilerplate(block, language)


def test_english_and_other_languages_keep_the_english_patterns_only() -> None:
    for language in ("en", "en-GB", "nl", "xx"):
        assert not is_boilerplate("Leia também", language)
        assert not is_boilerplate("Publicité", language)
        assert is_boilerplate("Leave a reply", language)
    assert is_boilerplate("Leave a reply", "de")  # the English list applies to every page


def test_every_language_has_patterns() -> None:
    assert set(BOILERPLATE_SOURCES) == {"de", "fr", "es", "pt", "it"}


# --- wording ------------------------------------------------------------------------------

DAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("wording", "one", "three"),
    [
        (GERMAN, "Harbour News für Mittwoch, den zweiten Dezember. Eine Meldung heute: A.",
         "Harbour News für Mittwoch, den zweiten Dezember. Drei Meldungen: A; B; und C."),
        (FRENCH, "Harbour News, mercredi deux décembre. Un sujet aujourd'hui : A.",
         "Harbour News, mercredi deux décembre. Trois sujets : A; B; et C."),
        (SPANISH, "Harbour News del miércoles dos de diciembre. Una noticia hoy: A.",
         "Harbour News del miércoles dos de diciembre. Tres noticias: A; B; y C."),
        (PORTUGUESE_BR, "Harbour News de quarta-feira, dois de dezembro. Uma notícia hoje: A.",
         "Harbour News de quarta-feira, dois de dezembro. Três notícias: A; B; e C."),
        (ITALIAN, "Harbour News, mercoledì due dicembre. Una notizia oggi: A.",
         "Harbour News, mercoledì due dicembre. Tre notizie: A; B; e C."),
    ],
)  # fmt: skip
def test_opening(wording: Wording, one: str, three: str) -> None:
    assert wording.opening("Harbour News", DAY, ["A"]) == one
    assert wording.opening("Harbour News.", DAY, ["A", "B.", "C"]) == three


@pytest.mark.parametrize(
    ("wording", "cut"),
    [
        (GERMAN, "Einundzwanzig Meldungen, darunter: A; B; C; D; E; und sechzehn weitere."),
        (FRENCH, "Vingt et un sujets, dont : A; B; C; D; E; et seize autres."),
        (SPANISH, "Veintiuna noticias, entre ellas: A; B; C; D; E; y dieciséis más."),
        (PORTUGUESE_BR, "Vinte e uma notícias, entre elas: A; B; C; D; E; e mais dezesseis."),
        (PORTUGUESE_PT, "Vinte e uma notícias, entre elas: A; B; C; D; E; e mais dezasseis."),
        (ITALIAN, "Ventuno notizie, tra cui: A; B; C; D; E; e altre sedici."),
    ],
)  # fmt: skip
def test_opening_cut(wording: Wording, cut: str) -> None:
    assert wording.opening("N", DAY, list("ABCDEFGHIJKLMNOPQRSTU")).endswith(cut)


@pytest.mark.parametrize(
    ("wording", "site", "first", "nxt", "title"),
    [
        (GERMAN, "Laut Tagesschau: T.", "Zuerst: T.", "Weiter: T.", "N, Mittwoch, 2. Dezember"),
        (FRENCH, "Selon Le Monde : T.", "D'abord : T.", "Ensuite : T.", "N, mercredi 2 décembre"),
        (SPANISH, "Según El País: T.", "Primero: T.", "A continuación: T.",
         "N, miércoles 2 de diciembre"),
        (PORTUGUESE_BR, "Segundo Folha: T.", "Primeiro: T.", "Em seguida: T.",
         "N, quarta-feira, 2 de dezembro"),
        (ITALIAN, "Secondo Corriere: T.", "Per cominciare: T.", "Poi: T.",
         "N, mercoledì 2 dicembre"),
    ],
)  # fmt: skip
def test_attribution_and_title(
    wording: Wording, site: str, first: str, nxt: str, title: str
) -> None:
    name = site.split(" ", 1)[1].split(":")[0].rstrip()
    assert wording.attribution(name, "T", 3) == site
    assert wording.attribution(None, "T.", 0) == first
    assert wording.attribution(None, "T", 1) == nxt
    assert wording.default_title("N", DAY) == title


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 1), {"de": "Sonntag, den ersten März", "fr": "dimanche premier mars",
                            "es": "domingo uno de marzo", "pt": "domingo, primeiro de março",
                            "it": "domenica primo marzo"}),
        (date(2026, 1, 21), {"de": "Mittwoch, den einundzwanzigsten Januar",
                             "fr": "mercredi vingt et un janvier",
                             "es": "miércoles veintiuno de enero",
                             "pt": "quarta-feira, vinte e um de janeiro",
                             "it": "mercoledì ventuno gennaio"}),
    ],
)  # fmt: skip
def test_spoken_dates(day: date, expected: dict[str, str]) -> None:
    for code, words in expected.items():
        wording = wording_for(code)
        assert wording is not None
        assert wording.spoken_date(day) == words


def test_wording_for() -> None:
    assert wording_for("de-AT") is GERMAN
    assert wording_for("pt") is PORTUGUESE_BR
    assert wording_for("pt-PT") is PORTUGUESE_PT
    assert wording_for("en") is None
    assert wording_for("fr_CA") is FRENCH


@pytest.mark.parametrize("wording", [GERMAN, FRENCH, SPANISH, PORTUGUESE_BR, ITALIAN])
def test_counts_agree(wording: Wording) -> None:
    assert (
        wording.stories(1)
        == {
            "de": "Eine Meldung",
            "fr": "Un sujet",
            "es": "Una noticia",
            "pt": "Uma notícia",
            "it": "Una notizia",
        }[wording.code]
    )
    assert wording.description_lead(2).endswith(":")


# --- text/wording.py: the language picks the wording; English stays as it is ----------------


def test_wording_module_follows_the_language() -> None:
    assert wording.opening("N", DAY, ["A"], "de") == GERMAN.opening("N", DAY, ["A"])
    assert wording.opening("N", DAY, ["A"], "en") == wording.opening("N", DAY, ["A"])
    assert wording.opening("N", DAY, ["A"]).startswith("N for Wednesday the second of December.")
    assert wording.attribution("Le Monde", "T", 0, "fr-FR") == "Selon Le Monde : T."
    assert wording.attribution("BBC", "T", 0, "nl") == "From BBC: T."
    assert wording.default_title("N", DAY, "es") == "N, miércoles 2 de diciembre"
    assert wording.default_title("N", DAY) == "N, Wednesday 2 December"
    assert wording.opening_chapter("it") == "Titoli"
    assert wording.opening_chapter("en-US") == wording.OPENING_CHAPTER


def test_description_in_the_language() -> None:
    listed = [wording.Listed(f"Titel {i}", None, "tagesschau.de") for i in range(30)]
    text, markup = wording.description(listed, limit_bytes=300, language="de")
    assert text.startswith("Dreißig Meldungen in dieser Folge:")
    assert text.splitlines()[-1].startswith("und ") and text.endswith(" weitere")
    assert "<li>und " in markup
    english, _ = wording.description(listed[:2])
    assert english.startswith("Two stories in this episode:")
