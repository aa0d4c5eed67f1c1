"""Karakeep kind: bearer key, cursor paging, only link bookmarks, archive write-back."""

from __future__ import annotations

import pytest

from newsaudio.sources.services import open_kind
from newsaudio.sources.services.base import KindError
from tests.support.services.base import text_answer
from tests.support.services.karakeep import KarakeepStandIn, karakeep_bookmark


@pytest.fixture
def server() -> KarakeepStandIn:
    marks = [karakeep_bookmark(n) for n in range(1, 6)]
    marks += [
        karakeep_bookmark(6, kind="text"),
        karakeep_bookmark(7, archived=True),
        karakeep_bookmark(8, html=None),
    ]
    with KarakeepStandIn(marks) as s:
        yield s  # type: ignore[misc]


def test_lists_link_bookmarks_with_content(server: KarakeepStandIn) -> None:
    k = open_kind("karakeep+" + server.url, {"token": "kk-key"})
    items = k.list_new(2)
    assert [i.id for i in items] == ["kk0008", "kk0005"]
    assert items[0].html is None  # not crawled: the page is fetched instead
    assert items[1].html and "Karakeep body 5" in items[1].html
    assert items[1].title == "Page title 5" and items[1].author == "Cy Author"
    assert items[1].published is not None and items[1].published.year == 2026
    everything = k.list_new(50)
    assert "kk0006" not in {i.id for i in everything} and "kk0007" not in {i.id for i in everything}
    calls = server.requests_to("GET", "/api/v1/bookmarks")
    assert calls[0].query["archived"] == ["false"] and calls[0].query["includeContent"] == ["true"]


def test_paging_with_cursor(server: KarakeepStandIn) -> None:
    k = open_kind("karakeep+" + server.url, {"token": "kk-key"})
    assert len(k.list_new(3)) == 3
    # limit 3 a page: 3 link bookmarks among the first 3 rows (8, 6 text, 5) -> 2, then more
    cursors = [c.query.get("cursor") for c in server.requests_to("GET", "/api/v1/bookmarks")]
    assert cursors == [None, ["3"]]


def test_archive_once(server: KarakeepStandIn) -> None:
    k = open_kind("karakeep+" + server.url, {"token": "kk-key"})
    item = k.list_new(1)[0]
    k.write_back(item, "archive")
    calls = server.requests_to("PATCH", f"/api/v1/bookmarks/{item.id}")
    assert len(calls) == 1 and calls[0].json == {"archived": True}
    assert item.id not in {i.id for i in k.list_new(50)}


def test_bad_key_and_rate_limit_without_retry_after(server: KarakeepStandIn) -> None:
    with pytest.raises(KindError, match="authentication failed"):
        open_kind("karakeep+" + server.url, {"token": "bad"}).list_new(1)
    server.force(text_answer("Rate limit exceeded. Try again in 30 seconds.", 429))
    with pytest.raises(KindError) as caught:
        open_kind("karakeep+" + server.url, {"token": "kk-key"}).list_new(1)
    assert caught.value.status == 429 and caught.value.retry_after_s == 60
