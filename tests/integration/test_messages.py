"""Messages that help: each error names the input and says what to do (facts, not exact
words). Network failures against real sockets on 127.0.0.1, never the internet."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.errors import ExitStatus, InputError
from newsaudio.loaders.url import FetchLimits, fetch
from newsaudio.net import describe_request_error, host_port
from tests.support import cli_runner


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# -- --traceback keeps the exit code -----------------------------------------------------


def test_traceback_shows_the_traceback_and_keeps_the_exit_code(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "--traceback", "add", "missing.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == int(ExitStatus.INPUT), proc.stderr
    assert "Traceback (most recent call last)" in proc.stderr
    assert "InputError" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "newsaudio: error: missing.txt: no such file"


def test_without_traceback_one_line(workdir: Path) -> None:
    result = cli_runner().invoke(cli, ["add", "missing.txt"])
    assert result.exit_code == int(ExitStatus.INPUT)
    assert result.stderr.strip() == "newsaudio: error: missing.txt: no such file"


# -- a web address without its scheme ----------------------------------------------------


@pytest.mark.parametrize(
    ("source", "guess"),
    [
        ("www.example.org/news/1", "https://www.example.org/news/1"),
        ("example.org/story?id=3", "https://example.org/story?id=3"),
        ("127.0.0.1:8765/feed.xml", "http://127.0.0.1:8765/feed.xml"),
        ("localhost:8000/a", "http://localhost:8000/a"),
    ],
)
@pytest.mark.parametrize("command", ["add", "follow"])
def test_missing_file_that_looks_like_a_url_suggests_https(
    workdir: Path, source: str, guess: str, command: str
) -> None:
    """``add`` and ``follow`` both guess the scheme (http:// for this computer and
    addresses, https:// for names)."""
    args = [command, source] + (["--voice", "fake"] if command == "add" else [])
    result = cli_runner().invoke(cli, args)
    assert result.exit_code == int(ExitStatus.INPUT)
    line = result.stderr.strip()
    assert "\n" not in line and "no such file" in line and source in line
    assert f"did you mean {guess}?" in line


@pytest.mark.parametrize("source", ["notes.txt", "docs/story.md", "./www.example.org/a"])
def test_ordinary_missing_files_get_no_url_guess(workdir: Path, source: str) -> None:
    result = cli_runner().invoke(cli, ["add", source, "--voice", "fake"])
    assert result.exit_code == int(ExitStatus.INPUT)
    assert "did you mean" not in result.stderr


# -- network failures in plain words -----------------------------------------------------


def test_connection_refused_names_host_and_port() -> None:
    port = _free_port()
    with pytest.raises(InputError) as info:
        fetch(f"http://127.0.0.1:{port}/news", FetchLimits(connect_timeout_s=2))
    message = str(info.value)
    assert f"connection refused by 127.0.0.1:{port}" in message
    assert "ConnectionError" not in message


def test_connection_refused_through_the_cli(workdir: Path) -> None:
    port = _free_port()
    result = cli_runner().invoke(cli, ["add", f"http://127.0.0.1:{port}/a", "--voice", "fake"])
    assert result.exit_code == int(ExitStatus.INPUT)
    assert f"connection refused by 127.0.0.1:{port}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_dns_failure_names_the_host() -> None:
    """``.invalid`` never resolves (RFC 2606): the resolver answers at once, offline too."""
    with pytest.raises(InputError) as info:
        fetch("http://no-such-host.invalid/news", FetchLimits(connect_timeout_s=5))
    message = str(info.value)
    assert "no-such-host.invalid" in message and "DNS" in message


def test_timeout_names_host_port_and_seconds() -> None:
    """A server that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        with pytest.raises(InputError) as info:
            fetch(f"http://127.0.0.1:{port}/slow", FetchLimits(read_timeout_s=0.5))
    message = str(info.value)
    assert f"127.0.0.1:{port}" in message and "0.5 s" in message and "timed out" in message


class _Hello(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")


@pytest.fixture
def untrusted_https() -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 whose certificate comes from a CA nobody trusts."""
    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_tls_error_names_host_port_and_reason(untrusted_https: int) -> None:
    with pytest.raises(InputError) as info:
        fetch(f"https://127.0.0.1:{untrusted_https}/news", FetchLimits(connect_timeout_s=5))
    message = str(info.value)
    assert f"TLS error with 127.0.0.1:{untrusted_https}" in message
    assert "certificate verify failed" in message.lower()


def test_https_to_a_plain_http_port_is_a_tls_error() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        with pytest.raises(InputError, match=rf"TLS error with 127\.0\.0\.1:{port}"):
            fetch(f"https://127.0.0.1:{port}/", FetchLimits(connect_timeout_s=5))
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "example.org:443"),
        ("http://example.org/a", "example.org:80"),
        ("http://127.0.0.1:8000/feed.xml", "127.0.0.1:8000"),
        ("http://[::1]:9/x", "[::1]:9"),
    ],
)
def test_host_port(url: str, expected: str) -> None:
    assert host_port(url) == expected


