"""Shared fixtures (tests/support/fixtures.py: a private segment cache, a working folder with
the fake voice, a local feed host, a Dask cluster) and the test kinds: every test is marked
``unit``, ``integration`` or ``e2e`` from its folder.

Helpers are imported from ``tests.support``, never from this file or another test module.
``pytest -m unit`` (the quick loop) does not even collect tests/integration and tests/e2e.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "integration", "e2e")

# cache_dir, workdir, article_file, feeds, cluster
pytest_plugins = ("tests.support.fixtures",)


def _kind(path: Path) -> str | None:
    """``unit``, ``integration`` or ``e2e`` for a path under tests/<kind>/, else None."""
    try:
        first = path.resolve().relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None
    return first if first in KINDS else None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``-m unit`` exactly, skip tests/integration and tests/e2e without importing them
    (the quick loop's collection stays cheap); otherwise let pytest decide."""
    if config.getoption("markexpr", "").strip() != "unit":
        return None
    kind = _kind(collection_path)
    return True if kind is not None and kind != "unit" else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its kind (from its folder) before ``-m`` selects, and keep child
    processes from inheriting a debugger-friendly but slow environment."""
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    for item in items:
        kind = _kind(item.path)
        if kind is not None:
            item.add_marker(kind)
