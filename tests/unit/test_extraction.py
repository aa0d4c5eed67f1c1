"""Extraction measured on real news pages (../shared/corpora; skipped where it is absent).

The measure is :mod:`tests.support.extraction_report` (``python -m
tests.support.extraction_report`` writes the table to docs/extraction.md): per page, word
recall against the human-annotated body and precision of what ``newsaudio normalize --json``
would read aloud.
"""

from __future__ import annotations

import pytest

from tests.support.extraction_report import (
    ARTICLES,
    LEGACY,
    measure_legacy,
    measure_page,
    page_folders,
    summarize,
)

pytestmark = pytest.mark.skipif(not ARTICLES.is_dir(), reason="../shared/corpora is absent")


def test_articles_meet_the_targets() -> None:
    results = [measure_page(p) for p in page_folders(ARTICLES)]
    assert len(results) == 50
    s = summarize(results)
    table = "\n".join(
        f"{r.name}: p={r.precision:.3f} r={r.recall:.3f} title={r.title!r} {r.error or ''}"
        for r in results
        if r.precision < 0.9 or r.error or not r.title_ok
    )
    assert s.refused == 0, table
    assert s.below_09 == 0, table
    assert s.precision >= 0.985, (s, table)
    assert s.recall >= 0.97, (s, table)
    assert s.titles_ok >= 48, table


@pytest.mark.skipif(not LEGACY.is_dir(), reason="../shared/corpora/articles-legacy is absent")
def test_legacy_charset_pages_load_and_read_their_snippets() -> None:
    results = [measure_legacy(p) for p in page_folders(LEGACY)]
    assert len(results) == 13
    assert [r.name for r in results if r.error] == []
    # Issue 13 targets 38 of 40 read and 0 of 42 leaking; measured today: 37 and 1
    # (docs/extraction.md). These bounds keep what is reached from slipping back.
    assert sum(r.with_read for r in results) >= 37
    assert sum(r.without_leaked for r in results) <= 1