def test_unknown_errors_are_described_without_their_class() -> None:
    phrase = describe_request_error(ValueError("bad thing"), "http://example.org/")
    assert phrase == "the request to example.org:80 failed (bad thing)"
    assert describe_request_error(ValueError(), "http://example.org/") == (
        "the request to example.org:80 failed"
    )


# -- feed check: counts in words, show options on both levels ----------------------------


def test_feed_check_counts_and_show_options_after_the_subcommand(workdir: Path) -> None:
    from newsaudio.config import Show
    from tests.support.episodes import make_episodes

    # a public base URL: a localhost one is (rightly) warned about
    show = Show(out_dir=workdir / "out", base_url="https://podcast.example.org/")
    (result,) = make_episodes(workdir, show, ["One story"])
    with result.path.open("ab") as f:
        f.write(b"\0" * 10)  # the enclosure length no longer matches: one error
    outputs = []
    for args in (["feed", "check", "--out", "out"], ["feed", "--out", "out", "check"]):
        run = cli_runner().invoke(cli, args)
        assert run.exit_code == int(ExitStatus.PUBLISH), run.stdout + run.stderr
        assert "1 episode, 1 error, 0 warnings" in run.stdout
        assert "1 errors" not in run.stdout + run.stderr
        assert "the feed has 1 error " in run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    # the subcommand's own option wins over the group's
    run = cli_runner().invoke(cli, ["feed", "--out", "elsewhere", "check", "--out", "out"])
    assert "1 episode, 1 error" in run.stdout


def test_feed_check_unreachable_names_host_and_port(workdir: Path) -> None:
    port = _free_port()
    run = cli_runner().invoke(cli, ["feed", "check", f"http://127.0.0.1:{port}/feed.xml"])
    assert run.exit_code == int(ExitStatus.INPUT)
    assert f"connection refused by 127.0.0.1:{port}" in run.stderr


# -- voices preview: text that starts with '-', text on stdin ----------------------------


def test_preview_text_after_double_dash(workdir: Path) -> None:
    run = cli_runner().invoke(
        cli, ["voices", "preview", "fake", "-o", "p.wav", "--", "- a list item"]
    )
    assert run.exit_code == 0, run.stderr
    assert (workdir / "p.wav").stat().st_size > 44


def test_preview_text_from_stdin(workdir: Path) -> None:
    short = cli_runner().invoke(cli, ["voices", "preview", "fake", "Hi.", "-o", "short.wav"])
    assert short.exit_code == 0, short.stderr
    run = cli_runner().invoke(
        cli,
        ["voices", "preview", "fake", "-", "-o", "p.wav"],
        input="- a list item from standard input, long enough to hear.\n",
    )
    assert run.exit_code == 0, run.stderr
    assert (workdir / "p.wav").stat().st_size > (workdir / "short.wav").stat().st_size
    empty = cli_runner().invoke(cli, ["voices", "preview", "fake", "-", "-o", "e.wav"], input="")
    assert empty.exit_code == int(ExitStatus.INPUT) and "stdin" in empty.stderr


