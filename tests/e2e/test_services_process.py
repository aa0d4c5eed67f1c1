"""Read-later services and newsletters end to end: ``follow`` a Wallabag stand-in
(tests/support/services) and a real Dovecot mailbox, ``update`` -> episodes in the feed and
the items archived or marked seen there, once, after the episode is published; ``remove``
-> no write-back again, no episode again; the same article in Wallabag and in a feed -> one
episode; kill -9 between publishing and writing back -> written back at the next update,
no second episode. The fake voice and short articles keep it quick."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.support import invoke_cli
from tests.support.cli import cli_runner
from tests.support.feed_server import FeedServer
from tests.support.services.base import Answer, Recorded
from tests.support.services.wallabag import WallabagStandIn, wallabag_entry
from tests.support.sources_fixtures import rss

run = partial(invoke_cli, out="show", catch_exceptions=False)

CREDS = {
    "client_id": "1_client",
    "client_secret": "s3cr3t-client",
    "username": "wallabag",
    "password": "pa55-wallabag",
}


class Watched(WallabagStandIn):
    """The Wallabag stand-in, noting for every ``PATCH`` (write-back) whether the entry's
    episode was already in the show's published feed at that moment."""

    def __init__(self, entries: list[dict[str, Any]], feed: Path) -> None:
        super().__init__(
            entries,
            client_secret=CREDS["client_secret"],
            password=CREDS["password"],
        )
        self.feed = feed
        self.in_feed_at_patch: list[tuple[str, bool]] = []
        self.feed_at_patch: list[str] = []

    def answer(self, request: Recorded) -> Answer:
        if request.method == "PATCH":
            entry_id = request.path.rsplit("/", 1)[1].split(".")[0]
            title = f"Article {entry_id}"
            text = self.feed.read_text(encoding="utf-8") if self.feed.is_file() else ""
            self.in_feed_at_patch.append((title, f"<title>{title}</title>" in text))
            self.feed_at_patch.append(text)
        return super().answer(request)

    def patched(self) -> list[str]:
        return [r.path for r in self.received if r.method == "PATCH"]


