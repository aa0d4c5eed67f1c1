"""Miniflux kind: X-Auth-Token, starred unread (or all unread), offset paging, mark read."""

from __future__ import annotations

import pytest

from newsaudio.sources.services import open_kind
from newsaudio.sources.services.base import KindError
from tests.support.services.miniflux import MinifluxStandIn, miniflux_entry


@pytest.fixture
def server() -> MinifluxStandIn:
    entries = [miniflux_entry(n) for n in range(1, 6)]
    entries += [miniflux_entry(6, starred=False), miniflux_entry(7, status="read")]
    with MinifluxStandIn(entries) as s:
        yield s  # type: ignore[misc]


def test_starred_unread_newest_first(server: MinifluxStandIn) -> None:
    k = open_kind("miniflux+" + server.url, {"token": "mf-token"})
    items = k.list_new(50)
    assert [i.id for i in items] == ["5", "4", "3", "2", "1"]
    assert items[0].html and "Miniflux body 5" in items[0].html and items[0].author == "Eve Author"
    assert items[0].published is not None and items[0].published.hour == 8  # +01:00 -> UTC
    q = server.requests_to("GET", "/v1/entries")[0].query
    assert q["starred"] == ["true"] and q["status"] == ["unread"] and q["direction"] == ["desc"]


def test_all_unread_and_paging(server: MinifluxStandIn) -> None:
    import newsaudio.sources.services.miniflux as miniflux

    miniflux.PAGE, saved = 2, miniflux.PAGE
    try:
        k = open_kind("miniflux+" + server.url, {"token": "mf-token"}, all_unread=True)
        assert [i.id for i in k.list_new(5)] == ["6", "5", "4", "3", "2"]
    finally:
        miniflux.PAGE = saved
    calls = server.requests_to("GET", "/v1/entries")
    assert [c.query["offset"][0] for c in calls] == ["0", "2", "4"] and "starred" not in calls[
        0
    ].query


def test_mark_read_once(server: MinifluxStandIn) -> None:
    k = open_kind("miniflux+" + server.url, {"token": "mf-token"})
    item = k.list_new(1)[0]
    k.write_back(item, "read")
    puts = server.requests_to("PUT", "/v1/entries")
    assert len(puts) == 1 and puts[0].json == {"entry_ids": [5], "status": "read"}
    assert "5" not in {i.id for i in k.list_new(50)}


def test_bad_token(server: MinifluxStandIn) -> None:
    with pytest.raises(KindError, match="authentication failed"):
        open_kind("miniflux+" + server.url, {"token": "no"}).list_new(1)
