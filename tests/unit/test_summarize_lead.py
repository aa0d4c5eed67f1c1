"""Lead briefs: whole sentences from the body's start within a budget; never datelines,
bylines, credits or furniture; the same utterances as the full story's script."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudio.models import Article, Block
from newsaudio.summarize.lead import (
    estimate_seconds,
    is_dateline,
    is_furniture,
    is_label,
    lead,
    repeats_headline,
)
from newsaudio.text.clean import clean_article
from newsaudio.text.prepare import prepare
from newsaudio.text.segment import split_sentences


def article(title: str, *paragraphs: str) -> Article:
    return Article(title, tuple(Block("paragraph", p) for p in paragraphs), "t", "t")


STORY = article(
    "Council passes budget",
    "By Jane Doe and John Roe, Reuters",
    "Council passes budget",
    "SPRINGFIELD (Reuters) - The city council approved a budget of $3.4 million on Tuesday. "
    "Mayor Ann Lee said the money would fund two libraries.",
    "Advertisement",
    "(Photo: John Smith/Getty Images)",
    "The treasurer voted against it. She said the city could not afford it. The vote was 7-2.",
    "Reporting by Jane Doe; Editing by Bob Roe",
)


def test_golden_lead_skips_furniture_and_dateline() -> None:
    cleaned = clean_article(STORY)
    brief = lead(cleaned, 60)
    assert brief.sentences == (
        "The city council approved a budget of $3.4 million on Tuesday.",
        "Mayor Ann Lee said the money would fund two libraries.",
        "The treasurer voted against it.",
        "She said the city could not afford it.",
        "The vote was 7-2.",
    )
    short = lead(cleaned, 3)
    assert short.sentences == ("The city council approved a budget of $3.4 million on Tuesday.",)
    assert short.seconds > 3  # at least one sentence, even over budget


def test_raw_dateline_sentence_is_skipped_when_not_cleaned() -> None:
    raw = article("T", "LONDON (Reuters) - Prices rose. Then they fell.")
    assert is_dateline("LONDON (Reuters) - Prices rose.")
    assert lead(raw, 60).sentences == ("Then they fell.",)
    assert lead(article("T", "Yes."), 60).sentences == ("Yes.",)  # a paragraph of one: kept


@pytest.mark.parametrize(
    "text",
    [
        "By Jane Doe",
        "By JANE DOE | Reuters",
        "Jane Doe | Reuters",
        "Reporting by A; Editing by B",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "5 min read",
        "Photo: Getty Images",
        "(AP Photo/Evan Vucci)",
        "Updated 10:32 GMT, Dec 7 2026",
        "Sign up for our newsletter",
        "Listen to this article",
        "Read more: Budget talks",
    ],
)
def test_furniture(text: str) -> None:
    assert is_furniture(text)


@pytest.mark.parametrize(
    "text",
    [
        "By the end of the year, prices had doubled.",
        "Photographers gathered outside.",
        "Reporters asked the mayor about the budget.",
        "The advertisement ran for a week.",
        "Updates to the plan were published in May.",
    ],
)
def test_not_furniture(text: str) -> None:
    assert not is_furniture(text)


@pytest.mark.parametrize("s", ["London.", "Washington, Dec. 7.", "St. Louis.", "Rio de Janeiro."])
def test_dateline_sentences(s: str) -> None:
    assert is_dateline(s)


@pytest.mark.parametrize("s", ["Prices rose.", "London fell silent.", "Ann Lee resigned."])
def test_not_dateline(s: str) -> None:
    assert not is_dateline(s)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("BAAR, SWITZERLAND", True),
        ("LOOK WHAT YOU MADE ME DO", True),
        ("Key Points", True),
        ("Prices rose", False),
        ("NO.", False),
    ],
)
def test_label(text: str, label: bool) -> None:
    assert is_label(text) is label


def test_headline_repeat() -> None:
    assert repeats_headline("Council Passes Budget.", "Council passes budget")
    assert not repeats_headline(
        "The council passed a budget on Tuesday after a long debate.", "Council passes budget"
    )


def test_only_paragraphs_and_measured_durations_win() -> None:
    a = Article(
        "T",
        (
            Block("heading", "Key points", 2),
            Block("list_item", "A list item."),
            Block("paragraph", "One two three. Four five six. Seven."),
        ),
        "t",
        "t",
    )
    measured = {"One two three.": 2.0, "Four five six.": 2.0, "Seven.": 2.0}
    assert lead(a, 4.5, seconds_for=measured.get).sentences == ("One two three.", "Four five six.")


def _utterances(a: Article) -> list[str]:
    return [u.spoken for u in prepare(a).utterances if u.kind == "sentence"]


def test_brief_utterances_are_the_full_scripts() -> None:
    cleaned = clean_article(STORY)
    brief = lead(cleaned, 12)
    full = _utterances(cleaned)
    short = _utterances(brief.article)
    assert (
        short
        and short[0]
        == "The city council approved a budget of three point four million dollars on Tuesday."
    )
    it = iter(full)
    assert all(u in it for u in short)  # the same spoken text (cache keys), in order


WORDS = st.text(alphabet=st.sampled_from("abcdefghij"), min_size=1, max_size=8)
SENTENCE = st.builds(
    lambda ws: " ".join(ws).capitalize() + ".", st.lists(WORDS, min_size=2, max_size=20)
)
PARAGRAPH = st.builds(" ".join, st.lists(SENTENCE, min_size=1, max_size=6))


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.floats(min_value=1, max_value=120))
def test_budget_whole_sentences_and_order(paragraphs: list[str], budget: float) -> None:
    a = article("Headline words", *paragraphs)
    brief = lead(a, budget)
    body = [s.strip() for p in paragraphs for s in split_sentences(p)]
    assert brief.sentences and list(brief.sentences) == body[: len(brief.sentences)]
    if len(brief.sentences) > 1:
        assert brief.seconds <= budget + 1e-9
    if len(brief.sentences) < len(body):  # stopped for the budget: the next would overrun
        assert brief.seconds + estimate_seconds(body[len(brief.sentences)]) > budget


def test_summarizer_counts_the_pause_after_each_sentence() -> None:
    from newsaudio.summarize import SummarizerSettings, create
    from newsaudio.summarize.lead import LeadSummarizer

    a = article("T", "One two three. Four five six. Seven.")
    measured = {"One two three.": 2.0, "Four five six.": 2.0, "Seven.": 2.0}
    assert LeadSummarizer(pause_s=0.5).brief(a, 5.0, measured.get).sentences == (
        "One two three.",
        "Four five six.",
    )
    brief = LeadSummarizer(pause_s=0.5).brief(a, 4.9, measured.get)
    assert (brief.kind, brief.sentences, brief.note) == ("lead", ("One two three.",), None)
    assert isinstance(create(SummarizerSettings()), LeadSummarizer)
