"""The 20 real-world feeds of ../shared/corpora/feeds/, served from 127.0.0.1: each is
followed and ``update --dry-run`` lists its items or fails with one clear line."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsaudio.cli import cli
from tests.support import SHARED, cli_runner

FEEDS = SHARED / "corpora" / "feeds"


def _index() -> list[dict[str, Any]]:
    path = FEEDS / "index.json"
    if not path.is_file():
        pytest.skip("../shared is absent")
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


@pytest.fixture
def corpus_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    handler = functools.partial(_Quiet, directory=str(FEEDS))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_real_feeds_follow_and_dry_run(workdir: Path, corpus_url: str) -> None:
    index = _index()
    assert len(index) == 20
    runner = cli_runner()
    for feed in index:
        result = runner.invoke(cli, ["follow", corpus_url + feed["file"], "--out", "show"])
        assert "Traceback" not in result.output + result.stderr
        if result.exit_code != 0:  # a refusal is one clear line naming the feed
            assert result.stderr.count("\n") == 1 and feed["file"] in result.stderr
            continue
        m = re.search(r": (\d+) items?", result.stdout)
        assert m, result.stdout
        if feed["well_formed"]:
            assert int(m.group(1)) == feed["items"], feed["name"]
    result = runner.invoke(cli, ["update", "--dry-run", "--json", "--out", "show"])
    assert "Traceback" not in result.stderr
    out = json.loads(result.stdout)
    assert out["episodes"] == []
    by_url = {s["url"]: s for s in out["sources"]}
    planned: dict[str, list[dict[str, Any]]] = {}
    for p in out["planned"]:
        planned.setdefault(p["source"], []).append(p)
    for feed in index:
        source = by_url[corpus_url + feed["file"]]
        assert source["status"] == "ok", source
        items = planned[source["name"]]
        assert 1 <= len(items) <= 3  # first run: the newest 3, never the archive
        for item in items:
            assert item["title"].strip()
            assert item["text_source"] in ("feed", "page") or item["skipped"]
        if feed["items_with_enclosure"] == feed["items"] and feed["items_full_text_ge150w"] == 0:
            assert all(i["skipped"] for i in items), feed["name"]  # podcasts: audio only
        if feed["items_full_text_ge150w"] == feed["items"]:
            assert all(i["text_source"] == "feed" for i in items), feed["name"]
    # a dry run changes nothing: the real run would still see every item as new
    again = runner.invoke(cli, ["update", "--dry-run", "--json", "--out", "show"])
    assert json.loads(again.stdout)["planned"] == out["planned"]
    assert result.exit_code == 0, result.stderr
