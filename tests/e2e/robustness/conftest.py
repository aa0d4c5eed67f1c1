"""Fixtures of the robustness suite: the local misbehaving web server and the corpus run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.robustness.corpus import CASES
from tests.support.robustness.harness import Context, Result, run_cases
from tests.support.robustness.server import serving


@pytest.fixture(scope="session")
def http_base() -> Iterator[str]:
    """Base URL of the misbehaving server on 127.0.0.1 (tests/support/robustness/server.py)."""
    with serving() as url:
        yield url


@pytest.fixture(scope="session")
def corpus_results(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, http_base: str
) -> dict[str, Result]:
    """Every selected corpus case, run once per session (3 at a time, one process each)."""
    selected = {
        item.callspec.params["case_id"]
        for item in request.session.items
        if hasattr(item, "callspec") and "case_id" in item.callspec.params
    }
    cases = [c for c in CASES if c.id in selected] or CASES
    root = tmp_path_factory.mktemp("robustness")
    return run_cases(cases, root / "cases", root / "cache", Context(http=http_base))
