"""Shared fixtures: a temporary show, a private segment cache, the fake voice, ../shared."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_dd687a44eb0c24fa.txt"
EXAMPLE = REPO / "examples" / "harbour-library.txt"


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
    (wd / "voices").mkdir(parents=True)
    monkeypatch.setenv("NEWSAUDIO_DATA_DIR", str(tmp_path / "data"))  # no installed voices
    (wd / "voices" / "fake.toml").write_text(
        'name = "fake"\nengine = "fake"\nlanguage = "en-US"\n', encoding="utf-8"
    )
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep child processes from inheriting a debugger-friendly but slow environment."""
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")


def cli_runner() -> Any:
    """A click CliRunner with stderr captured apart from stdout (click 8.1 and 8.2+)."""
    from click.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()
