"""Help and options say what the commands do (issue 25 item 9): no option that does
nothing, one name for an argument in usage and text, inspect finds the show as every other
command does, and a dry run says what a digest would hold."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from newsaudio.cli import cli
from newsaudio.config import Show
from tests.support import cli_runner
from tests.support.episodes import make_episodes
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import long_text, rss


def _command(*names: str) -> click.Command:
    command: click.Command = cli
    for name in names:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


@pytest.mark.parametrize(
    "names", [("sources",), ("sources", "import"), ("sources", "export"), ("unfollow",)]
)
def test_no_base_url_where_it_does_nothing(names: tuple[str, ...]) -> None:
    options = {opt for p in _command(*names).params for opt in getattr(p, "opts", [])}
    assert "--base-url" not in options and "--out" in options


def test_remove_keeps_the_base_url_it_rebuilds_the_feed_with(workdir: Path) -> None:
    show = Show(out_dir=workdir / "output")
    one, _two = make_episodes(workdir, show, ["One", "Two"])
    url = "https://pod.example.org/"
    result = cli_runner().invoke(cli, ["remove", one.episode.guid, "--base-url", url])
    assert result.exit_code == 0, result.stderr
    assert f"{url}episodes/" in (show.out_dir / "feed.xml").read_text(encoding="utf-8")
    listed = cli_runner().invoke(cli, ["list", "--json"])  # a later command keeps it
    assert json.loads(listed.stdout)[0]["url"].startswith(url)


def test_feed_check_help_names_its_argument_as_its_usage_does() -> None:
    result = cli_runner().invoke(cli, ["feed", "check", "--help"])
    assert "[URL|PATH]" in result.stdout and "TARGET" not in result.stdout


def test_inspect_finds_a_slug_in_the_show_of_the_settings(workdir: Path) -> None:
    (workdir / "site.toml").write_text('out_dir = "site"\n', encoding="utf-8")
    for out in ("output", "site"):
        show = Show(out_dir=workdir / out)
        (made,) = make_episodes(workdir, show, [f"Story in {out}"])
        args = ["inspect", made.episode.slug, "--json"]
        if out == "site":
            args += ["--config", "site.toml"]
        result = cli_runner().invoke(cli, args)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["duration_s"] > 0


def test_update_dry_run_digest_lists_the_digest_and_its_stories(
    workdir: Path, feeds: FeedServer
) -> None:
    items = [
        {
            "title": f"Story {i}",
            "guid": f"urn:s:{i}",
            "link": f"http://example.invalid/{i}",
            "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT",
            "body": long_text(170, f"Story {i}"),
        }
        for i in range(2)
    ]
    feeds.put("/rss.xml", rss(items))
    runner = cli_runner()
    assert runner.invoke(cli, ["follow", feeds.url("/rss.xml")]).exit_code == 0
    result = runner.invoke(cli, ["update", "--dry-run", "--digest"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    heading = next(line for line in lines if line.startswith("Digest "))
    assert "2 stories" in heading and "newsaudio, " in heading, lines
    after = lines[lines.index(heading) + 1 :]
    assert sorted(line.strip() for line in after) == ["Story 0", "Story 1"]
    assert not (workdir / "output" / "feed.xml").exists()
