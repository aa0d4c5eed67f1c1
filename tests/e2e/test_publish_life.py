"""A published show over time: pubDate is the moment an episode entered the feed, retention
never removes what was just made, the base URL stays once given, private feeds live under a
token, `feed check` flags localhost links, a publish killed with SIGKILL at 5 points leaves a
consistent remote, and a real podcast client (gpo) downloads from the published copy.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from newsaudio.config import Show
from newsaudio.pipeline import AddOptions, Result, Runtime, add
from newsaudio.publish import remove_episode
from newsaudio.publish.remote import public_files, publish_show
from tests.support import run_cli as run
from tests.support.episodes import public_show
from tests.support.remote_servers import BUCKET, SlowProxy, aws_env, moto_s3

BASE = "https://pod.example.org/"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
GPO = shutil.which("gpo")

pytestmark = pytest.mark.usefixtures("cache_per_module")


def add_one(workdir: Path, show: Show, title: str, now: datetime | None = None) -> Result:
    """Publish one fake-voice episode locally (its own source file), at ``now``."""
    source = workdir / f"{title.lower().replace(' ', '-')}.txt"
    source.write_text(f"{title}\n\nThe story called {title}, in a few words.\n", encoding="utf-8")
    clock = (lambda: now) if now is not None else None
    runtime = Runtime(now=clock, cache_dir=Path(os.environ["NEWSAUDIO_CACHE_DIR"]))
    return add(str(source), show, AddOptions(voice="fake", jingles=False), runtime)


def items(feed: Path | bytes) -> list[etree._Element]:
    data = feed.read_bytes() if isinstance(feed, Path) else feed
    return etree.fromstring(data).findall("channel/item")


def pub_date(item: etree._Element) -> datetime:
    return email.utils.parsedate_to_datetime(item.findtext("pubDate") or "")


def week_old_article(workdir: Path, body: str = "The ferry is back on the harbour route.") -> Path:
    """An HTML article whose own date is eight days ago, by Jane Reporter."""
    when = datetime.now(UTC) - timedelta(days=8)
    path = workdir / "ferry.html"
    path.write_text(
        f"""<!DOCTYPE html><html lang="en"><head><title>Harbour ferry returns</title>
