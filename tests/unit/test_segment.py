"""Sentence splitting and chunking: golden cases and hypothesis properties."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.models import Article, Block
from newsaudio.text.clean import clean_article
from newsaudio.text.prepare import Pauses, prepare
from newsaudio.text.segment import chunk, simple_split, split_sentences

MAX_CHARS = {"gtts": 100, "piper": 400}

BOUND_TOKENS = [
    "0.6", "3.14159", "100,000", "1,234,567.89", "08:30", "9:30", "4.5b", "$1.2bn", "€3",
    "£40m", "2019-2021", "9–5", "48th", "COVID-19", "U.S.", "U.N.", "e.g.", "i.e.", "a.m.",
    "p.m.", "Dr.", "Sen.", "Gov.", "Mr.", "St.", "et al.", "No. 5", "Jan. 20", "10 km/h",
]  # fmt: skip
WORDS = ["the", "council", "said", "on", "Tuesday", "and", "rain", "fell", "in", "Beijing"]


def alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- golden ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two. Three.", ["One. ", "Two. ", "Three."]),
        ("He left at 9 a.m. on Monday.", ["He left at 9 a.m. on Monday."]),
        ("Prices rose 0.6% in Jan. Then fell.", ["Prices rose 0.6% in Jan. Then fell."]),
        ("Gov. Ann Lee and Gen. Bo Park met.", ["Gov. Ann Lee and Gen. Bo Park met."]),
        ("It cost $3.5 million. Nobody paid.", ["It cost $3.5 million. ", "Nobody paid."]),
        ("J. R. R. Tolkien wrote it. Yes.", ["J. R. R. Tolkien wrote it. ", "Yes."]),
        ("“Go,” he said. “Now!” She went.", ["“Go,” he said. ", "“Now!” ", "She went."]),
        ("What? Really! Yes…", ["What? ", "Really! ", "Yes…"]),
        ("", []),
        (" . . . ", []),
    ],
)
def test_golden_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("sentence", "limit", "pieces"),
    [
        ("Short enough.", 100, ["Short enough."]),
        (
            "The council met on Tuesday; the mayor spoke first: rents will rise, and nobody "
            "was surprised by that at all.",
            60,
            ["The council met on Tuesday; the mayor spoke first:",
             "rents will rise, and nobody was surprised by that at all."],
        ),
        (
            "A long clause about the harbour and its boats — and another long clause about "
            "the quay",
            60,
            ["A long clause about the harbour and its boats",
             "— and another long clause about the quay"],
        ),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ],
)  # fmt: skip
def test_golden_chunks(sentence: str, limit: int, pieces: list[str]) -> None:
    assert chunk(sentence, limit) == pieces


def test_space_cut_avoids_abbreviations_and_numbers() -> None:
    sentence = "Yesterday Dr. Okafor met Sen. Whitlock at 9:30 a.m. near gate 12 with the mayor"
    for piece in chunk(sentence, 30):
        assert not piece.endswith(("Dr.", "Sen.", "9:30", "gate")), piece
        assert not piece.startswith(("a.m.", "12")), piece


def test_headings_and_list_items_are_own_utterances_with_own_pauses() -> None:
    pauses = Pauses()
    article = Article(
        "Title",
        (
            Block("heading", "Budget", 2),
            Block("paragraph", "First sentence. Second sentence."),
            Block("list_item", "One item"),
            Block("list_item", "Another item"),
            Block("paragraph", "Last."),
        ),
        "x",
        "k",
    )
    script = prepare(article)
    got = [(u.kind, u.display, u.pause_after_ms) for u in script.utterances]
    assert got == [
        ("title", "Title", pauses.title_ms),
        ("heading", "Budget", pauses.heading_ms),
        ("sentence", "First sentence.", pauses.sentence_ms),
        ("sentence", "Second sentence.", pauses.paragraph_ms),
        ("list_item", "One item", pauses.sentence_ms),
        ("list_item", "Another item", pauses.sentence_ms),
        ("sentence", "Last.", pauses.paragraph_ms),
    ]


def test_cut_gets_a_clause_pause_not_a_sentence_pause() -> None:
    pauses = Pauses()
    text = ", ".join(f"clause {i} of the long sentence" for i in range(10)) + ". Next."
    script = prepare(Article("T", (Block("paragraph", text),), "x", "k"), max_chars=100)
    body = script.utterances[1:]
    assert len(body) >= 4
    assert all(u.pause_after_ms == pauses.clause_ms for u in body[:-2])
    assert body[-2].pause_after_ms == pauses.sentence_ms
    assert body[-1].display == "Next."


# --- properties --------------------------------------------------------------------------


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_split_is_lossless_and_never_empty(text: str) -> None:
    pieces = split_sentences(text)
    if any(ch.isalnum() for ch in text):
        assert "".join(pieces) == text
    else:
        assert pieces == []
    for piece in pieces:
        assert any(ch.isalnum() for ch in piece)


sentence_parts = st.lists(st.sampled_from(WORDS + BOUND_TOKENS), min_size=1, max_size=60)


@given(sentence_parts, st.sampled_from([".", "!", "?", ""]))
@settings(max_examples=300, deadline=None)
def test_split_never_breaks_inside_a_bound_token(parts: list[str], end: str) -> None:
    text = " ".join(parts) + end
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    for token in BOUND_TOKENS:
        if " " in token or token not in text:
            continue
        # a break can only fall between pieces; no piece boundary lies inside the token
        boundaries = set()
        pos = 0
        for p in pieces[:-1]:
            pos += len(p)
            boundaries.add(pos)
        for m in re.finditer(re.escape(token), text):
            assert not any(m.start() < b < m.end() for b in boundaries)


@given(sentence_parts, st.sampled_from([*MAX_CHARS.values(), 40]))
@settings(max_examples=300, deadline=None)
def test_chunk_bounded_lossless_and_keeps_tokens(parts: list[str], limit: int) -> None:
    sentence = " ".join(parts) + "."
    pieces = chunk(sentence, limit)
    assert pieces and all(0 < len(p) <= limit for p in pieces)
    assert all(p == p.strip() for p in pieces)
    assert squash("".join(pieces)) == squash(sentence)
    for token in {t for t in parts if " " not in t}:
        assert any(token in p for p in pieces), token


@given(st.text(max_size=600), st.sampled_from(list(MAX_CHARS.values())))
@settings(max_examples=200, deadline=None)
def test_prepare_never_sends_empty_or_oversized_text(text: str, limit: int) -> None:
    article = clean_article(Article("Title", (Block("paragraph", text),), "x", "k"))
    script = prepare(article, max_chars=limit)
    for u in script.utterances:
        assert any(ch.isalnum() for ch in u.spoken), u
        assert len(u.spoken) <= limit
        assert u.spoken == u.spoken.strip()


@given(st.lists(st.sampled_from(WORDS + BOUND_TOKENS + [",", ";", "—", ":"]), max_size=200))
@settings(max_examples=100, deadline=None)
def test_prepare_of_news_like_text_keeps_every_word_in_display(parts: list[str]) -> None:
    text = " ".join(parts) + "."
    article = clean_article(Article("Title", (Block("paragraph", text),), "x", "k"))
    script = prepare(article, max_chars=100)
    shown = "".join(u.display for u in script.utterances[1:])
    if any(ch.isalnum() for ch in text):
        # punctuation-only cuts (a lone ",") are not spoken; every word and number is shown
        assert alnum(shown) == alnum(article.blocks[0].text)


PATHOLOGICAL = [
    "a." * 30_000,
    "Mr. " * 20_000,
    "." * 100_000,
    "(" * 50_000 + "x",
    "x" * 200_000,
    "“" + "He said “yes.” " * 5_000,
    "1.2.3.4." * 10_000,
    "U.S.A. " * 10_000,
    ("word " * 30 + "\n") * 2_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: repr(t[:12]))
def test_pathological_input_is_bounded_in_time(text: str) -> None:
    started = time.monotonic()
    pieces = split_sentences(text)
    assert "".join(pieces) == (text if any(ch.isalnum() for ch in text) else "")
    for piece in pieces[:200]:
        assert all(len(c) <= 100 for c in chunk(piece, 100))
    assert time.monotonic() - started < 15


def test_simple_split_is_lossless() -> None:
    text = "One. Two!  Three? “Four.” Five"
    assert "".join(simple_split(text)) == text


# --- issue 25: a sentence that ends with an abbreviation ----------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Work is allowed before 10 a.m. Work is due to begin in March.",
         ["Work is allowed before 10 a.m. ", "Work is due to begin in March."]),
        ("It ended at 11 p.m. The police left.", ["It ended at 11 p.m. ", "The police left."]),
        ("They met at 10 A.M. Dr. Smith came later.",
         ["They met at 10 A.M. ", "Dr. Smith came later."]),
        ("“It ends at 5 p.m. We stay,” she said.", ["“It ends at 5 p.m. ", "We stay,” she said."]),
        ("We sold pens, paper, etc. Prices rose.", ["We sold pens, paper, etc. ", "Prices rose."]),
        ("He works for Acme Inc. He joined in May.",
         ["He works for Acme Inc. ", "He joined in May."]),
        ("He is Sammy Davis Jr. His father sang.", ["He is Sammy Davis Jr. ", "His father sang."]),
        ("Prices rose in the U.K. The pound fell.",
         ["Prices rose in the U.K. ", "The pound fell."]),
        ("“Rents rose in the U.S. They fell here,” he said.",
         ["“Rents rose in the U.S. ", "They fell here,” he said."]),
        # the time goes on: a day, a month, a time zone, "... time", lower case
        ("It ended at 11 p.m. Monday, police said.", ["It ended at 11 p.m. Monday, police said."]),
        ("Trains run until 11 p.m. Saturday and Sunday.",
         ["Trains run until 11 p.m. Saturday and Sunday."]),
        ("It starts at 9 a.m. ET on Monday.", ["It starts at 9 a.m. ET on Monday."]),
        ("Trading opens at 9:30 a.m. New York time.",
         ["Trading opens at 9:30 a.m. New York time."]),
        ("It opens at 9 a.m. Eastern on Friday.", ["It opens at 9 a.m. Eastern on Friday."]),
        ("He left at 9 a.m. on Monday.", ["He left at 9 a.m. on Monday."]),
        # a name goes on after an initialism
        ("The U.S. Army said so.", ["The U.S. Army said so."]),
    ],
)  # fmt: skip
def test_sentence_ending_with_an_abbreviation(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


ENDINGS = ["10 a.m.", "9:30 p.m.", "10 A.M.", "11 P.M.", "paper, etc.", "Acme Inc.",
           "Acme Corp.", "Sammy Davis Jr.", "the U.S.", "the U.K.", "the U.N."]  # fmt: skip
OPENERS = ["The", "He", "She", "It", "They", "We", "But", "In", "After", "There", "This", "Its"]
TIME_WORDS = ["Monday", "Friday", "ET", "GMT", "Pacific", "on", "and", "local", "in"]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.sampled_from(ENDINGS),
    st.sampled_from(OPENERS),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
)
@settings(max_examples=300, deadline=None)
def test_abbreviation_then_sentence_opener_splits(
    before: list[str], ending: str, opener: str, after: list[str]
) -> None:
    first = " ".join([*before, ending]) + " "
    second = " ".join([opener, *after]) + "."
    assert split_sentences(first + second) == [first, second]


@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.sampled_from(["10 a.m.", "9:30 p.m.", "7 A.M.", "11 P.M."]),
    st.sampled_from(TIME_WORDS),
    st.lists(st.sampled_from([w for w in WORDS if w.islower()]), min_size=1, max_size=8),
)
@settings(max_examples=200, deadline=None)
def test_time_then_its_qualifier_stays_one_sentence(
    before: list[str], time_: str, qualifier: str, after: list[str]
) -> None:
    text = " ".join([*before, time_, qualifier, *after]) + "."
    assert split_sentences(text) == [text]
