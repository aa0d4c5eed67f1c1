"""Cleaning rules added for real sites: boilerplate per CMS, wire datelines (golden + negative)."""

from __future__ import annotations

import pytest

from newsaudio.models import Article, Block
from newsaudio.text.clean import (
    byline_paragraph,
    clean_article,
    clean_text,
    is_boilerplate,
    plain_dateline,
    wire_dateline,
)

SITE_CHROME = {
    "wordpress": [
        "Share this:", "Like this:", "Like Loading...", "Loading...", "Be the first to like this.",
        "Posted in News", "Filed under Politics, Europe", "Posted by admin",
        "Tagged: harbour, library",
        "This entry was posted in News and tagged harbour. Bookmark the permalink.",
        "Bookmark the permalink.", "Comments are closed.",
        "Notify me of follow-up comments by email.",
        "Notify me of new posts by email.", "Proudly powered by WordPress", "Search for:",
        "Posts navigation", "Older posts", "Newer posts", "Continue reading →",
        "Click to share on Twitter (Opens in new window)", "(Opens in new window)", "Reblog",
        "Subscribe", "Menu", "Search", "Leave a Reply", "Cancel reply",
    ],
    "ap": [
        "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "Associated Press writer Jane Roe in Seoul contributed to this report.",
        "Follow AP's coverage of the elections at https://apnews.com/hub/elections",
        "The Associated Press receives support from the Example Foundation for its coverage.",
        "AP is solely responsible for all content.", "AP Photo/Mark Schiefelbein",
    ],
    "reuters": [
        "(Reporting by Jane Roe; Editing by John Doe)",
        "Reporting by Jane Roe in Beijing; Editing by John Doe",
        "Our Standards: The Thomson Reuters Trust Principles.", "Sign up here.",
    ],
    "bbc": [
        "Related Topics", "More on this story", "Image source, Getty Images",
        "Image caption, Crowds gathered outside the stadium", "Media caption",
        "The BBC is not responsible for the content of external sites.",
        "Read about our approach to external linking.", "Published 3 hours ago",
    ],
    "guardian": [
        "Explore more on these topics", "Reuse this content", "Most viewed",
        "skip past newsletter promotion", "after newsletter promotion",
        "Privacy Notice: Newsletters may contain info about charities, online ads, and content.",
        "Photograph: Jane Roe/Reuters", "Composite: Guardian Design", "Illustration: Bo Lee",
        "Sign up to First Edition, our free daily newsletter",
    ],
    "cnn_nyt_general": [
        "Ad Feedback", "Video Ad Feedback", "Story highlights", "SKIP ADVERTISEMENT",
        "Supported by", "Send any friend a story", "Give this article",
        "A version of this article appears in print on March 5, 2024, Section A, Page 1.",
        "Order Reprints | Today's Paper | Subscribe",
        "CNN's Jane Roe contributed to this report.", "Editor's Picks", "Don't miss",
        "Up next", "Trending now", "Promoted Stories", "Recommended by Outbrain",
        "Paid Partner Content", "Download our free app", "Get the app", "Open in app",
        "Please enable JavaScript to view the comments.",
        "Your browser does not support the video tag.", "This video can not be played",
        "Privacy Policy | Terms of Use | Contact Us", "Click here to subscribe",
        "Watch: Drone footage of the flooded valley",
        "We may earn a commission from links on this page.", "______",
        "Updated 3:45 PM EST, Tue March 5, 2024", "Published on 4 March 2024",
        "Last updated: 2 hours ago",
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    "text", [t for texts in SITE_CHROME.values() for t in texts], ids=lambda t: t[:30]
)
def test_site_chrome_is_boilerplate(text: str) -> None:
    assert is_boilerplate(clean_text(text))


ARTICLE_LIKE = [
    "Published by Penguin in 2019, the book sold 2 million copies.",
    "Posted in Kabul since 2019, the diplomat said the talks had stalled.",
    "Writing by hand is a dying art, the teacher said.",
    "Reporting by local journalists revealed the scandal last year.",
    "Sign in to the building was required at 9 a.m. for all staff.",
    "More from the mayor's office came later that evening.",
    "Home prices rose 5% last year, the agency said.",
    "Search teams found the missing hikers on Sunday.",
    "Menu prices at the café went up by a third.",
    "Watch the skies tonight, astronomers urged.",
    "Loading the ferry took three hours because of the storm.",
    "Related companies were also investigated by the authorities.",
    "Updated figures showed that 40% of the town's trees were sick.",
    "Tagged as a terrorist group in 2019, the movement denies the charge.",
    "Like this year's budget, next year's will be tight.",
    "Share prices fell 3% on Tuesday.",
    "Supported by volunteers, the library opens on Sundays.",
    "Get the apple harvest in before the frost, farmers were told.",
    "Subscribers will get the first issue in May.",
    "Close to 200 people attended the meeting.",
    "Print runs of the local paper have halved since 2010.",
    "Photographs from the archive show the quay in 1910.",
    "The Associated Press reported the figures on Monday.",
    "Reuters could not independently verify the claim.",
]


@pytest.mark.parametrize("text", ARTICLE_LIKE)
def test_article_text_is_never_boilerplate(text: str) -> None:
    assert not is_boilerplate(clean_text(text))
    article = clean_article(Article("T", (Block("paragraph", text),), "x", "k"))
    assert [b.text for b in article.blocks] == [text]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("BEIJING (AP) — Russian President Vladimir Putin praised ties.",
         "Beijing. Russian President Vladimir Putin praised ties."),
        ("WASHINGTON (Reuters) - The U.S. Senate voted on Friday.",
         "Washington. The U.S. Senate voted on Friday."),
        ("BEIJING, Feb 4 (Reuters) - China said it would respond.",
         "Beijing, Feb 4. China said it would respond."),
        ("SPRINGFIELD, Ill. (AP) — A tornado hit the town.",
         "Springfield, Ill. A tornado hit the town."),
        ("NEW YORK (AP) — Stocks fell.", "New York. Stocks fell."),
        ("ST. LOUIS (AP) — Rain fell all day.", "St. Louis. Rain fell all day."),
        ("RIO DE JANEIRO (AFP) – Carnival began.", "Rio de Janeiro. Carnival began."),
        ("KYIV, Ukraine (AP) — Sirens sounded.", "Kyiv, Ukraine. Sirens sounded."),
        ("UNITED NATIONS (AP) — The council met.", "United Nations. The council met."),
        ("(AP) — Text without a place.", "Text without a place."),
        ("Nothing to change here.", "Nothing to change here."),
        ("NATO (AP) members met.", "NATO (AP) members met."),
        ("U.S. stocks rose (AP) — later.", "U.S. stocks rose (AP) — later."),
    ],
)  # fmt: skip
def test_wire_dateline(raw: str, clean: str) -> None:
    assert wire_dateline(raw) == clean
    assert wire_dateline(clean) == clean  # idempotent


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("LONDON — The Bank of England held rates.", "London. The Bank of England held rates."),
        ("MEXICO CITY – Rain fell.", "Mexico City. Rain fell."),
        ("NATO — The alliance met.", "NATO — The alliance met."),
        ("BREAKING — A fire broke out.", "BREAKING — A fire broke out."),
        ("COVID-19 — Cases rose.", "COVID-19 — Cases rose."),
        ("THE END — of an era.", "THE END — of an era."),
        ("US — Text.", "US — Text."),
    ],
)  # fmt: skip
def test_plain_dateline(raw: str, clean: str) -> None:
    assert plain_dateline(raw) == clean