<meta property="article:published_time" content="{when.isoformat()}">
<meta name="author" content="Jane Reporter"></head>
<body><article><h1>Harbour ferry returns</h1>
<p>{body} Passengers lined up early on the quay to board the first crossing in months.</p>
<p>The operator said the timetable will run every hour from seven in the morning.</p>
</article></body></html>""",
        encoding="utf-8",
    )
    return path


def test_week_old_article_is_newest_and_keep_1_keeps_it(workdir: Path) -> None:
    show = public_show(workdir / "out", BASE)
    for title in ("Monday news", "Tuesday news"):
        add_one(workdir, show, title, datetime.now(UTC) - timedelta(hours=3))
    article = week_old_article(workdir)
    code, out, err = run(
        "add", str(article), "--voice", "fake", "--out", str(show.out_dir), "--json"
    )
    assert code == 0, err
    guid = json.loads(out)["guid"]
    feed = items(show.out_dir / "feed.xml")
    assert feed[0].findtext("guid") == guid
    first_published = pub_date(feed[0])
    assert first_published > pub_date(feed[1])
    assert abs(first_published - datetime.now(UTC)) < timedelta(minutes=10)
    eight_days = datetime.now(UTC) - timedelta(days=8)
    byline = f"Published {eight_days.day} {eight_days:%B %Y} by Jane Reporter."
    assert (feed[0].findtext("description") or "").startswith(byline)
    page = (show.out_dir / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<article id="([^"]+)"', page)[0] == guid and byline in page
    code, out, err = run("list", "--out", str(show.out_dir), "--json")
    assert json.loads(out)[0]["guid"] == guid

    # re-added (the article changed) with --keep 1: kept with its pubDate and guid, a new
    # MP3 name (media is cached as immutable), the two others removed and reported
    before = json.loads(run("list", "--out", str(show.out_dir), "--json")[1])[0]
    week_old_article(workdir, "The ferry is back on the harbour route, a day late.")
    code, out, err = run(
        "add", str(article), "--voice", "fake", "--out", str(show.out_dir), "--keep", "1", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["guid"] == guid and Path(result["path"]).is_file()
    assert Path(result["path"]).name != Path(before["path"]).name
    assert not Path(before["path"]).exists()
    (only,) = items(show.out_dir / "feed.xml")
    assert only.findtext("guid") == guid and pub_date(only) == first_published
    assert err.count("Removed ") == 2 and "older than the newest 1" in err


def test_base_url_once_given_is_kept(workdir: Path) -> None:
    out = str(workdir / "out")
    for n, flag in enumerate((["--base-url", "https://x.example/pod"], [])):
        source = workdir / f"s{n}.txt"
        source.write_text(f"Story {n}\n\nSome words for story {n}.\n", encoding="utf-8")
        code, _, err = run("add", str(source), "--voice", "fake", "--out", out, *flag)
        assert code == 0, err
    code, _, err = run("feed", "--out", out)
    assert code == 0, err
    urls = [i.find("enclosure").get("url") for i in items(workdir / "out" / "feed.xml")]
    assert len(urls) == 2 and all(u.startswith("https://x.example/pod/episodes/") for u in urls)

    # with a settings file, the file itself is updated (comments kept)
    code, _, err = run("init", "--yes", "--out", "site", "--voice", "fake")
    assert code == 0, err
    settings = workdir / "newsaudio.toml"
    assert tomllib.loads(settings.read_text(encoding="utf-8"))["base_url"] == (
        "http://localhost:8000/"
    )
    code, _, err = run("add", str(workdir / "s0.txt"), "--base-url", "https://y.example/")
    assert code == 0, err
    text = settings.read_text(encoding="utf-8")
    assert tomllib.loads(text)["base_url"] == "https://y.example/" and "# Show title" in text
    code, _, err = run("add", str(workdir / "s1.txt"))
    assert code == 0, err
    urls = [i.find("enclosure").get("url") for i in items(workdir / "site" / "feed.xml")]
    assert len(urls) == 2 and all(u.startswith("https://y.example/episodes/") for u in urls)
    # a target's public URL ([publish] base_url) is the show's base URL
    public = '[publish]\nbase_url = "https://cdn.example.net/show/"\n'
    settings.write_text(text.replace("[publish]\n", public), encoding="utf-8")
    code, out, err = run("feed")
    assert code == 0 and "Feed URL: https://cdn.example.net/show/feed.xml" in out, err


def test_feed_check_flags_localhost_and_passes_a_public_feed(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")  # the default base URL: http://localhost:8000/
    add_one(workdir, show, "Checked story")
    code, out, err = run("feed", "--out", str(show.out_dir), "check", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert list(report) == ["errors", "warnings"] and report["errors"] == []
    (warning,) = report["warnings"]  # self link, artwork, enclosure: one line with the count
    assert "3 links" in warning and "localhost" in warning and "only this computer" in warning
    code, out, err = run("feed", "--out", str(show.out_dir), "check")
    assert "warning: feed: 3 links (self link, artwork, enclosure) point at localhost" in out
    code, out, err = run("feed", "--out", str(show.out_dir), "--base-url", BASE)
    assert code == 0, err
    code, out, err = run("feed", "--out", str(show.out_dir), "check", "--json")
    assert (code, json.loads(out)) == (0, {"errors": [], "warnings": []})


def test_private_feed_lives_under_its_token(workdir: Path, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from newsaudio.publish.serve import create_app

    www = tmp_path / "www"
    (workdir / "newsaudio.toml").write_text(
        f'out_dir = "out"\nbase_url = "{BASE}"\nvoice = "fake"\njingles = false\n'
        f'private = true\n\n[publish]\nto = "{www}"\n',
        encoding="utf-8",
    )
    article = workdir / "private.txt"
    article.write_text("Private story\n\nFor subscribers only.\n", encoding="utf-8")
    code, out, err = run("add", str(article), "--json")
    assert code == 0, err
    token = (workdir / "out" / ".newsaudio" / "token").read_text(encoding="ascii").strip()
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert {p.name for p in www.iterdir()} == {token}
    assert (www / token / "feed.xml").is_file()
    root = etree.fromstring((www / token / "feed.xml").read_bytes())
    assert root.findtext(f"channel/{ITUNES}block") == "Yes"
    assert root.findtext(f"channel/{PODCAST}block") == "yes"
    enclosure = root.find("channel/item/enclosure").get("url")
    assert enclosure.startswith(f"{BASE}{token}/episodes/")
    assert '<meta name="robots" content="noindex' in (www / token / "index.html").read_text()
    assert json.loads(out)["url"] == enclosure
    code, out, err = run("feed", "token")
    assert out.strip() == f"Feed URL: {BASE}{token}/feed.xml"

    client = TestClient(create_app(workdir / "out", token))
    mp3 = enclosure.rsplit("/", 1)[1]
    assert client.get(f"/{token}/feed.xml").status_code == 200
    assert client.get(f"/{token}/episodes/{mp3}").status_code == 200
    assert client.get(f"/{token}/").status_code == 200
    for path in ("/", "/feed.xml", f"/episodes/{mp3}", f"/{'0' * 32}/feed.xml", f"/{token[:-1]}/"):
        assert client.get(path).status_code == 404, path

    code, out, err = run("feed", "token", "--rotate")
    assert code == 0, err
    new = (workdir / "out" / ".newsaudio" / "token").read_text(encoding="ascii").strip()
    assert new != token and out.strip() == f"Feed URL: {BASE}{new}/feed.xml"
    assert {p.name for p in www.iterdir()} == {new}  # the old path is gone from the remote
    assert f"{BASE}{new}/episodes/" in (workdir / "out" / "feed.xml").read_text()
    assert create_app  # the old token now answers 404 locally too
    client = TestClient(create_app(workdir / "out", new))
    assert client.get(f"/{token}/feed.xml").status_code == 404


def test_keep_days_applies_to_catalog_feed_files_and_remote(workdir: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    (workdir / "newsaudio.toml").write_text(
        f'out_dir = "out"\nbase_url = "{BASE}"\nvoice = "fake"\njingles = false\n\n'
        f'[publish]\nto = "{www}"\n\n[retention]\nkeep_days = 3\n',
        encoding="utf-8",
    )
    show = public_show(workdir / "out", BASE)
    old = add_one(workdir, show, "Old story", datetime.now(UTC) - timedelta(days=10))
    code, _, err = run("publish")
    assert code == 0, err
    assert (www / "episodes" / old.path.name).is_file()
    article = workdir / "fresh.txt"
    article.write_text("Fresh story\n\nToday's words.\n", encoding="utf-8")
    code, _, err = run("add", str(article))
    assert code == 0, err
    assert f"Removed {old.episode.guid}  Old story (older than 3 days)" in err
    assert [i.findtext("title") for i in items(workdir / "out" / "feed.xml")] == ["Fresh story"]
    assert not old.path.exists() and not (www / "episodes" / old.path.name).exists()
    assert {p.relative_to(www).as_posix() for p in www.rglob("*") if p.is_file()} == {
        rel for rel, _ in public_files(show)
    }


# -- kill -9 during a publish ----------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


def _remote(client: Any, prefix: str) -> dict[str, Any]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    return {
        obj["Key"][len(prefix) + 1 :]: obj for page in pages for obj in page.get("Contents", [])
    }


def _feed_links(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    links = [e.get("url") for e in root.iter("enclosure")]
    links += [e.get("url") for e in root.iter(f"{PODCAST}transcript", f"{PODCAST}chapters")]
    links += [e.get("href") for e in root.iter(f"{ITUNES}image")]
    links += [root.findtext("channel/image/url")]
    return [link for link in links if link]


def assert_consistent(client: Any, prefix: str) -> None:
    """Every URL in the remote feed (if there is one yet) names an object on the remote."""
    remote = _remote(client, prefix)
    if "feed.xml" not in remote:
        return
    body = client.get_object(Bucket=BUCKET, Key=f"{prefix}/feed.xml")["Body"].read()
    for link in _feed_links(body):
        assert link.startswith(BASE)
        assert link[len(BASE) :] in remote, f"{link} is in the remote feed but not on the remote"


@pytest.mark.parametrize(
    ("point", "after"),
    [
        ("first upload", 1),
        ("first media done", 2),
        ("after media", 5),
        ("transcripts", 9),
        ("before the feed", 14),
    ],
)
def test_kill_9_during_publish_leaves_a_consistent_remote(
    workdir: Path, s3_endpoint: str, point: str, after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    env = aws_env(s3_endpoint)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    show = public_show(workdir / "out", BASE)
    results = [add_one(workdir, show, f"Story {n}") for n in range(3)]
    prefix = f"kill-{after}"
    if after == 14:  # this point kills a publish that also deletes: a full publish first,
        # then two episodes removed, so that the next publish uploads feed and page, then
        # deletes ten files: it is killed when the new feed is up and deletions are running
        publish_show(show, f"s3://{BUCKET}/{prefix}")
        for r in results[:2]:
            remove_episode(show, r.episode.guid)
    proxy = SlowProxy(int(s3_endpoint.rsplit(":", 1)[1]), rate=400_000)
    try:
        old_feed = _remote(client, prefix).get("feed.xml", {}).get("ETag")
        process = _publish(show, prefix, f"http://127.0.0.1:{proxy.port}")
        deadline = time.monotonic() + 60
        while True:
            remote = _remote(client, prefix)
            if after == 14:
                new_feed = remote.get("feed.xml", {}).get("ETag")
                reached = new_feed is not None and new_feed != old_feed
            else:
                reached = len(remote) >= after
            if reached:
                break
            assert process.poll() is None, f"publish ended before the kill point {point}"
            assert time.monotonic() < deadline, f"kill point {point} never reached"
            time.sleep(0.005)
        assert process.poll() is None, f"publish ended before the kill point {point}"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        proxy.close()
    assert process.returncode == -signal.SIGKILL
    assert_consistent(client, prefix)
    # the next publish completes it (in this process: the same code as the command's)
    report = publish_show(show, f"s3://{BUCKET}/{prefix}")
    assert report.uploaded[-1:] == ["feed.xml"] or report.uploaded == []
    remote = _remote(client, prefix)
    assert {k: o["Size"] for k, o in remote.items()} == {
        rel: path.stat().st_size for rel, path in public_files(show)
    }
    assert_consistent(client, prefix)
    assert publish_show(show, f"s3://{BUCKET}/{prefix}").uploaded == []


def _publish(show: Show, prefix: str, endpoint: str) -> subprocess.Popen[bytes]:
    """``newsaudio publish`` as a process of its own, to kill."""
    env = {**os.environ, **aws_env(endpoint), "NEWSAUDIO_PUBLISH_ATTEMPTS": "1"}
    args = [sys.executable, "-m", "newsaudio", "publish", "--out", str(show.out_dir)]
    args += ["--to", f"s3://{BUCKET}/{prefix}"]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- a real podcast client -------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[int]:
    """Python's http.server on 127.0.0.1 serving ``root`` (a web host for the published copy)."""
    root.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(
    GPO is None, reason="gPodder's gpo is not installed (Debian: apt-get install gpodder)"
)
def test_gpo_downloads_from_the_published_copy_and_sees_a_week_old_article_as_new(
    workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    www = tmp_path / "www"
    with static_server(www) as port:
        base = f"http://127.0.0.1:{port}/podcast/"
        monkeypatch.setenv("NEWSAUDIO_PUBLISH_TO", str(www / "podcast"))
        show = Show(out_dir=workdir / "out", base_url=base)
        first = add_one(workdir, show, "Yesterday news", datetime.now(UTC) - timedelta(hours=20))
        code, _, err = run("publish", "--out", str(show.out_dir), "--base-url", base)
        assert code == 0, err
        home = tmp_path / "gpo-home"
        downloads = tmp_path / "downloads"
        home.mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GPODDER_HOME": str(home / "gpodder"),
            "GPODDER_DOWNLOAD_DIR": str(downloads),
            "LANG": "C.UTF-8",
            "NO_PROXY": "*",
        }

        def gpo(*args: str) -> str:
            assert GPO is not None
            done = subprocess.run(
                [GPO, *args], env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stdout + done.stderr
            return done.stdout

        gpo("subscribe", show.feed_url)
        gpo("update")
        assert re.search(r"\b1 episodes? downloaded", gpo("download"))
        (got,) = downloads.rglob("*.mp3")
        assert got.read_bytes() == first.path.read_bytes()

        # http.server's Last-Modified has one-second resolution and no ETag: a feed rewritten
        # within the second gPodder last fetched it would answer 304 (a real host's ETag
        # changes with the size); start the next publish in a later second
        time.sleep(1.05 - time.time() % 1)
        # an article dated eight days ago, added now (published by add itself): gPodder marks
        # an episode older than a week before the newest one as not new, so only a pubDate
        # of "now" makes it show up as new
        code, _, err = run(
            "add", str(week_old_article(workdir)), "--voice", "fake", "--out", str(show.out_dir)
        )
        assert code == 0 and "Published to" in err, err
        assert "1 new episode" in gpo("update")
        assert "Harbour ferry returns" in gpo("pending")
        assert re.search(r"\b1 episodes? downloaded", gpo("download"))
        newest = next(p for p in downloads.rglob("*.mp3") if p.name != got.name)
        assert newest.read_bytes() == (show.episodes_dir / newest.name).read_bytes()


def test_init_private_with_a_target_writes_the_tables(workdir: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    code, out, err = run(
        "init", "--yes", "--private", "--publish-to", str(www), "--keep", "5", "--keep-days", "30"
    )
    assert code == 0, err
    settings = tomllib.loads((workdir / "newsaudio.toml").read_text(encoding="utf-8"))
    assert settings["private"] is True
    assert settings["publish"] == {"to": str(www)}
    assert settings["retention"] == {"keep_last": 5, "keep_days": 30}
    assert f"publish to: {www}" in out
    # nothing to publish yet; --to of an unknown kind is a usage error
    code, _, err = run("publish", "--dry-run")
    assert code == 7 and "no feed.xml yet" in err
    code, _, err = run("publish", "--to", "ftp://example.org/x")
    assert code == 2 and "not a publish target" in err
