"""German, French, Spanish, Portuguese and Italian news pages (tests/support/language_pages/,
written in those sites' shapes) through the real loader, cleaning and preparation: the site
chrome between paragraphs is never read, the article's text is, and the spoken text has no
digit, currency or percent sign, nor an abbreviation a listener would hear spelled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsaudio.pipeline.render import load_article
from newsaudio.text.prepare import prepare

PAGES = Path(__file__).parents[1] / "support" / "language_pages"

CASES = {
    "de": (
        "de",
        ["Lesen Sie auch", "Anzeige", "Mehr zum Thema", "Newsletter abonnieren", "teilen"],
        ["Auftrag über 120 Züge", "Fahrgastzahlen stiegen", "Betriebsrat"],
        [
            "Doktor Richard Lutz",
            "fünfzehnten März",
            "zwei Komma fünf Milliarden Euro",
            "unter anderem",
            "zum Beispiel",
            "sechzehn Uhr fünfzehn",
            "vier Komma zwei Prozent",
        ],
    ),
    "fr": (
        "fr",
        ["Lire aussi", "Publicité", "newsletter", "Partager"],
        ["commande de 120 rames", "fréquentation a progressé", "billet coûte"],
        [
            "premier janvier",
            "Monsieur Dupont",
            "quatorze heures trente",
            "Madame Martin",
            "quatre virgule deux pour cent",
            "vingt et unième siècle",
        ],
    ),
    "es": (
        "es",
        ["Lea también", "Publicidad", "newsletter", "Compartir"],
        ["compra de 120 trenes", "número de viajeros", "billete medio"],
        [
            "tres de marzo de dos mil veintiséis",
            "señor García",
            "señora López",
            "cuatro coma dos por ciento",
            "veintiuna horas",
        ],
    ),
    "pt": (
        "pt-BR",
        ["Leia também", "Publicidade", "publicidade", "newsletter", "Compartilhar"],
        ["compra de 120 trens", "número de passageiros", "1.500 empregos"],
        [
            "mil e quinhentos empregos",
            "três reais e cinquenta centavos",
            "senhor Silva",
            "doutora Souza",
            "quatro vírgula dois por cento",
        ],
    ),
    "it": (
        "it",
        ["Leggi anche", "Pubblicità", "newsletter", "Riproduzione riservata"],
        ["acquisto di 120 treni", "passeggeri sono cresciuti", "biglietto costa"],
        ["signor Rossi", "dottor Bianchi", "quattro virgola due per cento", "un'ora"],
    ),
}
LEFTOVERS = re.compile(r"[0-9€%$]|R\$|\b(?:z\. B|u\. a|Dr|Sr|Sra|Dra|Sig|Dott|M|Mme)\.(?=\s)")


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_is_read_without_its_chrome_in_its_language(name: str) -> None:
    language, chrome, kept, spoken_phrases = CASES[name]
    article = load_article(str(PAGES / f"{name}.html"))
    assert article.language.lower().startswith(language.lower())
    texts = [article.title, *(b.text for b in article.blocks)]
    body = "\n".join(texts)
    for phrase in kept:
        assert phrase in body, phrase
    for block in texts:  # no block is the site's chrome
        for phrase in chrome:
            assert not block.startswith(phrase), block
    assert "cookie" not in body.lower()
    script = prepare(article)
    spoken = " ".join(u.spoken for u in script.utterances)
    for u in script.utterances:
        assert not LEFTOVERS.search(u.spoken), (u.display, u.spoken)
    for phrase in spoken_phrases:
        assert phrase in spoken, (phrase, spoken)
