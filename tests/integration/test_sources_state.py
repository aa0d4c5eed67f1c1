"""Item state, identity and feed text: unit tests and a hypothesis state machine of an
item's life (new, failed and retried, published, skipped, removed) against real SQLite."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from newsaudio.sources.content import html_blocks, plain_text, word_count
from newsaudio.sources.identity import canonical_link, episode_source_key, item_key
from newsaudio.sources.model import FeedItem
from newsaudio.sources.state import (
    MAX_ATTEMPTS,
    SCHEMA_VERSION,
    TRANSITIONS,
    IllegalTransition,
    ItemRecord,
    ItemState,
    StateStore,
    advance,
)

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://Example.COM/News/1?utm_source=rss&id=7#comments",
            "https://example.com/News/1?id=7",
        ),
        ("http://example.com:80/a?fbclid=x", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com", "http://example.com/"),
        ("file:///etc/passwd#x", "file:///etc/passwd"),
    ],
)
def test_canonical_link(url: str, canonical: str) -> None:
    assert canonical_link(url) == canonical


def test_item_identity_order() -> None:
    assert item_key(FeedItem("T", guid="abc", link="http://h/a")) == "guid:abc"
    assert item_key(FeedItem("T", link="http://H/a#x")) == "link:http://h/a"
    a = item_key(FeedItem("Title", published=NOW))
    assert a.startswith("hash:") and a == item_key(FeedItem("Title", published=NOW))
    assert a != item_key(FeedItem("Title"))
    # two feeds, two guids, one article: one episode
    one = episode_source_key(
        "http://a/feed", FeedItem("T", guid="1", link="http://x/a?utm_medium=a")
    )
    two = episode_source_key("http://b/feed", FeedItem("T", guid="2", link="HTTP://X/a"))
    assert one == two


def test_html_blocks() -> None:
    blocks = html_blocks(
        "<h2>Head</h2><p>One <b>bold</b> word.</p>Loose text<br><br>After breaks"
        "<ul><li>first</li><li>second</li></ul><script>alert(1)</script><figure>cap</figure>"
    )
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Head"),
        ("paragraph", "One bold word."),
        ("paragraph", "Loose text"),
        ("paragraph", "After breaks"),
        ("list_item", "first"),
        ("list_item", "second"),
    ]
    assert word_count(blocks) == 10
    assert [b.text for b in html_blocks("plain\n\ntext &amp; more")] == ["plain", "text & more"]
    assert html_blocks("\x00\x01<p>ok\x02</p>")[0].text == "ok"
    assert plain_text("A &amp; <i>B</i>") == "A & B"


def test_transitions_table() -> None:
    assert TRANSITIONS[ItemState.REMOVED] == frozenset()
    item = ItemRecord(1, "k", "t")
    for n in range(1, MAX_ATTEMPTS + 1):
        item = advance(item, ItemState.FAILED, "boom")
        assert item.attempts == n
    assert not item.retryable
    with pytest.raises(IllegalTransition):
        advance(item, ItemState.FAILED, "again")
    with pytest.raises(IllegalTransition):
        advance(advance(ItemRecord(1, "k", "t"), ItemState.PUBLISHED), ItemState.NEW)


class ItemLife(RuleBasedStateMachine):
    """One item in a real state store; the model is (state, attempts, tombstoned)."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.store = StateStore(Path(self.dir.name) / "sources.sqlite")
        with self.store.transaction():
            self.source = self.store.add_source("http://h/feed", "Feed", NOW)
            record = ItemRecord(self.source.id, "guid:1", "Item", episode_guid="ep-1")
            self.store.put_item(record, NOW)
        self.state = ItemState.NEW
        self.attempts = 0
        self.tombstoned = False

    def teardown(self) -> None:
        self.store.close()
        self.dir.cleanup()

    def _item(self) -> ItemRecord:
        item = self.store.item(self.source.id, "guid:1")
        assert item is not None
        return item

    def _move(self, to: ItemState, reason: str | None = None) -> None:
        with self.store.transaction():
            self.store.put_item(advance(self._item(), to, reason), NOW)

    @precondition(lambda self: self.state in (ItemState.NEW, ItemState.FAILED))
    @rule(message=st.text(min_size=1, max_size=20))
    def fail(self, message: str) -> None:
        if self.attempts >= MAX_ATTEMPTS:
            with pytest.raises(IllegalTransition):
                self._move(ItemState.FAILED, message)
            return
        self._move(ItemState.FAILED, message)
        self.state, self.attempts = ItemState.FAILED, self.attempts + 1

    @precondition(lambda self: self.state in (ItemState.NEW, ItemState.FAILED))
    @rule()
    def publish(self) -> None:
        if self.tombstoned:
            return  # update never makes a tombstoned episode
        self._move(ItemState.PUBLISHED)
        self.state = ItemState.PUBLISHED

    @precondition(lambda self: self.state in (ItemState.NEW, ItemState.FAILED))
    @rule()
    def skip(self) -> None:
        self._move(ItemState.SKIPPED, "filtered")
        self.state = ItemState.SKIPPED

    @rule()
    def user_removes_episode(self) -> None:
        with self.store.transaction():
            self.store.tombstone("ep-1", "item:http://x/a", NOW)
        self.tombstoned = True
        if ItemState.REMOVED in TRANSITIONS[self.state]:
            self.state = ItemState.REMOVED

    @rule(to=st.sampled_from(list(ItemState)))
    def any_move_is_checked(self, to: ItemState) -> None:
        before = self._item()
        allowed = to in TRANSITIONS[before.state] and not (
            to is ItemState.FAILED and before.attempts >= MAX_ATTEMPTS
        )
        if allowed:
            return  # the legal moves are the rules above
        with pytest.raises(IllegalTransition):
            advance(before, to)
        assert self._item() == before

    @invariant()
    def store_matches_model(self) -> None:
        item = self._item()
        assert item.state is self.state
        assert item.attempts == self.attempts <= MAX_ATTEMPTS
        assert item.retryable == (
            self.state is ItemState.NEW
            or (self.state is ItemState.FAILED and self.attempts < MAX_ATTEMPTS)
        )
        assert self.store.is_tombstoned("ep-1") == self.tombstoned


