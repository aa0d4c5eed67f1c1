"""`follow` records the check it made (so `sources` shows it at once) and says, in one
warning line, what is wrong with a malformed feed it could read anyway. A real HTTP server
on 127.0.0.1 (tests/support/feed_server.py)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from tests.support import run_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import rss

run = partial(run_cli, out="show")

ITEMS = [
    {
        "title": f"Story {i}",
        "guid": f"urn:story:{i}",
        "link": f"http://example.invalid/story/{i}",
        "date": f"Mon, 0{i + 1} Jun 2026 08:00:00 +0000",
        "body": "A few words about the story.",
    }
    for i in range(3)
]


def test_sources_right_after_follow_shows_the_check(workdir: Path, feeds: FeedServer) -> None:
    feeds.put("/feed.xml", rss(ITEMS))
    code, out, err = run("follow", feeds.url("/feed.xml"))
    assert code == 0, err
    assert err == ""  # a sound feed: no warning
    code, out, err = run("sources")
    assert code == 0, err
    assert "not checked yet" not in out
    assert "checked 20" in out and "(HTTP 200)" in out, out
    code, out, _ = run("sources", "--json")
    (row,) = json.loads(out)
    assert row["last_status"] == 200 and row["last_checked"] is not None
    # the first update still takes only the newest items (the check is not the first update)
    code, out, err = run("update", "--dry-run", "--json")
    assert code == 0, err


def test_follow_a_recoverable_malformed_feed_warns_once(workdir: Path, feeds: FeedServer) -> None:
    broken = rss(ITEMS).replace("<title>Story 1</title>", "<title>Story 1 & more</title>")
    feeds.put("/broken.xml", broken)
    code, out, err = run("follow", feeds.url("/broken.xml"))
    assert code == 0, err
    assert out.startswith("Following Harbour Daily: 3 items")
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"newsaudio: warning: {feeds.url('/broken.xml')}: ")
    assert "not well-formed XML at line " in lines[0] and "followed anyway" in lines[0]
    assert "Exception" not in lines[0]


def test_dry_run_skips_what_the_real_update_would_skip(workdir: Path, feeds: FeedServer) -> None:
    """A second feed carrying the same articles: `update --dry-run` says they would be
    skipped (as the real update then skips them), instead of planning them."""
    feeds.put("/feed.xml", rss(ITEMS))
    feeds.put("/copy.xml", rss(ITEMS, title="Harbour Daily copy"))
    assert run("follow", feeds.url("/feed.xml"), "--full-text", "never", "--voice", "fake")[0] == 0
    code, out, err = run("update", "--json")
    assert code == 0, err
    made = len(json.loads(out)["episodes"])
    assert made >= 1
    code, _, err = run("follow", feeds.url("/copy.xml"), "--name", "Copy", "--full-text", "never")
    assert code == 0, err
    code, out, err = run("update", "--dry-run", "--json")
    assert code == 0, err
    planned = [p for p in json.loads(out)["planned"] if p["source"] == "Copy"]
    assert planned and all(p["text_source"] is None for p in planned), planned
    assert all("already made from another feed" in (p["skipped"] or "") for p in planned)
    code, out, err = run("update", "--json")
    assert code == 0, err and json.loads(out)["episodes"] == []
