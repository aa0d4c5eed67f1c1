"""HTML loader: a realistic news page yields only the article, with its metadata."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsaudio.errors import InputError
from newsaudio.loaders import choose_loader, load
from newsaudio.loaders.html import parse_html
from newsaudio.pipeline import load_article
from newsaudio.text.prepare import prepare
from tests.support.news_pages import ARTICLE_SENTENCES, CHROME, LIST_ITEMS, NAV_ONLY_PAGE, NEWS_PAGE


@pytest.fixture
def news_file(tmp_path: Path) -> Path:
    path = tmp_path / "harbour-library.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    return path


def test_news_page_yields_only_the_article(news_file: Path) -> None:
    article = load_article(str(news_file))
    assert article.title == "Harbour library reopens after two-year refit"
    assert article.byline == "Mara Lindqvist"
    assert article.published == datetime(2024, 3, 4, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.published.utcoffset() is not None
    assert article.source_url == "https://www.coastalcourier.example/news/2024/03/harbour-library"
    assert article.language == "en-GB"
    body = " ".join(b.text for b in article.blocks)
    for sentence in ARTICLE_SENTENCES:
        assert sentence in body
    assert "“We nearly lost the whole archive,” she said." in body
    for chrome in CHROME:
        assert chrome not in body, chrome
    assert "Photo:" not in body


def test_headings_and_list_items_are_own_blocks(news_file: Path) -> None:
    article = load_article(str(news_file))
    kinds = [(b.kind, b.text) for b in article.blocks]
    assert ("heading", "What has changed") in kinds
    assert [t for k, t in kinds if k == "list_item"] == LIST_ITEMS
    # the <h1> repeating the headline is not read twice
    assert all(t != article.title for _, t in kinds)
    script = prepare(article)
    assert [u.kind for u in script.utterances].count("list_item") == 2
    heading = next(u for u in script.utterances if u.kind == "heading")
    assert heading.display == "What has changed"


def test_published_falls_back_to_json_ld_and_date_only() -> None:
    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle",
     "headline": "Tide tables", "datePublished": "2023-11-02T06:15:00Z",
     "author": {"@type": "Person", "name": "Ade Bello"}}]}</script>
    <title>Tide tables</title></head><body><article><h1>Tide tables</h1>
    <p>The new tide tables were published on Thursday and show higher spring tides than
    last year along the whole coast, the harbour master said in a statement.</p>
    <p>Sailors are asked to check the tables before every trip out of the harbour.</p>
    </article></body></html>"""
    article = parse_html(page, source="t.html", source_key="k")
    assert article.published == datetime(2023, 11, 2, 6, 15, tzinfo=UTC)
    assert article.title == "Tide tables"
    dated = parse_html(
        page.replace("2023-11-02T06:15:00Z", "2023-11-02"), source="t.html", source_key="k"
    )
    assert dated.published == datetime(2023, 11, 2, tzinfo=UTC)


def test_relative_canonical_resolves_against_the_page_url() -> None:
    page = NEWS_PAGE.replace(
        "https://www.coastalcourier.example/news/2024/03/harbour-library", "/news/lib"
    )
    article = parse_html(page, source="x", source_key="k", url="http://127.0.0.1:8000/a?b=1")
    assert article.source_url == "http://127.0.0.1:8000/news/lib"


@pytest.mark.parametrize(
    "page",
    [
        NAV_ONLY_PAGE,
        "<html><body><script>x()</script></body></html>",
        "<html><head><title></title></head><body> </body></html>",
    ],
)
def test_page_without_article_text_is_an_input_error(tmp_path: Path, page: str) -> None:
    path = tmp_path / "nav.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(InputError, match=r"no article text found|has no words"):
        load_article(str(path))


def test_small_page_without_title_loses_no_words() -> None:
    page = "<html><body><p>Short note one. Second sentence here.</p></body></html>"
    article = parse_html(page, source="x", source_key="k")
    assert article.title == "Short note one."
    assert [b.text for b in article.blocks] == ["Second sentence here."]


