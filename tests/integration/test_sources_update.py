"""follow / sources / update against a real HTTP server on 127.0.0.1, with the fake voice."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.support import invoke_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import (
    announcing_page,
    article_page,
    atom,
    json_feed,
    long_text,
    rss,
)

run = partial(invoke_cli, out="show", catch_exceptions=False)

DATES = [f"Mon, 0{d} Dec 2026 0{d}:00:00 GMT" for d in range(1, 10)]


def update_json(*extra: str) -> tuple[int, dict[str, Any], str]:
    result = run("update", "--json", *extra)
    return result.exit_code, json.loads(result.stdout), result.stderr


def rss_items(n: int, prefix: str = "Story") -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} {i}",
            "guid": f"urn:{prefix}:{i}",
            "link": f"http://example.invalid/{prefix}/{i}",
            "date": DATES[i],
            "body": long_text(170, f"{prefix} {i}"),
        }
        for i in range(n)
    ]


@pytest.fixture
def voice(workdir: Path) -> Path:
    """The fake voice as the show's default (newsaudio.toml)."""
    (workdir / "newsaudio.toml").write_text('voice = "fake"\njingles = false\n', encoding="utf-8")
    return workdir


def test_follow_every_kind_then_update_conditionally(voice: Path, feeds: FeedServer) -> None:
    feeds.put("/rss.xml", rss(rss_items(2)))
    feeds.put(
        "/atom.xml",
        atom(
            [
                {
                    "title": f"Teaser {i}",
                    "id": f"urn:teaser:{i}",
                    "link": f"/articles/{i}.html",  # relative: resolved against the feed URL
                    "date": f"2026-12-0{i + 1}T08:00:00Z",
                    "summary": "A short teaser.",
                }
                for i in range(2)
            ]
        ),
        "application/atom+xml",
    )
    for i in range(2):
        feeds.put(f"/articles/{i}.html", article_page(f"Teaser {i}"), "text/html")
    feeds.put(
        "/feed.json",
        json_feed(
            [
                {
                    "id": "j1",
                    "url": "http://example.invalid/j1",
                    "title": "Valley story",
                    "date": "2026-12-01T09:00:00Z",
                    "text": long_text(160, "Valley"),
                }
            ]
        ),
        "application/feed+json",
    )
    feeds.put("/home.html", announcing_page("/announced.xml"), "text/html")
    feeds.put("/announced.xml", rss(rss_items(1, "Announced"), title="Announced News"))

    for path, name in (
        ("/rss.xml", "Harbour Daily"),
        ("/atom.xml", "Island Notes"),
        ("/feed.json", "Valley Wire"),
        ("/home.html", "Announced News"),
    ):
        result = run("follow", feeds.url(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"Following {name}: ")
    again = run("follow", feeds.url("/rss.xml"))
    assert "already followed" in again.stdout

    code, out, err = update_json()
    assert code == 0, err
    episodes = out["episodes"]
    assert len(episodes) == 6
    by_title = {e["title"]: e for e in episodes}
    assert by_title["Teaser 0"]["text_source"] == "page"
    assert by_title["Story 1"]["text_source"] == "feed"
    assert by_title["Valley story"]["source"] == "Valley Wire"
    assert {s["name"]: s["published"] for s in out["sources"]} == {
        "Harbour Daily": 2,
        "Island Notes": 2,
        "Valley Wire": 1,
        "Announced News": 1,
    }
    assert set(out["sources"][0]) == {
        "name",
        "url",
        "status",
        "new",
        "published",
        "failed",
        "skipped",
    }
    page = (voice / "show" / "index.html").read_text(encoding="utf-8")
    assert "from Valley Wire" in page and "from Island Notes" in page
    feed = (voice / "show" / "feed.xml").read_text(encoding="utf-8")
    assert "From Harbour Daily: " in feed

    # nothing new: no output at all, and every feed answered 304 to a conditional request
    quiet = run("update")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    for path in ("/rss.xml", "/atom.xml", "/feed.json", "/announced.xml"):
        last = feeds.requests(path)[-1]
        assert last.status == 304 and last.if_none_match, path

    # one new item -> exactly one new episode
    feeds.put("/rss.xml", rss(rss_items(3)))
    code, out, _ = update_json()
    assert code == 0
    assert [e["title"] for e in out["episodes"]] == ["Story 2"]
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == 7

    sources = json.loads(run("sources", "--json").stdout)
    assert [s["name"] for s in sources] == [
        "Harbour Daily", "Island Notes", "Valley Wire", "Announced News",
    ]  # fmt: skip
    assert set(sources[0]) == {
        "name", "url", "last_checked", "last_status", "published", "failed", "error",
    }  # fmt: skip
    assert sources[0]["published"] == 3 and sources[0]["last_status"] == 200


def test_removed_episode_never_comes_back(voice: Path, feeds: FeedServer) -> None:
    feeds.put("/rss.xml", rss(rss_items(2)))
    run("follow", feeds.url("/rss.xml"))
    code, out, _ = update_json()
    assert code == 0 and len(out["episodes"]) == 2
    gone = next(e for e in out["episodes"] if e["title"] == "Story 0")
    assert run("remove", gone["guid"]).exit_code == 0
    # the feed changes (new ETag) but still carries the removed item, and a second feed
    # carries the same article (same canonical link, other guid)
    feeds.put("/rss.xml", rss(rss_items(2)) + "\n")
    twin = rss_items(1)
    twin[0]["guid"] = "urn:other-feed:0"
    twin[0]["link"] = "HTTP://Example.INVALID/Story/0?utm_source=x#top"
    feeds.put("/twin.xml", rss(twin, title="Twin"))
    run("follow", feeds.url("/twin.xml"))
    code, out, err = update_json()
    assert code == 0, err
    assert out["episodes"] == []
    titles = [e["title"] for e in json.loads(run("list", "--json").stdout)]
    assert titles == ["Story 1"]


def test_failing_page_is_retried_then_given_up(voice: Path, feeds: FeedServer) -> None:
    entries = [
        {
            "title": f"Teaser {i}",
            "id": f"urn:t:{i}",
            "link": feeds.url(f"/a/{i}"),
            "date": f"2026-12-0{i + 1}T08:00:00Z",
            "summary": "Short.",
        }
        for i in range(2)
    ]
    feeds.put("/atom.xml", atom(entries), "application/atom+xml")
    feeds.put("/a/0", article_page("Teaser 0"), "text/html")
    feeds.status["/a/1"] = (500, {})
    run("follow", feeds.url("/atom.xml"))
    code, out, err = update_json()
    assert code == 10
    assert [e["title"] for e in out["episodes"]] == ["Teaser 0"]
    assert "Teaser 1" in err and "HTTP 500" in err and "attempt 1 of 3" in err
    assert out["sources"][0]["failed"] == 1
    for attempt in (2, 3):
        result = run("update")
        assert result.exit_code == 10
        assert f"attempt {attempt} of 3" in result.stderr
    assert "given up" in result.stderr
    assert len(feeds.requests("/a/1")) == 3
    fourth = run("update")
    assert fourth.exit_code == 0 and fourth.stderr == ""
    assert len(feeds.requests("/a/1")) == 3  # given up: never fetched again
    status = json.loads(run("sources", "--json").stdout)[0]
    assert status["failed"] == 1 and "HTTP 500" in status["error"]


def test_first_run_takes_only_the_newest_three(workdir: Path, feeds: FeedServer) -> None:
    # the show's default voice is Piper's; the source names its own (the fake voice)
    (workdir / "newsaudio.toml").write_text("jingles = false\n", encoding="utf-8")
    feeds.put("/rss.xml", rss(rss_items(6)))
    assert run("follow", feeds.url("/rss.xml"), "--voice", "fake").exit_code == 0
    code, out, _ = update_json()
    assert code == 0
    assert sorted(e["title"] for e in out["episodes"]) == ["Story 3", "Story 4", "Story 5"]
    assert {e["voice"] for e in out["episodes"]} == {"fake"}
    feeds.put("/rss.xml", rss(rss_items(7)))
    code, out, _ = update_json()
    assert [e["title"] for e in out["episodes"]] == ["Story 6"]


def test_follow_refuses_what_is_not_a_feed(voice: Path, feeds: FeedServer) -> None:
    feeds.put("/page.html", article_page("No feed here"), "text/html")
    result = run("follow", feeds.url("/page.html"))
    assert result.exit_code == 3
    assert result.stderr.startswith("newsaudio: error: ") and "announces no feed" in result.stderr
    assert result.stderr.count("\n") == 1
    missing = run("follow", feeds.url("/nothing.xml"))
    assert missing.exit_code == 3 and "HTTP 404" in missing.stderr


def teasers(feeds: FeedServer, paths: list[str]) -> None:
    """Follow an Atom feed of short teasers (under 150 words) linking to ``paths``."""
    entries = [
        {
            "title": f"Teaser {i}",
            "id": f"urn:t:{i}",
            "link": feeds.url(path),
            "date": f"2026-12-0{i + 1}T08:00:00Z",
            "summary": f"Teaser {i}: the council met again and agreed on the budget.",
        }
        for i, path in enumerate(paths)
    ]
    feeds.put("/atom.xml", atom(entries), "application/atom+xml")
    run("follow", feeds.url("/atom.xml"))


def test_links_are_canonical(voice: Path, feeds: FeedServer) -> None:
    """The feed's and the page's link to the article is the canonical link (utm_*, fbclid,
    gclid, mc_cid... removed; other parameters kept)."""
    tracked = "/a/0?utm_source=rss&utm_medium=feed&id=7&fbclid=abc&mc_cid=1"
    feeds.put(tracked, article_page("Teaser 0"), "text/html")
    teasers(feeds, [tracked])
    code, _out, err = update_json()
    assert code == 0, err
    canonical = feeds.url("/a/0?id=7")
    for name in ("feed.xml", "index.html"):
        text = (voice / "show" / name).read_text(encoding="utf-8")
        assert "utm_" not in text and "fbclid" not in text and "mc_cid" not in text, name
        assert canonical in text, name


def test_a_short_item_whose_page_is_gone_reads_the_feed_text(
    voice: Path, feeds: FeedServer
) -> None:
    """A short item whose page answers 404 or 410 is read from the feed's own text, with a
    note naming the page (a 500 is retried: test_failing_page_is_retried_then_given_up)."""
    feeds.status["/gone/1"] = (410, {})
    teasers(feeds, ["/gone/0", "/gone/1"])
    code, out, err = update_json()
    assert code == 0, err
    assert [e["text_source"] for e in out["episodes"]] == ["feed", "feed"]
    notes = [line for line in err.splitlines() if "/gone/" in line]
    assert len(notes) == 2 and all(
        n.startswith("newsaudio: note: ") and "feed's own text" in n for n in notes
    ), err


def test_an_article_made_by_add_is_not_made_again_from_a_feed(
    voice: Path, feeds: FeedServer
) -> None:
    """add URL, then a feed whose item links the same page (with tracking parameters):
    update skips it as the same article, one episode."""
    feeds.put("/a/1", article_page("Market hall gets a new roof"), "text/html")
    assert run("add", feeds.url("/a/1")).exit_code == 0
    teasers(feeds, ["/a/1?utm_source=rss"])
    code, out, err = update_json()
    assert code == 0, err
    assert out["episodes"] == []
    assert len(json.loads(run("list", "--json").stdout)) == 1
