"""``update --digest`` and ``[digest]`` settings against the sources' local feed server
(a real HTTP server on 127.0.0.1), with the fake voice."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from newsaudio.config import read_digest_config
from newsaudio.errors import ConfigError
from newsaudio.pipeline.compose import DigestSettings
from tests.support import invoke_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import long_text, rss

run = partial(invoke_cli, out="show", catch_exceptions=False)

DATES = [f"Mon, 0{d} Dec 2026 0{d}:00:00 GMT" for d in range(1, 10)]


def items(n: int, prefix: str, start: int = 0) -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} {i}",
            "guid": f"urn:{prefix}:{i}",
            "link": f"http://example.invalid/{prefix}/{i}",
            "date": DATES[i],
            "body": long_text(160, f"{prefix} {i}"),
        }
        for i in range(start, start + n)
    ]


def settings(workdir: Path, extra: str = "") -> None:
    (workdir / "newsaudio.toml").write_text(
        f'voice = "fake"\njingles = false\n{extra}', encoding="utf-8"
    )


def update(*extra: str) -> tuple[int, dict[str, Any], str]:
    result = run("update", "--json", *extra)
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_update_digest_makes_one_episode_with_a_chapter_per_new_item(
    workdir: Path, feeds: FeedServer
) -> None:
    settings(workdir)
    feeds.put("/rss.xml", rss(items(3, "Story")))
    assert run("follow", feeds.url("/rss.xml")).exit_code == 0

    code, out, err = update("--digest")
    assert code == 0, err
    (episode,) = out["episodes"]
    assert episode["kind"] == "digest" and episode["sources"] == ["Harbour Daily"]
    newest_first = ["Story 2", "Story 1", "Story 0"]
    assert episode["stories"] == newest_first
    assert [c["title"] for c in episode["chapters"]] == ["Headlines", *newest_first]
    assert [c["url"] for c in episode["chapters"][1:]] == [
        f"http://example.invalid/Story/{i}" for i in (2, 1, 0)
    ]
    assert "From Harbour Daily: Story two." in episode["spoken_text"]
    assert out["sources"][0]["published"] == 3
    listed = json.loads(run("list", "--json").stdout)
    assert [(e["kind"], e["guid"]) for e in listed] == [("digest", episode["guid"])]

    code, out, err = update("--digest")  # nothing new: no episode, one note, exit 0
    assert code == 0 and out["episodes"] == []
    assert err.splitlines() == ["newsaudio: note: no new items; no digest made"]
    assert len(json.loads(run("list", "--json").stdout)) == 1

    feeds.put("/rss.xml", rss(items(5, "Story")))  # two new items: the next digest
    code, out, err = update("--digest")
    assert code == 0, err
    (second,) = out["episodes"]
    assert second["stories"] == ["Story 4", "Story 3"] and second["guid"] != episode["guid"]


def test_digest_settings_per_source_title_pattern_and_max_articles(
    workdir: Path, feeds: FeedServer
) -> None:
    settings(
        workdir,
        '[digest]\ntitle = "Morning news, {date:%A %-d %B}"\nmax_articles = 2\n'
        '[digest.sources]\n"Harbour Daily" = true\n',
    )
    feeds.put("/a.xml", rss(items(3, "Harbour"), title="Harbour Daily"))
    feeds.put("/b.xml", rss(items(1, "Island"), title="Island Wire"))
    for path in ("/a.xml", "/b.xml"):
        assert run("follow", feeds.url(path)).exit_code == 0

    code, out, err = update()
    assert code == 0, err
    kinds = sorted((e.get("kind", "single"), e["title"]) for e in out["episodes"])
    today = datetime.now(UTC)
    title = f"Morning news, {today:%A} {today.day} {today:%B}"
    assert kinds == [("digest", title), ("single", "Island 0")]
    digest = next(e for e in out["episodes"] if e.get("kind") == "digest")
    assert digest["stories"] == ["Harbour 2", "Harbour 1"]  # max_articles: the third waits

    code, out, err = update()  # the item that waited makes the next digest
    assert code == 0, err
    assert [e["stories"] for e in out["episodes"]] == [["Harbour 0"]]

    code, out, err = update("--no-digest")
    assert code == 0 and out["episodes"] == [] and err == ""


def test_digest_settings_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "newsaudio.toml"
    path.write_text(
        "[digest]\nenabled = true\nmax_minutes = 15\n"
        '[digest.sources]\n"A" = false\n"B" = { max_articles = 4 }\n'
    )
    config = read_digest_config(path)
    assert config.show == DigestSettings(enabled=True, max_minutes=15.0)
    assert config.for_source("A", "http://a.example/").enabled is False
    assert config.for_source("B", "http://b.example/") == DigestSettings(True, None, 4, 15.0)
    assert config.for_source("C", "http://c.example/") is config.show
    assert config.forced(False).for_source("B", "").enabled is False
    for bad, message in (
        ('[digest]\ntitle = "News {day}"\n', "cannot be filled"),
        ("[digest]\nmax_articles = 0\n", "max_articles"),
        ("[digest]\ncolour = 1\n", "unknown setting 'colour'"),
        ('[digest.sources]\n"A" = 3\n', "expected true, false or a table"),
    ):
        path.write_text(bad)
        with pytest.raises(ConfigError, match=message):
            read_digest_config(path)


def test_update_with_a_bad_digest_setting_is_one_line_exit_8(workdir: Path) -> None:
    settings(workdir, "[digest]\nmax_minutes = -1\n")
    result = run("update")
    assert result.exit_code == 8
    assert result.stderr.splitlines() == [
        f"newsaudio: error: {workdir / 'newsaudio.toml'}: [digest]: max_minutes: "
        "expected a number of at least 0.5"
    ]
