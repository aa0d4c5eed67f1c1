"""OPML round trip, two updates at once, and kill -9 in the middle of an update (real
newsaudio processes, the fake voice, a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import feedparser

from tests.support import invoke_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import atom, long_text, rss

run = partial(invoke_cli, out="show", catch_exceptions=False)


def test_opml_export_then_import_gives_the_same_sources(workdir: Path, feeds: FeedServer) -> None:
    feeds.put("/a.xml", rss([], title="Alpha"))
    feeds.put("/b.xml", atom([], title="Beta & Co"), "application/atom+xml")
    run("follow", feeds.url("/a.xml"))
    run("follow", feeds.url("/b.xml"), "--name", "Beta", "--limit", "5", "--exclude", "ads, promo")
    feeds.put("/c.xml", rss([], title="Gamma"))
    assert run("follow", feeds.url("/c.xml"), "--name", "Gone soon").exit_code == 0
    assert run("unfollow", "Gone soon").exit_code == 0
    exported = run("sources", "export")
    assert exported.exit_code == 0
    assert exported.stdout.startswith("<?xml") and 'version="2.0"' in exported.stdout
    (workdir / "subs.opml").write_text(exported.stdout, encoding="utf-8")
    assert run("sources", "export", "file.opml").exit_code == 0
    written = (workdir / "file.opml").read_text(encoding="utf-8")
    assert written.split("<body>")[1] == exported.stdout.split("<body>")[1]
    imported = run("sources", "import", "subs.opml", out="fresh")
    assert imported.exit_code == 0 and "Imported 2 sources" in imported.stdout

    def listing(out: str) -> list[tuple[str, str]]:
        rows = json.loads(run("sources", "--json", out=out).stdout)
        return [(r["name"], r["url"]) for r in rows]

    assert (
        listing("fresh")
        == listing("show")
        == [
            ("Alpha", feeds.url("/a.xml")),
            ("Beta", feeds.url("/b.xml")),
        ]
    )
    again = run("sources", "export", out="fresh").stdout
    assert again.split("<body>")[1] == exported.stdout.split("<body>")[1]  # settings kept
    assert 'newsaudio:limit="5"' in again and 'newsaudio:exclude="ads, promo"' in again


def test_import_refuses_what_is_not_opml(workdir: Path) -> None:
    (workdir / "x.opml").write_text("<rss version='2.0'/>", encoding="utf-8")
    result = run("sources", "import", "x.opml")
    assert result.exit_code == 3
    assert (
        result.stderr == "newsaudio: error: x.opml: is not OPML (the root element is not <opml>)\n"
    )
    (workdir / "y.opml").write_text(
        '<opml version="2.0"><body><outline text="etc" xmlUrl="/etc/passwd"/>'
        '<outline text="ok" xmlUrl="https://example.invalid/feed"/></body></opml>',
        encoding="utf-8",
    )
    result = run("sources", "import", "y.opml")
    assert result.exit_code == 0 and "Imported 1 source from" in result.stdout
    assert "etc: /etc/passwd is not an http(s) or file:// URL" in result.stderr


def _newsaudio(workdir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsaudio", *args, "--out", "show"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NEWSAUDIO_HOST_INTERVAL": "0"},
    )


def _items(n: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"Story {i}",
            "guid": f"s{i}",
            "link": f"http://example.invalid/s/{i}",
            "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT",
            "body": long_text(250, f"Story {i}"),
        }
        for i in range(n)
    ]


def _check_show(show: Path, titles: int) -> None:
    catalog = json.loads(
        subprocess.run(
            [sys.executable, "-m", "newsaudio", "list", "--json", "--out", str(show)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert len(catalog) == titles and len({e["guid"] for e in catalog}) == titles
    assert len({e["title"] for e in catalog}) == titles
    mp3s = sorted(p.name for p in (show / "episodes").glob("*.mp3"))
    assert mp3s == sorted(e["slug"] + ".mp3" for e in catalog)  # no partial or stray file
    stray = [p for p in show.rglob("*") if ".newsaudio" not in p.parts and p.suffix == ".tmp"]
    assert not stray
    feed = feedparser.parse((show / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == titles


def test_two_updates_at_once(workdir: Path, feeds: FeedServer) -> None:
    (workdir / "newsaudio.toml").write_text('voice = "fake"\n', encoding="utf-8")
    feeds.put("/rss.xml", rss(_items(3)))
    assert run("follow", feeds.url("/rss.xml")).exit_code == 0
    first = _newsaudio(workdir, "update")
    time.sleep(0.3)
    second = _newsaudio(workdir, "update")
    out2, err2 = second.communicate(timeout=300)
    first_still_running = first.poll() is None
    out1, err1 = first.communicate(timeout=600)
    assert first.returncode == 0, err1
    assert second.returncode == 0 and out2 == ""
    assert err2.count("\n") == 1 and "another update" in err2
    assert first_still_running  # the second exited at once, not after waiting for the first
    assert out1.count("Story") == 3
    _check_show(workdir / "show", 3)


def test_kill_9_in_the_middle_then_update_again(workdir: Path, feeds: FeedServer) -> None:
    (workdir / "newsaudio.toml").write_text('voice = "fake"\n', encoding="utf-8")
    feeds.put("/rss.xml", rss(_items(3)))
    assert run("follow", feeds.url("/rss.xml")).exit_code == 0
    show = workdir / "show"
    proc = _newsaudio(workdir, "update")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((show / "episodes").glob("*.mp3")):
        time.sleep(0.05)
    time.sleep(0.4)  # somewhere inside the second item's render or publish
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    again = _newsaudio(workdir, "update", "--json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    made = [e["title"] for e in json.loads(out)["episodes"]]
    assert len(made) <= 2 and "Story 2" not in made  # the first one was already done
    _check_show(show, 3)
    quiet = _newsaudio(workdir, "update")
    assert quiet.communicate(timeout=60) == ("", "") and quiet.returncode == 0
