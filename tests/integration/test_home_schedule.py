"""What ``serve --update-every`` runs: one scheduled ``update`` through :class:`Home`, under
the update lock (a run that falls due while another holds it is skipped and logged), and an
inbox link already made by ``update`` answering as published (one episode)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from newsaudio.config import load_show
from newsaudio.pipeline.context import AddOptions
from newsaudio.pipeline.home import Home, Schedule
from newsaudio.pipeline.update import update_lock
from tests.support import invoke_cli
from tests.support.feed_server import FeedServer
from tests.support.sources_fixtures import long_text, rss


def test_scheduled_update_publishes_and_is_skipped_while_another_runs(
    workdir: Path, feeds: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    (workdir / "newsaudio.toml").write_text(
        'voice = "fake"\njingles = false\nout_dir = "show"\n', encoding="utf-8"
    )
    link = feeds.url("/story/1")
    feeds.put("/rss.xml", rss([{"title": "Quay story", "guid": "urn:q:1", "link": link,
                                "date": "Mon, 07 Dec 2026 06:00:00 GMT",
                                "body": long_text(170, "Quay")}]))  # fmt: skip
    assert invoke_cli("follow", feeds.url("/rss.xml")).exit_code == 0
    show = load_show(None)
    home = Home(show, AddOptions.from_show(show), schedule=Schedule(every_s=1800))
    assert home.health()["last_update"] is None
    caplog.set_level(logging.INFO, logger="newsaudio.serve")
    with update_lock(show) as got:
        assert got
        home.run_update_now()
    assert "skipped, another update of the show is running" in caplog.text
    assert home.last_update is None

    home.run_update_now()
    assert home.last_update is not None and "1 new episodes" in caplog.text
    assert home.health()["last_update"].endswith("Z")
    feed = (show.out_dir / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 1

    # the same article shared to the inbox: already in the show, one episode
    assert home.queue is not None
    got_item = home.queue.submit(link + "?utm_source=phone")
    assert not got_item.created and got_item.status == "published"
