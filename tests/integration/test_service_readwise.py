"""Readwise Reader kind: Token auth, cursor paging, 429 Retry-After, archive write-back."""

from __future__ import annotations

import time

import pytest

from newsaudio.sources.services import open_kind
from newsaudio.sources.services.base import KindError
from tests.support.services.readwise import ReadwiseStandIn, readwise_document


@pytest.fixture
def server() -> ReadwiseStandIn:
    docs = [readwise_document(n) for n in range(1, 8)]
    docs.append(readwise_document(8, location="new"))
    docs.append(readwise_document(9, parent_id="01rw0000000000000000000001", category="highlight"))
    with ReadwiseStandIn(docs) as s:
        s.page_size = 3
        yield s  # type: ignore[misc]


def kind(
    server: ReadwiseStandIn, location: str = "later", token: str = "rw-token", **options: object
):  # type: ignore[no-untyped-def]
    return open_kind(f"readwise:{location}", {"token": token}, base_url=server.url, **options)


def test_lists_location_with_html_following_cursor(server: ReadwiseStandIn) -> None:
    items = kind(server).list_new(5)
    assert [i.title for i in items] == [f"Document {n}" for n in range(1, 6)]
    assert items[0].url == "https://news.example/articles/1"  # source_url, not Reader's URL
    assert items[0].html and "Readwise body 1" in items[0].html and items[0].author == "Bea Author"
    calls = server.requests_to("GET", "/api/v3/list/")
    assert [c.query.get("pageCursor") for c in calls] == [None, ["3"]]
    assert all(
        c.query["withHtmlContent"] == ["true"] and c.query["location"] == ["later"] for c in calls
    )
    assert all(c.headers["authorization"] == "Token rw-token" for c in calls)


def test_default_location_and_new(server: ReadwiseStandIn) -> None:
    assert len(kind(server, "").list_new(50)) == 7
    assert [i.title for i in kind(server, "new").list_new(50)] == ["Document 8"]
    with pytest.raises(KindError, match="is not readwise:LOCATION"):
        open_kind("readwise:inbox", {"token": "x"})


def test_429_retry_after_is_waited_once(server: ReadwiseStandIn) -> None:
    server.force_rate_limit(retry_after_s=1)
    started = time.monotonic()
    assert len(kind(server).list_new(2)) == 2
    assert time.monotonic() - started >= 1.0
    assert len(server.requests_to("GET", "/api/v3/list/")) == 2


def test_long_retry_after_is_reported(server: ReadwiseStandIn) -> None:
    server.force_rate_limit(retry_after_s=120)
    with pytest.raises(KindError) as caught:
        kind(server).list_new(2)
    assert caught.value.retry_after_s == 120 and "rate limited (HTTP 429)" in str(caught.value)


def test_list_limit_of_20_a_minute(server: ReadwiseStandIn) -> None:
    server.list_per_minute = 2
    server.page_size = 1
    started = time.monotonic()
    assert len(kind(server).list_new(3)) == 3  # third list call is throttled, then waited
    assert time.monotonic() - started >= 1.0


def test_archive_write_back_once(server: ReadwiseStandIn) -> None:
    k = kind(server)
    item = k.list_new(1)[0]
    k.write_back(item, "archive")
    calls = server.requests_to("PATCH", f"/api/v3/update/{item.id}/")
    assert len(calls) == 1 and calls[0].json == {"location": "archive"}
    assert item.id not in [i.id for i in k.list_new(50)]


def test_bad_token(server: ReadwiseStandIn) -> None:
    with pytest.raises(KindError, match=r"^readwise:later: authentication failed$") as caught:
        kind(server, token="nope").list_new(1)
    assert caught.value.auth and caught.value.status == 401
