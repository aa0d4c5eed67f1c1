"""The `add` command through click's CliRunner (fake voice) and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import feedparser

from newsaudio.cli import cli
from tests.support import cli_runner


def _add(*args: str) -> tuple[int, str, str]:
    result = cli_runner().invoke(cli, ["add", *args])
    return result.exit_code, result.stdout, result.stderr


def test_add_json_publishes_episode_and_feed(workdir: Path, article_file: Path) -> None:
    code, out, err = _add(str(article_file), "--voice", "fake", "--out", "show", "--json")
    assert code == 0, err
    record = json.loads(out.strip().splitlines()[-1])
    for key in (
        "title",
        "guid",
        "path",
        "url",
        "bytes",
        "duration_s",
        "loudness_lufs",
        "true_peak_dbtp",
    ):
        assert key in record
    assert record["title"] == "Council approves new cycle lanes"
    mp3 = Path(record["path"])
    assert mp3.is_file() and mp3.stat().st_size == record["bytes"]
    assert record["url"] == f"http://localhost:8000/episodes/{mp3.name}"
    assert "Read More" not in record["spoken_text"]
    assert "Leave a Reply" not in record["spoken_text"]
    feed = feedparser.parse((workdir / "show" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == 1
    enclosure = feed.entries[0].enclosures[0]
    assert int(enclosure.length) == mp3.stat().st_size
    assert enclosure.href == record["url"]


def test_same_source_twice_updates_and_second_source_adds(
    workdir: Path, article_file: Path
) -> None:
    other = workdir / "other.txt"
    other.write_text("Second story\n\nSomething else happened today.\n", encoding="utf-8")
    guids = []
    for source in (article_file, article_file, other):
        code, out, err = _add(
            str(source),
            "--voice",
            "fake",
            "--out",
            "show",
            "--json",
            "--base-url",
            "https://pod.example.org/show",
        )
        assert code == 0, err
        guids.append(json.loads(out)["guid"])
    assert guids[0] == guids[1] != guids[2]
    feed = feedparser.parse((workdir / "show" / "feed.xml").read_bytes())
    assert len(feed.entries) == 2
    assert all(
        e.enclosures[0].href.startswith("https://pod.example.org/show/episodes/")
        for e in feed.entries
    )
    assert len(list((workdir / "show" / "episodes").glob("*.mp3"))) == 2


def test_bad_inputs_one_line_error_and_nothing_written(workdir: Path) -> None:
    (workdir / "empty.txt").write_bytes(b"")
    (workdir / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (workdir / "latin1.txt").write_bytes("Caf\xe9\n\nText.".encode("latin-1"))
    (workdir / "nowords.txt").write_text("...\n\n---\n", encoding="utf-8")
    (workdir / "adir").mkdir()
    for name in ("missing.txt", "adir", "empty.txt", "binary.txt", "latin1.txt", "nowords.txt"):
        code, _out, err = _add(name, "--voice", "fake", "--out", "show")
        assert code == 3, (name, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], err
        assert "Traceback" not in err
        assert not (workdir / "show" / "episodes").exists()
        assert not (workdir / "show" / "feed.xml").exists()


def test_unknown_voice_lists_available(workdir: Path, article_file: Path) -> None:
    code, _, err = _add(str(article_file), "--voice", "nobody", "--out", "show")
    assert code == 4
    assert "unknown voice 'nobody'" in err and "joe" in err and "fake" in err


def test_stdin_source(workdir: Path) -> None:
    result = cli_runner().invoke(
        cli,
        ["add", "-", "--voice", "fake", "--out", "show", "--json"],
        input="From stdin\n\nA short story read from standard input.\n",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "From stdin"


def test_real_subprocess_help_and_error(workdir: Path) -> None:
    help_ = subprocess.run(
        [sys.executable, "-m", "newsaudio", "--help"], capture_output=True, text=True, check=True
    )
    assert "add" in help_.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "newsaudio", "add", "nope.txt", "--out", "show"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 3
    assert bad.stderr.strip() == "newsaudio: error: nope.txt: no such file"


def test_closed_stdout_stops_quietly() -> None:
    """`newsaudio normalize FILE | head -1`: the reader goes away; no internal error, exit
    0 (all was written before it left) or 141 (as for SIGPIPE)."""
    from tests.support import EXAMPLE

    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsaudio", "normalize", str(EXAMPLE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) in (0, 141)
        assert "error" not in err and "Traceback" not in err, err
