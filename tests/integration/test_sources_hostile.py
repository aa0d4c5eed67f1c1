"""Bad and hostile feeds: each ends in one clear line naming the source or item, nothing
half-made, nothing fetched but http(s), no entity ever expanded."""

from __future__ import annotations

import json
import socket
import threading
import time
import tracemalloc
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from newsaudio.errors import InputError, SourceError
from newsaudio.sources import parse
from newsaudio.sources.items import Skip, choose_text
from newsaudio.sources.model import FeedItem, FeedResponse
from newsaudio.sources.opml import import_opml
from tests.support import invoke_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import long_text, rss

run = partial(invoke_cli, out="show", catch_exceptions=False)

XXE_RSS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>
<rss version="2.0"><channel><title>Evil &xxe;</title>
<item><title>Item &xxe;&web;</title><guid>g1</guid><description>&xxe;</description></item>
</channel></rss>"""

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)
BOMB_RSS = (
    BOMB
    + b"""<rss version="2.0"><channel><title>Laughs &lol9;</title>
<item><title>Boom &lol9;</title><guid>b1</guid></item></channel></rss>"""
)
BOMB_OPML = (
    BOMB
    + b"""<opml version="2.0"><head><title>&lol9;</title></head><body>
<outline text="&lol9;" xmlUrl="http://127.0.0.1/feed.xml"/></body></opml>"""
)
XXE_OPML = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><head><title>x</title></head><body>
<outline text="A &xxe;" xmlUrl="http://127.0.0.1/a.xml"/></body></opml>"""


def _parse(body: bytes) -> Any:
    return parse(FeedResponse("http://127.0.0.1/feed.xml", 200, body, "application/rss+xml"))


def test_external_entities_are_never_resolved() -> None:
    feed = _parse(XXE_RSS)
    text = json.dumps([feed.title, [(i.title, i.summary_html) for i in feed.items]])
    assert "root:" not in text and "/bin/" not in text
    assert feed.items[0].guid == "g1"


def test_entity_bomb_is_inert_and_bounded() -> None:
    tracemalloc.start()
    started = time.process_time()
    feed = _parse(BOMB_RSS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.process_time() - started < 10
    assert peak < 50 * 2**20
    assert "lollollol" not in feed.title + feed.items[0].title


def test_nested_plain_entities_in_the_title_are_never_expanded() -> None:
    """A chain of entities a million characters deep (found by a new-user trial: feedparser
    kept the declarations and its loose parser expanded them into the source's name)."""
    chain = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 7)
    )
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{chain}]>\n<rss version="2.0"><channel>'
        "<title>B &a6;</title><item><title>x &a6;</title><guid>g1</guid>"
        "<description>hello</description></item></channel></rss>"
    ).encode()
    feed = _parse(body)
    assert "aaaaaaaaaaa" not in feed.title + feed.items[0].title
    assert len(feed.title) <= 300


@pytest.mark.parametrize("body", [XXE_OPML, BOMB_OPML])
def test_opml_entities_are_never_expanded(body: bytes) -> None:
    started = time.process_time()
    try:
        outlines = import_opml(body, "evil.opml")
    except InputError as exc:  # lxml refuses an entity it may not expand: one line
        assert str(exc).startswith("evil.opml: is not OPML") and "\n" not in str(exc)
    else:
        assert "root:" not in outlines[0].name and "lollollol" not in outlines[0].name
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html><body>not a feed</body></html>", "web page"),
        (b"<rss><channel><item><title>Fish & Chips</title></item></channel></rss>", None),
        (b"\x00\x01\x02 binary", "not"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "not a JSON Feed"),
        (b"{not json", "not valid JSON"),
        (b"   ", "empty"),
    ],
)
def test_bad_documents(body: bytes, problem: str | None) -> None:
    if problem is None:
        feed = _parse(body)
        assert feed.problem and feed.items[0].title == "Fish & Chips"  # recovered
        return
    with pytest.raises(SourceError) as err:
        _parse(body)
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_huge_feed_is_bounded() -> None:
    items = b"".join(
        b"<item><title>t%d</title><guid>g%d</guid></item>" % (i, i) for i in range(100_000)
    )
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>' + items
    body += b"</channel></rss>"
    feed = _parse(body)
    assert feed.total_items == 100_000 and len(feed.items) == 500
    assert feed.items[0].title == "t0" and feed.problem is None


