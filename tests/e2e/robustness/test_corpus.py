"""The bad-input corpus (tests/support/robustness/corpus.py) through the real CLI, one subprocess
per input, and the table in docs/robustness.md that documents it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.robustness.corpus import CASES
from tests.support.robustness.harness import Result

DOC = Path(__file__).resolve().parents[3] / "docs" / "robustness.md"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case_id", [c.id for c in CASES])
def test_case(case_id: str, corpus_results: dict[str, Result]) -> None:
    result = corpus_results[case_id]
    if result.skipped:
        pytest.skip(result.skipped)
    assert result.problems() == [], f"{case_id}: {result.case.what}"


def test_no_traceback_no_partial_file(corpus_results: dict[str, Result]) -> None:
    assert sum(r.tracebacks for r in corpus_results.values()) == 0
    assert sum(len(r.partial) for r in corpus_results.values()) == 0


def test_table_documents_every_case() -> None:
    """docs/robustness.md lists every case with its decided outcome and exit code
    (regenerate it with ``python -m tests.support.robustness.make_table docs/robustness.md``)."""
    rows = {
        m.group(1): (m.group(2), int(m.group(3)))
        for m in re.finditer(
            r"^\| \d+ \| `([^`]+)` \|.*?\| (error|warning|fine) \| (\d+) \|", DOC.read_text(), re.M
        )
    }
    assert rows == {c.id: (c.outcome, c.exit_code) for c in CASES}
    totals = DOC.read_text()
    assert "- tracebacks: **0**" in totals
    assert "- partial files: **0**" in totals
