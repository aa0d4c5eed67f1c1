"""Inbox tokens: hashed at rest, constant-time check, add/list/revoke, last use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsaudio.inbox.tokens import TokenError, TokenStore, bearer_token, hash_token


@pytest.fixture
def store(tmp_path: Path) -> TokenStore:
    return TokenStore(tmp_path / "state.sqlite")


def test_token_is_random_urlsafe_and_stored_only_hashed(store: TokenStore) -> None:
    token = store.add("phone")
    assert len(token) == 43 and all(c.isalnum() or c in "-_" for c in token)
    raw = (store.path).read_bytes() + Path(str(store.path) + "-wal").read_bytes()
    assert token.encode() not in raw
    row = sqlite3.connect(store.path).execute("SELECT hash FROM inbox_tokens").fetchone()
    assert row[0] == hash_token(token)


def test_check_names_the_device_and_records_last_use(tmp_path: Path) -> None:
    times = iter(["2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z", "2026-12-07T11:30:00Z"])
    s = TokenStore(tmp_path / "s.sqlite", now=lambda: next(times))
    phone, laptop = s.add("phone"), s.add("laptop")
    assert s.check(laptop) == "laptop"
    assert s.check(phone + "x") is None and s.check("") is None and s.check(None) is None
    listed = {t.name: t for t in s.list()}
    assert listed["laptop"].last_used == "2026-12-07T11:30:00Z"
    assert listed["phone"].last_used is None
    assert phone != laptop


def test_revoke_stops_only_that_device(store: TokenStore) -> None:
    phone, tablet = store.add("phone"), store.add("tablet")
    store.revoke("phone")
    assert store.check(phone) is None
    assert store.check(tablet) == "tablet"
    with pytest.raises(TokenError, match="no such token"):
        store.revoke("phone")


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "ph/one", "é"])
def test_bad_names_refused(store: TokenStore, name: str) -> None:
    with pytest.raises(TokenError, match="token name"):
        store.add(name)


def test_duplicate_name_refused(store: TokenStore) -> None:
    store.add("phone")
    with pytest.raises(TokenError, match="exists"):
        store.add("phone")


def test_list_never_holds_the_token(store: TokenStore) -> None:
    token = store.add("phone")
    assert token not in repr(store.list())


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer ", None),
        (None, None),
        ("", None),
    ],
)
def test_bearer(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
