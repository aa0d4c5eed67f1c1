"""Wallabag kind against the stand-in: OAuth password grant and refresh, paging, archive."""

from __future__ import annotations

import pytest

from newsaudio.sources.services import kind_of, open_kind
from newsaudio.sources.services.base import KindError
from newsaudio.sources.services.wallabag import WallabagKind
from tests.support.services.wallabag import WallabagStandIn, wallabag_entry

CREDS = {
    "client_id": "1_client",
    "client_secret": "secret",
    "username": "wallabag",
    "password": "wallabag",
}


@pytest.fixture
def server() -> WallabagStandIn:
    entries = [wallabag_entry(n) for n in range(1, 36)] + [wallabag_entry(36, archived=True)]
    with WallabagStandIn(entries) as s:
        yield s  # type: ignore[misc]


def address(server: WallabagStandIn) -> str:
    return "wallabag+" + server.url


def test_lists_unread_newest_first_across_pages(server: WallabagStandIn) -> None:
    kind = open_kind(address(server), CREDS)
    assert isinstance(kind, WallabagKind) and kind_of(address(server)) == "wallabag"
    items = kind.list_new(33)
    assert [i.id for i in items[:3]] == ["35", "34", "33"] and len(items) == 33
    first = items[0]
    assert first.url == "https://news.example/articles/35"
    assert first.author == "Ada Writer" and first.published is not None
    assert first.published.isoformat() == "2026-11-30T05:35:00+00:00"  # +0100 -> UTC
    assert first.html and "Body of article 35" in first.html
    pages = [r.query["page"][0] for r in server.requests_to("GET", "/api/entries.json")]
    assert pages == ["1", "2"]
    assert all(r.query["archive"] == ["0"] for r in server.requests_to("GET", "/api/entries.json"))
    grants = [r.form["grant_type"][0] for r in server.requests_to("POST", "/oauth/v2/token")]
    assert grants == ["password"]  # one token for the whole listing


def test_expired_token_is_refreshed(server: WallabagStandIn) -> None:
    kind = open_kind(address(server), CREDS)
    kind.list_new(1)
    server.expire_tokens()
    assert len(kind.list_new(1)) == 1
    grants = [r.form["grant_type"][0] for r in server.requests_to("POST", "/oauth/v2/token")]
    assert grants == ["password", "refresh_token"]


def test_archive_write_back_sent_once(server: WallabagStandIn) -> None:
    kind = open_kind(address(server), CREDS)
    item = kind.list_new(1)[0]
    kind.write_back(item, "archive")
    patches = server.requests_to("PATCH", f"/api/entries/{item.id}.json")
    assert len(patches) == 1 and patches[0].form == {"archive": ["1"]}
    assert item.id not in [i.id for i in kind.list_new(50)]
    with pytest.raises(KindError, match="--when-published read is not possible"):
        kind.write_back(item, "read")


def test_wrong_password_is_one_line_without_secrets(server: WallabagStandIn) -> None:
    kind = open_kind(address(server), {**CREDS, "password": "hunter2"})
    with pytest.raises(KindError) as caught:
        kind.list_new(3)
    assert caught.value.auth
    assert str(caught.value) == f"{address(server)}: authentication failed"
    assert "hunter2" not in str(caught.value) and "secret" not in str(caught.value)


def test_missing_credential_named() -> None:
    with pytest.raises(KindError, match="missing credential client_secret"):
        open_kind(
            "wallabag+https://wb.example", {k: v for k, v in CREDS.items() if k != "client_secret"}
        )


def test_plain_http_only_to_loopback() -> None:
    with pytest.raises(KindError, match="only to a loopback"):
        open_kind("wallabag+http://wb.example", CREDS)


def test_unreachable_names_host_port() -> None:
    from tests.support.dovecot import free_port

    port = free_port()
    kind = open_kind(f"wallabag+http://127.0.0.1:{port}", CREDS)
    with pytest.raises(
        KindError, match=rf"cannot reach 127\.0\.0\.1:{port} \(Connection refused\)"
    ):
        kind.list_new(1)