def test_text_starting_with_a_dash_gets_a_hint(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "voices", "preview", "joe", "- text", "-o", "p.wav"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == int(ExitStatus.USAGE)
    (line,) = proc.stderr.strip().splitlines()
    assert "'--'" in line and not (tmp_path / "p.wav").exists()


def test_traceback_with_several_sources_shows_each_and_keeps_the_code(workdir: Path) -> None:
    result = cli_runner().invoke(
        cli, ["--traceback", "add", "gone-1.txt", "gone-2.txt", "--voice", "fake"]
    )
    assert result.exit_code == int(ExitStatus.INPUT)
    assert result.stderr.count("Traceback (most recent call last)") == 2
    assert "newsaudio: error: gone-1.txt: no such file" in result.stderr
    assert "2 of 2 sources failed" in result.stderr


def test_feed_source_refused_names_host_and_port() -> None:
    """The news-source fetcher words network failures the same way (net.py)."""
    from newsaudio.errors import SourceError
    from newsaudio.sources.fetch_http import fetch_http

    port = _free_port()
    with pytest.raises(SourceError) as info:
        fetch_http(f"http://127.0.0.1:{port}/feed.xml")
    assert f"connection refused by 127.0.0.1:{port}" in str(info.value)


# -- issue 25: rough messages ------------------------------------------------------------


def test_binary_txt_is_called_binary(workdir: Path) -> None:
    """Random bytes named .txt are binary data, not text in a wrong charset."""
    import random

    data = bytes(random.Random(25).randrange(128, 256) for _ in range(4000))
    (workdir / "noise.txt").write_bytes(data)
    result = cli_runner().invoke(cli, ["add", "noise.txt", "--voice", "fake"])
    assert result.exit_code == int(ExitStatus.INPUT)
    assert "binary" in result.stderr and "UTF-8" not in result.stderr, result.stderr


def test_counts_are_singular_for_one(workdir: Path) -> None:
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline type="rss" text="One" xmlUrl="https://feeds.example.org/one.xml"/>'
        "</body></opml>"
    )
    (workdir / "one.opml").write_text(opml, encoding="utf-8")
    result = cli_runner().invoke(cli, ["sources", "import", "one.opml"])
    assert result.exit_code == 0, result.stderr
    assert "Imported 1 source from" in result.stdout, result.stdout


def test_feed_check_sums_up_local_links_in_one_line(workdir: Path) -> None:
    from newsaudio.config import Show
    from tests.support.episodes import make_episodes

    show = Show(out_dir=workdir / "output")
    make_episodes(workdir, show, ["One", "Two", "Three"])
    result = cli_runner().invoke(cli, ["feed", "check"])
    lines = [line for line in result.stdout.splitlines() if "localhost" in line]
    assert len(lines) == 1 and "5 links" in lines[0] and "--base-url" in lines[0], lines


def test_voices_remove_of_the_bundled_voice_says_bundled(workdir: Path) -> None:
    listed = cli_runner().invoke(cli, ["voices"])
    joe = next(line for line in listed.stdout.splitlines() if line.startswith("joe"))
    assert "bundled" in joe and "installed" not in joe, joe
    gtts = [line for line in listed.stdout.splitlines() if line.startswith("gtts-")]
    assert gtts and not any("installed" in line for line in gtts), gtts
    result = cli_runner().invoke(cli, ["voices", "remove", "joe"])
    assert result.exit_code != 0
    assert "bundled" in result.stderr and "not an installed voice" not in result.stderr


def test_sources_shows_the_next_retry_it_promises(workdir: Path) -> None:
    """A source whose last check failed says when it is tried again."""
    (workdir / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>A</title><description>Words.</description></item></channel></rss>",
        encoding="utf-8",
    )
    result = cli_runner().invoke(cli, ["follow", str(workdir / "feed.xml")])
    assert result.exit_code == 0, result.stderr
    (workdir / "feed.xml").write_text("not a feed", encoding="utf-8")
    cli_runner().invoke(cli, ["update"])
    shown = cli_runner().invoke(cli, ["sources"])
    assert "last error" in shown.stdout and "next retry: " in shown.stdout, shown.stdout


@pytest.mark.parametrize("command", ["add", "follow"])
@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://[::1", "Invalid IPv6 URL"), ("http://127.0.0.1:99999/x", "Port out of range")],
)
def test_a_malformed_url_is_one_line_not_an_internal_error(
    command: str, url: str, reason: str, tmp_path: Path
) -> None:
    from tests.support.cli import run_cli

    code, _, err = run_cli(command, url, out=str(tmp_path / "show"))
    assert code == ExitStatus.INPUT, err
    [line] = err.strip().splitlines()
    assert line.startswith(f"newsaudio: error: {url}: is not a valid URL (") and reason in line


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("wallabag+http://example.org", "plain http:// only to a loopback address"),
        ("imaps://me@127.0.0.1:99999/INBOX", "has no valid port (Port out of range"),
        ("karakeep+ftp://host", "is not a karakeep+https://HOST[/PATH] address"),
    ],
)
def test_a_refused_service_address_is_named_before_any_secret_is_asked(
    address: str, reason: str, tmp_path: Path
) -> None:
    from tests.support.cli import run_cli

    code, _, err = run_cli("follow", address, out=str(tmp_path / "show"))
    assert code == ExitStatus.INPUT, err
    [line] = err.strip().splitlines()
    assert reason in line and "credential" not in line
