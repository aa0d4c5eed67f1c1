"""Google Reader API kind: ClientLogin, GoogleLogin auth, continuation, edit-tag with T."""

from __future__ import annotations

import pytest

from newsaudio.sources.services import open_kind
from newsaudio.sources.services.base import KindError
from tests.support.services.greader import GReaderStandIn, greader_item

CREDS = {"username": "alice", "password": "api-pass"}


@pytest.fixture
def server() -> GReaderStandIn:
    items = [greader_item(n) for n in range(1, 6)]
    items += [greader_item(6, starred=False), greader_item(7, read=True)]
    with GReaderStandIn(items) as s:
        yield s  # type: ignore[misc]


def address(server: GReaderStandIn) -> str:
    return f"greader+{server.url}/api/greader.php"


def test_starred_unread_with_continuation(server: GReaderStandIn) -> None:
    import newsaudio.sources.services.greader as greader

    greader.PAGE, saved = 2, greader.PAGE
    try:
        items = open_kind(address(server), CREDS).list_new(5)
    finally:
        greader.PAGE = saved
    assert [i.title for i in items] == [f"Starred {n}" for n in (5, 4, 3, 2, 1)]
    assert items[0].url == "https://news.example/articles/5" and items[0].author == "Flo Author"
    assert items[0].html and "FreshRSS body 5" in items[0].html and items[0].published is not None
    stream = "/api/greader.php/reader/api/0/stream/contents/user/-/state/com.google/starred"
    calls = server.requests_to("GET", stream)
    assert len(calls) == 3 and "c" not in calls[0].query
    assert calls[0].query["xt"] == ["user/-/state/com.google/read"]
    assert calls[0].headers["authorization"] == f"GoogleLogin auth={server.auth}"
    assert len(server.requests_to("POST", "/api/greader.php/accounts/ClientLogin")) == 1


def test_mark_read_with_action_token_once(server: GReaderStandIn) -> None:
    k = open_kind(address(server), CREDS)
    item = k.list_new(1)[0]
    k.write_back(item, "read")
    edits = server.requests_to("POST", "/api/greader.php/reader/api/0/edit-tag")
    assert len(edits) == 1
    assert edits[0].form == {
        "i": [item.id],
        "a": ["user/-/state/com.google/read"],
        "T": [server.action_token],
    }
    assert item.id not in {i.id for i in k.list_new(50)}


def test_stale_action_token_is_renewed(server: GReaderStandIn) -> None:
    k = open_kind(address(server), CREDS)
    first, second = k.list_new(2)
    k.write_back(first, "read")
    server.rotate_action_token()
    k.write_back(second, "read")
    assert len(server.requests_to("GET", "/api/greader.php/reader/api/0/token")) == 2
    assert len(server.requests_to("POST", "/api/greader.php/reader/api/0/edit-tag")) == 3


def test_bad_password(server: GReaderStandIn) -> None:
    with pytest.raises(KindError, match="authentication failed") as caught:
        open_kind(address(server), {**CREDS, "password": "wrong"}).list_new(1)
    assert "wrong" not in str(caught.value)
