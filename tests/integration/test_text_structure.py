"""Plain-text structure (lists, headings, byline), language detection, and the clean-once
golden pair for character references."""

from __future__ import annotations

import json
from pathlib import Path

from newsaudio.cli import cli
from newsaudio.loaders._blocks import detect_language
from newsaudio.loaders.text import LOADER, is_heading_line
from newsaudio.text.clean import clean_text
from tests.support import cli_runner

LIST_ARTICLE = """Council sets out its plans for the year

By Jane Smith

The council published its plan on Tuesday. It lists the main dates:

- The consultation opens on 21 March.
2. Next item
* Residents can comment online or at
  the town hall until the end of April.
• A final vote is due in June.

What happens next

Councillors will meet again in May.
1. The budget is set.
2) The plan is adopted.
"""


def _rows(path: Path) -> list[dict[str, str]]:
    result = cli_runner().invoke(cli, ["normalize", "--json", str(path)])
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, str]] = json.loads(result.stdout)
    return rows


def test_txt_lists_headings_and_byline(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(LIST_ARTICLE, encoding="utf-8")
    rows = _rows(path)
    kinds = [(r["kind"], r["display"]) for r in rows]
    assert kinds == [
        ("title", "Council sets out its plans for the year"),
        ("sentence", "The council published its plan on Tuesday."),
        ("sentence", "It lists the main dates:"),
        ("list_item", "The consultation opens on 21 March."),
        ("list_item", "Next item"),
        ("list_item", "Residents can comment online or at the town hall until the end of April."),
        ("list_item", "A final vote is due in June."),
        ("heading", "What happens next"),
        ("sentence", "Councillors will meet again in May."),
        ("list_item", "The budget is set."),
        ("list_item", "The plan is adopted."),
    ]
    spoken = " ".join(r["spoken"] for r in rows)
    assert "asterisk" not in spoken and "one." not in spoken and "March second" not in spoken
    assert "Jane Smith" not in spoken  # the byline is metadata, not a chapter or a sentence
    article = LOADER.load(LIST_ARTICLE, source="plan.txt", source_key="k")
    assert article.byline == "Jane Smith"


def test_heading_lines() -> None:
    assert is_heading_line("What happens next")
    for not_heading in (
        "1.",
        "1. First point",
        "By Jane Smith",
        "12 March 2024",
        "It rained all day.",
        "A long line that goes on and on with many more words than any heading has",
    ):
        assert not is_heading_line(not_heading), not_heading


def test_prose_with_a_number_at_a_line_start_stays_prose() -> None:
    text = "Headline here\n\nPrices rose by\n2. percent last year, the office said.\n"
    article = LOADER.load(text, source="a.txt", source_key="k")
    assert [b.kind for b in article.blocks] == ["paragraph"]


def test_language_is_detected_for_text_without_a_declaration() -> None:
    assert (
        detect_language("The council approved the budget on Tuesday after a long debate.") == "en"
    )
    french = (
        "Le conseil municipal a approuvé le budget le 12 mars. Les habitants attendaient "
        "cette décision depuis des mois, et la maire a salué un vote historique."
    )
    assert detect_language(french) == "fr"
    assert detect_language("Council approves budget") is None  # too short to tell


def test_a_french_txt_on_an_english_only_install_is_refused(workdir: Path) -> None:
    path = workdir / "budget.txt"
    path.write_text(
        "Le conseil vote le budget\n\nLe conseil municipal a approuvé le budget le 12 mars. "
        "Les habitants attendaient cette décision depuis des mois, et la maire a salué un "
        "vote historique.\n",
        encoding="utf-8",
    )
    result = cli_runner().invoke(cli, ["add", str(path), "--out", "show"])
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'fr'" in lines[0] and "newsaudio voices" in lines[0]
    assert not (workdir / "show" / "episodes").exists() or not any(
        (workdir / "show" / "episodes").iterdir()
    )


def test_entities_are_decoded_once(tmp_path: Path) -> None:
    assert clean_text("Tom &amp;amp; Jerry") == "Tom &amp; Jerry"
    path = tmp_path / "amp.txt"
    path.write_text("Cartoons return\n\nTom &amp;amp; Jerry is back on air.\n", encoding="utf-8")
    sentence = _rows(path)[1]
    assert sentence["display"] == "Tom &amp; Jerry is back on air."
    assert sentence["spoken"] == "Tom and Jerry is back on air."
