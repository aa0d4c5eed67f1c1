"""A second reader agrees: exiftool and eyeD3 read the tag; ffmpeg's demuxer (the one ffprobe
uses; newsaudio ships no ffprobe) reads the chapters and duration.

Debian: ``apt-get install libimage-exiftool-perl eyed3``. Each test skips, saying which tool
is missing, when its reader is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsaudio.audio.ffmpeg import find_ffmpeg
from newsaudio.cli import cli
from tests.support import EXAMPLE, cli_runner
from tests.support.audio import eyed3_python as _eyed3_python


@pytest.fixture
def episode(workdir: Path) -> dict[str, object]:
    article = workdir / "story.txt"
    article.write_text(
        "Zoë’s café — “Morning” edition\n\n"
        + EXAMPLE.read_text(encoding="utf-8").split("\n", 1)[1],
        encoding="utf-8",
    )
    result = cli_runner().invoke(
        cli,
        [
            "add",
            str(article),
            "--voice",
            "fake",
            "--out",
            "show",
            "--json",
            "--base-url",
            "https://pod.example.org/show",
        ],
    )
    assert result.exit_code == 0, result.stderr
    record: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    record["chapters"] = json.loads(
        Path(str(record["transcript"]).removesuffix(".vtt") + ".chapters.json").read_text()
    )["chapters"]
    return record


def test_exiftool_reads_title_artist_album_cover_and_podcast_frames(
    episode: dict[str, object],
) -> None:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (Debian: apt-get install libimage-exiftool-perl)")
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-a", "-u", str(episode["path"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tags = json.loads(out)[0]
    assert tags["ID3v2_3:Title"] == episode["title"] == "Zoë’s café — “Morning” edition"
    assert tags["ID3v2_3:Artist"] and tags["ID3v2_3:Album"]
    assert tags["ID3v2_3:Genre"] == "Podcast"
    assert tags["ID3v2_3:PictureMIMEType"] == "image/jpeg"
    assert tags["ID3v2_3:PictureType"] == "Front Cover"
    assert tags["ID3v2_3:PodcastID"] == episode["guid"]
    assert tags["ID3v2_3:PodcastDescription"].startswith("The Harbour Library")
    assert "ID3v2_3:Podcast" in tags  # PCST
    # exiftool reads WFED as a URL frame; newsaudio writes the iTunes text layout (see tags.py)
    assert "ID3v2_3:PodcastURL" in tags
    assert str(tags["ID3v2_3:Length"]).startswith(f"{float(str(episode['duration_s'])):.3f}")


def test_eyed3_reads_tag_chapters_and_podcast_frames(episode: dict[str, object]) -> None:
    python = _eyed3_python()
    if python is None:
        pytest.skip("eyeD3 is not installed (Debian: apt-get install eyed3)")
    cli_out = subprocess.run(
        ["eyeD3", "-v", str(episode["path"])], capture_output=True, text=True, check=True
    ).stdout
    for frame in ("PCST", "WFED", "TGID", "TDES", "CTOC", "FRONT_COVER"):
        assert frame in cli_out, frame
    assert f"CHAP x {len(episode['chapters'])}" in cli_out  # type: ignore[arg-type]
    probe = (
        "import eyed3, json, sys\n"
        "t = eyed3.load(sys.argv[1]).tag\n"
        "print(json.dumps({'version': list(t.version), 'title': t.title, 'artist': t.artist,"
        " 'album': t.album, 'images': [i.mime_type for i in t.images],"
        " 'chapters': [[c.times.start, c.times.end, c.title] for c in t.chapters],"
        " 'toc': [[x.toplevel, x.ordered, [i.decode() for i in x.child_ids]]"
        " for x in t.table_of_contents],"
        " 'wfed': t.frame_set[b'WFED'][0].text, 'tgid': t.frame_set[b'TGID'][0].text}))\n"
    )
    read = json.loads(
        subprocess.run(
            [python, "-c", probe, str(episode["path"])], capture_output=True, text=True, check=True
        ).stdout
    )
    assert read["version"] == [2, 3, 0]
    assert read["title"] == episode["title"]
    assert read["images"] == ["image/jpeg"]
    assert read["wfed"] == "https://pod.example.org/show/feed.xml"
    assert read["tgid"] == episode["guid"]
    chapters = episode["chapters"]
    assert [c[2] for c in read["chapters"]] == [c["title"] for c in chapters]  # type: ignore[attr-defined]
    assert [c[0] for c in read["chapters"]] == [round(c["startTime"] * 1000) for c in chapters]  # type: ignore[attr-defined]
    assert read["toc"][0][:2] == [True, True] and len(read["toc"][0][2]) == len(read["chapters"])


def test_ffmpeg_demuxer_shows_chapters_in_order_and_duration(episode: dict[str, object]) -> None:
    err = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-i", str(episode["path"])], capture_output=True, text=True
    ).stderr
    starts = [float(x) for x in re.findall(r"Chapter #0:\d+: start ([\d.]+)", err)]
    titles = re.findall(r"Chapter #0:\d+:.*\n\s+Metadata:\n\s+title\s+: (.*)", err)
    chapters = episode["chapters"]
    assert starts == [c["startTime"] for c in chapters]  # type: ignore[attr-defined]
    assert titles == [c["title"] for c in chapters]  # type: ignore[attr-defined]
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", err).groups()  # type: ignore[union-attr]
    reported = int(h) * 3600 + int(m) * 60 + float(s)
    # What the demuxer reports depends on its version, and both are right for what they
    # measure: FFmpeg 9 (imageio-ffmpeg's binary) trims the encoder delay and end padding
    # recorded in the Xing/LAME header, so it reports the programme's own length; older
    # versions such as Debian 12's ffmpeg 5.1 report every MP3 frame (the Xing frame count
    # x 1152 samples), up to one frame plus the 1105-sample delay (about 50 ms) longer.
    # The "Duration:" line is rounded to 10 ms, so each is allowed 20 ms; anything else fails.
    trimmed = float(str(episode["duration_s"]))
    whole_frames = _whole_frames_s(Path(str(episode["path"])))
    assert whole_frames - trimmed < 0.06
    assert min(abs(reported - trimmed), abs(reported - whole_frames)) < 0.02, (
        _version(find_ffmpeg()),
        reported,
        trimmed,
        whole_frames,
    )


def _whole_frames_s(mp3: Path) -> float:
    """Seconds of every MPEG frame of ``mp3``: the Xing/Info header's frame count (ISO
    11172-3 frames of 1152 samples) over the sample rate, delay and padding included."""
    from mutagen.mp3 import MP3

    info = MP3(mp3).info
    with mp3.open("rb") as f:
        f.seek(info.frame_offset)
        head = f.read(512)
    at = max(head.find(b"Xing"), head.find(b"Info"))
    assert at > 0, "no Xing/Info header"
    flags = int.from_bytes(head[at + 4 : at + 8], "big")
    assert flags & 1, "the Xing header has no frame count"
    frames = int.from_bytes(head[at + 8 : at + 12], "big")
    return float(frames * 1152 / info.sample_rate)


def _version(ffmpeg: str) -> str:
    out = subprocess.run([ffmpeg, "-version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else ffmpeg


def test_ffprobe_reads_chapters_and_duration(episode: dict[str, object]) -> None:
    """Where ffprobe itself is installed (system ffmpeg), it agrees on chapters and duration."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe is not installed (newsaudio never needs it; Debian: apt-get install "
                    "ffmpeg)")  # fmt: skip
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_chapters", "-show_format", "-of", "json",
         str(episode["path"])],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    probe = json.loads(out.stdout)
    titles = [c.get("tags", {}).get("title") for c in probe["chapters"]]
    assert titles == [c["title"] for c in episode["chapters"]]  # type: ignore[union-attr]
    assert abs(float(probe["format"]["duration"]) - float(str(episode["duration_s"]))) < 0.1
