"""The inbox routes in process (Starlette's test client, a real SQLite queue): every body a
share sheet or shortcut sends (JSON, url-encoded form, multipart form, plain text), and one
JSON error for what cannot be read."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from newsaudio.inbox.api import inbox_routes
from newsaudio.inbox.queue import InboxQueue
from newsaudio.inbox.tokens import TokenStore
from newsaudio.publish.serve import create_app


@pytest.fixture
def client(tmp_path: Path) -> tuple[Any, dict[str, str], InboxQueue]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    tokens = TokenStore(tmp_path / "inbox.sqlite")
    queue = InboxQueue(tmp_path / "inbox.sqlite")
    app = create_app(tmp_path, None, inbox_routes(queue, tokens, allow_private=True))
    return TestClient(app), {"Authorization": "Bearer " + tokens.add("phone")}, queue


def test_every_body_kind_is_read(client: tuple[Any, dict[str, str], InboxQueue]) -> None:
    c, auth, queue = client
    api = "/api/inbox"
    assert c.post(api, json={"url": "http://127.0.0.1/json"}, headers=auth).status_code == 202
    assert c.post(api, data={"url": "http://127.0.0.1/form"}, headers=auth).status_code == 202
    multipart = c.post(api, files={"url": (None, "http://127.0.0.1/multi")}, headers=auth)
    assert multipart.status_code == 202
    text = c.post(api, content=b"see http://127.0.0.1/text.", headers={
        **auth, "Content-Type": "text/plain"})  # fmt: skip
    assert text.status_code == 202
    urls = {i.url for i in queue.items()}
    assert urls == {f"http://127.0.0.1/{n}" for n in ("json", "form", "multi", "text")}


@pytest.mark.parametrize(
    ("body", "ctype", "status", "words"),
    [
        (b"[1]", "application/json", 400, "must be an object"),
        (b"{bad", "application/json", 400, "not valid JSON"),
        (b'{"url": 5}', "application/json", 400, "url: expected a string"),
        (b"x", "image/png", 415, "unsupported Content-Type"),
        (b'{"url": "see nothing"}', "application/json", 400, "no http(s) link"),
    ],
)
def test_unreadable_bodies_answer_one_json_error(
    client: tuple[Any, dict[str, str], InboxQueue],
    body: bytes,
    ctype: str,
    status: int,
    words: str,
) -> None:
    c, auth, queue = client
    got = c.post("/api/inbox", content=body, headers={**auth, "Content-Type": ctype})
    assert got.status_code == status and words in got.json()["error"]
    assert queue.items() == []


def test_healthz_without_a_home_is_ok(client: tuple[Any, dict[str, str], InboxQueue]) -> None:
    c, _, _ = client
    got = c.get("/healthz")
    assert got.json() == {"status": "ok"} and got.headers["cache-control"] == "no-store"