def test_entities_decoded_exactly_once() -> None:
    page = (
        "<html><body><article><h1>T</h1><p>AT&amp;T wrote &amp;amp; literally. "
        "Caf&eacute;&nbsp;open &#8211; 4&#8239;km.</p></article></body></html>"
    )
    article = load_article_from_text(page)
    assert article.blocks[0].text == "AT&T wrote &amp; literally. Café open – 4 km."


def load_article_from_text(page: str):  # type: ignore[no-untyped-def]
    from newsaudio.text.clean import clean_article

    return clean_article(parse_html(page, source="x", source_key="k"))


def test_code_and_tables_are_left_out() -> None:
    page = """<html><body><article><h1>Release notes</h1>
    <p>The council published its new open data portal this week for all residents.</p>
    <pre><code>curl https://example.org/api/v1/records --header "x: 1"</code></pre>
    <table><tr><td>Ward</td><td>Count</td></tr><tr><td>North</td><td>12</td></tr></table>
    <p>Residents can download every record as a spreadsheet without signing up.</p>
    </article></body></html>"""
    article = parse_html(page, source="x", source_key="k")
    text = " ".join(b.text for b in article.blocks)
    assert "curl" not in text and "North" not in text
    assert "spreadsheet" in text


def test_stdin_html_is_sniffed() -> None:
    article = load("-", stdin=io.BytesIO(NEWS_PAGE.encode("utf-8")))
    assert article.title == "Harbour library reopens after two-year refit"
    assert article.byline == "Mara Lindqvist"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (NEWS_PAGE, "html"),
        ("<p>One paragraph.</p>\n<p>Another.</p>", "html"),
        ("# Title\n\nBody text with a [link](https://example.org).", "markdown"),
        ("Title\n\n- one\n- two\n", "markdown"),
        ("Title\n\nJust a paragraph of text. It is 5 < 6 and 7 > 3.", "text"),
        ("Council approves cycle lanes\n\nThe council approved 12 km.", "text"),
    ],
)
def test_stdin_sniffing(text: str, name: str) -> None:
    assert choose_loader("-", text).name == name


def test_html_suffixes(tmp_path: Path) -> None:
    for suffix in (".htm", ".html", ".xhtml"):
        path = tmp_path / f"page{suffix}"
        path.write_text(NEWS_PAGE, encoding="utf-8")
        assert load(str(path)).byline == "Mara Lindqvist"


LINKED_NAMES = (
    "<html><head><title>Campaign defended</title></head><body><article>"
    "<h1>Campaign defended</h1>"
    '<p>South Dakota Gov. <span class="rollover-people" data-behavior="rolloverpeople">'
    '<a class="rollover-people-link" href="/people/kristi-noem">Kristi Noem</a>'
    '<span class="rollover-people-block"><span class="rollover-block"><img src="n.jpg">'
    "<span>Kristi Noem is the governor of South Dakota. Follow her.</span></span></span>"
    "</span> (R) is defending the state's launch of an anti-drug campaign on Monday.</p>"
    '<p>MADRID — <a class="sn-player-post-link" href="/p/nadal">Rafael Nadal</a> kept '
    "Spain's hopes alive, then the doubles pair completed the comeback for a 2-1 win.</p>"
    "<p>The campaign's slogan drew attention online, and officials said it worked as "
    "planned, with more visits to the help website than in any month before.</p>"
    '<p><a class="share-link" href="/share">Share this story</a></p>'
    "</article></body></html>"
)


def test_linked_names_in_a_sentence_are_kept_and_their_cards_dropped() -> None:
    """A name linked to a pop-up card (thehill.com, sportsnet.ca) stays in its sentence;
    the card, and a paragraph that is only a chrome link, are still dropped."""
    article = parse_html(LINKED_NAMES, source="t.html", source_key="k")
    text = [b.text for b in article.blocks]
    assert text[0] == (
        "South Dakota Gov. Kristi Noem (R) is defending the state's launch of an anti-drug "
        "campaign on Monday."
    )
    assert text[1].startswith("MADRID — Rafael Nadal kept Spain's hopes alive")
    assert not any("Follow her" in t or "Share this story" in t for t in text)
