"""Where the test inputs live: the repository, ../shared (cases, seeds, corpora), the example
article and the golden files; the shared cases by id (skipping when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_dd687a44eb0c24fa.txt"
EXAMPLE = REPO / "examples" / "harbour-library.txt"
GOLDEN = REPO / "tests" / "golden"


def shared_cases() -> dict[str, dict[str, Any]]:
    """../shared/cases/index.json by case id, or {} when ../shared is absent."""
    index = SHARED / "cases" / "index.json"
    if not index.is_file():
        return {}
    return {c["id"]: c for c in json.loads(index.read_text(encoding="utf-8"))["cases"]}


def case_input(case_id: str) -> str:
    """The input of a text/html case: everything after line 1, without the final newline."""
    case = shared_cases().get(case_id)
    if case is None:
        pytest.skip("../shared is absent")
    text = (SHARED / "cases" / case["file"]).read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]
    return body[:-1] if body.endswith("\n") else body


def case_json(case_id: str) -> dict[str, Any]:
    """A JSON case file, or skip when ../shared is absent."""
    path = SHARED / "cases" / f"{case_id}.json"
    if not path.is_file():
        pytest.skip("../shared is absent")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