def test_datelines_in_clean_article() -> None:
    article = clean_article(
        Article(
            "T",
            (
                Block("heading", "LONDON — A heading stays as it is"),
                Block("paragraph", "LONDON — First paragraph."),
                Block("paragraph", "PARIS — Second paragraph keeps its capitals."),
                Block("paragraph", "BERLIN (Reuters) - A wire paragraph later on."),
            ),
            "x",
            "k",
        )
    )
    assert [b.text for b in article.blocks] == [
        "LONDON — A heading stays as it is",
        "London. First paragraph.",
        "PARIS — Second paragraph keeps its capitals.",
        "Berlin. A wire paragraph later on.",
    ]


# --- issue 25: a byline paragraph at the article's start is metadata ---------------------

BYLINES = {
    "By Jane Smith": "Jane Smith",
    "by Jane Smith": "Jane Smith",
    "BY JANE SMITH": "JANE SMITH",
    "By Jane Smith.": "Jane Smith",
    "By J. K. Rowling": "J. K. Rowling",
    "By Jane Smith and Bo Park": "Jane Smith and Bo Park",
    "By Jane Smith, Bo Park and Al Roe": "Jane Smith, Bo Park and Al Roe",
    "By Jane Smith | 6 December 2026": "Jane Smith",
    "By Jane Smith — Harbour Gazette": "Jane Smith",
    "By Jane Smith, staff writer": "Jane Smith",
    "Words by Tom O’Neill": "Tom O’Neill",
    "Written by Jane Smith": "Jane Smith",
    "Von Anna Schmidt": "Anna Schmidt",
    "Par Jean-Luc Martin, envoyé spécial": "Jean-Luc Martin",
    "Por María de la Cruz": "María de la Cruz",
}
NOT_BYLINES = [
    "By Friday, the council had voted.",
    "By Friday the council had voted",
    "By then it was over.",
    "By the end of the year, rents had risen.",
    "By 2030, emissions must fall by half.",
    "By Christmas Eve the shops were empty",
    "By Land Rover standards, it is small.",
    "By Jane Smith, who covers the council, said the vote was close",
    "By Monday",
    "Byron Smith spoke first.",
]


@pytest.mark.parametrize(("text", "names"), sorted(BYLINES.items()))
def test_byline_paragraph(text: str, names: str) -> None:
    assert byline_paragraph(text) == names


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_a_sentence_that_starts_with_by_is_no_byline(text: str) -> None:
    assert byline_paragraph(text) is None


BODY = (
    Block("paragraph", "The city council voted on Tuesday to approve the harbour plan."),
    Block("paragraph", "Work is due to begin in March."),
)


@pytest.mark.parametrize(
    "lead",
    [
        (Block("paragraph", "By Jane Smith"),),
        (Block("paragraph", "Written by Jane Smith"),),  # boilerplate elsewhere, a byline here
        (Block("paragraph", "The harbour plan, explained."), Block("paragraph", "By Jane Smith")),
    ],
)
def test_byline_paragraph_is_taken_as_the_author_and_not_read(lead: tuple[Block, ...]) -> None:
    article = clean_article(Article("Council approves plan", lead + BODY, "x", "k"))
    assert article.byline == "Jane Smith"
    assert [b.text for b in article.blocks if "Jane Smith" in b.text] == []
    assert article.blocks[-2:] == BODY


def test_page_author_wins_over_a_byline_paragraph() -> None:
    blocks = (Block("paragraph", "By Jane Smith"), *BODY)
    article = clean_article(Article("Plan", blocks, "x", "k", byline="Jane A. Smith"))
    assert article.byline == "Jane A. Smith"
    assert article.blocks == BODY


def test_a_by_paragraph_later_in_the_article_is_read() -> None:
    blocks = (*BODY, Block("paragraph", "By Jane Smith"))
    article = clean_article(Article("Plan", blocks, "x", "k"))
    assert article.byline is None
    assert article.blocks == blocks