ItemLife.TestCase.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)
TestItemLife = ItemLife.TestCase


def test_state_schema_is_versioned(tmp_path: Path) -> None:
    import sqlite3

    from newsaudio.errors import PublishError

    path = tmp_path / "sources.sqlite"
    StateStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    with pytest.raises(PublishError, match="newer than this newsaudio"):
        StateStore(path)


def test_include_and_exclude_filters() -> None:
    from newsaudio.sources.items import filter_reason
    from newsaudio.sources.state import SourceRecord

    base = SourceRecord(1, "http://h/feed", "Feed", NOW)
    item = FeedItem("Council Budget approved", summary_html="<p>The <b>harbour</b> plan</p>")
    assert filter_reason(item, base) is None
    assert filter_reason(item, SourceRecord(**{**base.__dict__, "include": "harbour, zoo"})) is None
    assert "--include" in (
        filter_reason(item, SourceRecord(**{**base.__dict__, "include": "zoo"})) or ""
    )
    excluded = filter_reason(item, SourceRecord(**{**base.__dict__, "exclude": "sport, budget"}))
    assert excluded == "matches --exclude 'budget'"


def test_json_feed_details() -> None:
    from newsaudio.sources import parse
    from newsaudio.sources.model import FeedResponse

    body = b"""{"version": "https://jsonfeed.org/version/1", "title": "J", "language": "de",
      "author": {"name": "Feed Author"},
      "items": [
        {"id": 7, "url": "/a/7", "title": "Seven", "content_text": "One.\\n\\nTwo &amp; three.",
         "date_published": "2026-12-01T10:00:00+01:00"},
        {"id": "pod", "external_url": "https://h/ep", "title": "Pod", "summary": "s",
         "attachments": [{"url": "/ep.mp3", "mime_type": "audio/mpeg"}]},
        "not an item"
      ]}"""
    feed = parse(FeedResponse("http://h/feed.json", 200, body, "application/json"))
    assert (feed.title, feed.language, feed.format, feed.total_items) == ("J", "de", "json1", 2)
    seven, pod = feed.items
    assert seven.guid == "7" and seven.link == "http://h/a/7" and seven.author == "Feed Author"
    assert [b.text for b in html_blocks(seven.content_html)] == ["One.", "Two &amp; three."]
    assert seven.published is not None and seven.published.utcoffset() is not None
    assert pod.link == "https://h/ep" and pod.enclosures[0].url == "http://h/ep.mp3"


def test_autodiscovery() -> None:
    from newsaudio.sources.discover import discover

    page = b"""<html><head>
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
      <link rel="stylesheet" href="/style.css">
      <link rel="Alternate" type="application/feed+json; charset=utf-8" href="feed.json">
    </head></html>"""
    assert discover(page, "http://h/news/") == ["http://h/atom.xml", "http://h/news/feed.json"]
    assert discover(page, "/srv/site/index.html") == ["/srv/site/feed.json"]
    assert discover(b"<html><body>no head</body></html>", "http://h/") == []


def test_one_request_at_a_time_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from newsaudio.sources.fetch_http import polite, retry_after_s

    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    events: list[tuple[str, str]] = []

    def request(host: str, n: int) -> None:
        with polite(f"http://{host}/feed/{n}"):
            events.append(("in", host))
            time.sleep(0.02)
            events.append(("out", host))

    threads = [threading.Thread(target=request, args=("same.invalid", n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert events == [("in", "same.invalid"), ("out", "same.invalid")] * 4  # never overlapping
    assert retry_after_s("120") == 120
    assert retry_after_s("Wed, 02 Dec 2026 07:00:00 GMT", NOW) == 3600
    assert retry_after_s("999999") == 24 * 3600 and retry_after_s("soon") is None
