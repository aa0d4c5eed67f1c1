"""ID3v2.3 tags: TAG-01 (non-ASCII round trip, v2.3 encodings, one tag, no ID3v1) and frames."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from PIL import Image

from newsaudio.audio.ffmpeg import find_ffmpeg
from newsaudio.models import Chapter
from newsaudio.tags import TagInfo, read_tags, write_tags
from tests.support import case_json

TEXT_FRAMES_WITH_ENCODING = {
    "TIT2",
    "TPE1",
    "TALB",
    "TCON",
    "TYER",
    "TDAT",
    "TLEN",
    "TGID",
    "TDES",
    "COMM",
    "USLT",
    "WFED",
}


def ffmpeg_mp3(path: Path, *, with_ffmpeg_tags: bool) -> Path:
    """A 2 s MP3 from the pipeline's ffmpeg/LAME step; optionally with ffmpeg's own v2.4
    tag and an ID3v1 tag (non-Latin-1 title), as ffmpeg writes by default."""
    meta = (
        ["-metadata", "title=Café 東京", "-write_id3v1", "1", "-id3v2_version", "4"]
        if (with_ffmpeg_tags)
        else ["-id3v2_version", "0"]
    )
    subprocess.run(
        [
            find_ffmpeg(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=f=440:d=2",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "96k",
            "-write_xing",
            "1",
            *meta,
            str(path),
        ],
        check=True,
    )
    return path


def jpeg(size: int = 600) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def tag_info(**overrides: object) -> TagInfo:
    base: dict[str, object] = dict(
        title="A title",
        artist="Someone",
        album="Morning Reads",
        date=datetime(2024, 3, 5, 7, 30, tzinfo=UTC),
        comment="Summary.",
        length_ms=2000,
        guid="6f1c3c1e-0000-5000-8000-000000000001",
        url="https://news.example.org/a",
        feed_url="https://pod.example.org/feed.xml",
        transcript="Full text.",
        cover_jpeg=jpeg(),
        chapters=(
            Chapter(0, 500, "Intro"),
            Chapter(500, 1200, "Überblick — 概要"),
            Chapter(1200, 2000, "End"),
        ),
    )
    base.update(overrides)
    return TagInfo(**base)  # type: ignore[arg-type]


def raw_frames(body: bytes) -> list[tuple[str, bytes]]:
    """(frame id, data) of a v2.3 tag body, sub-frames of CHAP/CTOC included."""
    out: list[tuple[str, bytes]] = []
    pos = 0
    while pos + 10 <= len(body) and body[pos : pos + 4].strip(b"\0"):
        fid = body[pos : pos + 4].decode("ascii")
        size = int.from_bytes(body[pos + 4 : pos + 8], "big")
        data = body[pos + 10 : pos + 10 + size]
        out.append((fid, data))
        if fid == "CHAP":
            rest = data[data.index(b"\0") + 1 + 16 :]
            out += raw_frames(rest)
        elif fid == "CTOC":
            i = data.index(b"\0") + 1
            count = data[i + 1]
            i += 2
            for _ in range(count):
                i = data.index(b"\0", i) + 1
            out += raw_frames(data[i:])
        pos += 10 + size
    return out


def tag_body(path: Path) -> tuple[bytes, bytes]:
    data = path.read_bytes()
    size = 0
    for byte in data[6:10]:  # syncsafe: 7 bits a byte
        size = (size << 7) | (byte & 0x7F)
    return data[:10], data[10 : 10 + size]


def test_tag_01_non_ascii_round_trip_as_id3v23(tmp_path: Path) -> None:
    case = case_json("TAG-01")
    want, expected = case["input"]["tags"], case["expected"]
    mp3 = ffmpeg_mp3(tmp_path / "e.mp3", with_ffmpeg_tags=True)
    assert mp3.read_bytes()[:4] == b"ID3\x04" and mp3.read_bytes()[-128:-125] == b"TAG"
    decomposed = {k: unicodedata.normalize("NFD", v) for k, v in want.items()}
    write_tags(
        mp3,
        tag_info(
            title=decomposed["TIT2"],
            artist=decomposed["TPE1"],
            album=decomposed["TALB"],
            comment=decomposed["COMM"],
        ),
    )
    data = mp3.read_bytes()
    assert data[:5].hex() == expected["header_first_5_bytes_hex"]
    _header, body = tag_body(mp3)
    # one tag: the audio (MPEG sync) starts right after it, and no other ID3v2 header exists
    after = 10 + len(body)
    assert data[after] == 0xFF and data[after + 1] & 0xE0 == 0xE0
    assert data.count(b"ID3\x03") + data.count(b"ID3\x04") == 1
    assert data[-128:-125] != b"TAG"  # no ID3v1 (it could only hold '?' for 東京)
    # text encodings: 0 only for pure Latin-1, otherwise 1; never 2 or 3
    for fid, frame in raw_frames(body):
        if fid.startswith("T") or fid in TEXT_FRAMES_WITH_ENCODING:
            enc = frame[0]
            assert enc in (0, 1), fid
            text = frame[4:] if fid in ("COMM", "USLT") else frame[1:]
            if enc == 0:
                text.decode("latin-1")
            else:
                assert text[:2] in (b"\xff\xfe", b"\xfe\xff"), f"{fid} lacks a BOM"
    tags = ID3(str(mp3), translate=False)
    assert tags.version == (2, 3, 0)
    for fid, value in want.items():
        frame = tags.getall(fid)[0]
        assert frame.text[0] == unicodedata.normalize("NFC", value), fid
        assert frame.encoding == (0 if _latin1(value) else 1), fid


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def test_every_issue_frame_is_written_and_reads_back(tmp_path: Path) -> None:
    mp3 = ffmpeg_mp3(tmp_path / "e.mp3", with_ffmpeg_tags=False)
    info = tag_info()
    write_tags(mp3, info)
    tags = ID3(str(mp3), translate=False)
    for fid in (
        "TIT2",
        "TPE1",
        "TALB",
        "TCON",
        "TYER",
        "TDAT",
        "COMM",
        "TLEN",
        "WOAS",
        "USLT",
        "APIC",
        "CHAP",
        "CTOC",
        "PCST",
        "WFED",
        "TGID",
        "TDES",
    ):
        assert tags.getall(fid), fid
    assert tags["TCON"].text == ["Podcast"]
    assert tags["TYER"].text == ["2024"] and tags["TDAT"].text == ["0503"]
    assert tags["TLEN"].text == ["2000"]
    assert tags["WOAS"].url == "https://news.example.org/a"
    apic = tags.getall("APIC")[0]
    assert apic.type == 3 and apic.mime == "image/jpeg"
    assert max(Image.open(io.BytesIO(apic.data)).size) <= 800
    toc = tags.getall("CTOC")[0]
    assert toc.flags & 3 == 3  # top-level and ordered
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    # CHAP frames are in chronological order in the file (readers ignoring CTOC use it)
    _, body = tag_body(mp3)
    starts = [
        int.from_bytes(d[d.index(b"\0") + 1 : d.index(b"\0") + 5], "big")
        for fid, d in raw_frames(body)
        if fid == "CHAP"
    ]
    assert starts == [0, 500, 1200]
    summary = read_tags(mp3)
    assert summary.version == "2.3.0" and not summary.has_v1
    assert [c.title for c in summary.chapters] == ["Intro", "Überblick — 概要", "End"]
    assert summary.frames["WFED"] == ["https://pod.example.org/feed.xml"]


def test_wfed_uses_the_itunes_text_layout(tmp_path: Path) -> None:
    mp3 = ffmpeg_mp3(tmp_path / "e.mp3", with_ffmpeg_tags=False)
    write_tags(mp3, tag_info())
    _, body = tag_body(mp3)
    wfed = next(d for fid, d in raw_frames(body) if fid == "WFED")
    assert wfed.rstrip(b"\0") == b"\x00https://pod.example.org/feed.xml"


def test_retagging_replaces_the_tag(tmp_path: Path) -> None:
    mp3 = ffmpeg_mp3(tmp_path / "e.mp3", with_ffmpeg_tags=False)
    write_tags(mp3, tag_info(title="First"))
    size = mp3.stat().st_size
    write_tags(mp3, tag_info(title="Second"))
    assert ID3(str(mp3))["TIT2"].text == ["Second"]
    assert mp3.stat().st_size == size + 1 and mp3.read_bytes().count(b"ID3\x03") == 1


def test_unwritable_file_is_a_publish_error(tmp_path: Path) -> None:
    from newsaudio.errors import PublishError

    with pytest.raises(PublishError, match=r"missing\.mp3"):
        write_tags(tmp_path / "missing.mp3", tag_info())
