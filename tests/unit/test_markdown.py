"""Markdown loader: structure kept as blocks, links read as text, code and images dropped."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsaudio.errors import InputError
from newsaudio.loaders import load
from newsaudio.loaders.markdown import parse_front_matter
from newsaudio.pipeline import load_article
from newsaudio.text.prepare import prepare

DOC = """---
title: "Harbour library reopens"
date: 2024-03-04 08:30:00 +0100
author: Mara Lindqvist
lang: en_GB
canonical_url: https://coastal.example/news/library
tags:
  - libraries
---

# Harbour library reopens

The library reopened on **Monday** after a [two-year refit](https://example.org/refit).
The work cost ![chart](chart.png) 3.2 million euros.

## What has changed

- A lift to every floor
- A children's floor
  - with 4,000 new books
1. First numbered item

```python
print("this is code and is never read")
```

    indented code is dropped too

> Residents called it "a second home", said `Dr. Okafor`.

| Ward | Count |
|------|-------|
| North | 12 |

<!-- an HTML comment -->
Entry remains free.
"""


@pytest.fixture
def md_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.md"
    path.write_text(DOC, encoding="utf-8")
    return path


def test_markdown_structure(md_file: Path) -> None:
    article = load_article(str(md_file))
    assert article.title == "Harbour library reopens"
    blocks = [(b.kind, b.text) for b in article.blocks]
    assert blocks == [
        (
            "paragraph",
            "The library reopened on Monday after a two-year refit. "
            "The work cost 3.2 million euros.",
        ),
        ("heading", "What has changed"),
        ("list_item", "A lift to every floor"),
        ("list_item", "A children's floor"),
        ("list_item", "with 4,000 new books"),
        ("list_item", "First numbered item"),
        ("paragraph", 'Residents called it "a second home", said Dr. Okafor.'),
        ("paragraph", "Entry remains free."),
    ]
    assert article.blocks[1].level == 2


def test_front_matter_metadata(md_file: Path) -> None:
    article = load(str(md_file))
    assert article.byline == "Mara Lindqvist"
    assert article.published == datetime(2024, 3, 4, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.language == "en-GB"
    assert article.source_url == "https://coastal.example/news/library"


def test_code_is_never_spoken(md_file: Path) -> None:
    script = prepare(load_article(str(md_file)))
    spoken = " ".join(u.spoken for u in script.utterances)
    assert "print" not in spoken and "indented" not in spoken and "North" not in spoken
    assert "chart" not in spoken and "https" not in spoken
    kinds = [u.kind for u in script.utterances]
    assert kinds[0] == "title" and kinds.count("heading") == 1 and kinds.count("list_item") == 4


def test_headline_from_first_heading_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.markdown"
    path.write_text("Intro\n=====\n\nBody text.\n", encoding="utf-8")
    article = load(str(path))
    assert article.title == "Intro"
    assert [b.text for b in article.blocks] == ["Body text."]


def test_no_heading_first_sentence_becomes_title(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("Council votes today. More follows [here](x).\n\n- item\n", encoding="utf-8")
    article = load(str(path))
    assert article.title == "Council votes today."
    assert [b.text for b in article.blocks] == ["More follows here.", "item"]


def test_toml_front_matter_and_date_only() -> None:
    fields, rest = parse_front_matter('+++\ntitle = "T"\ndate = 2023-01-02\n+++\nBody')
    assert fields == {"title": "T", "date": "2023-01-02"}
    assert rest == "Body"
    article = load("-", stdin=io.BytesIO(b"---\ntitle: T\ndate: 2023-01-02\n---\n\nBody.\n"))
    assert article.published == datetime(2023, 1, 2, tzinfo=UTC)
    assert article.title == "T"


def test_markdown_with_only_code_has_no_words(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_text("```\nx = 1\n```\n", encoding="utf-8")
    with pytest.raises(InputError, match="no words"):
        load(str(path))


def test_markdown_entities_decoded_once(tmp_path: Path) -> None:
    path = tmp_path / "e.md"
    path.write_text("# T\n\nAT&amp;T and &amp;amp; and caf&eacute;.\n", encoding="utf-8")
    assert load_article(str(path)).blocks[0].text == "AT&T and &amp; and café."


def test_stdin_markdown_sniffed() -> None:
    article = load("-", stdin=io.BytesIO(b"# Title here\n\n* one\n* two\n"))
    assert article.title == "Title here"
    assert [b.kind for b in article.blocks] == ["list_item", "list_item"]
