"""LLM briefs against the local chat-completions stand-in: requests, retries, errors,
cleaning and the honesty check."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from newsaudio.summarize.llm import (
    ChatClient,
    LlmHttpSettings,
    SummarizerError,
    check_summary,
    clean_summary,
    messages,
    summarize,
)
from tests.support.chat_server import ChatServer, Scripted, rate_limited, server_error

ARTICLE = (
    "Springfield. The city council of Springfield approved a budget of $3,400,000 on "
    "Tuesday, with 40% going to schools. Mayor Ann Lee said the money will fund two new "
    "libraries by March 2027. John Smith, the council's treasurer, voted against it. "
    "The vote was 7-2, and the plan takes effect on December 1."
)
FAST = LlmHttpSettings(
    timeout_s=2.0, attempts=3, backoff_base_s=0.01, backoff_max_s=0.05, retry_after_max_s=2.0
)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


def client(server: ChatServer, **kw: object) -> ChatClient:
    return ChatClient(server.base_url, "stand-in", settings=kw.pop("settings", FAST), **kw)  # type: ignore[arg-type]


def test_request_shape_and_faithful_summary(server: ChatServer) -> None:
    server.script(
        "Springfield approved a $3.4 million budget on Tuesday. Mayor Ann Lee said "
        "it funds two new libraries."
    )
    text = summarize(client(server, api_key="sk-test"), "Budget passes", ARTICLE, 40, "en-GB")
    assert text.startswith("Springfield approved") and check_summary(text, ARTICLE) is None
    (req,) = server.requests
    assert req["path"] == "/v1/chat/completions"
    body = req["json"]
    assert body["model"] == "stand-in" and body["stream"] is False and body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "about 40 words, in English" in body["messages"][1]["content"]
    assert req["headers"]["Authorization"] == "***"  # sent, and never logged by the stand-in


def test_usage_and_finish_reason(server: ChatServer) -> None:
    server.script(Scripted(content="The council voted. The plan was", finish_reason="length"))
    reply = client(server).complete(messages("t", ARTICLE, 30, "en"))
    assert reply.finish_reason == "length" and reply.usage["total_tokens"] > 0
    assert clean_summary(reply.content, truncated=True) == "The council voted."


def test_429_with_retry_after_is_waited_for(server: ChatServer) -> None:
    server.script(rate_limited(1), "The council voted 7-2.")
    c = client(server)
    start = time.monotonic()
    assert summarize(c, "t", ARTICLE, 20, "en") == "The council voted 7-2."
    assert time.monotonic() - start >= 0.95
    assert c.http.stats.retry_after_s == [1.0] and len(server.requests) == 2


def test_5xx_retried_then_gives_up(server: ChatServer) -> None:
    server.script(server_error(503), "Fine.")
    assert summarize(client(server), "t", ARTICLE, 20, "en") == "Fine."
    server.script(server_error(500), server_error(502), server_error(500))
    with pytest.raises(SummarizerError, match=r"HTTP 500 .* gave up after 3 attempts"):
        summarize(client(server), "t", ARTICLE, 20, "en")


def test_timeout_retried(server: ChatServer) -> None:
    slow = LlmHttpSettings(timeout_s=0.3, attempts=2, backoff_base_s=0.01, backoff_max_s=0.02)
    server.script(Scripted(content="late", delay_s=0.6), "On time.")
    assert summarize(client(server, settings=slow), "t", ARTICLE, 20, "en") == "On time."


def test_wrong_key_and_bad_path_are_not_retried() -> None:
    with ChatServer(api_key="right") as s:
        with pytest.raises(SummarizerError, match="HTTP 401"):
            summarize(client(s, api_key="wrong"), "t", ARTICLE, 20, "en")
        assert len(s.requests) == 1
        with pytest.raises(SummarizerError, match="HTTP 404"):
            ChatClient(s.base_url + "/nope", "m", "right", FAST).complete(
                [{"role": "user", "content": "x"}]
            )


def test_dead_endpoint_fails_fast_with_one_line() -> None:
    with ChatServer() as s:
        url = s.base_url
    start = time.monotonic()
    with pytest.raises(SummarizerError, match="cannot reach") as info:
        summarize(ChatClient(url, "m", settings=FAST), "t", ARTICLE, 20, "en")
    assert "\n" not in str(info.value) and time.monotonic() - start < 5


@pytest.mark.parametrize("reply", ["", "   ", "**\n\n**", "```\n```"])
def test_empty_reply_refused(server: ChatServer, reply: str) -> None:
    server.script(reply)
    with pytest.raises(SummarizerError, match="empty"):
        summarize(client(server), "t", ARTICLE, 20, "en")


def test_broken_json_is_one_line(server: ChatServer) -> None:
    server.script(Scripted(raw=b"{not json"))
    with pytest.raises(SummarizerError, match="no choices"):
        summarize(client(server), "t", ARTICLE, 20, "en")


def test_stand_in_streams_and_validates() -> None:
    with ChatServer() as s:
        s.script("Two words")
        r = requests.post(
            s.base_url + "/chat/completions",
            json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "x"}]},
            timeout=5,
        )
        lines = [ln for ln in r.text.splitlines() if ln.startswith("data: ")]
        assert lines[-1] == "data: [DONE]" and '"chat.completion.chunk"' in lines[0]
        bad = requests.post(s.base_url + "/chat/completions", json={"messages": []}, timeout=5)
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "model"
        assert requests.get(s.base_url + "/models", timeout=5).json()["data"][0]["id"] == "stand-in"