@pytest.fixture
def service_env(workdir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fake voice for the show and a private config folder (credentials.toml)."""
    (workdir / "newsaudio.toml").write_text('voice = "fake"\n', encoding="utf-8")
    config = tmp_path / "config"
    monkeypatch.setenv("NEWSAUDIO_CONFIG_DIR", str(config))
    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    return config


@pytest.fixture
def wallabag(workdir: Path, service_env: Path) -> Iterator[Watched]:
    entries = [wallabag_entry(n) for n in range(1, 5)]
    with Watched(entries, workdir / "show" / "feed.xml") as server:
        yield server  # type: ignore[misc]


def _follow_asking(address: str, answers: list[str], *extra: str) -> Any:
    """``follow`` answering the hidden prompts from standard input, one line each."""
    from newsaudio.cli import cli

    return cli_runner().invoke(
        cli,
        ["follow", address, *extra, "--out", "show"],
        input="".join(a + "\n" for a in answers),
        catch_exceptions=False,
    )


def _titles(show: Path) -> list[str]:
    feed = feedparser.parse((show / "feed.xml").read_bytes())
    return sorted(e.title for e in feed.entries)


def test_wallabag_follow_update_write_back_remove(
    workdir: Path, wallabag: Watched, service_env: Path
) -> None:
    address = "wallabag+" + wallabag.url
    wrong = _follow_asking(address, ["1_client", "s3cr3t-client", "wallabag", "nope"])
    assert wrong.exit_code == 3
    assert wrong.stderr == f"newsaudio: error: {address}: authentication failed\n"
    assert not (service_env / "credentials.toml").exists()  # nothing kept from a failure

    followed = _follow_asking(address, [CREDS[k] for k in CREDS])
    assert followed.exit_code == 0, followed.stderr
    assert "Following Wallabag (127.0.0.1)" in followed.stdout
    secrets_file = service_env / "credentials.toml"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert "pa55-wallabag" in secrets_file.read_text(encoding="utf-8")

    made = run("update", "--json")
    assert made.exit_code == 0, made.stderr
    out = json.loads(made.stdout)
    assert sorted(e["title"] for e in out["episodes"]) == ["Article 2", "Article 3", "Article 4"]
    assert out["sources"][0]["written_back"] == 3 and out["sources"][0]["write_back_failed"] == 0
    # archived once each, and only once the episode was in the published feed
    assert sorted(wallabag.patched()) == [f"/api/entries/{n}.json" for n in (2, 3, 4)]
    assert all(in_feed for _, in_feed in wallabag.in_feed_at_patch)
    assert all(r.form["archive"] == ["1"] for r in wallabag.received if r.method == "PATCH")
    assert _titles(workdir / "show") == ["Article 2", "Article 3", "Article 4"]

    quiet = run("update")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert len(wallabag.patched()) == 3  # nothing sent twice
    logged = _newsaudio(workdir, "-v", "update")  # every log line of a run: no secret
    _, log = logged.communicate(timeout=120)
    assert logged.returncode == 0 and "Wallabag (127.0.0.1)" in log
    assert not any(v in log for v in ("pa55-wallabag", "s3cr3t-client"))

    wallabag.entries.append(wallabag_entry(5))
    again = run("update", "--json")
    assert [e["title"] for e in json.loads(again.stdout)["episodes"]] == ["Article 5"]
    assert wallabag.patched()[-1] == "/api/entries/5.json" and len(wallabag.patched()) == 4

    guid = json.loads(again.stdout)["episodes"][0]["guid"]
    assert run("remove", guid).exit_code == 0
    wallabag.entries[-1]["is_archived"] = 0  # the user unarchives it in Wallabag
    after = run("update", "--json")
    assert after.exit_code == 0 and json.loads(after.stdout)["episodes"] == []
    assert len(wallabag.patched()) == 4  # removed: no episode again, no write-back again

    # secrets nowhere but the credentials file
    listing = run("sources", "--json")
    exported = run("sources", "export")
    feed_text = (workdir / "show" / "feed.xml").read_text(encoding="utf-8")
    page = workdir / "show" / "index.html"
    for text in (
        listing.stdout,
        exported.stdout,
        feed_text,
        page.read_text(encoding="utf-8") if page.is_file() else "",
        made.stdout + made.stderr,
    ):
        for secret in ("pa55-wallabag", "s3cr3t-client"):
            assert secret not in text
    row = json.loads(listing.stdout)[0]
    assert row["kind"] == "wallabag" and row["url"] == address
    assert row["published"] == 3  # one of the four removed
    assert f'xmlUrl="{address}"' in exported.stdout

    secrets_file.chmod(0o644)
    refused = run("update")
    assert refused.exit_code == 10
    assert "readable by others (mode 0644); run: chmod 600" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_same_article_in_wallabag_and_a_feed_is_one_episode(
    workdir: Path, wallabag: Watched, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = " ".join(["Body of article 4."] * 40)
    feeds.put(
        "/rss.xml",
        rss(
            [
                {
                    "title": "Article 4",
                    "guid": "feed-4",
                    "link": "https://news.example/articles/4?utm_campaign=rss",
                    "date": "Mon, 30 Nov 2026 05:04:00 GMT",
                    "body": body,
                }
            ]
        ),
    )
    assert run("follow", feeds.url("/rss.xml")).exit_code == 0
    for key, value in CREDS.items():
        monkeypatch.setenv(f"WB_{key.upper()}", value)
    creds = [f"--credential={k}=WB_{k.upper()}" for k in CREDS]
    followed = run("follow", "wallabag+" + wallabag.url, "--limit", "1", *creds)
    assert followed.exit_code == 0, followed.stderr
    out = json.loads(run("update", "--json").stdout)
    assert [e["title"] for e in out["episodes"]] == ["Article 4"]
    assert [e["source"] for e in out["episodes"]] == ["Harbour Daily"]
    assert _titles(workdir / "show") == ["Article 4"]
    # the Wallabag entry was made from the feed: it is archived all the same, once
    assert wallabag.patched() == ["/api/entries/4.json"]


def _newsaudio(workdir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsaudio", *args, "--out", "show"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


@pytest.mark.slow
def test_kill_9_between_publish_and_write_back(
    workdir: Path, wallabag: Watched, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in CREDS.items():
        monkeypatch.setenv(f"WB_{key.upper()}", value)
    creds = [f"--credential={k}=WB_{k.upper()}" for k in CREDS]
    assert run("follow", "wallabag+" + wallabag.url, "--limit", "1", *creds).exit_code == 0
    wallabag.hold("PATCH", "/api/entries/")
    proc = _newsaudio(workdir, "update")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not wallabag.patched() and proc.poll() is None:
            time.sleep(0.05)
        assert wallabag.patched() == ["/api/entries/4.json"], proc.poll()
        proc.send_signal(signal.SIGKILL)  # the episode is published, the archive not answered
        proc.wait(30)
    finally:
        wallabag.release()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert wallabag.entries[3]["is_archived"] == 0
    assert _titles(workdir / "show") == ["Article 4"]
    pending = json.loads(run("sources", "--json").stdout)[0]
    assert pending["published"] == 1

    again = _newsaudio(workdir, "update", "--json")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert report["episodes"] == []  # no second episode
    assert report["sources"][0]["written_back"] == 1
    assert wallabag.entries[3]["is_archived"] == 1
    assert wallabag.patched() == ["/api/entries/4.json"] * 2
    assert _titles(workdir / "show") == ["Article 4"]
    quiet = run("update")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert len(wallabag.patched()) == 2


def test_failing_write_back_is_retried_and_shown(
    workdir: Path, wallabag: Watched, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.services.base import json_answer

    for key, value in CREDS.items():
        monkeypatch.setenv(f"WB_{key.upper()}", value)
    creds = [f"--credential={k}=WB_{k.upper()}" for k in CREDS]
    assert run("follow", "wallabag+" + wallabag.url, "--limit", "1", *creds).exit_code == 0
    original = wallabag.answer

    def broken(request: Recorded) -> Answer:
        if request.method == "PATCH":
            return json_answer({"code": 500, "message": "Internal Server Error"}, 500)
        return original(request)

    wallabag.answer = broken  # type: ignore[method-assign]
    first = run("update", "--json")
    assert first.exit_code == 10
    assert json.loads(first.stdout)["sources"][0]["write_back_failed"] == 1
    assert "Article 4: write-back (archive) failed:" in first.stderr
    assert "HTTP 500 from /api/entries/4.json; will retry at the next update" in first.stderr
    shown = run("sources")
    assert "write-back failed for 1 (retried at the next update): Article 4:" in shown.stdout
    assert json.loads(run("sources", "--json").stdout)[0]["write_back_failed"] == 1

    wallabag.answer = original  # type: ignore[method-assign]
    second = run("update", "--json")
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout) == {
        "sources": [
            {
                "name": "Wallabag (127.0.0.1)",
                "url": "wallabag+" + wallabag.url,
                "status": "ok",
                "new": 0,
                "published": 0,
                "failed": 0,
                "skipped": 0,
                "written_back": 1,
                "write_back_failed": 0,
            }
        ],
        "episodes": [],
    }
    assert wallabag.entries[3]["is_archived"] == 1
    assert "write-back failed" not in run("sources").stdout


def test_a_failing_source_fails_alone_with_exit_10(
    workdir: Path, wallabag: Watched, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in CREDS.items():
        monkeypatch.setenv(f"WB_{key.upper()}", value)
    creds = [f"--credential={k}=WB_{k.upper()}" for k in CREDS]
    assert run("follow", "wallabag+" + wallabag.url, "--limit", "1", *creds).exit_code == 0
    feeds.put(
        "/rss.xml",
        rss(
            [
                {
                    "title": "Harbour story",
                    "guid": "h1",
                    "link": "http://example.invalid/h1",
                    "date": "Mon, 30 Nov 2026 05:04:00 GMT",
                    "body": " ".join(["The harbour story goes on."] * 40),
                }
            ]
        ),
    )
    assert run("follow", feeds.url("/rss.xml")).exit_code == 0
    monkeypatch.setenv("WB_PASSWORD", "changed")
    result = run("update", "--json")
    assert result.exit_code == 10
    assert result.stderr == (
        f"newsaudio: error: Wallabag (127.0.0.1): wallabag+{wallabag.url}: authentication failed\n"
    )
    assert [e["title"] for e in json.loads(result.stdout)["episodes"]] == ["Harbour story"]
    monkeypatch.delenv("WB_PASSWORD")
    unset = run("update")
    assert unset.exit_code == 10
    assert "environment variable WB_PASSWORD (credential password) is not set" in unset.stderr
    assert not wallabag.patched()


# -- IMAP: a real Dovecot ------------------------------------------------------------------

dovecot_needed = pytest.mark.skipif(
    subprocess.run(["which", "dovecot"], capture_output=True).returncode != 0
    and not Path("/usr/sbin/dovecot").exists(),
    reason="dovecot-imapd not installed",
)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Any]:
    from tests.support import dovecot

    if dovecot.dovecot_binary() is None:
        pytest.skip("dovecot-imapd not installed")
    with dovecot.running_dovecot() as server:
        for build in (
            dovecot.multipart_alternative_newsletter,
            dovecot.base64_html_newsletter,
            dovecot.latin1_newsletter,
            dovecot.image_only_newsletter,
            dovecot.tracking_newsletter,
        ):
            server.append("Newsletters", build())
        yield server


@dovecot_needed
@pytest.mark.slow
def test_newsletters_from_dovecot(
    workdir: Path, service_env: Path, mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = f"imap://{mailbox.user}@127.0.0.1:{mailbox.imap_port}/Newsletters"
    monkeypatch.setenv("MAIL_PASSWORD", "wrong")
    wrong = run("follow", address, "--credential", "password=MAIL_PASSWORD")
    assert wrong.exit_code == 3
    assert wrong.stderr == f"newsaudio: error: {address}: authentication failed\n"
    monkeypatch.setenv("MAIL_PASSWORD", mailbox.password)
    missing = run("follow", address + "x", "--credential", "password=MAIL_PASSWORD")
    assert missing.exit_code == 3
    assert "mailbox folder 'Newslettersx' does not exist" in missing.stderr
    nowhere = run(
        "follow", address, "--credential", "password=MAIL_PASSWORD", "--move-to", "Nowhere"
    )
    assert nowhere.exit_code == 3
    assert nowhere.stderr == (
        f"newsaudio: error: {address}: mailbox folder 'Nowhere' does not exist\n"
    )
    conn = mailbox.connect()
    conn.create('"Listened"')
    conn.logout()
    followed = run(
        "follow",
        address,
        "--credential",
        "password=MAIL_PASSWORD",
        "--limit",
        "10",
        "--move-to",
        "Listened",
    )
    assert followed.exit_code == 0, followed.stderr
    assert "Following Newsletters (reader@127.0.0.1)" in followed.stdout
    assert not (service_env / "credentials.toml").exists()  # only the variable's name kept

    dry = run("update", "--dry-run", "--json")
    planned = {p["title"]: p["text_source"] for p in json.loads(dry.stdout)["planned"]}
    assert "Issue 44: photo special" not in planned and len(planned) == 4  # image-only
    assert json.loads(dry.stdout)["sources"][0]["skipped"] == 1
    assert all("\\Seen" not in f for f in mailbox.flags("Newsletters"))  # dry: nothing changed

    made = run("update", "--json")
    assert made.exit_code == 0, made.stderr
    out = json.loads(made.stdout)
    episodes = {e["title"]: e for e in out["episodes"]}
    assert sorted(episodes) == [
        "Issue 42: the new ferry timetable",
        "Issue 43: lighthouse repairs",
        "Issue 45: tracked",
        "Numéro 7 : la fête du port",
    ]
    assert episodes["Numéro 7 : la fête du port"]["source"] == "Le Café du Port"
    assert {e["text_source"] for e in out["episodes"]} == {"feed"}
    assert out["sources"][0]["skipped"] == 1 and out["sources"][0]["written_back"] == 4
    # the published newsletters were marked seen and moved; the skipped one stays unseen
    left = mailbox.flags("Newsletters")
    assert len(left) == 1 and "\\Seen" not in left[0]
    moved = mailbox.flags("Listened")
    assert len(moved) == 4 and all("\\Seen" in f for f in moved)
    feed_text = (workdir / "show" / "feed.xml").read_text(encoding="utf-8")
    assert "Preheader you never see" not in feed_text and mailbox.password not in feed_text

    quiet = run("update")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_digest_of_saved_articles_is_written_back_after_publish(
    workdir: Path, wallabag: Watched, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in CREDS.items():
        monkeypatch.setenv(f"WB_{key.upper()}", value)
    creds = [f"--credential={k}=WB_{k.upper()}" for k in CREDS]
    assert run("follow", "wallabag+" + wallabag.url, "--limit", "2", *creds).exit_code == 0
    dry = run("update", "--digest", "--dry-run", "--json")
    assert len(json.loads(dry.stdout)["planned"]) == 2 and not wallabag.patched()
    made = run("update", "--digest", "--json")
    assert made.exit_code == 0, made.stderr
    out = json.loads(made.stdout)
    (bulletin,) = out["episodes"]
    assert bulletin["kind"] == "digest" and bulletin["stories"] == ["Article 4", "Article 3"]
    assert sorted(wallabag.patched()) == ["/api/entries/3.json", "/api/entries/4.json"]
    # the digest was in the published feed when each archive request came
    assert all(bulletin["title"] in text for text in wallabag.feed_at_patch)
    assert out["sources"][0]["written_back"] == 2
