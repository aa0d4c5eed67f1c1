"""Shared fixtures (a temporary show, a private segment cache, the fake voice) and the test
kinds: every test is marked ``unit``, ``integration`` or ``e2e`` from its folder.

Helpers are imported from ``tests.support``, never from this file or another test module.
``pytest -m unit`` (the quick loop) does not even collect tests/integration and tests/e2e.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.voice import write_fake_voice

TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "integration", "e2e")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private segment cache for the test (also via NEWSAUDIO_CACHE_DIR)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("NEWSAUDIO_CACHE_DIR", str(path))
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> Path:
    """A working directory with voices/fake.toml (the deterministic test voice), and a
    private user data folder (no voices installed)."""
    wd = tmp_path / "wd"
    write_fake_voice(wd)
    monkeypatch.setenv("NEWSAUDIO_DATA_DIR", str(tmp_path / "data"))  # no installed voices
    monkeypatch.chdir(wd)
    return wd


@pytest.fixture
def article_file(workdir: Path) -> Path:
    """A short three-paragraph article."""
    path = workdir / "article.txt"
    path.write_text(
        "Council approves new cycle lanes\n\n"
        "The city council approved 12 km of new cycle lanes on Tuesday. Work starts in May.\n\n"
        "Residents said the lanes were overdue.\n\nRead More\n\nLeave a Reply\n",
        encoding="utf-8",
    )
    return path


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
