"""Shared failure cases of the text stages (clean, split, normalize, chunk, tts text).

Each ``../shared/cases`` case is a test whose assertion is the case's expected value (skipped
when ../shared is absent); beside each, the same kind of fault is rebuilt inline here so
the fix stays covered without ../shared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsaudio.loaders.html import parse_html
from newsaudio.models import Article, Block, Script
from newsaudio.pipeline import Runtime, load_article
from newsaudio.text.clean import clean_article, clean_text
from newsaudio.text.prepare import prepare
from newsaudio.text.segment import NON_TERMINAL_ABBREVIATIONS, chunk, split_sentences
from newsaudio.tts.speak import speak
from tests.support import SHARED, case_input, shared_cases

GTTS_MAX = 100
PIPER_MAX = 400


def expected(case_id: str) -> dict[str, object]:
    case = shared_cases().get(case_id)
    if case is None:
        pytest.skip("../shared is absent")
    exp: dict[str, object] = case["expected"]
    return exp


def html_article(html: str) -> Article:
    return clean_article(parse_html(html, source="case.html", source_key="case"))


def body_article(text: str) -> Article:
    """An article whose body is ``text`` (the case input), with a fixed title."""
    return clean_article(Article("Case", (Block("paragraph", text),), "case", "case"))


def spoken_of(script: Script, skip_title: bool = True) -> str:
    return " ".join(u.spoken for u in script.utterances if not (skip_title and u.kind == "title"))


def display_of(article: Article) -> str:
    return " ".join([article.title, *(b.text for b in article.blocks)]).strip()


# --- CLEAN-01: every Unicode space becomes a plain space --------------------------------

CLEAN_01_TEXT = (
    "The library reopens on 4\u00a0March after a two\u00a0year refit.\u00a0\u00a0Entry costs"
    " 3\u00a0euros for adults and nothing for children under\u00a012.\u202fOpening hours are"
    " 9\u00a0to\u00a05."
)
CLEAN_01_HTML = (
    "<html><body><article><p>The library reopens on 4&nbsp;March after a two&nbsp;year refit."
    "&nbsp;&nbsp;Entry costs 3&nbsp;euros for adults and nothing for children under&nbsp;12."
    "&#8239;Opening hours are 9&nbsp;to&nbsp;5.</p></article></body></html>"
)
CLEAN_01_EXPECTED = (
    "The library reopens on 4 March after a two year refit. Entry costs 3 euros for adults and"
    " nothing for children under 12. Opening hours are 9 to 5."
)


def check_clean_01(article: Article, want: str, forbidden: list[str], workdir: Path) -> None:
    assert display_of(article) == want
    script = prepare(article, max_chars=PIPER_MAX)
    spoken = spoken_of(script, skip_title=False)
    assert not any(ch in spoken for ch in forbidden)
    assert "  " not in spoken
    # the numbers are read as words; everything else reaches the engine verbatim
    assert "March after a two year refit." in spoken and "Opening hours are" in spoken
    engine = Runtime().engine("fake")
    segments = list(speak(script, engine, Runtime().cache))
    assert segments and all(seg.frames > 0 for _, seg in segments)


def test_clean_01a_case(workdir: Path) -> None:
    exp = expected("CLEAN-01a")
    article = body_article(case_input("CLEAN-01a"))
    want = str(exp["spoken_text"])
    assert clean_text(case_input("CLEAN-01a")) == want
    check_clean_01(article, "Case " + want, list(exp["forbidden_chars"]), workdir)  # type: ignore[call-overload]


def test_clean_01b_case(workdir: Path) -> None:
    exp = expected("CLEAN-01b")
    article = html_article(case_input("CLEAN-01b"))
    check_clean_01(article, str(exp["spoken_text"]), list(exp["forbidden_chars"]), workdir)  # type: ignore[call-overload]


def test_clean_01_inline(workdir: Path) -> None:
    assert clean_text(CLEAN_01_TEXT) == CLEAN_01_EXPECTED
    check_clean_01(html_article(CLEAN_01_HTML), CLEAN_01_EXPECTED, ["\u00a0", "\u202f"], workdir)


# --- CLEAN-02: character references decoded exactly once --------------------------------

CLEAN_02_HTML = (
    "<html><body><article>\n<h1>Night shift</h1>\n"
    "<p>&ldquo;You&#39;ve left the lights on again,&rdquo; Mara said &mdash; not for the first"
    " time.</p>\n<p>By midnight it was &minus;4&nbsp;&deg;C &amp; the roads had frozen. The"
    " caf&eacute; stayed open &#8211; barely.</p>\n</article></body></html>"
)
CLEAN_02_MUST = [
    "“You've left the lights on again,” Mara said — not for the first time.",
    "−4 °C & the roads had frozen.",
    "The café stayed open – barely.",
]
ENTITY = r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);"


def check_clean_02(article: Article, must: list[str], forbidden: str) -> None:
    display = display_of(article)
    for text in must:
        assert text in display
    assert article.blocks[0].text == must[0]
    script = prepare(article)
    for u in script.utterances:
        assert not re.search(forbidden, u.spoken), u.spoken
        assert not re.search(forbidden, u.display), u.display


def test_clean_02_case() -> None:
    exp = expected("CLEAN-02")
    check_clean_02(
        html_article(case_input("CLEAN-02")),
        list(exp["must_contain"]),  # type: ignore[call-overload]
        str(exp["forbidden_regex"]),
    )


def test_clean_02_inline() -> None:
    check_clean_02(html_article(CLEAN_02_HTML), CLEAN_02_MUST, ENTITY)


# --- SPLIT-01: abbreviations are not sentence boundaries ---------------------------------

SPLIT_01 = {
    "SPLIT-01a": "Chen et al. [2019] measured river levels across northern Europe and linked "
    "the rise to warmer winters.",
    "SPLIT-01b": "We tried to get back to Com. & Adm. by the shortest route in the dark.",
    "SPLIT-01c": "On Jan. 20 the former Sen. Dana Whitlock became the 48th U.S. President. "
    "Crowds filled the streets.",
    "SPLIT-01d": "Dr. Okafor reached the lab at 9:30 a.m., half an hour after the 9 a.m. "
    "briefing had started.",
}
SPLIT_01_COUNTS = {"SPLIT-01a": 1, "SPLIT-01b": 1, "SPLIT-01c": 2, "SPLIT-01d": 1}


@pytest.mark.parametrize("case_id", sorted(SPLIT_01))
def test_split_01_case(case_id: str) -> None:
    exp = expected(case_id)
    sentences = split_sentences(case_input(case_id))
    assert len(sentences) == exp["sentences"]
    if "break_after" in exp:
        assert sentences[0].rstrip().endswith(str(exp["break_after"]))


@pytest.mark.parametrize("case_id", sorted(SPLIT_01))
def test_split_01_inline(case_id: str) -> None:
    sentences = split_sentences(SPLIT_01[case_id])
    assert len(sentences) == SPLIT_01_COUNTS[case_id]
    if case_id == "SPLIT-01c":
        assert sentences[0].rstrip().endswith("President.")
    # no utterance ends on a non-terminal abbreviation, so no sentence pause after it
    script = prepare(body_article(SPLIT_01[case_id]))
    assert len([u for u in script.utterances if u.kind == "sentence"]) == SPLIT_01_COUNTS[case_id]


@pytest.mark.parametrize("abbreviation", sorted(NON_TERMINAL_ABBREVIATIONS))
@pytest.mark.parametrize(
    "template",
    [
        "Yesterday {a} Jones arrived late.",
        "Yesterday {a} & co arrived late.",
        "Yesterday {a} [2019] arrived late.",
        "Yesterday {a} (the elder) arrived late.",
    ],
)
def test_every_abbreviation_in_the_list_is_not_a_boundary(abbreviation: str, template: str) -> None:
    word = abbreviation if "." in abbreviation else abbreviation.capitalize()
    assert len(split_sentences(template.format(a=word + "."))) == 1


# --- SPLIT-02: quotation marks never stand alone; long quotations still split ----------------

SPLIT_02 = {
    "SPLIT-02a": 'She whispered "wait here. I will be back soon."',
    "SPLIT-02b": "She whispered 'wait here. I will be back soon.'",
    "SPLIT-02c": "“The tenant shall keep the rooms clean and aired at all times. The tenant "
    "shall not keep animals of any kind without written consent. The tenant shall pay the rent "
    "on the first working day of each month.”",
}


def check_split_02(case_id: str, text: str, exp: dict[str, object]) -> None:
    sentences = split_sentences(text)
    pieces = [p for s in sentences for p in chunk(s, GTTS_MAX)]
    assert "".join(sentences) == text
    assert all(any(ch.isalnum() for ch in p) for p in pieces)
    assert len(pieces) >= int(exp["segments_min"])  # type: ignore[call-overload]
    if "segments_max" in exp:
        assert len(pieces) <= int(exp["segments_max"])  # type: ignore[call-overload]
    if "segments_preferred" in exp:
        assert len(pieces) == exp["segments_preferred"]
    assert all(len(p) <= GTTS_MAX for p in pieces)
    # the closing quote stays with the text it closes
    assert pieces[-1].rstrip()[-1] in "\"'”" and len(pieces[-1].strip()) > 1
    script = prepare(body_article(text), max_chars=GTTS_MAX)
    for u in script.utterances:
        assert any(ch.isalnum() for ch in u.spoken) and len(u.spoken) <= GTTS_MAX


@pytest.mark.parametrize("case_id", sorted(SPLIT_02))
def test_split_02_case(case_id: str) -> None:
    check_split_02(case_id, case_input(case_id), expected(case_id))


@pytest.mark.parametrize("case_id", sorted(SPLIT_02))
def test_split_02_inline(case_id: str) -> None:
    exp: dict[str, object] = (
        {"segments_min": 2, "segments_preferred": 3}
        if case_id == "SPLIT-02c"
        else {"segments_min": 1, "segments_max": 2}
    )
    check_split_02(case_id, SPLIT_02[case_id], exp)


@pytest.mark.parametrize("quote", ['"{}"', "'{}'", "“{}”", "‘{}’", "«{}»", "({})", "[{}]"])
def test_no_lone_quote_or_bracket_for_any_quote_kind(quote: str) -> None:
    text = "She said " + quote.format("wait here. I will be back soon.") + " Then she left."
    for piece in split_sentences(text):
        assert any(ch.isalnum() for ch in piece)


# --- TTS-01: no chunk boundary inside a decimal, a time or a code ----------------------------

TTS_01 = (
    "It is Sunday the 18th of March. Outside it is 0.6 degrees and the first bus leaves at "
    "08:30 from stop 4.5b. This last sentence is only here to make the text long enough that "
    "it has to be cut into several pieces before synthesis."
)


def check_tts_01(text: str, intact: list[str], verbalized: list[str]) -> None:
    for max_chars in (GTTS_MAX, 60, PIPER_MAX):
        script = prepare(body_article(text), max_chars=max_chars)
        displays = [u.display for u in script.utterances]
        for token in intact:
            assert any(token in d for d in displays), (max_chars, token, displays)
        spoken = spoken_of(script)
        for words in verbalized:
            assert words in spoken


def test_tts_01_case() -> None:
    exp = expected("TTS-01")
    check_tts_01(
        case_input("TTS-01"),
        list(exp["intact_tokens"]),  # type: ignore[call-overload]
        list(exp["if_verbalized"]),  # type: ignore[call-overload]
    )


def test_tts_01_inline() -> None:
    check_tts_01(TTS_01, ["0.6", "08:30", "4.5b"], ["zero point six", "eight thirty"])


# --- TTS-03: separator, blank, emoji-only blocks never reach the engine --------------------

TTS_03 = (
    "First real paragraph about the harbour.\n\n.\n\n   \n\n— — —\n\n* * *\n\n👍\n\n…\n\n"
    "Last real paragraph about the boats."
)


def synthesis_requests(text: str, workdir: Path) -> list[str]:
    path = workdir / "tts03.txt"
    path.write_text(text, encoding="utf-8")
    script = prepare(load_article(str(path)))
    runtime = Runtime(cache_dir=workdir / "cache03")
    engine = runtime.engine("fake")
    list(speak(script, engine, runtime.cache))
    calls: list[str] = engine.calls  # type: ignore[attr-defined]
    return calls


def test_tts_03_case(workdir: Path) -> None:
    exp = expected("TTS-03")
    calls = synthesis_requests(case_input("TTS-03"), workdir)
    assert len(calls) == exp["synthesis_requests"]


def test_tts_03_inline(workdir: Path) -> None:
    calls = synthesis_requests(TTS_03, workdir)
    assert calls == [
        "First real paragraph about the harbour.",
        "Last real paragraph about the boats.",
    ]


@pytest.mark.parametrize(
    "junk", [".", "...", "…", "— — —", "- - -", "* * *", "***", "___", "👍", "🎉🎉", "•", "#", "~"]
)
def test_no_junk_block_kind_reaches_the_engine(junk: str) -> None:
    article = clean_article(
        Article("Title", (Block("paragraph", "Real."), Block("paragraph", junk)), "x", "k")
    )
    script = prepare(article)
    assert [u.display for u in script.utterances] == ["Title", "Real."]


# --- TTS-06: every number is spoken ------------------------------------------------------

TTS_06 = (
    "The bridge opened in 1932, carried 68.9 thousand cars a day by 2019, and needed "
    "$3,500,000 of repairs in 2021."
)
TTS_06_WORDS = [
    "nineteen thirty-two",
    "sixty-eight point nine",
    "twenty nineteen",
    "three million five hundred thousand dollars",
    "twenty twenty-one",
]


def check_tts_06(text: str, words: list[str]) -> None:
    spoken = spoken_of(prepare(body_article(text)))
    for w in words:
        assert w in spoken
    assert not re.search(r"\d", spoken)


def test_tts_06_case() -> None:
    exp = expected("TTS-06")
    check_tts_06(case_input("TTS-06"), list(exp["example_words"]))  # type: ignore[call-overload]


def test_tts_06_inline() -> None:
    check_tts_06(TTS_06, TTS_06_WORDS)


# --- the seed article (../shared/seeds) ----------------------------------------------------


def test_seed_article_spoken_text() -> None:
    seed = SHARED / "seeds" / "000_dd687a44eb0c24fa.txt"
    if not seed.is_file():
        pytest.skip("../shared is absent")
    script = prepare(load_article(str(seed)))
    spoken = spoken_of(script, skip_title=False)
    for chrome in ("Read More", "Leave a Reply", "Your email address", "Required fields"):
        assert chrome.lower() not in spoken.lower()
    assert "U.S." not in spoken and "U.N." not in spoken
    assert re.search(r"\bU S\b", spoken) and re.search(r"\bU N\b", spoken)
    assert "one hundred thousand" in spoken and "100,000" not in spoken
    assert re.search(r"covid nineteen|COVID nineteen|C O V I D nineteen", spoken, re.I)
