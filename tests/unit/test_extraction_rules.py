"""The general extraction rules behind docs/extraction.md, each on a small page of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.loaders.html import strip_site_name
from newsaudio.loaders.html.repeats import (
    REPEAT_MIN_WORDS,
    drop_numbered_gallery,
    drop_repeated_paragraphs,
)
from newsaudio.loaders.html.tree import title_key
from newsaudio.models import Block
from newsaudio.pipeline import load_article
from newsaudio.text.clean import clean_text, is_boilerplate

PARA = (
    "The council met on Tuesday evening to discuss the harbour plan, which has divided the "
    "town for more than a year and drawn hundreds of letters from residents."
)


def _load(tmp_path: Path, html: str, name: str = "page.html") -> tuple[str, list[str]]:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    article = load_article(str(path))
    return article.title, [b.text for b in article.blocks]


def test_a_form_wrapping_the_whole_page_keeps_the_article(tmp_path: Path) -> None:
    body = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(4))
    page = (
        "<html><head><title>Harbour plan</title></head><body><form id='aspnetForm'>"
        f"<div class='content'><h1>Harbour plan</h1>{body}</div>"
        "<input type='text' name='q'></form></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert any("Paragraph 3" in b for b in blocks)


def test_chrome_marked_by_class_is_dropped_but_prose_is_kept(tmp_path: Path) -> None:
    page = (
        "<html><body><article><h1>Harbour plan</h1>"
        f"<p>{PARA}</p><p>{PARA} Second.</p>"
        "<div class='newsletter-signup'><p>Get the day's big stories in your inbox.</p>"
        "<p>Thanks for signing up!</p></div>"
        f"<p>{PARA} Third.</p>"
        "<p>South Dakota Gov. <a href='/p'>Kristi Noem</a><span class='rollover-people-block'>"
        "<a href='/p'>Kristi Lynn Noem</a><a href='/x'>Another story</a></span> spoke.</p>"
        "</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    text = " ".join(blocks)
    assert "Thanks for signing up" not in text and "inbox" not in text
    assert "Gov. Kristi Noem spoke." in text
    assert "Third." in text


def test_text_after_a_heading_in_one_block_and_highlighted_words_are_read(
    tmp_path: Path,
) -> None:
    page = (
        "<html><body><article><h1>Deals</h1>"
        f"<div><h2>Watch deal</h2>{PARA} After the heading.</div>"
        f"<p>{PARA}</p><p><b>will</b>appreciate the price.</p></article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert any(b.endswith("After the heading.") for b in blocks)
    assert "will appreciate the price." in blocks


def test_a_body_split_in_sections_is_read_whole(tmp_path: Path) -> None:
    chunks = "<div class='ad'>Advertisement</div>".join(
        f"<div class='article__body grid'><p>{PARA} Section {i}.</p><p>{PARA} More {i}.</p></div>"
        for i in range(3)
    )
    page = f"<html><body><article><h1>Harbour plan</h1>{chunks}</article></body></html>"
    _, blocks = _load(tmp_path, page)
    text = " ".join(blocks)
    assert all(f"Section {i}." in text and f"More {i}." in text for i in range(3))


def test_related_story_links_are_not_read(tmp_path: Path) -> None:
    page = (
        "<html><body><article><h1>Harbour plan</h1>"
        f"<p>{PARA}</p><p>{PARA} Again.</p>"
        "<p><a href='/other'>Who will make the Rock Hall in 2020?</a></p>"
        "<ul><li><a href='/a'>15 Amazing Images of Stars</a></li>"
        "<li><a href='/b'>11 Fascinating Facts About Our Milky Way</a></li></ul>"
        "</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert not any("Rock Hall" in b or "Milky Way" in b for b in blocks)


def test_site_names_are_cut_from_titles() -> None:
    sites = {"sportsnetca", "sportsnet", "theparadigm"}
    assert strip_site_name("Nadal keeps Spain alive - Sportsnet.ca", sites) == (
        "Nadal keeps Spain alive"
    )
    assert strip_site_name("BREAKING: Lawan moves motion - The Paradigm", sites) == (
        "BREAKING: Lawan moves motion"
    )
    assert strip_site_name("The Paradigm view on cars | Editorial", sites) == (
        "The Paradigm view on cars | Editorial"
    )


def test_a_banner_h1_loses_to_the_title(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Pollen season starts early, doctors warn</title></head><body>"
        "<h1>Allergies Health Center</h1><div>"
        f"<p>{PARA}</p><p>{PARA} Second.</p></div></body></html>"
    )
    title, _ = _load(tmp_path, page)
    assert title == "Pollen season starts early, doctors warn"


def test_boilerplate_kinds() -> None:
    for chrome in (
        "Thanks for signing up!",
        "Sorry! There was an error processing your subscription.",
        "Listen to this article, 4 min",
        "Follow Jane Doe on Facebook",
        "Got a story? Email us at news@example.com",
        "Copyright 2019 Example Media. All rights reserved.",
        "Read more: Alibaba poised to launch record-breaking listing",
        "subtitles off, selected",
        "Now watching",
        "This video is not available in your region",
        "Chapters",
        "Published",
        "China furious at Macron [INSIGHT]|Lakers vs Nets [VIDEO]",
        "If you buy something through this post, IGN may get a share of the sale.",
        "When you buy something using the retail links in our stories, we may earn a small "
        "affiliate commission.",
    ):
        assert is_boilerplate(clean_text(chrome)), chrome
    for prose in (
        "He said the plan [to close the harbour] was a mistake.",
        "Read the report in full before the meeting, the mayor urged councillors.",
        "Published in 1851, the novel sold poorly.",
        "If you buy something now, prices will only rise, the minister warned.",
    ):
        assert not is_boilerplate(clean_text(prose)), prose


def test_raw_shortcodes_are_dropped() -> None:
    text = '[button link="http://example.org/x" type="big"] Send us YOUR review[/button] today'
    assert clean_text(text) == "Send us YOUR review today"
    assert clean_text("He called it [sic] a success.") == "He called it [sic] a success."


def test_read_more_lines_in_markdown_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        f"# Harbour plan\n\n{PARA}\n\nRead more: [Council rejects bid](https://example.org/x)\n",
        encoding="utf-8",
    )
    article = load_article(str(path))
    assert [b.text for b in article.blocks] == [PARA]


def test_text_after_an_html_comment_is_read(tmp_path: Path) -> None:
    page = (
        "<html><body><article><h1>Harbour plan</h1>"
        f"<p>{PARA}</p><p><!-- SPEAK_START -->{PARA} After the marker.<!-- SPEAK_STOP --></p>"
        f"<p>{PARA} Last.</p></article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert any(b.endswith("After the marker.") for b in blocks)
    assert "SPEAK" not in " ".join(blocks)


def test_bare_text_beside_blocks_is_read_whole_and_in_order(tmp_path: Path) -> None:
    # text straight in a <div>, split by links, headings and <br><br>: nothing before the
    # first link is lost and no words are glued where a link ends
    page = (
        "<html><body><article><h1>Match day</h1><div class='body'>"
        "<figure><img src='a.jpg'><figcaption>The stadium.</figcaption></figure>"
        f"First words of the story. {PARA} Watch it <a href='/s'>live</a> tonight."
        "<div class='box'><span>Ticket offer</span></div>"
        f"<h3>Team news</h3><br>{PARA} Second part.<br><br>"
        f"<a href='/other'>Downloads: fixtures and tables</a><br><br>{PARA} Third part."
        "</div></article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    text = " ".join(blocks)
    assert "First words of the story." in text
    assert "Watch it live tonight." in text
    assert text.index("First words") < text.index("Second part.") < text.index("Third part.")
    assert "Team news" in blocks
    assert "Downloads" not in text


def test_a_teaser_blurb_under_a_linked_headline_is_not_read(tmp_path: Path) -> None:
    body = "".join(f"<p>{PARA} Part {i}.</p>" for i in range(5))
    page = (
        "<html><body><article><h1>Harbour plan</h1><div class='post-content'>"
        f"{body}<h2><a href='/other'>Golf GTI: a mature thrill</a></h2>"
        "<p>The GTI letters have long promised fun. At first the maker was ...</p>"
        "</div></article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert blocks[-1].endswith("Part 4.")
    assert not any("GTI" in b for b in blocks)


def test_a_paywall_preview_in_a_bare_box_is_read(tmp_path: Path) -> None:
    body = "".join(f"<p>{PARA} Part {i}.</p>" for i in range(5))
    page = (
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Flat hunt</h1>"
        f"<p class='topic'><strong>{PARA}</strong></p>{body}"
        "<div class='share'><a href='/fb'>Facebook</a></div>"
        "<div class='text'><div class='preview'>Gesine is running out of time. She has "
        "enrolled at the university and has been looking for a room for a month. "
        '"It is really ...</div></div></article>'
        "<div class='copyright'>Copyright 2023 Example Media, Inc. All rights reserved. This "
        "material may not be published, broadcast, rewritten, or redistributed.</div>"
        "</body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert blocks[-1].startswith("Gesine is running out of time.")


def test_a_marked_standfirst_is_read_first(tmp_path: Path) -> None:
    microdata = (
        "<html><body><div itemscope itemtype='https://schema.org/NewsArticle'>"
        "<h1 itemprop='headline'>Row at the works meeting</h1>"
        "<h2 itemprop='description'>Just before the works meeting, talk grows that the "
        "chief and the board are falling out.</h2>"
        f"<div itemprop='articleBody'><p>{PARA}</p><p>{PARA} Second.</p></div>"
        "<div itemprop='image' itemscope itemtype='https://schema.org/ImageObject'>"
        "<span itemprop='description'>A photograph of the works gate at dawn, in the rain.</span>"
        "</div></div></body></html>"
    )
    _, blocks = _load(tmp_path, microdata, "micro.html")
    assert blocks[0].startswith("Just before the works meeting")
    assert not any("photograph" in b for b in blocks)
    hgroup = (
        "<html><body><article><header><hgroup><h3>Würzburg</h3><h1>Why we need humility</h1>"
        "<h2>Side effects come not only with medicines but with political measures too.</h2>"
        f"</hgroup></header><div class='article-text'><p>{PARA}</p><p>{PARA} Second.</p>"
        "</div></article></body></html>"
    )
    _, blocks = _load(tmp_path, hgroup, "hgroup.html")
    assert blocks[:2] == [
        "Side effects come not only with medicines but with political measures too.",
        PARA,
    ]


def test_a_repeated_headline_goes_with_the_kicker_before_it() -> None:
    from newsaudio.loaders._blocks import split_title
    from newsaudio.models import Block

    title = "Students still hunting for flats"
    kicker = [Block("paragraph", "Term starts"), Block("heading", title, 1)]
    _, body = split_title(title, [*kicker, Block("paragraph", PARA)])
    assert [b.text for b in body] == [PARA]
    # a sentence before the repeat is text, not a kicker: it stays
    lead = [Block("paragraph", PARA), Block("paragraph", title), Block("paragraph", "Next.")]
    _, body = split_title(title, lead)
    assert [b.text for b in body] == [PARA, "Next."]


def test_the_description_of_another_story_card_is_not_a_standfirst(tmp_path: Path) -> None:
    card = (
        "<aside><article itemscope itemtype='https://schema.org/NewsArticle'>"
        "<h3 itemprop='headline'><a href='/other'>Other story</a></h3><p itemprop='description'>"
        "A blurb about another story that the sidebar shows to tempt the reader.</p>"
        "</article></aside>"
    )
    body = "".join(f"<p>{PARA} Part {i}.</p>" for i in range(3))
    page = f"<html><body>{card}<main><h1>Harbour plan</h1>{body}</main></body></html>"
    _, blocks = _load(tmp_path, page)
    assert not any("blurb" in b for b in blocks)


def test_a_box_of_text_with_bold_words_and_bold_subheadings_is_read_whole(tmp_path: Path) -> None:
    body = "".join(f"<p>{PARA} Part {i}.</p>" for i in range(3))
    page = (
        "<html><body><div id='main'><h1>Anno review</h1><div class='text'>"
        f"{PARA} Opening.<br><strong>All over again</strong><br>{PARA} Island.<br>"
        f"<table><tr><td>Caption of a picture</td></tr></table>"
        "<div id='conclusion'>The change may feel like a step back at first, but the new "
        "mechanics win you over, and we can hardly wait for the release on "
        "<strong>16 April this year</strong>, when the full game arrives.</div>"
        f"</div>{body}</div></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert "All over again" in blocks
    assert any(b.startswith("The change may feel like a step back") for b in blocks)


# --- issue 25: a numbered gallery of other stories; a paragraph the page shows twice -------

STORIES = [
    ("United going down", "The club's shares fell for a third day as fans protested outside."),
    ("Star Wars boosts economy", "Tourism officials said visitors to filming sites spent more."),
    ("Bank raises rates again", "The central bank raised its main rate by a quarter point."),
    ("Storm closes schools", "Hundreds of schools stayed shut as heavy snow blocked roads."),
    ("Museum reopens its doors", "After a two-year refit, the museum welcomed its first visitors."),
]
ARTICLE = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(4))


def _gallery(layout: str, total: int = len(STORIES)) -> str:
    n = len(STORIES)
    if layout == "item per block":
        return "".join(f"<p>{i + 1}/{total} {h} {b}</p>" for i, (h, b) in enumerate(STORIES))
    if layout == "headline then blurb":
        return "".join(
            f"<div><p>{i + 1}/{total} {h}</p><p>{b}</p></div>" for i, (h, b) in enumerate(STORIES)
        )
    if layout == "one block":
        return (
            "<p>"
            + " ".join(f"{i + 1}/{total} {h} {b}" for i, (h, b) in enumerate(STORIES))
            + "</p>"
        )
    assert layout == "of"
    return "".join(f"<p>{i + 1} of {n} {h}. {b}</p>" for i, (h, b) in enumerate(STORIES))


@pytest.mark.parametrize("layout", ["item per block", "headline then blurb", "one block", "of"])
def test_a_numbered_gallery_of_other_stories_is_not_read(tmp_path: Path, layout: str) -> None:
    page = (
        "<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>"
        f"{ARTICLE}<div class='gallery'>{_gallery(layout, 50)}</div>"
        f"</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    text = " ".join(blocks)
    assert all(h not in text and b not in text for h, b in STORIES), text
    assert [b for b in blocks if "Paragraph" in b] == [f"{PARA} Paragraph {i}." for i in range(4)]


def test_numbers_in_the_article_s_own_text_are_kept(tmp_path: Path) -> None:
    lines = [
        "Turnout was 1/3 of the roll, up from 1/4 in the last vote and 1/5 before that.",
        "The helpline runs 24/7 and took 2/10 of its calls from the harbour district.",
        "Question 1 of 3 asked about rents; question 2 of 3 about the park.",
    ]
    page = (
        "<html><body><article><h1>Harbour plan</h1>"
        + "".join(f"<p>{PARA} {line}</p>" for line in lines)
        + "</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert blocks == [f"{PARA} {line}" for line in lines]


def test_a_paragraph_the_page_repeats_is_read_once(tmp_path: Path) -> None:
    summary = "Councillors approved the harbour plan by nine votes to four on Tuesday."
    page = (
        "<html><body><article><h1>Harbour plan</h1>"
        f"<div class='summary-box'><p>{summary}</p></div>"
        f"<p>{PARA}</p><p>“{summary.upper()}”</p><p>{PARA} Second.</p>"
        "<p>Yes.</p><p>No.</p><p>Yes.</p>"
        "</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    assert [b for b in blocks if "harbour plan by nine" in b.lower()] == [summary]
    assert blocks.count(PARA) == 1 and f"{PARA} Second." in blocks
    assert blocks.count("Yes.") == 2  # a short line may repeat on purpose


def test_a_page_that_repeats_by_design_is_read_whole() -> None:
    meals = [
        f"Breakfast: two eggs, one slice of toast and {n} cups of tea with milk." for n in (1, 2)
    ]
    days = [Block("heading", f"Day {d}", 2) for d in range(3)]
    blocks = [
        x for d in days for x in (d, Block("paragraph", meals[0]), Block("paragraph", meals[1]))
    ]
    assert drop_repeated_paragraphs(blocks) == blocks


def test_a_slideshow_that_is_the_article_is_read(tmp_path: Path) -> None:
    items = "".join(f"<p>{i + 1}/5 {h} {b}</p>" for i, (h, b) in enumerate(STORIES))
    page = (
        "<html><body><article><h1>The week in pictures</h1>"
        f"<p>Our pick of the week.</p>{items}</article></body></html>"
    )
    _, blocks = _load(tmp_path, page)
    text = " ".join(blocks)
    assert all(h in text and b in text for h, b in STORIES), text


_WORDS = st.sampled_from(["harbour", "council", "vote", "1/3", "24/7", "2 of 5", "rents", "park"])
_PARAGRAPHS = st.lists(
    st.lists(_WORDS, min_size=1, max_size=14).map(" ".join), min_size=0, max_size=12
)


@given(_PARAGRAPHS)
@settings(max_examples=200, deadline=None)
def test_repeats_are_read_once_and_first_copies_kept_in_order(texts: list[str]) -> None:
    blocks = [Block("paragraph", t) for t in texts]
    kept = drop_repeated_paragraphs(blocks)
    if kept == blocks:
        return  # nothing repeated, or a page that repeats by design
    long_keys = [title_key(b.text) for b in kept if len(b.text.split()) >= REPEAT_MIN_WORDS]
    assert len(long_keys) == len(set(long_keys))
    assert {title_key(b.text) for b in kept} == {title_key(b.text) for b in blocks}
    assert drop_repeated_paragraphs(kept) == kept
    assert all(b in blocks for b in kept)


@given(_PARAGRAPHS)
@settings(max_examples=200, deadline=None)
def test_text_without_a_counting_run_is_never_cut(texts: list[str]) -> None:
    # "2 of 5" and fractions appear, but never three counting up against one total
    blocks = [Block("paragraph", t.replace("2 of 5", "2 of 5 3 of 7")) for t in texts]
    assert drop_numbered_gallery(blocks) == blocks
