"""Readeck kind: bearer token, limit/offset with Link rel=next, article HTML, archive/read."""

from __future__ import annotations

import pytest

from newsaudio.sources.services import open_kind
from newsaudio.sources.services.base import KindError
from tests.support.services.readeck import ReadeckStandIn, readeck_bookmark


@pytest.fixture
def server() -> ReadeckStandIn:
    marks = [readeck_bookmark(n) for n in range(1, 6)]
    marks += [
        readeck_bookmark(6, archived=True),
        readeck_bookmark(7, progress=100),
        readeck_bookmark(8, progress=40),
        readeck_bookmark(9, article=False),
    ]
    with ReadeckStandIn(marks) as s:
        yield s  # type: ignore[misc]


def test_lists_unfinished_unarchived_with_article(server: ReadeckStandIn) -> None:
    k = open_kind("readeck+" + server.url, {"token": "rd-token"})
    items = k.list_new(50)
    ids = [i.id[-1] for i in items]
    assert ids == ["9", "8", "5", "4", "3", "2", "1"]
    by_id = {i.id[-1]: i for i in items}
    assert by_id["9"].html is None
    assert by_id["5"].html and "Readeck body 5" in by_id["5"].html
    assert by_id["5"].author == "Dee Author" and by_id["5"].url == "https://news.example/articles/5"
    listing = server.requests_to("GET", "/api/bookmarks")[0]
    assert listing.query["is_archived"] == ["false"] and listing.query["read_status"] == [
        "unread",
        "reading",
    ]


def test_pages_follow_link_next(server: ReadeckStandIn) -> None:
    k = open_kind("readeck+" + server.url, {"token": "rd-token"})
    assert len(k.list_new(4)) == 4
    offsets = [c.query["offset"][0] for c in server.requests_to("GET", "/api/bookmarks")]
    assert offsets == ["0"]  # 4 fit the first page
    server.received.clear()
    import newsaudio.sources.services.readeck as readeck

    readeck.PAGE, saved = 2, readeck.PAGE
    try:
        assert len(k.list_new(5)) == 5
    finally:
        readeck.PAGE = saved
    assert [c.query["offset"][0] for c in server.requests_to("GET", "/api/bookmarks")] == [
        "0",
        "2",
        "4",
    ]


@pytest.mark.parametrize(
    ("action", "body"), [("archive", {"is_archived": True}), ("read", {"read_progress": 100})]
)
def test_write_back(server: ReadeckStandIn, action: str, body: dict[str, object]) -> None:
    k = open_kind("readeck+" + server.url, {"token": "rd-token"})
    item = k.list_new(1)[0]
    k.write_back(item, action)
    calls = server.requests_to("PATCH", f"/api/bookmarks/{item.id}")
    assert len(calls) == 1 and calls[0].json == body
    assert item.id not in {i.id for i in k.list_new(50)}


def test_bad_token(server: ReadeckStandIn) -> None:
    with pytest.raises(KindError, match="authentication failed"):
        open_kind("readeck+" + server.url, {"token": "x"}).list_new(1)
