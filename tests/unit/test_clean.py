"""Cleaning rules: Unicode spaces, invisible characters, entities, boilerplate (golden)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudio.models import Article, Block
from newsaudio.text.clean import clean_article, clean_text, is_boilerplate

ALL_UNICODE_SPACES = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"]


@pytest.mark.parametrize("space", ALL_UNICODE_SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unicode_space_becomes_plain(space: str) -> None:
    assert clean_text(f"4{space}March{space}{space}2024") == "4 March 2024"


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200c", "\ufeff", "\u2060", "\u00ad", "\x07", "\u202e", "\u200e"]
)
def test_invisible_and_control_characters_removed(char: str) -> None:
    assert clean_text(f"wo{char}rd") == "word"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("4&nbsp;March", "4 March"),
        ("caf&eacute; &amp; bar", "café & bar"),
        ("&ldquo;Yes,&rdquo; she said &mdash; twice", "“Yes,” she said — twice"),
        ("&#8239;x&#x2014;y", "x—y"),
        ("&amp;amp;", "&amp;"),  # decoded exactly once
        ("AT&T and R&D", "AT&T and R&D"),
        ("“curly” ‘quotes’ kept", "“curly” ‘quotes’ kept"),
    ],
)
def test_entities_decoded_once(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


BOILERPLATE = [
    "Read More",
    "Read more",
    "READ MORE »",
    "Continue reading",
    "Leave a Reply",
    "Leave a comment",
    "Your email address will not be published.",
    "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *",
    "Cancel reply",
    "Post a comment",
    "12 Comments",
    "View comments",
    "Join the conversation",
    "Advertisement",
    "ADVERTISEMENT",
    "Sponsored content",
    "Story continues below advertisement",
    "Share this article",
    "Share on Facebook",
    "Share",
    "Tweet",
    "Facebook Twitter Email",
    "Follow us on Twitter",
    "Sign up for our newsletter",
    "Subscribe to our daily newsletter for the latest news.",
    "Subscribe now",
    "We use cookies to improve your experience on our site.",
    "Accept all cookies",
    "Photo: John Doe/AP",
    "Image credit: Getty Images",
    "(Photo by Jane Roe)",
    "Getty Images",
    "Related: Ten ways to save energy",
    "Related Articles",
    "You may also like",
    "Most popular",
    "Skip to content",
    "Back to top",
    "Copyright © 2024 Example News. All rights reserved.",
    "© Example News",
    "Tags: politics, europe",
    "5 min read",
    "Listen to this article",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Previous article",
    "Next post",
]


@pytest.mark.parametrize("text", BOILERPLATE)
def test_boilerplate_recognized(text: str) -> None:
    assert is_boilerplate(clean_text(text))


@pytest.mark.parametrize(
    "text",
    [
        "Putin said ties with Beijing were a worthy example.",
        "Read the full report, the minister said, before judging it.",
        "Share prices fell 3% on Tuesday after the announcement.",
        "The advertisement campaign cost the party $2 million.",
        "Comments from residents were mostly positive, the council said.",
        "Photos of the damage spread quickly online.",
        "Related companies were also investigated by the authorities last year.",
        "Next year the library will open on Sundays too.",
    ],
)
def test_article_sentences_are_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(clean_text(text))


def test_clean_article_drops_boilerplate_and_separators() -> None:
    blocks = tuple(
        Block("paragraph", t)
        for t in [
            "Real text.",
            "Read More",
            ".",
            "— — —",
            "* * *",
            "👍",
            "…",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "End.",
        ]
    )
    out = clean_article(Article("T", blocks, "x", "k"))
    assert [b.text for b in out.blocks] == ["Real text.", "End."]


@given(st.text())
def test_cleaning_is_idempotent_and_total(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert "  " not in once and once == once.strip()
