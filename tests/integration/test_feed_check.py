"""`newsaudio feed check`: the rules, a local feed, and a feed URL with its host."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.config import Show
from newsaudio.publish.check import check_feed, check_target
from newsaudio.publish.feed import build_feed
from tests.support import cli_runner
from tests.support.episodes import episode, make_episodes
from tests.support.serving import running


def messages(data: bytes) -> list[str]:
    report, _ = check_feed(data)
    return [str(p) for p in report.problems]


def test_our_feed_has_no_problems(tmp_path: Path) -> None:
    data = build_feed(Show(out_dir=tmp_path), [episode(), episode(guid="other", slug="b")])
    assert messages(data) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("<title>Harbour walk</title>", "<title>A & B</title>", "not well-formed"),
        ('type="audio/mpeg"', 'type="video/mp4"', "error: item 1 (Harbour walk): enclosure type"),
        ('length="5860687"', 'length="1231.08"', "not a positive byte count"),
        ('length="5860687"', 'length="0"', "not a positive byte count"),
        ("episodes/2024", "episodes/caf\u00e9 2024", "not ASCII or has spaces"),
        (
            "<itunes:explicit>false</itunes:explicit>",
            "<itunes:explicit></itunes:explicit>",
            "<itunes:explicit> is missing or empty",
        ),
        (
            "<itunes:explicit>false</itunes:explicit>",
            "<itunes:explicit>no</itunes:explicit>",
            "warning: channel: <itunes:explicit> is 'no'",
        ),
        ('text="News"', 'text="Newz"', "not an Apple category"),
        ('text="Daily News"', 'text="Cooking"', "not a subcategory of News"),
        ("+0000</pubDate>", "</pubDate>", "not an RFC 2822 date with a zone"),
        (
            'href="http://localhost:8000/cover.jpg"/>\n    <itunes:category',
            'href="http://localhost:8000/cover.gif"/>\n    <itunes:category',
            "does not end in .jpg",
        ),
        (
            "<itunes:duration>1231</itunes:duration>",
            "<itunes:duration>20m</itunes:duration>",
            "not seconds or [HH:]MM:SS",
        ),
        ("<language>en</language>", "", "<language> is missing"),
        ("<podcast:guid>", "<podcast:guid>x", "is not a UUID"),
    ],
)
def test_each_rule(tmp_path: Path, old: str, new: str, problem: str) -> None:
    data = build_feed(Show(out_dir=tmp_path), [episode()]).decode("utf-8")
    assert old in data
    found = messages(data.replace(old, new, 1).encode("utf-8"))
    assert any(problem in m for m in found), found


def test_duplicate_guids_and_long_description(tmp_path: Path) -> None:
    data = build_feed(Show(out_dir=tmp_path), [episode(), episode(slug="b")]).decode()
    data = data.replace("<description>A walk", "<description>" + "x" * 4001 + "A walk", 1)
    found = messages(data.encode())
    assert any("is used by another item" in m for m in found)
    assert any("longer than 4000 bytes" in m for m in found)


def test_local_feed_lengths_compared_with_files(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out", base_url="https://pod.example.org/")
    results = make_episodes(workdir, show, ["One", "Two"])
    feed = show.out_dir / "feed.xml"
    report = check_target(str(feed))
    assert (report.items, report.problems) == (2, [])
    with results[0].path.open("ab") as f:
        f.write(b"\0" * 10)
    results[1].path.unlink()
    found = [str(p) for p in check_target(str(feed)).errors]
    assert any("enclosure length" in m and results[0].path.name in m for m in found), found
    assert any("has no file" in m for m in found), found

    code = cli_runner().invoke(cli, ["feed", "--out", str(show.out_dir), "check"])
    assert code.exit_code == 7 and "2 errors" in code.stdout


class _NoRanges(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def plain_server(root: Path) -> Iterator[int]:
    """Python's http.server: answers HEAD, ignores Range (always 200)."""
    handler = functools.partial(_NoRanges, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.network
def test_feed_url_checks_head_and_ranges(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    make_episodes(workdir, show, ["One"])
    with running(show.out_dir) as port:
        url = f"http://127.0.0.1:{port}/"
        cli_runner().invoke(cli, ["feed", "--out", str(show.out_dir), "--base-url", url])
        result = cli_runner().invoke(
            cli, ["feed", "--out", str(show.out_dir), "check", url + "feed.xml"]
        )
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "1 episode, 0 errors" in result.stdout
        assert "point at 127.0.0.1, first " in result.stdout
        assert "only this computer can reach them" in result.stdout
    with plain_server(show.out_dir) as port:
        url = f"http://127.0.0.1:{port}/"
        cli_runner().invoke(cli, ["feed", "--out", str(show.out_dir), "--base-url", url])
        report = check_target(url + "feed.xml", timeout_s=5)
    found = [str(p) for p in report.errors]
    assert any("Range: bytes=0-1 answered 200, not 206" in m for m in found), found


def test_unreachable_url_is_one_line_error(tmp_path: Path) -> None:
    result = cli_runner().invoke(
        cli, ["feed", "check", "http://127.0.0.1:9/feed.xml", "--timeout", "2"]
    )
    assert result.exit_code == 3
    assert result.stderr.startswith("newsaudio: error: http://127.0.0.1:9/feed.xml: cannot fetch")
