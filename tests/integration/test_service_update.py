"""Every HTTP service kind through ``follow`` and ``update`` (in process, the fake voice):
episodes made from the service's HTML, then one write-back request per item, sent only once
the episode was in the published feed, and never again at the next update."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.support import invoke_cli
from tests.support.services.base import Answer, Recorded, StandIn
from tests.support.services.greader import GReaderStandIn, greader_item
from tests.support.services.karakeep import KarakeepStandIn, karakeep_bookmark
from tests.support.services.miniflux import MinifluxStandIn, miniflux_entry
from tests.support.services.readeck import ReadeckStandIn, readeck_bookmark
from tests.support.services.readwise import ReadwiseStandIn, readwise_document

run = partial(invoke_cli, out="show", catch_exceptions=False)


@dataclass(frozen=True)
class Case:
    """One kind: its stand-in with two items, its address, credentials, and how its
    write-back requests look (method, path prefix)."""

    make: Callable[[], StandIn]
    address: Callable[[StandIn], str]
    credentials: dict[str, str]
    write_back: tuple[str, str]
    extra: tuple[str, ...] = ()


CASES = {
    "readwise": Case(
        lambda: ReadwiseStandIn([readwise_document(n) for n in range(1, 3)]),
        lambda s: "readwise:later",
        {"token": "rw-token"},
        ("PATCH", "/api/v3/update/"),
    ),
    "karakeep": Case(
        lambda: KarakeepStandIn([karakeep_bookmark(n) for n in range(1, 3)]),
        lambda s: "karakeep+" + s.url,
        {"token": "kk-key"},
        ("PATCH", "/api/v1/bookmarks/"),
    ),
    "readeck": Case(
        lambda: ReadeckStandIn([readeck_bookmark(n) for n in range(1, 3)]),
        lambda s: "readeck+" + s.url,
        {"token": "rd-token"},
        ("PATCH", "/api/bookmarks/"),
        ("--when-published", "read"),
    ),
    "miniflux": Case(
        lambda: MinifluxStandIn([miniflux_entry(n) for n in range(1, 3)]),
        lambda s: "miniflux+" + s.url,
        {"token": "mf-token"},
        ("PUT", "/v1/entries"),
    ),
    "greader": Case(
        lambda: GReaderStandIn([greader_item(n) for n in range(1, 3)]),
        lambda s: f"greader+{s.url}/api/greader.php",
        {"username": "alice", "password": "api-pass"},
        ("POST", "/api/greader.php/reader/api/0/edit-tag"),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_update_then_write_back_once_after_publish(
    name: str, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    (workdir / "newsaudio.toml").write_text('voice = "fake"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSAUDIO_CONFIG_DIR", str(tmp_path / "config"))
    feed = workdir / "show" / "feed.xml"
    seen: list[tuple[Recorded, int]] = []  # each write-back and the episodes in the feed then
    server = case.make()
    original = server.answer

    def answer(request: Recorded) -> Answer:
        method, prefix = case.write_back
        if request.method == method and request.path.startswith(prefix):
            text = feed.read_text(encoding="utf-8") if feed.is_file() else ""
            seen.append((request, text.count("<item>")))
        return original(request)

    server.answer = answer  # type: ignore[method-assign]
    with server:
        monkeypatch.setenv("NEWSAUDIO_READWISE_API", server.url)
        for key, value in case.credentials.items():
            monkeypatch.setenv(f"SECRET_{key.upper()}", value)
        creds = [f"--credential={k}=SECRET_{k.upper()}" for k in case.credentials]
        address = case.address(server)
        followed = run("follow", address, "--full-text", "never", *creds, *case.extra)
        assert followed.exit_code == 0, followed.stderr
        made = run("update", "--json")
        assert made.exit_code == 0, made.stderr
        out: dict[str, Any] = json.loads(made.stdout)
        assert len(out["episodes"]) == 2
        assert out["sources"][0]["written_back"] == 2
        assert len(seen) == 2
        # the feed had every episode of this run before the first write-back was sent
        assert all(count == 2 for _, count in seen)
        quiet = run("update")
        assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
        assert len(seen) == 2
        for secret in case.credentials.values():
            assert secret not in feed.read_text(encoding="utf-8")
            assert secret not in run("sources", "--json").stdout

        monkeypatch.setenv(f"SECRET_{next(iter(case.credentials)).upper()}", "wrong")
        refused = run("update")
        assert refused.exit_code == 10
        assert refused.stderr.endswith(f"{address}: authentication failed\n")
        assert refused.stderr.count("\n") == 1
