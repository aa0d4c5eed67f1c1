"""LLM briefs against the local chat-completions stand-in: requests, retries, errors,
cleaning and the honesty check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudio.summarize.llm import (
    PROMPT_VERSION,
    LlmHttpSettings,
    cache_key,
    check_summary,
    clean_summary,
    numbers,
)

ARTICLE = (
    "Springfield. The city council of Springfield approved a budget of $3,400,000 on "
    "Tuesday, with 40% going to schools. Mayor Ann Lee said the money will fund two new "
    "libraries by March 2027. John Smith, the council's treasurer, voted against it. "
    "The vote was 7-2, and the plan takes effect on December 1."
)
FAST = LlmHttpSettings(
    timeout_s=2.0, attempts=3, backoff_base_s=0.01, backoff_max_s=0.05, retry_after_max_s=2.0
)


# --- cleaning (golden) --------------------------------------------------------------------

CLEAN_CASES = [
    (
        "Here is a summary of the article:\n\nThe council approved the budget.",
        "The council approved the budget.",
    ),
    (
        "Sure! Here's a spoken-style summary:\n\n**Springfield** passed its *budget*.",
        "Springfield passed its budget.",
    ),
    (
        "## Summary\n\n- The council approved the budget\n- Two libraries will open",
        "The council approved the budget. Two libraries will open.",
    ),
    ("Summary: The vote was 7-2. Let me know if you'd like a longer version!", "The vote was 7-2."),
    ("<think>The user wants...</think>\nThe council voted.", "The council voted."),
    ('"The council approved the budget."', "The council approved the budget."),
    ("1. First point.\n2. Second point.", "First point. Second point."),
    ("See [the report](https://x.example/r) for `details`.", "See the report for details."),
]


@pytest.mark.parametrize(("raw", "clean"), CLEAN_CASES)
def test_clean_summary_golden(raw: str, clean: str) -> None:
    assert clean_summary(raw) == clean


@given(st.text(max_size=300))
def test_clean_summary_is_plain_and_stable(text: str) -> None:
    once = clean_summary(text)
    assert "**" not in once and "\n" not in once and "<think>" not in once.lower()
    assert clean_summary(once) == once or not once


# --- the check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "offending"),
    [
        ("Springfield approved a 3.4 million dollar budget on Tuesday.", None),
        ("Springfield approved a $3.4m budget; forty per cent goes to schools.", None),
        ("The vote was seven to two.", None),
        ("Mayor Ann Lee expects two libraries by March 2027.", None),
        ("Treasurer John Smith voted against the plan.", None),
        ("The plan takes effect on December 1.", None),
        ("Springfield approved a 3.5 million dollar budget.", "3.5 million"),
        ("Half of the $3.4 million goes to 45% of schools.", "45"),
        ("The plan takes effect on December 2.", "December 2"),
        ("The plan takes effect on 1 December.", None),
        ("Three new libraries will open.", "Three"),
        ("Mayor Ann Smith praised the vote.", "Ann Smith"),
        ("Governor Bob Jones praised the vote.", "Governor"),
        ("The council approved it, Reuters reported.", "Reuters"),
        ("It will open by March 2028.", "2028"),
        ("Officials said 12,000 residents benefit.", "12,000"),
    ],
)
def test_check_summary(summary: str, offending: str | None) -> None:
    assert check_summary(summary, ARTICLE) == offending


@given(st.integers(min_value=2, max_value=10**12))  # a lone "one" is left out
def test_number_forms_share_one_value(n: int) -> None:
    from num2words import num2words

    forms = [f"{n:,}", str(n), num2words(n)]
    values = {tuple(m.value for m in numbers(f)) for f in forms}
    assert values == {(str(n),)}, (forms, values)


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["thousand", "million", "billion"]),
    st.integers(min_value=0, max_value=9),
)
def test_scaled_decimals(whole: int, scale: str, tenth: int) -> None:
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9}[scale]
    spelled = f"{whole}.{tenth} {scale}"
    digits = f"{(whole * 10 + tenth) * factor // 10:,}"
    assert check_summary(f"It cost {spelled}.", f"It cost {digits}.") is None


def test_cache_key_depends_on_model_text_and_prompt_version() -> None:
    a = cache_key("m", "text", 60, "en")
    assert a == cache_key("m", "text", 60, "en") and a.startswith("llm/")
    assert (
        len(
            {
                a,
                cache_key("m2", "text", 60, "en"),
                cache_key("m", "text2", 60, "en"),
                cache_key("m", "text", 90, "en"),
            }
        )
        == 4
    )
    assert PROMPT_VERSION in ("brief-v1",)
