"""Inbox link refusals and the per-token rate limiter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudio.inbox.guard import (
    MAX_URL_CHARS,
    RateLimiter,
    Refused,
    check_url,
    find_url,
    non_public_reason,
    pick_url,
)

PUBLIC = {"news.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}


def table(extra: dict[str, list[str]] | None = None):  # type: ignore[no-untyped-def]
    hosts = {**PUBLIC, **(extra or {})}

    def resolve(host: str) -> list[str]:
        if host not in hosts:
            raise Refused(f"{host}: the host name does not resolve")
        return hosts[host]

    return resolve


@pytest.mark.parametrize(
    ("url", "text", "title", "picked"),
    [
        ("https://news.example/a", None, None, "https://news.example/a"),
        (
            None,
            "Big story https://news.example/b?x=1. via NewsApp",
            None,
            "https://news.example/b?x=1",
        ),
        ("", "see (https://news.example/c)", None, "https://news.example/c"),
        (
            None,
            None,
            "t https://en.wikipedia.org/wiki/Foo_(bar)",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
        ),
        ("not a link", "HTTPS://News.Example/d", None, "HTTPS://News.Example/d"),
    ],
)
def test_pick_url_order(url: str | None, text: str | None, title: str | None, picked: str) -> None:
    assert pick_url(url, text, title) == picked


def test_pick_url_refusals() -> None:
    with pytest.raises(Refused, match="not ftp:"):
        pick_url("ftp://x/y")
    with pytest.raises(Refused, match="not javascript:"):
        pick_url("javascript:alert(1)")
    with pytest.raises(Refused, match="no http"):
        pick_url(None, "nothing here", "")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "64:ff9b::a00:1",
        "2002:c0a8:101::1",
        "192.0.2.1",
        "198.18.0.1",
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert non_public_reason(address) is not None


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses(address: str) -> None:
    assert non_public_reason(address) is None


def test_check_url_rules() -> None:
    r = table({"router.home": ["192.168.1.1"], "rebind.example": ["93.184.215.14", "127.0.0.1"]})
    assert check_url("https://news.example/a", resolver=r) == "https://news.example/a"
    for url, message in [
        ("http://router.home/admin", "192.168.1.1, a private address"),
        ("http://rebind.example/", "127.0.0.1, a loopback"),
        ("http://127.0.0.1:8000/feed.xml", "loopback"),
        ("http://[::ffff:169.254.169.254]/latest", "link-local"),
        ("http://[fe80::1%25eth0]/", "link-local"),
        ("http://nowhere.invalid/", "does not resolve"),
        ("file:///etc/passwd", "not file:"),
        ("https://user:pw@news.example/", "user name"),
        ("https:///path", "no host"),
        ("https://news.example:99999/", "not a valid link"),
        ("https://news.example/" + "a" * MAX_URL_CHARS, "at most 2,048"),
    ]:
        with pytest.raises(Refused, match=message.replace("(", r"\(").replace(".", r"\.")):
            check_url(url, resolver=r)
    assert check_url("http://router.home/x", allow_private=True, resolver=r)


def test_real_resolver_refuses_localhost() -> None:
    with pytest.raises(Refused, match="loopback"):
        check_url("http://localhost:8000/")


@given(st.text(max_size=200))
def test_find_url_never_crashes_and_returns_a_prefix_free_http_url(text: str) -> None:
    found = find_url(text)
    if found is not None:
        assert found.lower().startswith(("http://", "https://"))
        assert found in text
        assert not any(c.isspace() for c in found)


def test_rate_limiter_sliding_window() -> None:
    now = [1000.0]
    rl = RateLimiter(limit=30, window_s=60, clock=lambda: now[0])
    for i in range(30):
        now[0] = 1000.0 + i  # one a second
        assert rl.hit("phone") is None
    assert rl.hit("phone") == 31  # oldest (t=1000) leaves the window at 1060
    assert rl.hit("laptop") is None  # per token
    now[0] = 1060.5
    assert rl.hit("phone") is None
    assert rl.hit("phone") == 1  # t=1001 leaves at 1061 -> 0.5 s -> at least 1


def test_rate_limiter_memory_is_bounded() -> None:
    now = [0.0]
    rl = RateLimiter(limit=3, window_s=10, clock=lambda: now[0])
    for i in range(1000):
        now[0] = i * 1.0
        rl.hit(f"token-{i}")
    assert len(rl) <= 22


@given(st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=120))
def test_rate_limiter_never_allows_more_than_limit_in_any_window(gaps: list[float]) -> None:
    now = [0.0]
    rl = RateLimiter(limit=5, window_s=10, clock=lambda: now[0])
    allowed: list[float] = []
    for gap in gaps:
        now[0] += gap
        wait = rl.hit("k")
        if wait is None:
            allowed.append(now[0])
        else:
            assert wait >= 1
    for i, t in enumerate(allowed):
        assert sum(1 for u in allowed[i:] if u < t + 10) <= 5


def test_query_tokens_refused_without_echoing_them() -> None:
    from newsaudio.inbox.guard import check_query

    check_query("")
    check_query("page=2")
    for query in ["token=s3cret", "access_token=s3cret", "x=1&Key=s3cret"]:
        with pytest.raises(Refused, match="not accepted in the query string") as info:
            check_query(query)
        assert "s3cret" not in str(info.value) and info.value.status == 400
    with pytest.raises(Refused):
        check_query("q=s3cret", tokens=lambda v: v == "s3cret")


def test_body_size() -> None:
    from newsaudio.inbox.guard import check_body_size

    check_body_size(None)
    check_body_size(64 * 1024)
    with pytest.raises(Refused, match="over 64 KiB") as info:
        check_body_size(64 * 1024 + 1)
    assert info.value.status == 413
