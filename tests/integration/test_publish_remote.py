"""`newsaudio publish` against real targets on 127.0.0.1: moto's S3 server, Debian's OpenSSH
server (sshd) and a folder. First publish uploads everything, a second nothing; after `add`
only the new episode's files, then index.html, then feed.xml; after `remove` the deletions
come after the feed; each S3 object's Content-Type and Cache-Control checked with HEAD;
failures are one line naming the target and the file, exit 7; credentials never printed.

One moto server and one sshd per module (module-scoped fixtures); episodes use the fake voice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsaudio.config import Show
from newsaudio.pipeline import AddOptions, Result, Runtime, add
from newsaudio.publish import remove_episode
from newsaudio.publish.remote import PublishReport, public_files, publish_show
from tests.support import run_cli as run
from tests.support.episodes import public_show
from tests.support.remote_servers import (
    BUCKET,
    FAKE_KEY_ID,
    FAKE_SECRET,
    SSHD,
    Sshd,
    aws_env,
    free_port,
    moto_s3,
    sshd,
)

pytestmark = [pytest.mark.network, pytest.mark.usefixtures("cache_per_module")]

BASE = "https://pod.example.org/"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3() as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The AWS variables pointing at moto; a boto3 client for checking the bucket."""
    import boto3

    for key, value in aws_env(s3_endpoint).items():
        monkeypatch.setenv(key, value)
    return boto3.client("s3")


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    if SSHD is None:
        pytest.skip("OpenSSH's sshd is not installed (Debian: apt-get install openssh-server)")
    with sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture
def ssh_home(ssh_server: Sshd, monkeypatch: pytest.MonkeyPatch) -> Sshd:
    """HOME with the test's ~/.ssh (key and known_hosts); no ssh-agent."""
    monkeypatch.setenv("HOME", str(ssh_server.home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return ssh_server


def local_files(show: Show, prefix: str = "") -> dict[str, int]:
    return {prefix + rel: path.stat().st_size for rel, path in public_files(show)}


def s3_listing(client: Any, prefix: str) -> dict[str, int]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    return {
        obj["Key"][len(prefix) + 1 :]: obj["Size"]
        for page in pages
        for obj in page.get("Contents", [])
    }


def folder_listing(root: Path) -> dict[str, int]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()
    }


def publish_json(show: Show, url: str) -> dict[str, Any]:
    code, out, err = run("publish", "--out", str(show.out_dir), "--to", url, "--json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    assert list(report) == ["target", "uploaded", "deleted", "unchanged", "bytes"]
    return report


def add_one(workdir: Path, show: Show, title: str) -> Result:
    """Publish one fake-voice episode locally (its own source file; shared cache)."""
    source = workdir / f"{title.lower()}.txt"
    source.write_text(f"{title}\n\nThe story called {title}, in a few words.\n", encoding="utf-8")
    runtime = Runtime(cache_dir=Path(os.environ["NEWSAUDIO_CACHE_DIR"]))
    return add(str(source), show, AddOptions(voice="fake", jingles=False), runtime)


def make_episodes(workdir: Path, show: Show, titles: list[str]) -> list[Result]:
    return [add_one(workdir, show, title) for title in titles]


def episode_keys(slug: str) -> list[str]:
    """An episode's files in upload order: media, transcripts, chapters."""
    return [f"episodes/{slug}{s}" for s in (".mp3", ".srt", ".txt", ".vtt", ".chapters.json")]


def exercise_target(
    workdir: Path,
    url: str,
    listing: Callable[[], dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> Show:
    """The incremental, ordered life of a target: first publish, second, add, remove."""
    show = public_show(workdir / "out", BASE)
    make_episodes(workdir, show, ["One", "Two"])
    first = publish_json(show, url)
    assert sorted(first["uploaded"]) == sorted(local_files(show))
    assert first["uploaded"][-2:] == ["index.html", "feed.xml"]
    kinds = [k.rsplit(".", 1)[-1] for k in first["uploaded"]]
    assert kinds[:2] == ["mp3", "mp3"] and "mp3" not in kinds[2:]
    assert first["deleted"] == [] and first["unchanged"] == 0
    assert first["bytes"] == sum(local_files(show).values())
    assert listing() == local_files(show)

    second = publish_json(show, url)
    assert (second["uploaded"], second["deleted"], second["bytes"]) == ([], [], 0)
    assert second["unchanged"] == len(local_files(show))

    three = add_one(workdir, show, "Three")
    third = publish_json(show, url)
    assert third["uploaded"] == [*episode_keys(three.episode.slug), "index.html", "feed.xml"]
    assert listing() == local_files(show)

    # add and remove publish by themselves when the show has a target
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_TO", url)
    article = workdir / "four.txt"
    article.write_text("Four\n\nThe fourth story, published by add.\n", encoding="utf-8")
    code, _, err = run("add", str(article), "--voice", "fake", "--out", str(show.out_dir))
    assert code == 0, err
    assert "Published to" in err and "7 uploaded" in err, err
    assert listing() == local_files(show)
    code, _out, err = run("remove", "four", "--out", str(show.out_dir))
    assert code == 0, err
    assert "5 deleted" in err, err
    assert listing() == local_files(show)
    monkeypatch.delenv("NEWSAUDIO_PUBLISH_TO")

    # deletions come after the new feed is up
    steps: list[tuple[str, str]] = []
    remove_episode(show, three.episode.guid)
    report = publish_show(show, url, on_step=lambda action, key: steps.append((action, key)))
    assert steps == [
        ("uploaded", "index.html"),
        ("uploaded", "feed.xml"),
        *(("deleted", key) for key in sorted(episode_keys(three.episode.slug))),
    ]
    assert isinstance(report, PublishReport) and report.deleted == sorted(
        episode_keys(three.episode.slug)
    )
    assert listing() == local_files(show)

    # a file deleted or changed on the remote is repaired
    return show


def test_s3_incremental_ordered_with_headers(
    workdir: Path, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"s3://{BUCKET}/show1"
    show = exercise_target(workdir, url, lambda: s3_listing(s3, "show1"), monkeypatch)
    expected = {
        ".mp3": ("audio/mpeg", "public, max-age=31536000, immutable"),
        ".vtt": ("text/vtt; charset=utf-8", "public, max-age=300"),
        ".srt": ("application/x-subrip", "public, max-age=300"),
        ".txt": ("text/plain; charset=utf-8", "public, max-age=300"),
        ".chapters.json": ("application/json", "public, max-age=300"),
        ".jpg": ("image/jpeg", "public, max-age=300"),
        ".html": ("text/html; charset=utf-8", "public, max-age=300"),
        ".xml": ("application/rss+xml", "public, max-age=300"),
    }
    seen = set()
    for key in s3_listing(s3, "show1"):
        head = s3.head_object(Bucket=BUCKET, Key=f"show1/{key}")
        suffix = next(s for s in sorted(expected, key=len, reverse=True) if key.endswith(s))
        assert (head["ContentType"], head["CacheControl"]) == expected[suffix], key
        seen.add(suffix)
    assert seen == set(expected)
    # repaired: an object deleted and one changed behind newsaudio's back travel again
    s3.delete_object(Bucket=BUCKET, Key="show1/cover.jpg")
    s3.put_object(Bucket=BUCKET, Key="show1/index.html", Body=b"defaced")
    report = publish_json(show, url)
    assert report["uploaded"] == ["cover.jpg", "index.html"]
    assert s3_listing(s3, "show1") == local_files(show)


def test_sftp_incremental_ordered(
    workdir: Path, ssh_home: Sshd, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "sftp-root" / "podcast"
    url = f"sftp://{ssh_home.user}@127.0.0.1:{ssh_home.port}{root}"
    show = exercise_target(workdir, url, lambda: folder_listing(root), monkeypatch)
    (root / "index.html").write_text("defaced", encoding="utf-8")
    report = publish_json(show, url)
    assert report["uploaded"] == ["index.html"]
    assert folder_listing(root) == local_files(show)


def test_folder_incremental_ordered(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "www"
    exercise_target(workdir, f"file://{root}", lambda: folder_listing(root), monkeypatch)


def test_sftp_unknown_host_says_how_to_trust_it(
    workdir: Path, ssh_home: Sshd, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty_home = tmp_path / "home"
    (empty_home / ".ssh").mkdir(parents=True)
    for name in ("id_ed25519", "id_ed25519.pub"):
        (empty_home / ".ssh" / name).write_bytes((ssh_home.home / ".ssh" / name).read_bytes())
    os.chmod(empty_home / ".ssh" / "id_ed25519", 0o600)
    monkeypatch.setenv("HOME", str(empty_home))
    show = public_show(workdir / "out", BASE)
    make_episodes(workdir, show, ["One"])
    url = f"sftp://{ssh_home.user}@127.0.0.1:{ssh_home.port}{tmp_path / 'never'}"
    code, _, err = run("publish", "--out", str(show.out_dir), "--to", url)
    assert code == 7, err
    assert err.count("\n") == 1 and err.startswith("newsaudio: error: sftp://")
    assert f"ssh-keyscan -p {ssh_home.port} 127.0.0.1 >> ~/.ssh/known_hosts" in err
    assert not (tmp_path / "never").exists()
    # a password in the URL is refused before anything connects
    code, _out, err = run(
        "publish",
        "--out",
        str(show.out_dir),
        "--to",
        f"sftp://me:hunter2@127.0.0.1:{ssh_home.port}/x",
    )
    assert code == 2 and "hunter2" not in err and "SSH key" in err


def test_failures_name_target_and_file_and_leave_the_show(
    workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show = public_show(workdir / "out", BASE)
    (one,) = make_episodes(workdir, show, ["One"])
    before = {rel: path.read_bytes() for rel, path in public_files(show)}
    www = tmp_path / "www"
    www.mkdir()
    (www / "episodes").write_text("a file where a folder must go", encoding="utf-8")
    code, _, err = run("publish", "--out", str(show.out_dir), "--to", str(www))
    assert code == 7
    assert err.startswith(f"newsaudio: error: {www}: cannot write episodes/{one.path.name} (")
    assert err.count("\n") == 1
    assert not (www / "feed.xml").exists()
    # an S3 endpoint that does not answer: retried with backoff, then one line, exit 7
    monkeypatch.setenv("NEWSAUDIO_PUBLISH_ATTEMPTS", "2")
    for key, value in aws_env(f"http://127.0.0.1:{free_port()}").items():
        monkeypatch.setenv(key, value)
    code, _, err = run("publish", "--out", str(show.out_dir), "--to", f"s3://{BUCKET}/x")
    assert code == 7
    assert err.startswith(f"newsaudio: error: s3://{BUCKET}/x: cannot list the bucket")
    assert err.rstrip().endswith("after 2 attempts") and err.count("\n") == 1
    assert {rel: path.read_bytes() for rel, path in public_files(show)} == before
    # no target at all
    monkeypatch.delenv("NEWSAUDIO_PUBLISH_TO", raising=False)
    code, _out, err = run("publish", "--out", str(show.out_dir))
    assert code == 8 and "no publish target" in err


def test_credentials_never_printed_logged_or_stored(workdir: Path, s3: Any) -> None:
    show = public_show(workdir / "out", BASE)
    make_episodes(workdir, show, ["One"])
    env = {**os.environ, "NEWSAUDIO_PUBLISH_TO": f"s3://{BUCKET}/creds"}
    done = subprocess.run(
        [sys.executable, "-m", "newsaudio", "-vv", "publish", "--out", str(show.out_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "uploaded feed.xml" in done.stderr  # -vv logs each object
    for secret in (FAKE_SECRET, FAKE_KEY_ID):
        assert secret not in done.stdout + done.stderr
        for path in show.out_dir.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_dry_run_changes_nothing(workdir: Path, tmp_path: Path) -> None:
    show = public_show(workdir / "out", BASE)
    make_episodes(workdir, show, ["One"])
    www = tmp_path / "www"
    code, out, err = run(
        "publish", "--out", str(show.out_dir), "--to", str(www), "--dry-run", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["uploaded"][-1] == "feed.xml"
    assert folder_listing(www) == {}
    assert publish_json(show, str(www))["uploaded"] == json.loads(out)["uploaded"]


def test_publish_never_uploads_a_feed_for_another_base_url(workdir: Path, tmp_path: Path) -> None:
    """`publish --base-url URL` rebuilds feed and page for URL before they travel (the feed
    announced is the feed uploaded), and a show served from this computer or a LAN address
    gets one warning naming --base-url."""
    show = Show(out_dir=workdir / "out")  # made with the default http://localhost:8000/
    make_episodes(workdir, show, ["One", "Two"])
    www = tmp_path / "www"
    code, out, err = run("publish", "--out", str(show.out_dir), "--to", str(www))
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "--base-url" in warnings[0] and "localhost" in warnings[0]
    code, out, err = run(
        "publish", "--out", str(show.out_dir), "--to", str(www), "--base-url", BASE
    )
    assert code == 0, err
    assert "warning" not in err
    assert f"Feed URL: {BASE}feed.xml" in out
    for name in ("feed.xml", "index.html"):
        text = (www / name).read_text(encoding="utf-8")
        assert "localhost" not in text and f"{BASE}feed.xml" in text, name
    assert f'url="{BASE}episodes/' in (www / "feed.xml").read_text(encoding="utf-8")
    code, out, err = run(
        "publish",
        "--out",
        str(show.out_dir),
        "--to",
        str(www),
        "--base-url",
        "http://192.168.1.20/",
    )
    assert code == 0, err
    assert [line for line in err.splitlines() if "warning" in line and "192.168.1.20" in line]
