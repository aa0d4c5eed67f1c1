"""Catalog commands: list, remove, feed (rebuild), --keep; and the catalog itself."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from newsaudio.config import Show
from newsaudio.errors import PublishError
from newsaudio.publish.catalog import Catalog
from tests.support import run_cli as run
from tests.support.episodes import make_episodes


def feed_guids(show: Show) -> list[str]:
    parsed = feedparser.parse((show.out_dir / "feed.xml").read_bytes())
    assert not parsed.bozo
    return [e.id for e in parsed.entries]


def test_list_json_and_text(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    results = make_episodes(workdir, show)
    code, out, err = run("list", "--out", str(show.out_dir), "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["guid"] for r in rows] == [r.episode.guid for r in reversed(results)]  # newest first
    newest = rows[0]
    assert newest["bytes"] == results[-1].path.stat().st_size
    assert newest["url"] == results[-1].url
    assert newest["published"] == "2024-05-07T08:00:00+00:00"
    code, out, _ = run("list", "--out", str(show.out_dir))
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3 and results[0].episode.guid in lines[-1]
    (workdir / "empty").mkdir()
    code, out, err = run("list", "--out", str(workdir / "empty"))
    assert code == 0 and out == "" and "No episodes" in err
    code, out, err = run("list", "--out", str(workdir / "missing"))  # no folder: no show
    assert code == 3 and out == "" and "no show" in err


def test_remove_deletes_files_row_and_feed_entry(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    results = make_episodes(workdir, show)
    gone = results[1].episode
    code, out, err = run("remove", gone.guid, "--out", str(show.out_dir))
    assert code == 0, err
    assert gone.guid in out
    assert gone.guid not in feed_guids(show) and len(feed_guids(show)) == 2
    assert not list(show.episodes_dir.glob(f"{gone.slug}.*"))
    assert gone.guid not in (show.out_dir / "index.html").read_text(encoding="utf-8")
    with Catalog(show.catalog_path) as catalog:
        assert catalog.by_guid(gone.guid) is None and len(catalog.episodes()) == 2
    # an unknown guid: one line, input exit code, nothing changed
    code, _, err = run("remove", "no-such-guid", "--out", str(show.out_dir))
    assert code == 3 and err.startswith("newsaudio: error: no-such-guid:")
    assert len(feed_guids(show)) == 2


def test_feed_rebuilds_with_new_settings_and_keep(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    results = make_episodes(workdir, show)
    (show.out_dir / "feed.xml").unlink()
    code, out, err = run(
        "feed", "--out", str(show.out_dir), "--base-url", "https://pod.example.org/x"
    )
    assert code == 0, err
    assert "Feed URL: https://pod.example.org/x/feed.xml" in out
    parsed = feedparser.parse((show.out_dir / "feed.xml").read_bytes())
    assert all(
        e.enclosures[0].href.startswith("https://pod.example.org/x/episodes/")
        for e in parsed.entries
    )
    code, out, err = run("feed", "--out", str(show.out_dir), "--keep", "2")
    assert code == 0, err
    oldest = results[0].episode
    assert feed_guids(show) == [r.episode.guid for r in reversed(results[1:])]
    assert not list(show.episodes_dir.glob(f"{oldest.slug}.*"))
    assert oldest.guid in out


def test_add_keep_keeps_newest(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    make_episodes(workdir, show, ["One", "Two"])
    article = workdir / "three.txt"
    article.write_text("Three\n\nThe third story.\n", encoding="utf-8")
    code, out, err = run(
        "add", str(article), "--voice", "fake", "--out", str(show.out_dir), "--keep", "1", "--json"
    )
    assert code == 0, err
    assert feed_guids(show) == [json.loads(out)["guid"]]
    assert len(list(show.episodes_dir.glob("*.mp3"))) == 1


def test_list_and_remove_as_subprocess(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    results = make_episodes(workdir, show, ["Only one"])
    cmd = [sys.executable, "-m", "newsaudio"]
    listed = subprocess.run(
        [*cmd, "list", "--json", "--out", str(show.out_dir)], capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["guid"] == results[0].episode.guid
    removed = subprocess.run(
        [*cmd, "remove", results[0].episode.slug, "--out", str(show.out_dir)],
        capture_output=True,
        text=True,
    )
    assert removed.returncode == 0, removed.stderr
    assert feed_guids(show) == []


def test_catalog_from_a_newer_newsaudio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    with Catalog(path):
        pass
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(PublishError, match="newer"):
        Catalog(path)


def test_corrupt_catalog_is_a_publish_error(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PublishError, match=str(path)):
        Catalog(path)
