"""End to end with real Piper synthesis, real ffmpeg, real files (slow, still run in CI)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest
from mutagen.id3 import ID3

from newsaudio.audio.ffmpeg import find_ffmpeg
from tests.support import EXAMPLE, SEED

pytestmark = pytest.mark.slow

BOILERPLATE = [
    "Read More",
    "Leave a Reply",
    "Your email address will not be published",
    "Required fields are marked",
]


def run_add(*args: str, cwd: Path) -> dict[str, object]:
    """Run `newsaudio add ... --json` as a real process; return its JSON record."""
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "add", *args, "--json"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    record: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return record


def decode_info(path: Path) -> tuple[int, int, float, str]:
    """(sample rate Hz, channels, duration s, decoder stderr) by decoding with ffmpeg."""
    proc = subprocess.run(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0
    head = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr
    m = re.search(r"Audio: mp3.*?, (\d+) Hz, (mono|stereo)", head)
    assert m, head
    channels = 1 if m.group(2) == "mono" else 2
    duration = len(proc.stdout) / (2 * channels * int(m.group(1)))
    return int(m.group(1)), channels, duration, proc.stderr.decode()


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's ebur128 filter."""
    err = subprocess.run(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
    ).stderr
    summary = err[err.rindex("Summary:") :]
    i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    tp = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return i, tp


def test_short_article_real_piper(tmp_path: Path, cache_dir: Path) -> None:
    article = tmp_path / "short.txt"
    article.write_text(
        "Short news\n\nThe ferry to the island runs again from Monday. "
        "Tickets cost $5.\n\nRead More\n",
        encoding="utf-8",
    )
    record = run_add(str(article), "--out", str(tmp_path / "show"), cwd=tmp_path)
    mp3 = Path(str(record["path"]))
    rate, channels, duration, errors = decode_info(mp3)
    assert (rate, channels) == (44100, 1)
    assert errors == ""
    assert 5 < duration < 30
    assert ID3(mp3).version[:2] == (2, 3)
    assert "Read More" not in str(record["spoken_text"])


@pytest.mark.skipif(not SEED.is_file(), reason="../shared (seed article) is absent")
def test_seed_article_end_to_end(tmp_path: Path, cache_dir: Path) -> None:
    show = tmp_path / "show"
    record = run_add(str(SEED), "--out", str(show), cwd=tmp_path)
    mp3 = Path(str(record["path"]))
    rate, channels, duration, errors = decode_info(mp3)
    assert (rate, channels) == (44100, 1)
    assert errors == ""
    assert 3.5 * 60 <= duration <= 6.5 * 60
    if shutil.which("ffprobe"):
        probe = subprocess.run(
            ["ffprobe", "-v", "error", "-show_format", str(mp3)], capture_output=True, text=True
        )
        assert probe.returncode == 0 and probe.stderr == ""
    with mp3.open("rb") as f:
        assert f.read(5) == b"ID3\x03\x00"
    tags = ID3(mp3)
    assert str(tags["TIT2"]) == "Amid crisis in Ukraine, Putin in Beijing praises China ties"
    assert str(tags["TCON"]) == "Podcast"
    loudness, true_peak = ebur128(mp3)
    assert -17.0 <= loudness <= -15.0
    assert true_peak <= -1.0
    spoken = str(record["spoken_text"])
    for line in BOILERPLATE:
        assert line not in spoken

    feed_xml = (show / "feed.xml").read_bytes()
    parsed = feedparser.parse(feed_xml)
    assert not parsed.bozo and len(parsed.entries) == 1
    assert int(parsed.entries[0].enclosures[0].length) == mp3.stat().st_size
    pod = podcastparser.parse("http://localhost:8000/feed.xml", (show / "feed.xml").open("rb"))
    assert len(pod["episodes"]) == 1
    assert pod["episodes"][0]["enclosures"][0]["file_size"] == mp3.stat().st_size

    run_add(str(EXAMPLE), "--out", str(show), cwd=tmp_path)
    assert len(feedparser.parse((show / "feed.xml").read_bytes()).entries) == 2
    again = run_add(str(SEED), "--out", str(show), cwd=tmp_path)
    assert again["guid"] == record["guid"]
    parsed = feedparser.parse((show / "feed.xml").read_bytes())
    assert len(parsed.entries) == 2
    sizes = {
        e.enclosures[0].href.rsplit("/", 1)[1]: int(e.enclosures[0].length) for e in parsed.entries
    }
    for name, size in sizes.items():
        assert (show / "episodes" / name).stat().st_size == size