def test_titles_lose_markup_and_links_resolve() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>Fish &amp;amp; Chips &lt;b&gt;now&lt;/b&gt;</title>
    <link>/news/1?utm_source=feed</link></item>
    <item><description>No guid, no link</description></item>
    </channel></rss>"""
    feed = _parse(body)
    assert feed.items[0].title == "Fish & Chips now"
    assert feed.items[0].link == "http://127.0.0.1/news/1?utm_source=feed"
    assert feed.items[1].guid is None and feed.items[1].link is None


@pytest.mark.parametrize(
    "link",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/a.html",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
    ],
)
def test_only_http_links_are_fetched(link: str) -> None:
    with pytest.raises(Skip, match="only http"):
        choose_text(FeedItem("A teaser", link=link, summary_html="Short."), "auto")


def test_audio_only_and_empty_items_are_skipped() -> None:
    from newsaudio.sources.model import Enclosure

    podcast = FeedItem(
        "Episode 1",
        link="http://127.0.0.1/ep1",
        summary_html="Show notes.",
        enclosures=(Enclosure("http://127.0.0.1/ep1.mp3", "audio/mpeg"),),
    )
    with pytest.raises(Skip, match="audio or video"):
        choose_text(podcast, "auto")
    with pytest.raises(Skip, match="no text"):
        choose_text(FeedItem("Nothing"), "auto")
    assert choose_text(FeedItem("Long", summary_html=long_text(200, "x")), "auto")[0] == "feed"
    assert (
        choose_text(FeedItem("Long", link="http://h/a", content_html="<p>x</p>"), "always")[0]
        == "page"
    )


def one_error_line(stderr: str, *words: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsaudio: error: "), stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_follow_errors_are_one_line(workdir: Path, feeds: FeedServer) -> None:
    feeds.status["/a"] = (302, {"Location": "/b"})
    feeds.status["/b"] = (302, {"Location": "/a"})
    result = run("follow", feeds.url("/a"))
    assert result.exit_code == 3
    one_error_line(result.stderr, feeds.url("/a"), "redirect loop")
    feeds.status["/f"] = (302, {"Location": "file:///etc/passwd"})
    result = run("follow", feeds.url("/f"))
    one_error_line(result.stderr, "only http and https")
    feeds.put("/junk.xml", b"<<<this is not xml>>>", "application/xml")
    result = run("follow", feeds.url("/junk.xml"))
    assert result.exit_code == 3
    one_error_line(result.stderr, "junk.xml")
    result = run("follow", str(workdir / "missing.xml"))
    one_error_line(result.stderr, "no such file")


def test_host_that_never_answers(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAUDIO_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
        started = time.monotonic()
        result = run("follow", url)
        assert time.monotonic() - started < 10
        assert result.exit_code == 3
        one_error_line(result.stderr, url, "no answer within 1 s")
    finally:
        sock.close()


def test_moved_gone_and_retry_after(workdir: Path, feeds: FeedServer) -> None:
    (workdir / "newsaudio.toml").write_text('voice = "fake"\njingles = false\n', encoding="utf-8")
    empty = rss([])
    for path in ("/old.xml", "/new.xml", "/gone.xml", "/busy.xml"):
        feeds.put(path, empty)
    for path in ("/old.xml", "/gone.xml", "/busy.xml"):
        assert run("follow", feeds.url(path), "--name", path.strip("/.xml")).exit_code == 0
    feeds.status["/old.xml"] = (301, {"Location": "/new.xml"})
    feeds.status["/gone.xml"] = (410, {})
    feeds.status["/busy.xml"] = (503, {"Retry-After": "3600"})
    result = run("update", "--json")
    assert result.exit_code == 10
    status = {s["name"]: s["status"] for s in json.loads(result.stdout)["sources"]}
    assert status == {"old": "ok", "gone": "gone", "busy": "failed"}
    assert len(result.stderr.splitlines()) == 2
    sources = {s["name"]: s for s in json.loads(run("sources", "--json").stdout)}
    assert sources["old"]["url"] == feeds.url("/new.xml")
    assert "410" in sources["gone"]["error"] and sources["busy"]["last_status"] == 503
    assert "next retry" in run("sources").stdout
    before = len(feeds.log)
    again = run("update", "--json")
    assert again.exit_code == 0, again.stderr
    status = {s["name"]: s["status"] for s in json.loads(again.stdout)["sources"]}
    assert status == {"old": "not_modified", "busy": "waiting"}  # gone: no longer checked
    assert [r.path for r in feeds.log[before:]] == ["/new.xml"]


def test_source_whose_every_item_fails(workdir: Path, feeds: FeedServer) -> None:
    (workdir / "newsaudio.toml").write_text('voice = "fake"\njingles = false\n', encoding="utf-8")
    items = [
        {"title": f"Teaser {i}", "guid": f"t{i}", "link": feeds.url(f"/p/{i}"),
         "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT", "body": "Short."}
        for i in range(2)
    ]  # fmt: skip
    feeds.put("/rss.xml", rss(items))
    for i in range(2):  # a server error (a 404 or 410 would read the feed's text instead)
        feeds.status[f"/p/{i}"] = (500, {})
    run("follow", feeds.url("/rss.xml"))
    result = run("update")
    assert result.exit_code == 10 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(
        "HTTP 500" in line and "attempt 1 of 3" in line for line in lines
    )
    assert not list((workdir / "show").glob("episodes/*"))


def test_nothing_outside_the_show(workdir: Path, feeds: FeedServer) -> None:
    (workdir / "newsaudio.toml").write_text('voice = "fake"\njingles = false\n', encoding="utf-8")
    items = [
        {"title": "../../../outside", "guid": "../../x", "link": "http://127.0.0.1/../../etc",
         "date": "Mon, 01 Dec 2026 08:00:00 GMT", "body": long_text(160, "Escape")},
    ]  # fmt: skip
    feeds.put("/rss.xml", rss(items))
    run("follow", feeds.url("/rss.xml"), "--name", "../../evil")
    result = run("update", "--json")
    assert result.exit_code == 0, result.stderr
    episode = json.loads(result.stdout)["episodes"][0]
    assert Path(episode["path"]).resolve().parent == (workdir / "show" / "episodes").resolve()
    assert sorted(p.name for p in workdir.iterdir()) == ["newsaudio.toml", "show", "voices"]


def test_input_error_is_a_source_error() -> None:
    assert issubclass(SourceError, InputError)
    assert threading is not None
