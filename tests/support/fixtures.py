"""Fixtures every test can ask for by name (registered by tests/conftest.py as a plugin):
a private segment cache, a working folder with the fake voice, a short article, a local feed
host, and a Dask cluster; and :func:`no_user_state`, which every test gets: an empty working
directory and empty user folders, so that no test depends on the developer's machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.feed_server import FeedServer, feed_server
from tests.support.voice import write_fake_voice

# Machine knobs a run of the suite may set on purpose (.ci/run: NEWSAUDIO_FFMPEG=ffmpeg);
# every other NEWSAUDIO_* variable is a user's setting and is removed for each test.
MACHINE_VARIABLES = frozenset(
    {"NEWSAUDIO_FFMPEG", "NEWSAUDIO_PIPER_WORKERS", "NEWSAUDIO_PIPER_THREADS", "NEWSAUDIO_REGOLD"}
)
USER_FOLDERS = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


@pytest.fixture(autouse=True)
def no_user_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test runs from an empty temporary working directory, with HOME and the XDG user
    folders (hence platformdirs' config, cache and data folders) empty and temporary, and no
    NEWSAUDIO_* setting from the environment (machine knobs in MACHINE_VARIABLES stay): a
    test that finds the developer's show, settings, voices or cache fails here as on CI.
    Returns the working directory (tests that need a path take one from a fixture)."""
    root = tmp_path_factory.mktemp("guard")
    for name in USER_FOLDERS:
        folder = root / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
    for name in list(os.environ):
        if name.startswith("NEWSAUDIO_") and name not in MACHINE_VARIABLES:
            monkeypatch.delenv(name)
    cwd = root / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


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


@pytest.fixture
def feeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    """A feed and page host on 127.0.0.1 (tests/support/feed_server.py), with newsaudio's
    per-host pause between requests turned off."""
    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    with feed_server() as srv:
        yield srv


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Dask LocalCluster (a client to it) per module, for the tests that do not harm it."""
    from tests.support.cluster import local_cluster

    with local_cluster(tmp_path_factory.mktemp("workers")) as client:
        yield client


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A segment cache folder shared by the tests of one module."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cache_per_module(module_cache: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Renders of the same story are made once per module (the rendition cache): use with
    ``pytestmark = pytest.mark.usefixtures("cache_per_module")``."""
    monkeypatch.setenv("NEWSAUDIO_CACHE_DIR", str(module_cache))
